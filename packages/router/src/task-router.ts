import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { initializers, type LayerVariable } from '@tensorflow/tfjs-layers';
import { denseFused, diagKey, SeedSequence, stopGradient, TaskBlock, type ConfigDict, type Shape, type TaskBlockArgs } from '@ektm/core';
import { ROUTER_SIMILARITIES, similarityWeights, type RouterSimilarity } from './router-similarity.js';
import { ConfigError } from '@ektm/core';

/** Record key of the router's output for a target task: F_i. */
export function routedKey(task: string): string {
  return `routed:${task}`;
}

/** Default diagnostic name of the similarity matrix (written as `diag:router/similarity`). */
export const ROUTER_SIMILARITY_DIAGNOSTIC = 'router/similarity';

/** Arguments of {@link TaskRouter}. */
export interface TaskRouterArgs extends Partial<TaskBlockArgs> {
  /**
   * Broad source tasks (the CTR-like tasks: click, add-to-cart, ...), each added unweighted to every target's
   * F_i. May be empty (the router then mixes the targets only). Must not overlap `targets`.
   */
  sources: string[];
  /** The T target (CVR) tasks; the router writes `routed:<target>` for each. At least one. */
  targets: string[];
  /** How ŝ_it is computed: `cosine` (default), `dot`, `affinity` or `uniform`; see {@link RouterSimilarity}. */
  similarity?: RouterSimilarity;
  /** Initial softmax temperature of `cosine` and `dot` (> 0). Default 1. Ignored by `affinity` and `uniform`. */
  temperature?: number;
  /** Whether the temperature is learned (parametrised as its logarithm, so it stays positive). Default true. */
  learnTemperature?: boolean;
  /** Whether target i's own representation is one of the weighted terms (t = i). Default true, as in the equation. */
  includeSelf?: boolean;
  /** Stop the gradient from the router into the source representations (targets cannot pull the CTR task). Default false. */
  stopGradientSources?: boolean;
  /** Stop the gradient from the router into the target representations (values and similarities). Default false. */
  stopGradientTargets?: boolean;
  /**
   * When set, every source and target representation first goes through its own linear projection to this
   * width, so tasks with representations of different widths can be routed. Unset (default): all
   * representations must have the same width, and the router has no projection weights.
   */
  projectionUnits?: number;
  /** Diagnostic name of the similarity output (`diag:<name>`). Default `router/similarity`. */
  diagnostic?: string;
  /** Initializer seed (projections). Default 0. */
  seed?: number;
}

/**
 * EKTM's router (Cai, Yuan and Dong, "Effective Knowledge Transfer for Multi-Task Recommendation Models",
 * arXiv 2605.05730): integrates the source tasks' and the target tasks' representations and disseminates them to
 * every target by task similarity. For target i, with S sources f_s and T targets f_t:
 *
 *     F_i = ( Σ_s f_s + Σ_{t ∈ T_i} ŝ_it · f_t ) / ( S + |T_i| )
 *
 * where T_i is every target (`includeSelf`, default) or every target but i, and ŝ_i· are normalised
 * similarities (each row sums to 1). With one source this is the recovered equation of the paper,
 * F_i = mean(f_ctr, ŝ_i1 f_cvr^1, …, ŝ_iT f_cvr^T) = (f_ctr + Σ_t ŝ_it f_cvr^t) / (T + 1); several sources generalise
 * the CTR term, each unweighted. How ŝ is computed is this project's reconstruction (an option).
 *
 * Reads `[...sources, ...targets]` (`[B, d]` each); writes `routed:<target>` (`[B, d]`) for every target, then
 * `diag:router/similarity` (`[B, T, T]`, row i = ŝ_i·, targets in `targets` order), so that users can see
 * which tasks help which.
 */
export class TaskRouter extends TaskBlock {
  /** Registered tfjs class name. */
  static readonly className = 'EktmTaskRouter';
  /** Broad source tasks, in input order. */
  readonly sources: string[];
  /** Target tasks, in input and output order. */
  readonly targets: string[];
  /** How ŝ is computed. */
  readonly similarity: RouterSimilarity;
  /** Initial softmax temperature (`cosine`, `dot`). */
  readonly temperature: number;
  /** Whether the temperature is trained. */
  readonly learnTemperature: boolean;
  /** Whether t = i is a weighted term. */
  readonly includeSelf: boolean;
  /** Whether the router passes no gradient to the sources. */
  readonly stopGradientSources: boolean;
  /** Whether the router passes no gradient to the targets. */
  readonly stopGradientTargets: boolean;
  /** Width of the per-task projections; unset: none. */
  readonly projectionUnits?: number;
  /** Diagnostic name of the similarity output. */
  readonly diagnostic: string;
  /** Initializer seed. */
  readonly seed: number;
  private logTemperature?: LayerVariable;
  private affinity?: LayerVariable;
  private projections: Array<{ kernel: LayerVariable; bias: LayerVariable }> = [];

  constructor(args: TaskRouterArgs) {
    const sources = validateTaskList(args?.sources, 'sources', true);
    const targets = validateTaskList(args?.targets, 'targets', false);
    const overlap = sources.filter((s) => targets.includes(s));
    if (overlap.length)
      throw new ConfigError(`router: ${overlap.join(', ')} is both a source and a target; a task is one or the other`, 'router');
    const diagnostic = args.diagnostic ?? ROUTER_SIMILARITY_DIAGNOSTIC;
    super({
      ...args,
      inputKeys: args.inputKeys ?? [...sources, ...targets],
      outputKeys: args.outputKeys ?? [...targets.map(routedKey), diagKey(diagnostic)],
    });
    this.sources = sources;
    this.targets = targets;
    this.similarity = args.similarity ?? 'cosine';
    if (!ROUTER_SIMILARITIES.includes(this.similarity)) {
      throw new ConfigError(
        `router.similarity: "${this.similarity}" is not allowed; use ${ROUTER_SIMILARITIES.join(', ')}`,
        'router.similarity',
      );
    }
    this.temperature = args.temperature ?? 1;
    if (!(Number.isFinite(this.temperature) && this.temperature > 0)) {
      throw new ConfigError(`router.temperature: ${args.temperature} must be a finite number > 0`, 'router.temperature');
    }
    this.learnTemperature = args.learnTemperature ?? true;
    this.includeSelf = args.includeSelf ?? true;
    this.stopGradientSources = args.stopGradientSources ?? false;
    this.stopGradientTargets = args.stopGradientTargets ?? false;
    // Configs store an unset width as null.
    this.projectionUnits = args.projectionUnits ?? undefined;
    if (this.projectionUnits !== undefined && !(Number.isInteger(this.projectionUnits) && this.projectionUnits > 0)) {
      throw new ConfigError(
        `router.projectionUnits: ${args.projectionUnits} must be a positive integer (or unset: no projection)`,
        'router.projectionUnits',
      );
    }
    this.diagnostic = diagnostic;
    this.seed = args.seed ?? 0;
    if (this.sources.length + this.selfCount() === 0) {
      throw new ConfigError(
        'router: with no sources, one target and includeSelf false, F_i has no terms; add a source or set includeSelf',
        'router',
      );
    }
    if (this.outputKeys.length !== this.targets.length + 1 || this.inputKeys.length !== this.sources.length + this.targets.length) {
      throw new ConfigError(
        'router: inputKeys must list every source then every target, outputKeys every target then the diagnostic',
        'router',
      );
    }
  }

  /** |T_i|, the number of weighted target terms in each F_i. */
  private selfCount(): number {
    return this.includeSelf ? this.targets.length : this.targets.length - 1;
  }

  protected override buildBlock(inputShapes: Shape[]): void {
    const widths = inputShapes.map((s) => s[s.length - 1] as number);
    if (this.projectionUnits === undefined && new Set(widths).size > 1) {
      const listed = this.inputKeys.map((k, i) => `${k}: ${widths[i]}`).join(', ');
      throw new ConfigError(
        `router: representations have different widths (${listed}); set projectionUnits to project them to one width`,
        'router',
      );
    }
    if (this.projectionUnits !== undefined) {
      const seeds = new SeedSequence(this.seed);
      this.projections = widths.map((width, i) => ({
        kernel: this.addWeight(
          `projection${i}/kernel`,
          [width, this.projectionUnits!],
          'float32',
          initializers.glorotUniform({ seed: seeds.next() }),
        ),
        bias: this.addWeight(`projection${i}/bias`, [this.projectionUnits!], 'float32', initializers.zeros()),
      }));
    }
    if (this.similarity === 'cosine' || this.similarity === 'dot') {
      this.logTemperature = this.addWeight(
        'log_temperature',
        [],
        'float32',
        initializers.constant({ value: Math.log(this.temperature) }),
        undefined,
        this.learnTemperature,
      );
    }
    if (this.similarity === 'affinity') {
      // Zero logits: every target starts with uniform weights and learns which tasks help it.
      const t = this.targets.length;
      this.affinity = this.addWeight('affinity', [t, t], 'float32', initializers.zeros());
    }
  }

  protected override callBlock(inputs: tf.Tensor[]): tf.Tensor[] {
    const count = this.sources.length;
    const guarded = inputs.map((x, k) => {
      const stop = k < count ? this.stopGradientSources : this.stopGradientTargets;
      return stop ? stopGradient(x) : x;
    });
    const reps = this.projections.length
      ? guarded.map((x, k) => denseFused(x, this.projections[k]!.kernel.read(), this.projections[k]!.bias.read(), 'linear'))
      : guarded;
    const targets = tf.stack(reps.slice(count), 1) as tf.Tensor3D; // [B, T, d]
    const weights = similarityWeights(targets, {
      similarity: this.similarity,
      includeSelf: this.includeSelf,
      temperature: this.logTemperature ? tf.exp(this.logTemperature.read()) : undefined,
      affinity: this.affinity?.read(),
    });
    let total: tf.Tensor = tf.matMul(weights, targets); // [B, T, d]: Σ_t ŝ_it f_t for every i
    if (count > 0) {
      const sourceSum = reps.slice(0, count).reduce((acc, x) => tf.add(acc, x));
      total = tf.add(total, tf.expandDims(sourceSum, 1));
    }
    const routed = tf.div(total, count + this.selfCount());
    // tfjs' Unpack gradient fails for a single output (it receives one tensor, not a list): reshape instead.
    const perTarget = this.targets.length === 1 ? [tf.reshape(routed, [-1, routed.shape[2]!])] : tf.unstack(routed, 1);
    return [...perTarget, weights];
  }

  protected override blockOutputShapes(inputShapes: Shape[]): Shape[] {
    const batch = inputShapes[0]![0] ?? null;
    const width = this.projectionUnits ?? (inputShapes[0]![inputShapes[0]!.length - 1] as number);
    const t = this.targets.length;
    return [...this.targets.map((): Shape => [batch, width]), [batch, t, t]];
  }

  /** Serializable options, for `fromConfig` and saved models. */
  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      sources: this.sources,
      targets: this.targets,
      similarity: this.similarity,
      temperature: this.temperature,
      learnTemperature: this.learnTemperature,
      includeSelf: this.includeSelf,
      stopGradientSources: this.stopGradientSources,
      stopGradientTargets: this.stopGradientTargets,
      projectionUnits: this.projectionUnits ?? null,
      diagnostic: this.diagnostic,
      seed: this.seed,
    };
  }
}
serialization.registerClass(TaskRouter);

function validateTaskList(value: unknown, option: string, allowEmpty: boolean): string[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '') || (!allowEmpty && value.length === 0)) {
    throw new ConfigError(
      `router.${option}: ${JSON.stringify(value)} must be ${allowEmpty ? 'an' : 'a non-empty'} array of task names`,
      `router.${option}`,
    );
  }
  if (new Set(value).size !== value.length)
    throw new ConfigError(`router.${option}: duplicate task names in ${value.join(', ')}`, `router.${option}`);
  return [...(value as string[])];
}
