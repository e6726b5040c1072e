import type { PositiveRule } from '../spec/dataset-spec.js';
import { DatasetError } from '../errors/dataset-error.js';
import { parseDecimal } from '../parse/parse-number.js';

/** Turns a present (non-missing) raw value into a label; throws a `DatasetError` when the value cannot be one. */
export type LabelRule = (value: string) => number;

/**
 * Compiles a task's positive rule. String rules compare the trimmed value; numeric rules (`greaterThan`,
 * `equals` with a number) need the value to be a number and report it otherwise, so that a typo in the
 * data is never read as a negative label. Without a rule the value must be 0 or 1 (any number for `mse`).
 */
export function compileLabelRule(rule: PositiveRule | undefined, loss: 'bce' | 'mse' = 'bce'): LabelRule {
  if (rule === undefined) {
    return (value) => {
      const n = parseDecimal(value);
      if (loss === 'mse' ? Number.isNaN(n) : n !== 0 && n !== 1) {
        throw new DatasetError(`${JSON.stringify(value)} is not ${loss === 'mse' ? 'a number' : 'a 0/1 label'}`);
      }
      return n;
    };
  }
  const numeric = (value: string): number => {
    const n = parseDecimal(value);
    if (Number.isNaN(n)) throw new DatasetError(`${JSON.stringify(value)} is not a number (the label rule compares numbers)`);
    return n;
  };
  if ('equals' in rule) {
    const target = rule.equals;
    if (typeof target === 'number') return (value) => (numeric(value) === target ? 1 : 0);
    return (value) => (value === target ? 1 : 0);
  }
  if ('startsWith' in rule) {
    const prefix = rule.startsWith;
    return (value) => (value.startsWith(prefix) ? 1 : 0);
  }
  if ('greaterThan' in rule) {
    const limit = rule.greaterThan;
    return (value) => (numeric(value) > limit ? 1 : 0);
  }
  const strings = new Set(rule.in.filter((v): v is string => typeof v === 'string'));
  const numbers = new Set(rule.in.filter((v): v is number => typeof v === 'number'));
  return (value) => {
    if (strings.has(value)) return 1;
    if (numbers.size === 0) return 0;
    const n = parseDecimal(value);
    return numbers.has(n) ? 1 : 0;
  };
}

/** A rule in words, for `describeDataset` and reports. */
export function describeRule(column: string, rule: PositiveRule | undefined): string {
  if (rule === undefined) return `${column} (already 0/1)`;
  if ('equals' in rule) return `${column} == ${JSON.stringify(rule.equals)}`;
  if ('startsWith' in rule) return `${column} starts with ${JSON.stringify(rule.startsWith)}`;
  if ('greaterThan' in rule) return `${column} > ${rule.greaterThan}`;
  return `${column} in ${JSON.stringify(rule.in)}`;
}
