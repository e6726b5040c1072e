import { ConfigError } from '../errors/config-error.js';
import { closestName } from '../util/closest-name.js';

/**
 * The type of an option value:
 * - `number` (finite), `integer`, `boolean`, `string`;
 * - `number[]`, `integer[]`, `string[]`: arrays of those (`min`/`max` bound every element);
 * - `object`: a plain object; with `fields`, its keys are checked as a nested schema (dotted paths `router.temperature`);
 * - `array`: any array (feature and task lists, block lists);
 * - `block`: a `TaskBlock` or a block factory (an object or a function), for options that take your own block;
 * - `function`: a function (callbacks);
 * - `any`: not checked.
 */
export type OptionType =
  'number' | 'integer' | 'boolean' | 'string' | 'number[]' | 'integer[]' | 'string[]' | 'object' | 'array' | 'block' | 'function' | 'any';

/** Documentation and checks of one option of a model builder (or of training). */
export interface OptionDoc {
  /** The value's type, or several allowed types (`['string', 'block']`: a backbone name or your own block). */
  readonly type: OptionType | readonly OptionType[];
  /** One or two sentences: what the option does. */
  readonly doc: string;
  /** The default as a JSON value, shown in docs. Leave out when the default depends on the data (use `defaultText`). */
  readonly default?: unknown;
  /** The default in words, when it is not a constant (`'the funnel of the task set'`). */
  readonly defaultText?: string;
  /** The only values allowed for a string, number or boolean value (an error lists them). */
  readonly choices?: readonly (string | number | boolean)[];
  /** Smallest allowed number (or array element). */
  readonly min?: number;
  /** Whether `min` itself is excluded. Default false. */
  readonly exclusiveMin?: boolean;
  /** Largest allowed number (or array element). */
  readonly max?: number;
  /** Whether `max` itself is excluded. Default false. */
  readonly exclusiveMax?: boolean;
  /** `object` options: the schema of its keys; unknown keys are rejected. */
  readonly fields?: OptionSchema;
  /** Whether a search space may tune it. Default true; false for data (features, tasks), names, seeds and blocks. */
  readonly tunable?: boolean;
}

/** The options of a builder by key: every key it accepts, with its type, default and documentation. */
export type OptionSchema = Readonly<Record<string, OptionDoc>>;

/**
 * A schema that documents exactly the keys of `Options` (minus `Omit` keys, e.g. the common ones): use it with
 * `satisfies` so that the compiler fails when an option is added to the interface and not to the schema, or back.
 *
 * ```ts
 * export const MMOE_OPTION_SCHEMA = { experts: { type: 'integer', min: 1, default: 4, doc: '...' }, ... } satisfies OptionSchemaFor<MmoeOptions, keyof BaselineOptions>;
 * ```
 */
export type OptionSchemaFor<Options, Omit extends PropertyKey = never> = {
  readonly [K in Exclude<keyof Options, Omit>]-?: OptionDoc;
};

function typesOf(doc: OptionDoc): readonly OptionType[] {
  return typeof doc.type === 'string' ? [doc.type] : doc.type;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchesType(type: OptionType, value: unknown): boolean {
  switch (type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v));
    case 'integer[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v));
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'block':
      return typeof value === 'function' || isPlainObject(value);
    case 'function':
      return typeof value === 'function';
    case 'any':
      return true;
  }
}

function describeType(type: OptionType): string {
  const words: Record<OptionType, string> = {
    number: 'a finite number',
    integer: 'an integer',
    boolean: 'true or false',
    string: 'a string',
    'number[]': 'an array of numbers',
    'integer[]': 'an array of integers',
    'string[]': 'an array of strings',
    object: 'an object',
    array: 'an array',
    block: 'a block or a block factory',
    function: 'a function',
    any: 'any value',
  };
  return words[type];
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function rangeText(doc: OptionDoc): string {
  const parts: string[] = [];
  if (doc.min !== undefined) parts.push(`${doc.exclusiveMin ? '>' : '>='} ${doc.min}`);
  if (doc.max !== undefined) parts.push(`${doc.exclusiveMax ? '<' : '<='} ${doc.max}`);
  return parts.join(' and ');
}

function inRange(doc: OptionDoc, n: number): boolean {
  if (doc.min !== undefined && (doc.exclusiveMin ? n <= doc.min : n < doc.min)) return false;
  if (doc.max !== undefined && (doc.exclusiveMax ? n >= doc.max : n > doc.max)) return false;
  return true;
}

/** What is wrong with an option's value, and where inside it. */
export interface OptionValueProblem {
  /** The key path inside the value (`units[1]`), empty for the value itself. */
  path: string;
  /** What is wrong, for the error message. */
  message: string;
}

/**
 * Why `value` is not allowed for an option, or undefined when it is. Checks the type, the choices, the range (of a
 * number or of every element of a number array) and, for an object with `fields`, every nested key (the message
 * then starts with the nested path, e.g. `units: ...`).
 */
export function optionValueProblem(doc: OptionDoc, value: unknown): OptionValueProblem | undefined {
  const types = typesOf(doc);
  const type = types.find((t) => matchesType(t, value));
  if (type === undefined) {
    return { path: '', message: `${show(value)} is not allowed; it must be ${types.map(describeType).join(' or ')}` };
  }
  const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (doc.choices && primitive && !doc.choices.includes(value)) {
    return { path: '', message: `${show(value)} is not allowed; use one of ${doc.choices.map((c) => show(c)).join(', ')}` };
  }
  const numbers = typeof value === 'number' ? [value] : type.endsWith('[]') && type !== 'string[]' ? (value as number[]) : [];
  const outside = numbers.find((n) => !inRange(doc, n));
  if (outside !== undefined) {
    const what = typeof value === 'number' ? 'it' : 'every element';
    return { path: '', message: `${show(value)} is not allowed; ${what} must be ${rangeText(doc)}` };
  }
  if (type === 'object' && doc.fields) {
    const problem = objectProblem(doc.fields, value as Record<string, unknown>);
    if (problem) return problem;
  }
  return undefined;
}

function objectProblem(schema: OptionSchema, value: Record<string, unknown>): { path: string; message: string } | undefined {
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const doc = schema[key];
    if (!doc) {
      const guess = closestName(key, Object.keys(schema));
      return {
        path: key,
        message: `unknown option${guess ? ` (did you mean "${guess}"?)` : ''}; options are ${Object.keys(schema).join(', ')}`,
      };
    }
    const problem = optionValueProblem(doc, v);
    if (problem) return { path: problem.path ? `${key}.${problem.path}` : key, message: problem.message };
  }
  return undefined;
}

/**
 * Checks an options object against a schema: every key must be in the schema (a misspelt key is a
 * {@link ConfigError} naming it, with the closest known key), and every value must have the schema's type, choice
 * and range; `undefined` values count as absent. `where` starts the message (`buildMmoe`, `mmoe`).
 *
 * @throws ConfigError with `key` set to the (dotted) option path at fault.
 */
export function validateOptions(schema: OptionSchema, options: unknown, where: string): void {
  if (!isPlainObject(options)) throw new ConfigError(`${where}: options must be an object, got ${show(options)}`);
  const problem = objectProblem(schema, options);
  if (problem) throw new ConfigError(`${where}: option ${problem.path}: ${problem.message}`, problem.path);
}

/**
 * Checks only that every key of an options object (and of its nested objects with `fields`) is in the schema, for
 * functions that check values themselves: a misspelt key (`batchsize`) is a ConfigError naming it and the closest
 * known key, instead of being ignored.
 *
 * @throws ConfigError with `key` set to the dotted path of the unknown key.
 */
export function rejectUnknownKeys(schema: OptionSchema, options: unknown, where: string, prefix = ''): void {
  if (!isPlainObject(options)) return;
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const doc = schema[key];
    if (!doc) {
      const guess = closestName(key, Object.keys(schema));
      throw new ConfigError(
        `${where}: unknown option ${prefix}${key}${guess ? ` (did you mean ${prefix}${guess}?)` : ''}; options are ${Object.keys(schema).join(', ')}`,
        `${prefix}${key}`,
      );
    }
    if (doc.fields) rejectUnknownKeys(doc.fields, value, where, `${prefix}${key}.`);
  }
}

/** The doc of a dotted option path (`enhancer.enhancementWeight`) in a schema, through `fields`; undefined when absent. */
export function optionAt(schema: OptionSchema, path: string): OptionDoc | undefined {
  const [head, ...rest] = path.split('.');
  const doc = schema[head!];
  if (!doc || rest.length === 0) return doc;
  return doc.fields ? optionAt(doc.fields, rest.join('.')) : undefined;
}

/** Every option path of a schema, nested fields as dotted paths, in schema order (parents before their fields). */
export function optionPaths(schema: OptionSchema, prefix = ''): string[] {
  return Object.entries(schema).flatMap(([key, doc]) => [
    `${prefix}${key}`,
    ...(doc.fields ? optionPaths(doc.fields, `${prefix}${key}.`) : []),
  ]);
}
