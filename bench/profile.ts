/**
 * Where a training step of `ektm bench`'s reference model goes, per kernel and phase (forward, backward, Adam
 * update, inference). Wraps every kernel registered for the active backend with a timer (tfjs' own profiler
 * reads tensors back and is far too slow at this size).
 * `node bench/dist/profile.mjs [--model <registry name>] [--steps 5] [--threads 1] [--shapes] [--wall] [--tfjs-adam] [--top 40]`
 */
import * as tf from '@tensorflow/tfjs-core';
import { getKernelsForBackend, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { createFusedAdam, getLossKind, initEngine, tableInputs, taskLabelsAndMasks, toLabelTensors, type MultiTaskModel } from '@ektm/core';
import { buildReferenceModel, REFERENCE_WORKLOAD, referenceTasks, syntheticBatches } from '@ektm/cli';

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
const kind = arg('model', 'mmoe');

await initEngine({ quiet: true, wasmThreads: Number(arg('threads', '1')) });
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
        const shapes = withShapes
          ? ' ' +
            Object.values(p.inputs)
              .map((x) => `[${(x as tf.TensorInfo)?.shape}]`)
              .join('') +
            JSON.stringify(Object.fromEntries(Object.entries(p.attrs ?? {}).filter(([k]) => k.startsWith('transpose'))))
          : '';
        const key = `${phase}\t${config.kernelName}${shapes}`;
        const e = totals.get(key) ?? { ms: 0, calls: 0 };
        e.ms += ms;
        e.calls++;
        totals.set(key, e);
      }
    },
  });
}

const model = buildReferenceModel(kind);
const tasks = referenceTasks(kind);
const batches = syntheticBatches({
  count: 4,
  rows: REFERENCE_WORKLOAD.batchSize,
  fields: REFERENCE_WORKLOAD.fields,
  vocabularySize: REFERENCE_WORKLOAD.vocabularySize,
  tasks: tasks.map((t) => t.name),
}).map((table) => {
  const raw = taskLabelsAndMasks(model.spec.tasks, table.labels, table.rows);
  return { inputs: tableInputs(table), labels: toLabelTensors(raw.labels), masks: toLabelTensors(raw.masks) };
});
type DeviceBatch = (typeof batches)[number];
/** The model's weighted total loss on a batch (what the trainer's `TrainStep` differentiates). */
function totalLoss(m: MultiTaskModel, batch: DeviceBatch): tf.Scalar {
  const outputs = m.forward(batch.inputs, true);
  const terms = m.spec.lossTerms.map((term) =>
    tf.mul(
      getLossKind(term.kind)({
        outputs: term.outputs.map((k) => outputs[k]!),
        label: batch.labels[term.task]!,
        mask: batch.masks[term.task]!,
        labels: batch.labels,
        masks: batch.masks,
        options: term.options ?? {},
      }),
      term.weight,
    ),
  );
  return tf.addN(terms) as tf.Scalar;
}
const optimizer = args.includes('--tfjs-adam')
  ? tf.train.adam(REFERENCE_WORKLOAD.learningRate)
  : createFusedAdam(REFERENCE_WORKLOAD.learningRate);
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
    const out = tf.tidy(() => Object.values(model.forward(batches[i % 4]!.inputs, false)));
    for (const o of out) o.dataSync();
    tf.dispose(out);
  });
}
console.log(
  `${useWall ? 'wall' : 'cpu'} time; step ${stepMs.toFixed(1)} ms; phases per step: ${[...phaseMs].map(([k, v]) => `${k} ${(v / steps).toFixed(1)}`).join(', ')}`,
);
const byPhase = new Map<string, number>();
for (const [k, v] of totals) byPhase.set(k.split('\t')[0]!, (byPhase.get(k.split('\t')[0]!) ?? 0) + v.ms / steps);
console.log(`kernel time per step by phase: ${[...byPhase].map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
const rowsOut = [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, Number(arg('top', '40')));
for (const [k, v] of rowsOut) console.log(`${(v.ms / steps).toFixed(2).padStart(8)} ms ${String(v.calls / steps).padStart(5)}x  ${k}`);
