import * as tf from '@tensorflow/tfjs-core';
import type { EncodedTable } from '../data/encoded-table.js';
import { FeatureEmbedding } from '../layers/feature-embedding.js';
import { tableInputs, type MultiTaskModel } from '../model/multi-task-model.js';
import { getLossKind, type LossKind, type LossTermSpec } from '../tasks/loss-terms.js';
import { taskLabelsAndMasks, toLabelTensors } from '../tasks/task-masks.js';
import { clipByGlobalNorm } from './gradient-clipping.js';
import type { LossWeighting } from './loss-weighting.js';
import { applyWeightDecay, decays } from './optimizers.js';

/** Options of a {@link TrainStep}. */
export interface TrainStepOptions {
  /** Global gradient-norm bound; undefined = no clipping. */
  clipNorm?: number;
  /** Decoupled weight decay per unit of learning rate; 0 = none. */
  weightDecay: number;
  /** The optimizer's learning rate (weight decay is scaled by it). */
  learningRate: number;
  /** Weight of the L2 penalty on the embedding vectors each batch looks up; 0 or undefined = none. */
  embeddingL2?: number;
}

/**
 * One optimizer step of a multi-task model, built only from its loss terms: inputs, per-task labels and
 * sample-space masks for the batch; a forward pass in training mode; each term's loss from its registered kind;
 * the weighted total; gradients of every trainable weight (and of the loss-weighting variables); optional
 * global-norm clipping; the optimizer's update; decoupled weight decay. Nothing here knows a model by name.
 */
export class TrainStep {
  private readonly kinds: LossKind[];
  private readonly variables: tf.Variable[];
  private readonly decayed: tf.Variable[];
  private readonly embeddings: FeatureEmbedding[];

  constructor(
    private readonly model: MultiTaskModel,
    private readonly terms: readonly LossTermSpec[],
    private readonly weighting: LossWeighting,
    private readonly optimizer: tf.Optimizer,
    private readonly options: TrainStepOptions,
  ) {
    this.kinds = terms.map((t) => getLossKind(t.kind));
    const modelVariables = model.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.variables = [...modelVariables, ...weighting.variables];
    this.decayed = modelVariables.filter(decays);
    this.embeddings = options.embeddingL2 ? model.model.layers.filter((l): l is FeatureEmbedding => l instanceof FeatureEmbedding) : [];
  }

  /**
   * Trains on one batch and returns, as one `[terms + 1]` tensor the caller disposes, every term's raw loss and
   * the weighted total, so that the caller reads many steps' losses back in one transfer.
   */
  run(batch: EncodedTable): tf.Tensor1D {
    const { tasks } = this.model.spec;
    const inputs = tableInputs(batch);
    const raw = taskLabelsAndMasks(tasks, batch.labels, batch.rows);
    const labels = toLabelTensors(raw.labels);
    const masks = toLabelTensors(raw.masks);
    let losses: tf.Tensor1D | undefined;
    try {
      const { value, grads } = tf.variableGrads(() => {
        const outputs = this.model.forward(inputs, true);
        const termLosses = this.terms.map((term, i) =>
          this.kinds[i]!({
            outputs: term.outputs.map((key) => outputs[key]!),
            label: labels[term.task]!,
            mask: masks[term.task]!,
            labels,
            masks,
            options: term.options ?? {},
          }),
        );
        let total = this.weighting.combine(termLosses);
        for (const embedding of this.embeddings) {
          total = tf.add(total, tf.mul(embedding.l2Penalty(inputs.categorical), this.options.embeddingL2!));
        }
        losses = tf.keep(tf.stack([...termLosses, total]) as tf.Tensor1D);
        return total;
      }, this.variables);
      let update = grads;
      if (this.options.clipNorm !== undefined) {
        const clipped = clipByGlobalNorm(grads, this.options.clipNorm);
        tf.dispose([clipped.norm, ...Object.values(grads)]);
        update = clipped.grads;
      }
      this.optimizer.applyGradients(update);
      tf.dispose([value, ...Object.values(update)]);
      applyWeightDecay(this.decayed, this.options.learningRate, this.options.weightDecay);
    } catch (error) {
      losses?.dispose();
      throw error;
    } finally {
      tf.dispose([inputs.categorical, ...(inputs.numeric ? [inputs.numeric] : []), ...Object.values(labels), ...Object.values(masks)]);
    }
    return losses!;
  }
}
