/**
 * Keys of the per-task representation record that blocks read and write.
 *
 * - `$input`: the embedded features, `[batch, d]`, what a backbone reads.
 * - `<task>`: a task's representation, `[batch, d]`, the unit of composition.
 * - `prob:<name>`: a probability output `[batch, 1]` (a task's, or an auxiliary head's such as `income/original`).
 * - `diag:<name>`: a diagnostic output (gate weights, task similarities), never part of a loss.
 * Blocks may add their own intermediate keys (`routed:<task>`, `transmitted:<task>`).
 */
export const INPUT_KEY = '$input';

/** Key of the probability output of a task or auxiliary head. */
export function probKey(name: string): string {
  return `prob:${name}`;
}

/** Key of a diagnostic output. */
export function diagKey(name: string): string {
  return `diag:${name}`;
}

/** Keys that become model outputs: probabilities and diagnostics. */
export function isOutputKey(key: string): boolean {
  return key.startsWith('prob:') || key.startsWith('diag:');
}
