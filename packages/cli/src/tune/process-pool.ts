import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, DataError, InterruptedError } from '@ektm/core';
import type { TrialJob } from './run-trial.js';
import type { TrialExecutor } from './trial-executor.js';
import type { TrialRecord } from './trial-record.js';
import type { WorkerError, WorkerInit, WorkerReply } from './worker-messages.js';

/**
 * The worker script: `tune-worker.js` beside the built code, or, when this module runs from its TypeScript source
 * (tests), the package's built one in `dist/`.
 */
function tuneWorkerScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'tune-worker.js'), join(here, '..', '..', 'dist', 'tune-worker.js')];
  const found = candidates.find((path) => existsSync(path));
  if (!found)
    throw new Error(`the tune worker script is missing (looked for ${candidates.join(', ')}); build @ektm/cli first (npm run build)`);
  return found;
}

/** The error a worker reported, as the kind of error it was (so that the exit code is the same as in one process). */
function errorFrom(reported: WorkerError): Error {
  if (reported.kind === 'config') return new ConfigError(reported.message, reported.key, reported.file);
  if (reported.kind === 'data') return new DataError(reported.message, { file: reported.file, line: reported.line });
  return new Error(reported.message);
}

interface Slot {
  child: ChildProcess;
  ready: Promise<void>;
  busy?: { job: TrialJob; resolve: (record: TrialRecord) => void; reject: (error: Error) => void };
  /** The last lines the worker wrote to stderr (shown when it dies). */
  stderr: string;
}

/**
 * `--workers W`: W worker processes, each with its own TensorFlow.js engine and its own copy of the training and
 * validation splits, each training one trial run at a time. Since every run is seeded and trains from scratch, a
 * record is the same whichever worker trained it. A worker that dies during a run (out of memory, killed) gives that
 * run a `failed` record and is replaced; {@link ProcessPoolExecutor.stop} kills them all at once.
 */
export class ProcessPoolExecutor implements TrialExecutor {
  private readonly pool: Slot[] = [];
  private readonly waiting: Array<{ job: TrialJob; resolve: (record: TrialRecord) => void; reject: (error: Error) => void }> = [];
  private stopped = false;
  private failure: Error | undefined;

  constructor(
    /** Number of worker processes. */
    readonly slots: number,
    private readonly init: WorkerInit,
    private readonly script: string = tuneWorkerScript(),
  ) {
    for (let i = 0; i < slots; i++) this.pool.push(this.spawn());
  }

  /** Resolves when every worker has loaded its data; rejects with the first worker's error (a bad dataset). */
  async ready(): Promise<void> {
    await Promise.all(this.pool.map((slot) => slot.ready));
  }

  private spawn(): Slot {
    const child = fork(this.script, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Only the heap limit is passed on (a test runner's loaders and inspector flags are not).
      execArgv: process.execArgv.filter((arg) => arg.startsWith('--max-old-space-size')),
      env: { ...process.env, EKTM_QUIET: '1' },
    });
    let markReady: () => void = () => undefined;
    let failReady: (error: Error) => void = () => undefined;
    const slot: Slot = {
      child,
      stderr: '',
      ready: new Promise<void>((resolve, reject) => {
        markReady = resolve;
        failReady = reject;
      }),
    };
    slot.ready.catch(() => undefined);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      slot.stderr = (slot.stderr + chunk).slice(-2000);
    });
    child.on('message', (reply: WorkerReply) => {
      if (reply.type === 'ready') markReady();
      else if (reply.type === 'result') this.finish(slot, reply.record);
      else {
        const error = errorFrom(reply.error);
        failReady(error);
        this.fail(error);
      }
    });
    child.on('error', (error) => {
      failReady(error);
      this.fail(error);
    });
    child.on('exit', (code, signal) => {
      const why = `a tune worker exited (${signal ?? `code ${code}`})${slot.stderr.trim() ? `: ${slot.stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
      failReady(new Error(why));
      if (this.stopped) return;
      const busy = slot.busy;
      const index = this.pool.indexOf(slot);
      if (index >= 0) this.pool.splice(index, 1);
      if (busy) {
        slot.busy = undefined;
        busy.resolve(crashRecord(busy.job, why));
        // The run is recorded as failed; a fresh worker takes its place.
        const fresh = this.spawn();
        this.pool.push(fresh);
        fresh.ready.then(
          () => this.dispatch(),
          (error: Error) => this.fail(error),
        );
      } else {
        this.fail(new Error(why));
      }
    });
    child.send(this.init);
    return slot;
  }

  run(job: TrialJob): Promise<TrialRecord> {
    if (this.stopped) return Promise.reject(new InterruptedError('the search was stopped'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<TrialRecord>((resolve, reject) => {
      this.waiting.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.pool) {
      if (slot.busy || this.waiting.length === 0) continue;
      const next = this.waiting.shift()!;
      slot.busy = next;
      slot.ready.then(
        () => slot.child.send({ type: 'job', job: next.job }),
        () => undefined,
      );
    }
  }

  private finish(slot: Slot, record: TrialRecord): void {
    const busy = slot.busy;
    slot.busy = undefined;
    busy?.resolve(record);
    this.dispatch();
  }

  /** A worker could not load the data or start: every run fails with that error. */
  private fail(error: Error): void {
    if (this.failure || this.stopped) return;
    this.failure = error;
    for (const slot of this.pool) {
      slot.busy?.reject(error);
      slot.busy = undefined;
    }
    for (const w of this.waiting.splice(0)) w.reject(error);
    this.killAll();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    const interrupted = new InterruptedError('the search was stopped');
    for (const slot of this.pool) {
      slot.busy?.reject(interrupted);
      slot.busy = undefined;
    }
    for (const w of this.waiting.splice(0)) w.reject(interrupted);
    this.killAll();
  }

  private killAll(): void {
    for (const slot of this.pool) if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      this.pool.map(
        (slot) =>
          new Promise<void>((resolve) => {
            if (slot.child.exitCode !== null || slot.child.signalCode !== null) return resolve();
            slot.child.once('exit', () => resolve());
            slot.child.kill('SIGKILL');
          }),
      ),
    );
  }
}

/** The record of a run whose worker died. */
function crashRecord(job: TrialJob, why: string): TrialRecord {
  return {
    type: 'trial',
    ...job,
    status: 'failed',
    score: null,
    validation: null,
    epochs: 0,
    bestEpoch: null,
    bestStep: null,
    stoppedEarly: false,
    curve: [],
    seconds: 0,
    error: why,
    finishedAt: new Date().toISOString(),
  };
}
