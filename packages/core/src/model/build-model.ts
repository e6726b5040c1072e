import * as tfl from '@tensorflow/tfjs-layers';
import { CATEGORICAL_KEY, FeatureEmbedding, NUMERIC_KEY } from '../layers/feature-embedding.js';
import { ProductHead } from '../blocks/product-head.js';
import { TaskTower } from '../blocks/task-tower.js';
import { INPUT_KEY, isOutputKey, probKey } from '../composition/record-keys.js';
import type { TaskBlock } from '../composition/task-block.js';
import { applyBlock, type TaskRecord } from '../composition/task-record.js';
import { splitFeatures, type FeatureSpec } from '../features/feature-spec.js';
import type { DenseStackOptions } from '../layers/dense-stack.js';
import type { LossTermSpec } from '../tasks/loss-terms.js';
import { resolveTasks, towerTasks, type ResolvedTaskSpec, type TaskSpec } from '../tasks/task-spec.js';
import { SeedSequence } from '../util/seeds.js';
import { MODEL_SPEC_FORMAT, MODEL_SPEC_VERSION, type ModelSpec } from './model-spec.js';
import { MultiTaskModel } from './multi-task-model.js';
import { ConfigError } from '../errors/config-error.js';

/** What a block factory knows when the model is composed. */
export interface BlockContext {
  /** Every task, defaults filled. */
  tasks: ResolvedTaskSpec[];
  /** Tasks that own a representation and a tower (not products), in task order. */
  towerTasks: string[];
  /** A fresh seed for the block's initializers. */
  seed: number;
}

/** A block, or a function that makes blocks once the tasks are known. */
export type BlockOption = TaskBlock | ((context: BlockContext) => TaskBlock | TaskBlock[]);

/** Options of {@link buildMultiTaskModel}. */
export interface MultiTaskModelOptions {
  /** Model name, recorded in the saved model. Default `multi-task`. */
  name?: string;
  /** Input features (from a dataset). */
  features: FeatureSpec[];
  /** Default embedding dimension. Default 8. */
  embeddingDim?: number;
  /** Tasks, in output order. */
  tasks: TaskSpec[];
  /** The backbone: reads `$input`, writes one representation per tower task. */
  backbone: BlockOption;
  /** Transfer blocks applied in order between backbone and towers (router, transmitter, enhancer, your own). */
  blocks?: BlockOption[];
  /** The tower of every task without a `prob:` output yet. Default `{ units: [64] }`. */
  tower?: Partial<DenseStackOptions>;
  /** Seed of every initializer and dropout mask. Default 0. */
  seed?: number;
  /** JSON-safe description of the architecture, stored with the model. */
  architecture?: Record<string, unknown>;
}

/**
 * Composes features → embeddings → backbone → transfer blocks → towers → heads into one tfjs LayersModel,
 * and collects the loss terms of the tasks and of every block.
 */
export function buildMultiTaskModel(options: MultiTaskModelOptions): MultiTaskModel {
  if (!options || typeof options !== 'object') throw new ConfigError('buildMultiTaskModel: options object required');
  if (!Array.isArray(options.features)) throw new ConfigError('features: must be an array of feature specs', 'features');
  if (!options.backbone) throw new ConfigError('backbone: required (a TaskBlock or a factory)', 'backbone');
  const tasks = resolveTasks(options.tasks);
  const towers = towerTasks(tasks);
  const seeds = new SeedSequence(options.seed ?? 0);
  const context = (): BlockContext => ({ tasks, towerTasks: towers, seed: seeds.next() });
  const { numeric } = splitFeatures(options.features);

  const categoricalInput = tfl.input({ shape: [options.features.length - numeric.length], dtype: 'int32', name: 'categorical' });
  const numericInput = numeric.length > 0 ? tfl.input({ shape: [numeric.length], dtype: 'float32', name: 'numeric' }) : undefined;
  let record: TaskRecord = { [CATEGORICAL_KEY]: categoricalInput, ...(numericInput ? { [NUMERIC_KEY]: numericInput } : {}) };
  const blocks: TaskBlock[] = [];
  const use = (block: TaskBlock) => {
    blocks.push(block);
    record = applyBlock(block, record);
  };

  use(new FeatureEmbedding({ features: options.features, embeddingDim: options.embeddingDim, seed: seeds.next(), name: 'features' }));
  for (const block of instantiate(options.backbone, context)) use(block);
  const missing = towers.filter((t) => !record[t] && !record[probKey(t)]);
  if (missing.length) {
    throw new ConfigError(
      `backbone: produced no representation for task(s) ${missing.join(', ')}; it wrote ${Object.keys(record)
        .filter((k) => k !== INPUT_KEY && !k.startsWith('$'))
        .join(', ')}`,
      'backbone',
    );
  }
  for (const option of options.blocks ?? []) for (const block of instantiate(option, context)) use(block);
  for (const task of towers) {
    if (!record[probKey(task)]) use(new TaskTower({ task, hidden: options.tower, seed: seeds.next(), name: `tower_${task}` }));
  }
  for (const task of tasks) {
    if (task.product) use(new ProductHead({ task: task.name, factors: task.product, name: `product_${task.name}` }));
  }

  const taskOutputs = tasks.map((t) => probKey(t.name));
  const otherOutputs = Object.keys(record).filter((k) => isOutputKey(k) && !taskOutputs.includes(k));
  const outputs = [
    ...taskOutputs,
    ...otherOutputs.filter((k) => k.startsWith('prob:')),
    ...otherOutputs.filter((k) => k.startsWith('diag:')),
  ];
  const lossTerms: LossTermSpec[] = [
    ...tasks
      .filter((t) => t.weight > 0)
      .map((t): LossTermSpec => ({ name: t.name, kind: t.loss, outputs: [probKey(t.name)], task: t.name, weight: t.weight, role: 'task' })),
    ...blocks.flatMap((b) => b.lossTerms()),
  ];
  for (const term of lossTerms) {
    const absent = term.outputs.filter((o) => !outputs.includes(o));
    if (absent.length) throw new ConfigError(`loss term "${term.name}" reads ${absent.join(', ')}, which the model does not output`);
    if (!tasks.some((t) => t.name === term.task)) throw new ConfigError(`loss term "${term.name}" names unknown task "${term.task}"`);
  }
  if (lossTerms.length === 0) throw new ConfigError('tasks: every task has weight 0 and no block adds a loss; nothing to train', 'tasks');

  const model = tfl.model({
    inputs: numericInput ? [categoricalInput, numericInput] : [categoricalInput],
    outputs: outputs.map((k) => record[k]!),
    name: options.name ?? 'multi-task',
  });
  const spec: ModelSpec = {
    format: MODEL_SPEC_FORMAT,
    version: MODEL_SPEC_VERSION,
    name: options.name ?? 'multi-task',
    features: options.features.map((f) => ({ ...f })),
    tasks,
    outputs,
    lossTerms,
    hasNumericInput: numericInput !== undefined,
    architecture: options.architecture,
  };
  return new MultiTaskModel(model, spec);
}

function instantiate(option: BlockOption, context: () => BlockContext): TaskBlock[] {
  if (typeof option === 'function') {
    const made = option(context());
    return Array.isArray(made) ? made : [made];
  }
  return [option];
}
