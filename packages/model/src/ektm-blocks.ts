import type { BlockOption } from '@ektm/core';
import { TaskEnhancer, type TaskEnhancerArgs } from '@ektm/enhancer';
import { routedKey, TaskRouter, type TaskRouterArgs } from '@ektm/router';
import { TaskTransmitter, type TaskTransmitterArgs } from '@ektm/transmitter';
import { ConfigError } from '@ektm/core';

/** Router options of {@link ektmBlocks} (the task lists come from the roles). */
export type EktmRouterOptions = Omit<TaskRouterArgs, 'sources' | 'targets' | 'inputKeys' | 'outputKeys' | 'seed'>;

/** Transmitter options of {@link ektmBlocks}, the same for every target. */
export type EktmTransmitterOptions = Omit<
  TaskTransmitterArgs,
  'task' | 'routedKey' | 'outputKey' | 'inputKeys' | 'outputKeys' | 'seed' | 'name'
>;

/** Enhancer options of {@link ektmBlocks}, the same for every target. */
export type EktmEnhancerOptions = Omit<TaskEnhancerArgs, 'task' | 'transmittedKey' | 'inputKeys' | 'outputKeys' | 'seed' | 'name'>;

/** Options of {@link ektmBlocks}. */
export interface EktmBlockOptions {
  /** Broad source tasks (see `TaskRouterArgs.sources`). */
  sources: string[];
  /** Target (CVR) tasks; each gets a transmitter and an enhancer. */
  targets: string[];
  /** Router options, or `false` for the no-router ablation (F_i := f_i). Default `{}` (cosine similarity). */
  router?: EktmRouterOptions | false;
  /** Transmitter options. Default `{}` (gated MLP as wide as the task representation). */
  transmitter?: EktmTransmitterOptions;
  /**
   * Enhancer options, or `false` for the no-enhancer ablation: the transmitted knowledge then replaces the task's
   * representation, and there is no original head or enhancement loss. Default `{}` (gated residual, hinge).
   */
  enhancer?: EktmEnhancerOptions | false;
  /** Prefix of the blocks' layer names, to tell several EKTM groups in one model apart. Default `ektm`. */
  namePrefix?: string;
}

/**
 * The three EKTM blocks as `BlockOption`s for `buildMultiTaskModel({ blocks })`: a router over the sources and
 * targets, then a transmitter and an enhancer per target. Put them between any backbone that writes one
 * representation per task (shared bottom, MMoE, PLE, your own) and the towers; the towers then read the fused
 * representations, and the enhancers' loss terms join the model's.
 *
 * ```ts
 * buildMultiTaskModel({ features, tasks, backbone: myMmoe, blocks: ektmBlocks({ sources: ['click'], targets: ['buy', 'cart'] }) });
 * ```
 */
export function ektmBlocks(options: EktmBlockOptions): BlockOption[] {
  if (!options || !Array.isArray(options.sources) || !Array.isArray(options.targets) || options.targets.length === 0) {
    throw new ConfigError('ektmBlocks: sources (array) and targets (non-empty array) are required');
  }
  const { sources, targets } = options;
  const prefix = options.namePrefix ?? 'ektm';
  const useRouter = options.router !== false;
  const useEnhancer = options.enhancer !== false;
  const blocks: BlockOption[] = [];
  if (options.router !== false) {
    const router = options.router ?? {};
    blocks.push((ctx) => new TaskRouter({ ...router, sources, targets, seed: ctx.seed, name: router.name ?? `${prefix}_router` }));
  }
  blocks.push((ctx) =>
    targets.map(
      (task, i) =>
        new TaskTransmitter({
          ...options.transmitter,
          task,
          routedKey: useRouter ? routedKey(task) : task,
          outputKey: useEnhancer ? undefined : task,
          seed: ctx.seed + i,
          name: `${prefix}_transmitter_${task}`,
        }),
    ),
  );
  if (options.enhancer !== false) {
    const enhancer = options.enhancer ?? {};
    blocks.push((ctx) =>
      targets.map((task, i) => new TaskEnhancer({ ...enhancer, task, seed: ctx.seed + i, name: `${prefix}_enhancer_${task}` })),
    );
  }
  return blocks;
}
