/**
 * tfjs rewrites every string VALUE of a layer config when a model is saved and loaded (not only the keys):
 * `toSnakeCase` on save lowercases and inserts underscores (`CTR` → `ctr`, `clickRate` → `click_rate`), and
 * `toCamelCase` on load removes underscores (`click_through` → `clickThrough`). Task names and record keys in a
 * block's config would come back changed. Escaping the two characters involved, uppercase letters and `_`,
 * makes every string survive both rewrites; strings without them (activations, most keys) are unchanged.
 *
 * Escapes: an uppercase letter `X` → `~x`, `_` → `~-`, `~` → `~~`.
 */
import type { ConfigDict, ConfigValue } from './tfjs-types.js';

/** Keys of the base tfjs Layer config, which tfjs itself reads and which stay as they are. */
const TFJS_LAYER_KEYS = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'batchSize', 'inputShape', 'inputDtype', 'weights']);

/** Escapes a string so that tfjs' snake/camel rewriting leaves it as is. */
export function escapeConfigString(value: string): string {
  return /[A-Z_~]/.test(value) ? value.replace(/[A-Z_~]/g, (c) => (c === '_' ? '~-' : c === '~' ? '~~' : `~${c.toLowerCase()}`)) : value;
}

/** Reverses {@link escapeConfigString}. */
export function unescapeConfigString(value: string): string {
  return value.includes('~')
    ? value.replace(/~([a-z]|-|~)/g, (_m, c: string) => (c === '-' ? '_' : c === '~' ? '~' : c.toUpperCase()))
    : value;
}

function mapStrings(value: ConfigValue, fn: (s: string) => string): ConfigValue {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

/** A block config with every string value escaped, except the base tfjs Layer fields. */
export function escapeConfigStrings(config: ConfigDict): ConfigDict {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, TFJS_LAYER_KEYS.has(k) ? v : mapStrings(v, escapeConfigString)]));
}

/** Reverses {@link escapeConfigStrings}. */
export function unescapeConfigStrings(config: ConfigDict): ConfigDict {
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, TFJS_LAYER_KEYS.has(k) ? v : mapStrings(v, unescapeConfigString)]));
}
