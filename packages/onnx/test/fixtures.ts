/** Shared by the parity tests: tiny simulated data (raw rows and their encoding) and a few training steps. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, type EncodedTable, type MultiTaskModel } from '@ektm/core';
import { loadDataset, simulate, type LoadedDataset, type RawRecord } from '@ektm/datasets';

/** The simulator's size for every parity test: a few hundred rows, so that a model trains in two steps. */
const SIMULATOR = { seed: 5, trainRows: 256, validationRows: 64, testRows: 160 };

let data: Promise<LoadedDataset> | undefined;

/** The simulated dataset (features, tasks, splits, fitted preprocessor), loaded once per test file. */
export function tinyData(): Promise<LoadedDataset> {
  data ??= loadDataset('synthetic', { simulator: SIMULATOR });
  return data;
}

/** Raw test rows of the simulator as records keyed by column name, as a service receives them. */
export function rawRecords(count = SIMULATOR.testRows): RawRecord[] {
  const sim = simulate(SIMULATOR);
  return sim.splits.test.rows.slice(0, count).map((row) => Object.fromEntries(sim.columns.map((c, i) => [c, row[i]])));
}

/** A couple of Adam steps, so that no weight is left at its initial value. */
export async function trainBriefly(model: MultiTaskModel, table: EncodedTable): Promise<void> {
  await train(model, { train: table, epochs: 1, batchSize: 128, learningRate: 0.01, progress: 'none' });
}

/** A fresh temporary folder, removed by the returned function. */
export function tempFolder(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
