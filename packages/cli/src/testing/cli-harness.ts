/**
 * Running `ektm` in a test: a scratch folder for the test file, the CLI run in this process with captured io or spawned
 * as the built executable, and the tiny simulated dataset specs the commands are given. One copy, so that every
 * command test runs the CLI the same way (the same quiet environment, the same timeout, the same spec file shape).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SimulatorOptions } from '@ektm/datasets';
import { afterAll } from 'vitest';
import { captureIo } from '../cli/io.js';
import { run } from '../cli/run.js';

/** The folder of the @ektm/cli package (this file is src/testing/cli-harness.ts). */
const CLI_PACKAGE = resolve(fileURLToPath(import.meta.url), '../../..');

/** The committed executable a user runs (`npx ektm`): bin/ektm.js, which runs the build in dist/. */
export const EKTM_BIN = join(CLI_PACKAGE, 'bin', 'ektm.js');

/** The built entry point itself (dist/bin.js, made by `npm test`'s build step), without bin/ektm.js's build check. */
export const BUILT_BIN = join(CLI_PACKAGE, 'dist', 'bin.js');

/** What one run of the CLI returned and printed. */
export interface CliOutcome {
  /** The exit code (null when a spawned process was ended by a signal or its timeout). */
  readonly code: number | null;
  /** Everything written to stdout. */
  readonly out: string;
  /** Everything written to stderr. */
  readonly err: string;
}

/** Options of one in-process run (the working folder is the harness's). */
export interface InProcessRun {
  /** Text on standard input. Default: none. */
  stdin?: string;
  /** The environment the command sees. Default: `{}` (not the test process's). */
  env?: Record<string, string>;
  /** Stops a long command as Ctrl-C does. Default: none. */
  signal?: AbortSignal;
}

/** A folder of its own for one test file, made now and removed with everything in it after the file's tests. */
export function scratchFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** `ektm <argv>` run in this process with `cwd` as its working folder, its output captured. */
export function inProcessCli(cwd: string): (argv: string[], options?: InProcessRun) => Promise<CliOutcome & { code: number }> {
  return async (argv, options = {}) => {
    const io = captureIo({ ...options, cwd });
    const code = await run(argv, io);
    return { code, out: io.out(), err: io.err() };
  };
}

/** The environment of a spawned `ektm`: the test process's, with progress output off (EKTM_QUIET), plus `extra`. */
export function spawnEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, EKTM_QUIET: '1', ...extra };
}

/** `ektm <args>` spawned as a user runs it (`executable` is {@link EKTM_BIN} or {@link BUILT_BIN}), waited for (5 minutes at most). */
export function spawnedCli(cwd: string, executable: string): (args: string[]) => CliOutcome {
  return (args) => {
    const result = spawnSync(process.execPath, [executable, ...args], { cwd, encoding: 'utf8', env: spawnEnv(), timeout: 300_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
}

/** Fields of a simulated dataset spec besides its simulator settings. */
export interface SimulatedSpec {
  /** The dataset's name, and the spec file's (`<name>.json`). Default `tiny`. */
  name?: string;
  /** The task set the commands use when none is given. Default: the spec names none. */
  defaultTaskSet?: string;
}

/**
 * Writes `<dir>/<name>.json`, a dataset spec of the simulator with these settings (small sizes keep a command test
 * fast), and returns its path.
 */
export function writeSimulatedSpec(dir: string, simulator: SimulatorOptions, spec: SimulatedSpec = {}): string {
  const name = spec.name ?? 'tiny';
  const path = join(dir, `${name}.json`);
  const defaultTaskSet = spec.defaultTaskSet === undefined ? {} : { defaultTaskSet: spec.defaultTaskSet };
  writeFileSync(path, JSON.stringify({ name, synthetic: simulator, ...defaultTaskSet }));
  return path;
}
