import { tmpdir } from 'node:os';
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import type { DuckDBOptions } from './duckdb-options.js';
import { loadDuckDB } from './duckdb-module.js';
import { DatasetError } from '../errors/dataset-error.js';
import { sqlString } from './sql-text.js';

/**
 * One in-memory DuckDB database and connection for one pass over a dataset: relative paths in queries resolve
 * against `baseDir` (the spec file's folder), and threads and memory are capped so that reading shares the
 * machine with training. Close it when the pass ends (a `finally`), also when the pass is abandoned.
 */
export class DuckDBSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /**
   * Opens a session; fails with a `ConfigError` naming `need` and the install command when DuckDB is missing.
   *
   * @param baseDir the folder relative paths in SQL resolve against
   * @param options threads and memory
   * @param need the spec key (or option) that asked for DuckDB, for the install hint
   */
  static async open(baseDir: string, options: DuckDBOptions, need: { key: string; file?: string }): Promise<DuckDBSession> {
    const { DuckDBInstance } = await loadDuckDB(need);
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new DatasetError(`duckdb.threads must be an integer >= 1, not ${threads}`);
    const instance = await DuckDBInstance.create(':memory:', {
      threads: String(threads),
      memory_limit: options.memoryLimit ?? '512MB',
      temp_directory: options.tempDirectory ?? tmpdir(),
    });
    try {
      const connection = await instance.connect();
      await connection.run(`SET file_search_path = ${sqlString(baseDir)}`);
      return new DuckDBSession(instance, connection);
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }

  /** Runs a statement and streams its result in DuckDB's chunks (2048 rows each). */
  stream(sql: string): Promise<DuckDBResult> {
    return this.connection.stream(sql);
  }

  /** Runs a statement and returns all its rows (for small results: glob listings, metadata). */
  async rows(sql: string): Promise<unknown[][]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRows() as unknown[][];
  }

  /** Runs a statement for its effect. */
  async run(sql: string): Promise<void> {
    await this.connection.run(sql);
  }

  /** The underlying connection, for writers (appenders). */
  get duckdb(): DuckDBConnection {
    return this.connection;
  }

  /** Closes the connection and the database. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
