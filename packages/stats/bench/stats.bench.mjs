// Cost of @ektm/stats on large test sets: DeLong's test and interval, seeds combined, the share of the gap
// closed, and the paired bootstrap, on 100k and 1M rows of simulated float32 scores. Prints milliseconds (median
// and min over repeats, after a warm-up) with the CPU, its vector extensions, the date and the load, since the
// machine may be shared. Not a test: run it with `npm run bench:stats` (builds the package first when it is not built).
//
//   npm run bench:stats -- --rows 100000,1000000 --repeats 5 --bootstrap-repeats 3 --resamples 1000 --resamples-1m 200 \
//     --json out/stats-bench.json
//   npm run bench:stats -- --rows 1000000 --no-bootstrap     # what `ektm compare` runs (DeLong only), in a minute
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { bootstrapAucs, delongAuc, delongTest, delongTestAcrossSeeds, delongTestOfTaskMean, gapClosed } from '@ektm/stats';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000,1000000' },
    repeats: { type: 'string', default: '5' },
    'bootstrap-repeats': { type: 'string', default: '3' },
    resamples: { type: 'string', default: '1000' },
    'resamples-1m': { type: 'string', default: '200' },
    'positive-rate': { type: 'string', default: '0.1' },
    'no-bootstrap': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});
// EKTM_QUICK=1 (the docs' command test): a smoke run on 10,000 rows, once each; its times mean nothing.
const quick = process.env.EKTM_QUICK === '1';
if (quick) process.stderr.write('bench:stats: EKTM_QUICK=1, a smoke run on 10000 rows, one repeat; its times mean nothing\n');
const rowCounts = quick ? [10_000] : args.rows.split(',').map(Number);
const repeats = quick ? 1 : Number(args.repeats);
const bootstrapRepeats = quick ? 1 : Number(args['bootstrap-repeats']);
const positiveRate = Number(args['positive-rate']);

function machine() {
  let model = cpus()[0]?.model ?? 'unknown';
  let extensions = [];
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? model;
    const flags = (/flags\s*:\s*(.*)/.exec(info)?.[1] ?? '').split(' ');
    extensions = flags.filter((f) => /^(sse4_2|avx|avx2|fma|avx512\w*|avx_vnni|amx\w*|neon|asimd|sve\w*)$/.test(f));
  } catch {
    // Not Linux: the model from os.cpus() is all there is.
  }
  let uptime;
  try {
    uptime = execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    uptime = `load average: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(', ')}`;
  }
  return { model, extensions, logicalCpus: cpus().length, node: process.version, uptime };
}

/** Simulated test set: a latent score per row; model A, model B and the optimum see it with different noise. */
function simulate(rows, seed) {
  const rng = xoroshiro128plus(seed);
  const uniform = () => ((rng.next() >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const labels = new Uint8Array(rows);
  const optimal = new Float32Array(rows);
  const seedsA = [new Float32Array(rows), new Float32Array(rows), new Float32Array(rows)];
  const seedsB = [new Float32Array(rows), new Float32Array(rows), new Float32Array(rows)];
  const offset = Math.log(positiveRate / (1 - positiveRate));
  for (let i = 0; i < rows; i++) {
    const latent = normal();
    const p = 1 / (1 + Math.exp(-(offset + 1.5 * latent)));
    labels[i] = uniform() < p ? 1 : 0;
    optimal[i] = p;
    const shared = normal();
    for (let s = 0; s < 3; s++) {
      seedsA[s][i] = 1 / (1 + Math.exp(-(offset + 1.5 * latent + 0.9 * shared + 0.3 * normal())));
      seedsB[s][i] = 1 / (1 + Math.exp(-(offset + 1.5 * latent + 1.0 * shared + 0.3 * normal())));
    }
  }
  return { labels, optimal, seedsA, seedsB };
}

/** Median and min of `count` timed calls after one warm-up call (`warmUp`, or `fn` itself). */
function time(fn, count = repeats, warmUp = fn) {
  warmUp();
  const ms = [];
  let result;
  for (let r = 0; r < count; r++) {
    const start = performance.now();
    result = fn();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return { medianMs: ms[Math.floor(ms.length / 2)], minMs: ms[0], result };
}

const before = machine();
console.log(`@ektm/stats benchmark, ${new Date().toISOString()}`);
console.log(`CPU: ${before.model}, ${before.logicalCpus} logical CPUs; vector extensions: ${before.extensions.join(' ') || 'n/a'}`);
console.log(`Node ${before.node}, one thread (the statistics are single-threaded JavaScript)`);
console.log(`uptime before: ${before.uptime}`);
console.log(`repeats: ${repeats} (bootstrap: ${bootstrapRepeats}) after one warm-up; positive rate ${positiveRate}\n`);

const results = [];
const line = (rows, what, t, extra = '') => {
  results.push({ rows, what, medianMs: t.medianMs, minMs: t.minMs });
  console.log(
    `${String(rows).padStart(9)} rows  ${what.padEnd(46)} median ${t.medianMs.toFixed(1).padStart(9)} ms   min ${t.minMs.toFixed(1).padStart(9)} ms${extra}`,
  );
};
for (const rows of rowCounts) {
  const d = simulate(rows, 2026);
  const resamples = rows >= 1_000_000 ? Number(args['resamples-1m']) : Number(args.resamples);
  const t1 = time(() => delongAuc(d.labels, d.seedsA[0]));
  line(rows, 'delongAuc (one model)', t1, `   AUC ${t1.result.auc.toFixed(4)} ± ${t1.result.se.toFixed(4)}`);
  const t2 = time(() => delongTest(d.labels, d.seedsA[0], d.seedsB[0]));
  line(
    rows,
    'delongTest (two models)',
    t2,
    `   Δ ${t2.result.deltaAuc.toFixed(4)}, SE ${t2.result.se.toFixed(5)}, r ${t2.result.correlation.toFixed(2)}`,
  );
  const t3 = time(() => delongTestAcrossSeeds(d.labels, d.seedsA, d.seedsB));
  line(rows, 'delongTestAcrossSeeds (3 seeds × 2 models)', t3);
  const t4 = time(() => gapClosed(d.labels, d.seedsA[0], d.seedsB[0], d.optimal));
  line(rows, 'gapClosed, delta method (3 models)', t4);
  // The mean of two targets, as `ektm compare` tests it: one task on every row, one on half of them (a conversion
  // task on the clicked rows), 3 seeds × 2 models each.
  const half = Uint8Array.from(d.labels, (_, i) => i % 2);
  const t7 = time(() =>
    delongTestOfTaskMean([
      { labels: d.labels, scoresA: d.seedsA, scoresB: d.seedsB },
      { labels: d.labels, mask: half, scoresA: d.seedsA, scoresB: d.seedsB },
    ]),
  );
  line(rows, 'delongTestOfTaskMean (2 tasks × 3 seeds × 2)', t7, `   Δ ${t7.result.deltaAuc.toFixed(4)}, SE ${t7.result.se.toFixed(5)}`);
  if (args['no-bootstrap']) continue;
  const t5 = time(
    () => bootstrapAucs(d.labels, [d.seedsA[0], d.seedsB[0]], { resamples, seed: 1 }),
    bootstrapRepeats,
    () => bootstrapAucs(d.labels, [d.seedsA[0], d.seedsB[0]], { resamples: 5, seed: 1 }),
  );
  line(rows, `bootstrapAucs (2 models, ${resamples} resamples)`, t5, `   ${(t5.medianMs / resamples).toFixed(2)} ms a replicate`);
  const t6 = time(
    () => gapClosed(d.labels, d.seedsA[0], d.seedsB[0], d.optimal, { method: 'bootstrap', resamples, seed: 1 }),
    bootstrapRepeats,
    () => gapClosed(d.labels, d.seedsA[0], d.seedsB[0], d.optimal, { method: 'bootstrap', resamples: 5, seed: 1 }),
  );
  line(
    rows,
    `gapClosed, bootstrap (3 models, ${resamples})`,
    t6,
    `   share ${t6.result.share.toFixed(3)} [${t6.result.ci.lower.toFixed(3)}, ${t6.result.ci.upper.toFixed(3)}]`,
  );
}
const after = machine();
console.log(`\nuptime after: ${after.uptime}`);
if (args.json) {
  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(
    args.json,
    JSON.stringify({ date: new Date().toISOString(), machine: before, uptimeAfter: after.uptime, repeats, results }, null, 2),
  );
  console.log(`wrote ${args.json}`);
}
