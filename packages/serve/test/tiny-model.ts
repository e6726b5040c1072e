/**
 * Test fixtures: a tiny model trained for a few steps on the seeded simulator and saved with its preprocessing,
 * and raw instances as a client sends them (numbers for numeric columns, strings for categorical ones).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel, train } from '@ektm/core';
import { loadDataset, simulate, type RawRecord, type RecordField } from '@ektm/datasets';
import { buildEktm } from '@ektm/model';

/** The simulator of every fixture (small and seeded). */
export const TINY_SIMULATOR = { seed: 5, trainRows: 800, validationRows: 200, testRows: 400 };

/** Trains a tiny EKTM model for a few steps and saves it (with preprocessing) under a new temporary folder. */
export async function saveTinyModel(name = 'tiny', seed = 0): Promise<string> {
  const data = await loadDataset('synthetic', { simulator: TINY_SIMULATOR });
  const model = buildEktm({ features: data.features, tasks: data.tasks, seed, embeddingDim: 4 });
  try {
    await train(model, { train: data.splits.train, epochs: 1, batchSize: 200, seed, progress: 'none' });
    const dir = join(mkdtempSync(join(tmpdir(), 'ektm-serve-')), name);
    await saveModel(model, dir, { preprocessing: data.preprocessor.toJSON() });
    return dir;
  } finally {
    model.dispose();
  }
}

/** The simulator's test rows as JSON instances for the given record fields (labels left out). */
export function tinyInstances(fields: readonly RecordField[], count: number): RawRecord[] {
  const sim = simulate(TINY_SIMULATOR);
  const rows = sim.splits.test.rows;
  const out: RawRecord[] = [];
  for (let i = 0; i < count; i++) {
    const row = rows[i % rows.length]!;
    const record: RawRecord = {};
    for (const f of fields) {
      const text = row[sim.columns.indexOf(f.key)]!;
      record[f.key] = f.type === 'numeric' ? Number(text) : text;
    }
    out.push(record);
  }
  return out;
}
