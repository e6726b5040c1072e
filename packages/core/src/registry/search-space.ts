import { ConfigError } from '../errors/config-error.js';
import { TRAIN_OPTION_SCHEMA } from '../training/train-option-schema.js';
import { optionAt, optionValueProblem, type OptionDoc, type OptionSchema } from './option-schema.js';

/**
 * One dimension of a search space: how a tuner draws a value for one option.
 * - `{ log: [lo, hi] }`: log-uniform over `[lo, hi]`, `0 < lo < hi` (learning rates, weight decay);
 * - `{ uniform: [lo, hi] }`: uniform over `[lo, hi]`, `lo < hi` (dropout, loss weights);
 * - `{ int: [lo, hi] }`: a uniform integer in `lo..hi`, both included (expert counts, levels);
 * - `{ choice: [a, b, ...] }`: one of the listed JSON values, each a valid value of the option (batch sizes, layer
 *   sizes such as `[[64], [128], [256, 128]]`, names such as `['cosine', 'dot']`).
 */
export type Distribution = (
  | {
      /** Log-uniform between the bounds (learning rates, L2). */
      readonly log: readonly [number, number];
    }
  | {
      /** Uniform between the bounds (dropout, loss weights). */
      readonly uniform: readonly [number, number];
    }
  | {
      /** An integer between the bounds, both included (experts, levels). */
      readonly int: readonly [number, number];
    }
  | {
      /** One of the values, equally likely (batch sizes, layer widths, names). */
      readonly choice: readonly unknown[];
    }
) & {
  /** Draw this key only when other keys drew the given values (see {@link SearchCondition}). Default: always. */
  readonly when?: SearchCondition;
};

/**
 * When a key of a search space is drawn: a record from other `choice` keys of the same space to the value they must have
 * drawn, or a list of values any of which will do: `{ backbone: 'shared-bottom' }`, `{ backbone: ['mmoe', 'ple'] }`
 * (a value that is itself a list is written inside a list: `{ 'expert.units': [[64]] }`). A key
 * that only matters for some choices (the per-task layer of a shared bottom, the experts of an MMoE backbone) is then
 * left out of the points where it would be ignored or rejected, and the model's default applies.
 */
export type SearchCondition = Readonly<Record<string, unknown>>;

/**
 * What a tuner (`ektm tune`) may vary for a model, and how: a record from option path to {@link Distribution}.
 *
 * Keys are either training options (resolved against `TRAIN_OPTION_SCHEMA`: `learningRate`, `batchSize`, `epochs`,
 * `optimizer`, `weightDecay` (L2, as decoupled weight decay), `clipNorm`, `lossWeighting`, `earlyStopping.patience`)
 * or the model builder's own options, common ones included (`embeddingDim`, `tower.dropout`), with dotted paths
 * for nested ones (`expert.units`, `router.temperature`, `enhancer.enhancementWeight`). Dropout has no single
 * training key: every model names the dropout of its own networks (`tower.dropout`, `expert.dropout`, ...).
 *
 * ```ts
 * const space: SearchSpace = {
 *   learningRate: { log: [1e-4, 1e-2] },
 *   batchSize: { choice: [256, 512, 1024, 2048] },
 *   'tower.dropout': { uniform: [0, 0.3] },
 *   'expert.units': { choice: [[64], [128], [256, 128]] },
 *   experts: { int: [2, 8] },
 * };
 * ```
 *
 * A key that matters only for some values of a `choice` key says so with `when`, and is drawn only then:
 * `'backboneOptions.experts': { int: [2, 8], when: { backbone: ['mmoe', 'ple'] } }`.
 *
 * A point drawn from a space is a record from the same keys to values; {@link splitSearchPoint} turns it into
 * training options and builder options. Spaces are checked when a model is registered ({@link validateSearchSpace}).
 */
export type SearchSpace = Readonly<Record<string, Distribution>>;

/** The kind of a distribution: its only key. */
export type DistributionKind = 'log' | 'uniform' | 'int' | 'choice';

const KINDS: readonly DistributionKind[] = ['log', 'uniform', 'int', 'choice'];

/** Where a search-space key lives: a training option or a model builder option. */
export type SearchTarget = 'training' | 'model';

/** Where a search-space key points: a training or a model option, and that option's doc. */
export interface ResolvedSearchKey {
  /** Whether the key is a training option or a model builder option. */
  target: SearchTarget;
  /** The option's doc (type, range, default). */
  doc: OptionDoc;
}

/** The doc of a search-space key and whether it is a training or a model option; undefined when it is neither. */
export function resolveSearchKey(key: string, modelOptions: OptionSchema): ResolvedSearchKey | undefined {
  const training = optionAt(TRAIN_OPTION_SCHEMA, key);
  if (training) return { target: 'training', doc: training };
  const model = optionAt(modelOptions, key);
  return model ? { target: 'model', doc: model } : undefined;
}

function fail(where: string, key: string, message: string): never {
  throw new ConfigError(`${where}["${key}"]: ${message}`, key);
}

/** The values a condition accepts for one key: a list is any of its values (`[[64]]` accepts the value `[64]`); anything else is that one value. */
function conditionValues(accepted: unknown): readonly unknown[] {
  return Array.isArray(accepted) ? accepted : [accepted];
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether `key` is drawn in a point whose other values are `point`: every key its `when` names must be present in the
 * point with one of the accepted values. Keys must be decided parents first ({@link searchKeyOrder} gives that order).
 */
export function searchKeyActive(space: SearchSpace, key: string, point: Readonly<Record<string, unknown>>): boolean {
  const when = space[key]?.when;
  if (!when) return true;
  return Object.entries(when).every(
    ([parent, accepted]) => parent in point && conditionValues(accepted).some((v) => sameValue(v, point[parent])),
  );
}

/** The keys of a space ordered so that every key comes after the keys its `when` names (then by name, for a stable order). */
export function searchKeyOrder(space: SearchSpace, where = 'searchSpace'): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, path: string[]) => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      fail(where, key, `when: the conditions form a cycle (${[...path, key].join(' -> ')})`);
    }
    state.set(key, 'visiting');
    for (const parent of Object.keys(space[key]?.when ?? {}).sort()) if (parent in space) visit(parent, [...path, key]);
    state.set(key, 'done');
    order.push(key);
  };
  for (const key of Object.keys(space).sort()) visit(key, []);
  return order;
}

function bounds(where: string, key: string, value: unknown, kind: DistributionKind): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(where, key, `${kind} needs [lo, hi], two finite numbers; got ${JSON.stringify(value)}`);
  }
  const [lo, hi] = value as [number, number];
  if (!(lo < hi)) fail(where, key, `${kind} [${lo}, ${hi}]: lo must be below hi`);
  return [lo, hi];
}

/**
 * Checks a search space against a model's option schema (and the training options): every key must name a
 * tunable option, every distribution must be well formed (`log` bounds positive, `int` bounds integers, `choice`
 * non-empty), and every value it can draw must be allowed by the option (type, choices, range).
 *
 * @throws ConfigError naming the key (`where["expert.units"]: ...`).
 */
export function validateSearchSpace(space: SearchSpace, modelOptions: OptionSchema, where = 'searchSpace'): void {
  if (typeof space !== 'object' || space === null || Array.isArray(space)) {
    throw new ConfigError(`${where}: must be an object from option path to distribution`);
  }
  for (const [key, distribution] of Object.entries(space)) {
    const resolved = resolveSearchKey(key, modelOptions);
    if (!resolved) fail(where, key, 'not a training option nor an option of the model');
    const { doc } = resolved;
    if (doc.tunable === false) fail(where, key, 'this option cannot be tuned (data, names, seeds and blocks are fixed)');
    const entries =
      typeof distribution === 'object' && distribution !== null ? Object.entries(distribution).filter(([k]) => k !== 'when') : [];
    const kind = entries.length === 1 ? (entries[0]![0] as DistributionKind) : undefined;
    if (kind === undefined || !KINDS.includes(kind)) {
      fail(
        where,
        key,
        `${JSON.stringify(distribution)} is not a distribution; use one of {log: [lo, hi]}, {uniform: [lo, hi]}, {int: [lo, hi]}, {choice: [...]}`,
      );
    }
    checkCondition(space, where, key);
    const value = entries[0]![1];
    const types = typeof doc.type === 'string' ? [doc.type] : doc.type;
    const check = (v: unknown, what: string) => {
      const problem = optionValueProblem(doc, v);
      if (problem) fail(where, key, `${what}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
    };
    if (kind === 'choice') {
      if (!Array.isArray(value) || value.length === 0) fail(where, key, 'choice needs a non-empty array of values');
      (value as unknown[]).forEach((v, i) => check(v, `choice[${i}]`));
      continue;
    }
    const [lo, hi] = bounds(where, key, value, kind);
    if (kind === 'int') {
      if (!types.includes('integer')) fail(where, key, `int draws integers, but the option is ${types.join(' or ')}`);
      if (!Number.isInteger(lo) || !Number.isInteger(hi)) fail(where, key, `int [${lo}, ${hi}]: bounds must be integers`);
    } else {
      if (!types.includes('number')) {
        fail(
          where,
          key,
          `${kind} draws real numbers, but the option is ${types.join(' or ')}${types.includes('integer') ? '; use int' : ''}`,
        );
      }
      if (kind === 'log' && !(lo > 0)) fail(where, key, `log [${lo}, ${hi}]: lo must be > 0`);
    }
    check(lo, `${kind} lower bound`);
    check(hi, `${kind} upper bound`);
  }
  searchKeyOrder(space, where);
}

/** Checks a key's `when`: an object naming other `choice` keys of the space, each with values among their choices. */
function checkCondition(space: SearchSpace, where: string, key: string): void {
  const when = (space[key] as { when?: unknown }).when;
  if (when === undefined) return;
  if (typeof when !== 'object' || when === null || Array.isArray(when) || Object.keys(when).length === 0) {
    fail(where, key, `when must be an object such as { "backbone": "mmoe" }; got ${JSON.stringify(when)}`);
  }
  for (const [parent, accepted] of Object.entries(when)) {
    if (parent === key) fail(where, key, 'when: a key cannot depend on itself');
    const choices = (space[parent] as { choice?: unknown } | undefined)?.choice;
    if (!Array.isArray(choices)) fail(where, key, `when.${parent}: "${parent}" must be a choice key of the same space`);
    for (const value of conditionValues(accepted)) {
      if (!choices.some((c) => sameValue(c, value))) {
        fail(where, key, `when.${parent}: ${JSON.stringify(value)} is not one of the choices of "${parent}" (${JSON.stringify(choices)})`);
      }
    }
  }
}

/** A point of a search space split by where each value goes, dotted paths expanded into nested objects. */
export interface SearchPointOptions {
  /** Options for `train()` (e.g. `{ learningRate: 0.003, earlyStopping: { patience: 2 } }`). */
  training: Record<string, unknown>;
  /** Options for the model builder (e.g. `{ experts: 6, expert: { units: [128] } }`). */
  model: Record<string, unknown>;
}

/**
 * Turns a drawn point (`{ learningRate: 0.003, 'expert.units': [128] }`) into training options and builder options,
 * nesting dotted paths. Nested values are set on top of `base` (so `expert.units` keeps `base.expert.dropout`).
 *
 * @throws ConfigError for a key that is neither a training option nor an option of the model.
 */
export function splitSearchPoint(
  point: Readonly<Record<string, unknown>>,
  modelOptions: OptionSchema,
  base: { training?: Record<string, unknown>; model?: Record<string, unknown> } = {},
): SearchPointOptions {
  // Shallow copies: nested objects are copied on the way down, so `base` is never changed (and may hold blocks).
  const out: SearchPointOptions = { training: { ...base.training }, model: { ...base.model } };
  for (const [key, value] of Object.entries(point)) {
    const resolved = resolveSearchKey(key, modelOptions);
    if (!resolved) throw new ConfigError(`search point: "${key}" is not a training option nor an option of the model`, key);
    const path = key.split('.');
    let target: Record<string, unknown> = out[resolved.target];
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = target[part] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
    }
    target[path[path.length - 1]!] = value;
  }
  return out;
}
