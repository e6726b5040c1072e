import type { OptionSpec } from '../cli/command-spec.js';
import { UsageError } from '../cli/usage-error.js';

/** The default `--memory-budget`: datasets estimated larger than this are streamed from disk. */
export const DEFAULT_MEMORY_BUDGET = 1e9;

/** `--memory-budget`, shared by every command that reads a dataset. */
export const MEMORY_BUDGET_OPTION: OptionSpec = {
  name: 'memory-budget',
  type: 'string',
  valueName: '<size>',
  description: 'data held in memory at most (512MB, 4GB, 2GiB); a dataset estimated larger is streamed from disk',
  defaultText: '1GB',
};

const UNITS: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, ki: 2 ** 10, mi: 2 ** 20, gi: 2 ** 30, ti: 2 ** 40 };

/** Parses `--memory-budget` (`512MB`, `4GB`, `2GiB`, `1.5G`, a byte count) into bytes; a bad value is a usage error. */
export function parseMemoryBudget(command: string, value: unknown): number {
  if (value === undefined) return DEFAULT_MEMORY_BUDGET;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?\s*$/i.exec(
    typeof value === 'string' || typeof value === 'number' ? String(value) : '',
  );
  const bytes = match ? Number(match[1]) * UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
  if (!(bytes >= 1e3)) {
    throw new UsageError(
      `ektm ${command}: --memory-budget ${JSON.stringify(value)} is not allowed; use a size of at least 1kB such as 512MB, 4GB or 2GiB`,
      command,
    );
  }
  return bytes;
}

/** Bytes as a short size (`1.2 GB`, `850 MB`). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.round(bytes / 1e3)} kB`;
}
