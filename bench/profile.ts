/**
 * Where a training step's time goes, per kernel and phase (forward, backward, Adam update, inference).
 * Wraps every kernel registered for the active backend with a timer (tfjs' own profiler reads tensors back
 * and is far too slow at this size). `node bench/dist/profile.mjs [--model mmoe|ektm] [--steps 5] [--shapes]`
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernelsForBackend, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { createFusedAdam, initEngine } from '@ektm/core';
import { buildBenchmarkModel, totalLoss, undoIssue7Changes } from './throughput.js';
import { syntheticBatches } from './synthetic-batches.js';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => (args.includes(`--${n}`) ? args[args.indexOf(`--${n}`) + 1]! : d);
const withShapes = args.includes('--shapes');
/** CPU time of this process in ms: less disturbed than wall time when other jobs share the two cores. */
const useWall = args.includes('--wall');
const now = (): number => {
  if (useWall) return performance.now();
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const steps = Number(arg('steps', '5'));
const kind = arg('model', 'mmoe') as 'mmoe' | 'ektm';

await initEngine({ quiet: true, wasmThreads: Number(arg('threads', '1')) });
const baseline = args.includes('--baseline');
if (baseline) undoIssue7Changes();
let phase = 'setup';
const totals = new Map<string, { ms: number; calls: number }>();
let depth = 0;
for (const config of getKernelsForBackend(tf.getBackend())) {
  const inner = config.kernelFunc;
  unregisterKernel(config.kernelName, config.backendName);
  registerKernel({
    ...config,
    kernelFunc: (p) => {
      if (depth > 0) return inner(p); // a kernel calling kernels: count the outer one only
      depth++;
      const t = now();
      try {
        return inner(p);
      } finally {
        depth--;
        const ms = now() - t;
        const shapes = withShapes ? ' ' + Object.values(p.inputs).map((x) => `[${(x as tf.TensorInfo)?.shape}]`).join('') + JSON.stringify(Object.fromEntries(Object.entries(p.attrs ?? {}).filter(([k]) => k.startsWith('transpose')))) : '';
        const key = `${phase}\t${config.kernelName}${shapes}`;
        const e = totals.get(key) ?? { ms: 0, calls: 0 };
        e.ms += ms;
        e.calls++;
        totals.set(key, e);
      }
    },
  });
}

const { model } = await buildBenchmarkModel(kind, 20, 10_000);
const rows = 2048;
const batches = syntheticBatches(4, rows, 20, 10_000).map((b) => ({
  ids: tf.tensor2d(b.ids, [rows, 20], 'int32'),
  labels: { task0: tf.tensor1d(b.labels[0]!), task1: tf.tensor1d(b.labels[1]!) },
  masks: { task0: tf.ones([rows]) as tf.Tensor1D, task1: tf.ones([rows]) as tf.Tensor1D },
}));
const optimizer = baseline || args.includes('--tfjs-adam') ? tf.train.adam(1e-3) : createFusedAdam(1e-3);
const phaseMs = new Map<string, number>();
const timePhase = <T>(name: string, f: () => T): T => {
  const t = now();
  const r = f();
  phaseMs.set(name, (phaseMs.get(name) ?? 0) + now() - t);
  return r;
};
const step = (i: number) => {
  const vars = model.model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  let fwdEnd = 0;
  const t0 = now();
  const { value, grads } = tf.variableGrads(() => {
    phase = 'forward';
    const l = totalLoss(model, batches[i % 4]!);
    phase = 'backward';
    fwdEnd = now();
    return l;
  }, vars);
  const t1 = now();
  phaseMs.set('forward', (phaseMs.get('forward') ?? 0) + fwdEnd - t0);
  phaseMs.set('backward', (phaseMs.get('backward') ?? 0) + t1 - fwdEnd);
  phase = 'adam';
  timePhase('adam', () => optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]));
  phase = 'readback';
  timePhase('readback', () => value.dataSync());
  tf.dispose([value, ...Object.values(grads)]);
};
for (let i = 0; i < 2; i++) step(i);
totals.clear();
phaseMs.clear();
const t = now();
for (let i = 0; i < steps; i++) step(i);
const stepMs = (now() - t) / steps;
phase = 'infer';
for (let i = 0; i < steps; i++) {
  timePhase('infer', () => {
    const out = tf.tidy(() => Object.values(model.forward({ categorical: batches[i % 4]!.ids }, false)));
    for (const o of out) o.dataSync();
    tf.dispose(out);
  });
}
console.log(`${useWall ? 'wall' : 'cpu'} time; step ${stepMs.toFixed(1)} ms; phases per step: ${[...phaseMs].map(([k, v]) => `${k} ${(v / steps).toFixed(1)}`).join(', ')}`);
const byPhase = new Map<string, number>();
for (const [k, v] of totals) byPhase.set(k.split('\t')[0]!, (byPhase.get(k.split('\t')[0]!) ?? 0) + v.ms / steps);
console.log(`kernel time per step by phase: ${[...byPhase].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
const rowsOut = [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(arg('top', '40')));
for (const [k, v] of rowsOut) console.log(`${(v.ms / steps).toFixed(2).padStart(8)} ms ${String(v.calls / steps).padStart(5)}x  ${k}`);
