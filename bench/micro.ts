/** Micro-benchmarks of single kernels on the active backend (development aid). */
import * as tf from '@tensorflow/tfjs-core';
import { initEngine } from '@ektm/core';

await initEngine({ quiet: true });
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function time(name: string, f: () => tf.Tensor | tf.Tensor[], reps = 20) {
  tf.dispose(f());
  const t = cpu();
  for (let i = 0; i < reps; i++) tf.dispose(f());
  console.log(`${((cpu() - t) / reps).toFixed(2).padStart(8)} ms  ${name}`);
}
const x = tf.randomNormal([2048, 160]);
const xt = tf.randomNormal([160, 2048]);
const dy = tf.randomNormal([2048, 256]);
const w = tf.randomNormal([160, 256]);
time('transpose [2048,160]', () => tf.transpose(x));
time('transpose [2048,256]', () => tf.transpose(dy));
time('matMul [2048,160]x[160,256]', () => tf.matMul(x, w));
time('matMul [160,2048]x[2048,256]', () => tf.matMul(xt, dy));
time('matMul T_A [2048,160]x[2048,256]', () => tf.matMul(x, dy, true, false));
time('matMul [256,2048]x[2048,160]', () => tf.matMul(tf.transpose(dy), x));
time('matMul [2048,256]x[256,160]', () => tf.matMul(dy, tf.transpose(w)));
const ids = tf.randomUniform([40960], 0, 200000, 'int32');
const table = tf.randomNormal([200000, 8]);
time('gather', () => tf.gather(table, ids));
time('sum axis0 [2048,256]', () => tf.sum(dy, 0));
time('relu [2048,256]', () => tf.relu(dy));
time('add [2048,256]', () => tf.add(dy, dy));
