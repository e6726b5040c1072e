import type { NormalisedSpec, NormalisedSplitRule, SplitName } from '../spec/normalised-spec.js';

/**
 * Decides the split of every data row: a row of a `from` file goes to validation or test when its row index
 * matches that split's rule (`i % everyNth` in the offsets), and otherwise stays in its file's split.
 */
export class SplitAssigner {
  private readonly rules: Array<{ target: SplitName; rule: NormalisedSplitRule }>;

  constructor(split: NormalisedSpec['split']) {
    this.rules = (['validation', 'test'] as const).flatMap((target) => (split[target] ? [{ target, rule: split[target]! }] : []));
  }

  /** The split of row `rowIndex` (counted from 0 over the files of `fileSplit`, in order). */
  assign(fileSplit: SplitName, rowIndex: number): SplitName {
    for (const { target, rule } of this.rules) {
      if (rule.from === fileSplit && rule.offsets.includes(rowIndex % rule.everyNth)) return target;
    }
    return fileSplit;
  }

  /** The file splits whose rows can land in `target` (its own files, and the `from` of a rule producing it). */
  sourcesOf(target: SplitName, filesOf: (split: SplitName) => boolean): SplitName[] {
    const sources = new Set<SplitName>();
    if (filesOf(target)) sources.add(target);
    for (const { target: t, rule } of this.rules) if (t === target) sources.add(rule.from);
    return [...sources];
  }
}
