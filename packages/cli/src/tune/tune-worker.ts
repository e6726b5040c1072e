/**
 * The entry of an `ektm tune` worker process (`dist/tune-worker.js`, started by `--workers W` with `child_process.fork`):
 * it loads the training and validation splits once, with its own TensorFlow.js engine, then trains the trial runs it
 * is sent, one at a time, and sends each record back. It ignores SIGINT (the parent decides when to stop, and kills it)
 * and exits when the parent goes away.
 */
import { initEngine } from '@ektm/core';
import { MODELS } from '../models/models.js';
import { runTrial, type TrialContext } from './run-trial.js';
import { loadTuningData } from './tuning-data.js';
import type { WorkerError, WorkerInit, WorkerJob, WorkerReply } from './worker-messages.js';

function send(reply: WorkerReply): void {
  process.send?.(reply);
}

function describe(error: unknown): WorkerError {
  const e = error as { kind?: unknown; message?: unknown; key?: unknown; file?: unknown; line?: unknown };
  return {
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.kind === 'string' ? { kind: e.kind } : {}),
    ...(typeof e?.key === 'string' ? { key: e.key } : {}),
    ...(typeof e?.file === 'string' ? { file: e.file } : {}),
    ...(typeof e?.line === 'number' ? { line: e.line } : {}),
  };
}

process.on('SIGINT', () => undefined);
process.on('disconnect', () => process.exit(0));

let context: Promise<TrialContext> | undefined;
// Runs are done in the order they arrive, one at a time.
let queue: Promise<void> = Promise.resolve();

process.on('message', (message: WorkerInit | WorkerJob) => {
  if (message.type === 'init') {
    context = (async () => {
      const engine = await initEngine({ quiet: true });
      const dataset = await loadTuningData(message.source);
      send({ type: 'ready', backend: engine.backend });
      return { ...message, dataset, registry: MODELS };
    })();
    // The parent stops the worker when it learns that loading failed.
    context.catch((error: unknown) => send({ type: 'error', error: describe(error) }));
    return;
  }
  const ready = context;
  if (!ready) return;
  queue = queue.then(async () => {
    try {
      send({ type: 'result', record: await runTrial(await ready, message.job) });
    } catch (error) {
      send({ type: 'error', error: describe(error) });
    }
  });
});
