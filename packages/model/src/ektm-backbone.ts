import { Mlp, SharedBottom, type BlockOption, type DenseStackOptions } from '@ektm/core';
import { baselineBackbone, type BaselineBackboneOptions } from '@ektm/baselines';
import { ConfigError } from '@ektm/core';

/** The backbones the reference EKTM model can be built on by name. */
export type EktmBackboneName = 'shared-bottom' | 'mmoe' | 'ple' | 'single-task';

/** Every {@link EktmBackboneName}. */
export const EKTM_BACKBONES: readonly EktmBackboneName[] = ['shared-bottom', 'mmoe', 'ple', 'single-task'];

/**
 * Sizes of the named backbones; each backbone reads the fields that concern it. `mmoe` and `ple` take the
 * `@ektm/baselines` options (`experts`, `expert`, `gateTemperature`, `levels`, `sharedExperts`, `taskExperts`), with
 * the same defaults as the MMoE and PLE baselines, so that EKTM and the baseline differ only in the EKTM blocks.
 */
export interface EktmBackboneOptions extends BaselineBackboneOptions {
  /**
   * shared-bottom only: a per-task layer on the shared output (the first hidden layer of each tower), so that
   * tasks have representations of their own for the router to compare. Default `{ units: [64] }`.
   */
  taskLayer?: Partial<DenseStackOptions>;
}

/**
 * The backbone block(s) for a named backbone. `shared-bottom` is the shared MLP (default `[128, 64]`) then a
 * per-task layer: with a plain shared bottom every task's representation would be identical and the router's
 * similarity 1 everywhere. `mmoe` and `ple` are `@ektm/baselines`' MixtureOfExperts and
 * ProgressiveLayeredExtraction, whose per-task outputs (gate mixtures, task outputs) are the representations.
 * `single-task` is the single-task baseline's network per task over the shared embeddings (`bottom`, default
 * `[128, 64]`): the method notes' "first hidden layer of each tower", where the tasks share nothing but the embeddings
 * and the router is the only path from the source tasks to the targets.
 */
export function ektmBackbone(name: EktmBackboneName, options: EktmBackboneOptions = {}): BlockOption {
  const { taskLayer, ...baseline } = options;
  if (name === 'shared-bottom') {
    const bottom = { units: [128, 64], ...options.bottom };
    const perTask = { units: [64], ...taskLayer };
    return (ctx) => [
      new SharedBottom({ tasks: ctx.towerTasks, bottom, seed: ctx.seed, name: 'shared_bottom' }),
      ...ctx.towerTasks.map((task, i) => new Mlp({ ...perTask, key: task, seed: ctx.seed + 1 + i, name: `task_layer_${task}` })),
    ];
  }
  if (name === 'mmoe' || name === 'ple' || name === 'single-task') {
    if (taskLayer !== undefined)
      throw new ConfigError(
        `backboneOptions.taskLayer: only the shared-bottom backbone has a per-task layer, not "${name}"`,
        'backboneOptions.taskLayer',
      );
    return baselineBackbone(name, baseline);
  }
  throw new ConfigError(`backbone: "${String(name)}" is not allowed; use ${EKTM_BACKBONES.join(', ')} or a block`, 'backbone');
}
