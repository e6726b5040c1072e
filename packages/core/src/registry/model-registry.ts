import { ConfigError } from '../errors/config-error.js';
import type { MultiTaskModel } from '../model/multi-task-model.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { closestName } from '../util/closest-name.js';
import { COMMON_MODEL_OPTION_SCHEMA, type ModelBuildOptions } from './common-model-options.js';
import type { ModelDefinition, ModelFamily } from './model-definition.js';
import { validateOptions, type OptionSchema } from './option-schema.js';
import { validateSearchSpace } from './search-space.js';

/** The families a definition may declare. */
const FAMILIES: readonly ModelFamily[] = ['baseline', 'ektm'];

/** How a model runs on a task set: with these options (and a note when it was adapted), or not at all, and why. */
export type ModelPlan =
  | {
      /** The model runs. */
      readonly ok: true;
      /** Builder options that adapt it to the task set (empty when it runs as it is). */
      readonly options: Readonly<Record<string, unknown>>;
      /** What the adaptation does, when there is one. */
      readonly note?: string;
    }
  | {
      /** The model cannot run on the task set. */
      readonly ok: false;
      /** One line saying why. */
      readonly reason: string;
    };

/** A model definition whatever its builder's options: the registry checks options at run time against its schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ModelDefinition<any>;

/**
 * The models known by name: the one list that the CLI (`--model`, `--models`, help texts), compare, the report, the
 * docs tables and the tests read. A package adds its models with {@link ModelRegistry.register}; a user's package can
 * register its own model the same way (see docs/adding-a-model.md).
 *
 * ```ts
 * const registry = new ModelRegistry([...BASELINE_MODELS, ...EKTM_MODEL_DEFINITIONS]);
 * const plan = registry.plan('esmm', data.tasks); // { ok: false, reason } on a task set without a funnel
 * if (plan.ok) registry.build('esmm', { features: data.features, tasks: data.tasks, ...plan.options });
 * ```
 */
export class ModelRegistry {
  private readonly byName = new Map<string, AnyDefinition>();

  /** A registry holding `definitions`, in order. */
  constructor(definitions: Iterable<AnyDefinition> = []) {
    for (const definition of definitions) this.register(definition);
  }

  /**
   * Adds a model. Checks the definition: the name (lowercase letters, digits, dashes; not taken), the family, a
   * one-line description, the paper, and its search space against its options.
   *
   * @throws ConfigError naming the model and the field at fault.
   */
  register(definition: AnyDefinition): this {
    const name = definition?.name;
    if (typeof name !== 'string' || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
      throw new ConfigError(`model registry: name ${JSON.stringify(name)} must be lowercase letters and digits joined by dashes`, 'name');
    }
    if (this.byName.has(name)) throw new ConfigError(`model registry: "${name}" is already registered`, 'name');
    if (!FAMILIES.includes(definition.family)) {
      throw new ConfigError(`model "${name}": family ${JSON.stringify(definition.family)} must be one of ${FAMILIES.join(', ')}`, 'family');
    }
    for (const field of ['description', 'paper'] as const) {
      const text = definition[field];
      if (typeof text !== 'string' || text.trim() === '' || text.includes('\n')) {
        throw new ConfigError(`model "${name}": ${field} must be one non-empty line`, field);
      }
    }
    if (typeof definition.build !== 'function' || typeof definition.supports !== 'function') {
      throw new ConfigError(`model "${name}": build and supports must be functions`, 'build');
    }
    validateSearchSpace(definition.searchSpace, this.schemaOf(definition), `model "${name}": searchSpace`);
    this.byName.set(name, definition);
    return this;
  }

  /** Whether a model of that name is registered. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * The definition of a model.
   *
   * @throws ConfigError (key `model`) naming the unknown model, the closest name and every known one.
   */
  get(name: string): AnyDefinition {
    const definition = this.byName.get(name);
    if (!definition) {
      const guess = closestName(name, this.byName.keys());
      throw new ConfigError(
        `unknown model "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}; models are ${this.names().join(', ')}`,
        'model',
      );
    }
    return definition;
  }

  /** Every definition, in registration order. */
  list(): readonly AnyDefinition[] {
    return [...this.byName.values()];
  }

  /** Every name, in registration order; with `family`, only that family's. */
  names(family?: ModelFamily): string[] {
    return this.list()
      .filter((d) => family === undefined || d.family === family)
      .map((d) => d.name);
  }

  /** The main models (the default list of `ektm compare`), in registration order. */
  mainNames(): string[] {
    return this.list()
      .filter((d) => d.main)
      .map((d) => d.name);
  }

  /** Every option a model's builder takes: the common ones, then its own (which override a common key's doc). */
  optionSchema(name: string): OptionSchema {
    return this.schemaOf(this.get(name));
  }

  /**
   * Whether and how a model runs on a task set: not at all (with the reason from its `supports`), or with the
   * options of its adaptation (and a note), or as it is.
   */
  plan(name: string, tasks: readonly TaskSpec[]): ModelPlan {
    const definition = this.get(name);
    const support = definition.supports(tasks);
    if (!support.ok) return { ok: false, reason: support.reason };
    const adaptation = definition.adapt?.(tasks);
    if (!adaptation) return { ok: true, options: {} };
    return { ok: true, options: { ...adaptation.options }, ...(adaptation.note ? { note: adaptation.note } : {}) };
  }

  /**
   * Builds a model after checking its options against its schema (a misspelt or mistyped key is a ConfigError naming
   * it). It does not adapt the model to the task set: pass {@link ModelRegistry.plan}'s options for that.
   */
  build(name: string, options: ModelBuildOptions & Record<string, unknown>): MultiTaskModel {
    const definition = this.get(name);
    validateOptions(this.schemaOf(definition), options, name);
    return definition.build(options);
  }

  private schemaOf(definition: AnyDefinition): OptionSchema {
    return { ...COMMON_MODEL_OPTION_SCHEMA, ...definition.options };
  }
}
