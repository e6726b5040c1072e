import type { MultiTaskModel } from '../model/multi-task-model.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import type { ModelBuildOptions } from './common-model-options.js';
import type { OptionSchema } from './option-schema.js';
import type { SearchSpace } from './search-space.js';

/** Where a model comes from: the baselines EKTM is compared with, or EKTM and its variants. */
export type ModelFamily = 'baseline' | 'ektm';

/** Whether a model can run on a task set; when not, one line saying why (printed when a comparison leaves it out). */
export type TaskSupport =
  | {
      /** The model can run on the tasks. */
      readonly ok: true;
    }
  | {
      /** The model cannot run on the tasks. */
      readonly ok: false;
      /** Why not, in one line for the user. */
      readonly reason: string;
    };

/**
 * How a model runs on a task set that is not its own shape but has a natural form for it: the builder options that
 * give it that form, and one line saying what they do (e.g. ESMM on three conversions after one click models the
 * first funnel, names its CVR task after the conversion, and leaves the other conversions out).
 */
export interface TaskAdaptation {
  /** Builder options to add (e.g. `{ click: 'click', conversion: 'buy', cvrTask: 'buy' }`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** One line for the user, when the adaptation changes what the model predicts (tasks it leaves out). */
  readonly note?: string;
}

/**
 * Everything about one model, registered in one place beside its builder: the name used everywhere (CLI, reports,
 * docs), the builder, its options (checked before building), the search space a tuner explores, which task sets it
 * runs on, and what it is. Register it in a {@link ModelRegistry}.
 *
 * ```ts
 * export const CGC_MODEL = defineModel<PleOptions>({
 *   name: 'cgc', family: 'baseline', main: false,
 *   description: 'CGC: PLE with one extraction level', paper: 'Tang et al., RecSys 2020',
 *   options: PLE_OPTION_SCHEMA, searchSpace: { ...COMMON_SEARCH_SPACE, sharedExperts: { int: [1, 4] } },
 *   supports: () => ({ ok: true }),
 *   build: (options) => buildPle({ name: 'cgc', ...options, levels: 1 }),
 * });
 * ```
 */
export interface ModelDefinition<Options extends ModelBuildOptions = ModelBuildOptions> {
  /** The name on the command line and in reports: lowercase letters, digits and dashes (`mmoe`, `ektm-no-router`). */
  readonly name: string;
  /** `baseline` or `ektm`. */
  readonly family: ModelFamily;
  /** One line for help texts, reports and docs tables. */
  readonly description: string;
  /** The paper the model comes from (authors, title, venue and year), or `this project` for variants. */
  readonly paper: string;
  /** Whether `ektm compare` runs it by default (the main models). */
  readonly main: boolean;
  /**
   * The builder's own options (besides the common ones every model takes: features, tasks, seed, embeddingDim,
   * tower, name); unknown or mistyped keys are rejected before building. A key listed here overrides the common one's
   * documentation (a model whose tower default differs).
   */
  readonly options: OptionSchema;
  /** What a tuner may vary and how (see {@link SearchSpace}); checked against `options` when the model is registered. */
  readonly searchSpace: SearchSpace;
  /** Whether the model can run on a task set; a comparison leaves the model out, with the reason, when it cannot. */
  supports(tasks: readonly TaskSpec[]): TaskSupport;
  /** The model's natural form for a task set it supports only after adapting, or undefined when none is needed. */
  adapt?(tasks: readonly TaskSpec[]): TaskAdaptation | undefined;
  /** Builds a fresh model. */
  build(options: Options): MultiTaskModel;
}

/** Identity, for type inference: `defineModel<MmoeOptions>({ ... })` checks `build`'s options against the interface. */
export function defineModel<Options extends ModelBuildOptions>(definition: ModelDefinition<Options>): ModelDefinition<Options> {
  return definition;
}
