import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '@ektm/core';
import { tempDir } from '../../test/temp-dir.js';
import { loadDataset } from '../index.js';
import type { DatasetSpec } from '../index.js';

// As on a machine where the optional peer was never installed.
vi.mock('@duckdb/node-api', () => {
  throw new Error("Cannot find package '@duckdb/node-api'");
});

const files = tempDir();
files.write('rows.csv', 'a,label\nx,1\ny,0\n');
const spec = (train: string): DatasetSpec => ({
  name: 'peer',
  files: { train, validation: 'rows.csv' },
  features: [{ column: 'a', type: 'categorical' }],
  tasks: [{ name: 'label', column: 'label' }],
});

describe('without @duckdb/node-api', () => {
  it('text files still load (DuckDB is only imported for Parquet, JSON, globs and queries)', async () => {
    expect((await loadDataset(spec('rows.csv'), { baseDir: files.dir })).splits.train.rows).toBe(2);
  });

  it('a Parquet entry fails with a ConfigError naming the spec key and the install command', async () => {
    const error = await loadDataset(spec('logs/*.parquet'), { baseDir: files.dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('files.train');
    expect((error as Error).message).toMatch(
      /^files\.train: reading Parquet, JSON, glob patterns and SQL queries needs DuckDB, which could not be loaded \(.*\); install it with: npm install @duckdb\/node-api@1\.5\.6-r\.1$/,
    );
  });
});
