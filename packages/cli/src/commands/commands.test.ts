/**
 * The commands that train, run for real on a tiny simulated dataset: train → evaluate → predict on raw rows,
 * and a small compare with --json and --report.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '@ektm/datasets';
import { describe, expect, it } from 'vitest';
import type { CompareResult } from '../compare/compare-result.js';
import { MODELS } from '../models/models.js';
import { inProcessCli, scratchFolder, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-commands-');
const simulator = { seed: 3, trainRows: 600, validationRows: 300, testRows: 300 };
writeSimulatedSpec(dir, simulator, { defaultTaskSet: 'ektm' });

const cli = inProcessCli(dir);

describe('train, evaluate, predict', () => {
  it('trains and saves a model, evaluates it, and predicts raw CSV rows from a file and from stdin', async () => {
    const trained = await cli([
      'train',
      '--dataset',
      'tiny.json',
      '--model',
      'mmoe',
      '--epochs',
      '2',
      '--batch-size',
      '128',
      '--out',
      'models/mmoe',
      '--quiet',
    ]);
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/^trained mmoe for \d epochs \(best epoch \d/);
    expect(trained.out).toMatch(/validation metrics at the best epoch:\ntask\s+space/);
    expect(existsSync(join(dir, 'models/mmoe/model.json'))).toBe(true);
    expect(existsSync(join(dir, 'models/mmoe.checkpoints'))).toBe(true);

    const evaluated = await cli(['evaluate', '--model', 'models/mmoe', '--dataset', 'tiny.json', '--json']);
    expect(evaluated.code).toBe(0);
    const metrics = JSON.parse(evaluated.out);
    expect(metrics).toMatchObject({ dataset: 'tiny', taskSet: 'ektm', split: 'test', rows: 300 });
    expect(Object.keys(metrics.tasks)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(metrics.tasks.purchase.space).toBe('parent');
    expect(metrics.tasks.click.auc).toBeGreaterThan(0);

    const other = await cli(['evaluate', '--model', 'models/mmoe', '--dataset', 'synthetic', '--max-rows', '300']);
    // A dataset that does not fit the model's preprocessing is a config error (exit 2).
    expect(other.code).toBe(2);
    expect(other.err).toContain('encodes rows differently');

    const sim = simulate(simulator);
    const header = sim.columns.join(',');
    const rows = sim.splits.test.rows.slice(0, 7).map((r) => r.join(','));
    writeFileSync(join(dir, 'rows.csv'), `${[header, ...rows].join('\n')}\n`);
    const toFile = await cli(['predict', '--model', 'models/mmoe', '--input', 'rows.csv', '--output', 'scores.csv']);
    expect(toFile.code).toBe(0);
    const scores = readFileSync(join(dir, 'scores.csv'), 'utf8').trim().split('\n');
    expect(scores[0]).toBe('click,purchase,cart,favorite');
    expect(scores).toHaveLength(8);
    for (const line of scores.slice(1)) {
      const values = line.split(',').map(Number);
      expect(values).toHaveLength(4);
      for (const v of values) expect(v > 0 && v < 1).toBe(true);
    }
    // Labels are optional: the feature columns alone give the same probabilities, through stdin and stdout.
    const featureCount = sim.columns.length - 1 - sim.conversions.length;
    const features = [
      sim.columns.slice(0, featureCount).join(','),
      ...sim.splits.test.rows.slice(0, 7).map((r) => r.slice(0, featureCount).join(',')),
    ].join('\n');
    const piped = await cli(['predict', '--model', 'models/mmoe'], { stdin: features });
    expect(piped.code).toBe(0);
    expect(piped.out.trim().split('\n')).toEqual(scores);

    const badRow = await cli(['predict', '--model', 'models/mmoe'], { stdin: `${header}\n1,2\n` });
    // A malformed input row is a data error (exit 3), named by its input line.
    expect(badRow.code).toBe(3);
    expect(badRow.err).toContain('stdin:2: 2 fields, but the header has');
  });

  it('rejects an unknown model name with the list of models (exit 2)', async () => {
    const result = await cli(['train', '--dataset', 'tiny.json', '--model', 'mmoe2', '--out', 'x']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`--model "mmoe2" is not allowed; use one of ${MODELS.names().join(', ')}`);
    expect(MODELS.names().slice(0, 4)).toEqual(['single-task', 'shared-bottom', 'omoe', 'mmoe']);
  });
});

describe('compare', () => {
  it('trains every model × seed, prints the table, and writes the JSON and the report', async () => {
    const result = await cli([
      'compare',
      '--dataset',
      'tiny.json',
      '--models',
      'shared-bottom,esmm,ektm',
      '--seeds',
      '0,1',
      '--epochs',
      '2',
      '--batch-size',
      '128',
      '--json',
      'out/compare.json',
      '--report',
      'out/report.html',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('esmm models one funnel, click → purchase; it has no output for cart, favorite');
    expect(result.out).toContain('tiny (ektm): 6 runs, backend wasm');
    // No single-task in this comparison: the one reference is the best baseline by validation that predicts every
    // target (shared-bottom; ESMM has no cart or favorite).
    expect(result.out).toMatch(
      /purchase \(target\), \d+ test positives of \d+ rows\n\s+model\s+test AUC \(mean ± sd, 2 seeds\)\s+Δ vs shared-bottom \(± 95% CI\)\s+logloss\s+train s\s+samples\/s/,
    );
    expect(result.out).toMatch(/\n {2}\(true probabilities\)\s+0\.\d{4}/);
    expect(result.out).toMatch(/^ {2}shared-bottom\s+0\.\d{4} ± 0\.\d{4}\s+ref\s/m);
    expect(result.out).toContain('note: single-task did not run');

    const json = JSON.parse(readFileSync(join(dir, 'out/compare.json'), 'utf8')) as CompareResult;
    expect(json).toMatchObject({ dataset: 'tiny', taskSet: 'ektm', backend: 'wasm' });
    expect(json.results.map((r) => `${r.model}#${r.seed}`)).toEqual([
      'shared-bottom#0',
      'shared-bottom#1',
      'esmm#0',
      'esmm#1',
      'ektm#0',
      'ektm#1',
    ]);
    for (const r of json.results) {
      expect(Number.isInteger(r.seed) && Number.isInteger(r.epochs)).toBe(true);
      expect(r.epochs).toBeGreaterThanOrEqual(1);
      expect(r.trainSeconds).toBeGreaterThan(0);
      expect(r.trainSamplesPerSec).toBeGreaterThan(0);
      // One point a validation: up to 4 an epoch by default, the last at the end of the last epoch trained.
      expect(r.curves.length).toBeGreaterThanOrEqual(r.epochs);
      expect(r.curves.length).toBeLessThanOrEqual(4 * r.epochs);
      expect(r.curves.at(-1)!.epoch).toBe(r.epochs);
      for (const m of Object.values(r.tasks)) {
        expect(typeof m.auc === 'number' && typeof m.logloss === 'number').toBe(true);
      }
    }
    expect(Object.keys(json.results[0]!.tasks)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(Object.keys(json.results[2]!.tasks)).toEqual(['click', 'purchase', 'ctcvr']);
    const ektm = json.results[4]!;
    const similarity = ektm.diagnostics.find((d) => d.name === 'router/similarity')!;
    expect(similarity.shape).toEqual([3, 3]);
    expect(similarity.rowLabels).toEqual(['purchase', 'cart', 'favorite']);
    // Each row of ŝ is a softmax over the targets.
    for (let i = 0; i < 3; i++) expect(similarity.values.slice(i * 3, i * 3 + 3).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // Seeds matter: two seeds are two different runs.
    expect(json.results[0]!.tasks.click!.auc).not.toBe(json.results[1]!.tasks.click!.auc);

    // The statistics: ektm and esmm against shared-bottom on each target and the mean of targets.
    expect(json.statistics!.references).toMatchObject({ singleTask: null, bestBaseline: { model: 'shared-bottom' } });
    expect(json.comparisons!.map((c) => `${c.model}:${c.task}`)).toEqual([
      ...['purchase', 'cart', 'favorite', 'mean of targets'].map((t) => `esmm:${t}`),
      ...['purchase', 'cart', 'favorite', 'mean of targets'].map((t) => `ektm:${t}`),
    ]);
    // One purchase positive in these 300 test rows: DeLong's variance does not exist, and the comparison says so.
    expect(json.statistics!.testSpace.purchase).toEqual({ rows: 49, positives: 1 });
    const ektmPurchase = json.comparisons!.find((c) => c.model === 'ektm' && c.task === 'purchase')!;
    expect(ektmPurchase).toMatchObject({
      reference: 'shared-bottom',
      referenceRole: 'best baseline',
      seeds: [0, 1],
      deltaAuc: null,
      p: null,
    });
    expect(ektmPurchase.method).toBe('n/a: delongTestAcrossSeeds: 1 positive and 48 negative rows selected; at least 2 of each are needed');
    expect(result.out).toMatch(/^[* ] ektm\s+0\.\d{4} ± 0\.\d{4}\s+n\/a\s/m);
    // The delta is the mean over seeds of the runs' own test AUC differences.
    const ektmCart = json.comparisons!.find((c) => c.model === 'ektm' && c.task === 'cart')!;
    const aucOf = (model: string, seed: number) => json.results.find((r) => r.model === model && r.seed === seed)!.tasks.cart!.auc!;
    expect(ektmCart.deltaAuc!).toBeCloseTo(
      (aucOf('ektm', 0) - aucOf('shared-bottom', 0) + aucOf('ektm', 1) - aucOf('shared-bottom', 1)) / 2,
      6,
    );
    expect(ektmCart.ci95![0]).toBeLessThan(ektmCart.deltaAuc!);
    expect(ektmCart.ci95![1]).toBeGreaterThan(ektmCart.deltaAuc!);
    expect(ektmCart.method).toMatch(/^2 seeds on one test set/);
    expect(json.comparisons!.find((c) => c.model === 'esmm' && c.task === 'cart')!.method).toBe('esmm does not predict cart');
    expect(json.statistics!.testSpace.purchase!.positives).toBe(json.results[0]!.tasks.purchase!.positives);
    expect(json.statistics!.gapClosed).toBeNull(); // needs single-task
    expect(existsSync(join(dir, 'out/compare.predictions/ektm.seed-1.f32'))).toBe(true);

    const html = readFileSync(join(dir, 'out/report.html'), 'utf8');
    expect(html).toContain('ektm compare: tiny (ektm)');
    expect(html).toContain('id="chart-forest-0"');
    expect(html).toContain('ektm compare --dataset tiny.json --models shared-bottom,esmm,ektm');
  });

  it('leaves out a model that cannot run on the task set, with one line saying why', async () => {
    // A parallel task set (two labels side by side, no funnel): ESMM cannot model it.
    const lines = ['user,item,a,b'];
    for (let i = 0; i < 400; i++) lines.push(`u${i % 17},i${(i * 7) % 23},${(i * 7) % 4 === 0 ? 1 : 0},${(i * 11) % 3 === 0 ? 1 : 0}`);
    writeFileSync(join(dir, 'parallel.csv'), `${lines.join('\n')}\n`);
    const spec = {
      name: 'parallel',
      files: { train: 'parallel.csv' },
      split: { validation: { from: 'train', everyNth: 5, offset: 3 }, test: { from: 'train', everyNth: 5, offset: 4 } },
      features: [
        { column: 'user', type: 'categorical' },
        { column: 'item', type: 'categorical' },
      ],
      tasks: [
        { name: 'a', column: 'a' },
        { name: 'b', column: 'b' },
      ],
    };
    writeFileSync(join(dir, 'parallel.json'), JSON.stringify(spec));
    const result = await cli(['compare', '--dataset', 'parallel.json', '--models', 'esmm,mmoe', '--seeds', '0', '--epochs', '1']);
    expect(result.err).toContain(
      'left out esmm: esmm models a click → conversion funnel, and no task of a, b follows another (no parent)\n',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('parallel (default): 1 runs');
    expect(result.out).toContain('left out esmm: esmm models a click → conversion funnel');
    const none = await cli(['compare', '--dataset', 'parallel.json', '--models', 'esmm', '--seeds', '0', '--epochs', '1']);
    expect(none.code).toBe(2); // a ConfigError: the model list does not fit the task set
    expect(none.err).toContain('none of the models can run on parallel');
  });

  it('--train-rows: trains every model on nested training subsets and writes the curve', async () => {
    const result = await cli([
      'compare',
      '--dataset',
      'tiny.json',
      '--models',
      'single-task,mmoe',
      '--seeds',
      '0',
      '--epochs',
      '1',
      '--batch-size',
      '128',
      '--train-rows',
      '400,200',
      '--json',
      'out/curve.json',
      '--report',
      'out/curve.html',
      '--quiet',
    ]);
    expect(result.err).toBe(`wrote ${join(dir, 'out/curve.json')}\nwrote ${join(dir, 'out/curve.html')}\n`);
    expect(result.code).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'out/curve.json'), 'utf8')) as CompareResult;
    const curve = json.trainRowsCurve!;
    expect(curve.map((p) => p.trainRows)).toEqual([200, 400]);
    // Nested subsets: never fewer positives in the larger one.
    for (const task of json.taskNames) expect(curve[1]!.trainPositives[task]!).toBeGreaterThanOrEqual(curve[0]!.trainPositives[task]!);
    expect(curve[0]!.trainPositives.click!).toBeGreaterThan(0);
    for (const point of curve) {
      expect(point.points.map((p) => `${p.model}:${p.task}`)).toEqual(
        ['single-task', 'mmoe'].flatMap((m) => ['purchase', 'cart', 'favorite', 'mean of targets'].map((t) => `${m}:${t}`)),
      );
      expect(point.comparisons.length).toBe(2 * 4); // mmoe against single-task and single-task against mmoe (or the reverse)
    }
    // The top-level result is the largest size's.
    expect(json.splits.train).toBe(400);
    expect(json.results.every((r) => r.seed === 0)).toBe(true);
    expect(result.out).toContain('data-efficiency curve: test AUC (mean over seeds ± half the 95% CI) per training size');
    expect(existsSync(join(dir, 'out/curve.rows-200.runs.jsonl')) && existsSync(join(dir, 'out/curve.rows-400.runs.jsonl'))).toBe(true);
    expect(readFileSync(join(dir, 'out/curve.html'), 'utf8')).toContain('id="chart-rows-3"');
  });

  it('--train-rows: a bad size or one above the training split is a config error naming the flag and the value', async () => {
    const bad = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--train-rows', '200,x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--train-rows "200,x": "x" is not a whole number of rows ≥ 1; give training sizes such as 5000,20000,80000');
    const zero = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--train-rows', '0']);
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--train-rows "0": "0" is not a whole number');
    const big = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--train-rows', '200,5000', '--quiet']);
    expect(big.code).toBe(2);
    expect(big.err).toContain(
      '--train-rows 200,5000: 5000 rows asked for, but the training split of tiny has only 600; give sizes up to 600',
    );
  });

  it('names a bad list value', async () => {
    const result = await cli(['compare', '--models', 'mmoe,,nope']);
    expect(result.code).toBe(2);
    expect(result.err).toContain('--models: unknown name "nope"');
    const seeds = await cli(['compare', '--seeds', '0,-1']);
    expect(seeds.code).toBe(2);
    expect(seeds.err).toContain('"-1" is not an integer >= 0');
  });
});

describe('bench', () => {
  it('prints the throughput lines and writes the JSON file (small batch, no timing assertions)', async () => {
    const result = await cli([
      'bench',
      '--steps',
      '1',
      '--warmup',
      '0',
      '--batch',
      '32',
      '--threads',
      '1',
      '--json',
      'bench.json',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^model\s+mmoe \(1914378 parameters, batch 32, tasks ctr cvr\)\nbackend\s+\w+/);
    for (const key of ['trainSamplesPerSec', 'inferSamplesPerSec', 'msPerStep', 'peakRssMB'])
      expect(result.out).toMatch(new RegExp(`\\n${key}\\s+[\\d.]+\\n`));
    expect(result.err).toBe(`wrote ${join(dir, 'bench.json')}\n`);
    const json = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8'));
    expect(Object.keys(json).slice(0, 6)).toEqual([
      'backend',
      'model',
      'trainSamplesPerSec',
      'inferSamplesPerSec',
      'msPerStep',
      'peakRssMB',
    ]);
    expect(json).toMatchObject({ model: 'mmoe', batchSize: 32, steps: 1, warmup: 0, inferBatches: 10 });
  });

  it('--model ple --profile prints the parts of a step; --config builds a model with its own options', async () => {
    const result = await cli([
      'bench',
      '--model',
      'ple',
      '--profile',
      '--profile-steps',
      '1',
      '--steps',
      '1',
      '--warmup',
      '0',
      '--batch',
      '32',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^model\s+ple \(\d+ parameters, batch 32, tasks ctr cvr\)/);
    expect(result.out).toMatch(/\nmachine\s+.+, \d+ cores, load [\d.]+, \d{4}-\d\d-\d\dT/);
    for (const part of ['matmul', 'embedding', 'elementwise', 'optimizer', 'rest'])
      expect(result.out).toMatch(new RegExp(`\\n  ${part}\\s+[\\d.]+ ms\\s+\\d+%`));
    expect(result.out).toMatch(/lower bound \(the products alone at [\d.]+ GFLOP\/s\): [\d.]+ ms/);
    // Another model than the MMoE is set against it in the same run.
    expect(result.out).toMatch(/\ncost per sample\s+[\d.]+× mmoe's in training, [\d.]+× in inference\n/);
    expect(result.out).toMatch(/\n {2}per CPU-second\s+[\d.]+× in training, [\d.]+× in inference\n/);
    writeFileSync(
      join(dir, 'cgc.json'),
      JSON.stringify({ model: 'cgc', options: { taskExperts: 1, sharedExperts: 1, expert: { units: [16] } } }),
    );
    const config = await cli([
      'bench',
      '--config',
      'cgc.json',
      '--tasks',
      '3',
      '--steps',
      '1',
      '--warmup',
      '0',
      '--batch',
      '32',
      '--quiet',
    ]);
    expect(config.code).toBe(0);
    expect(config.out).toMatch(/^model\s+cgc \(\d+ parameters, batch 32, tasks ctr cvr cvr2\)/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ model: 'resnet' }));
    const bad = await cli(['bench', '--config', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('model "resnet" is not one of single-task');
  });

  it('names a bad --threads or --batch value (exit 2)', async () => {
    const threads = await cli(['bench', '--threads', '0']);
    expect(threads.code).toBe(2);
    expect(threads.err).toContain('--threads "0" is not allowed; use an integer from 1 to 64');
    expect((await cli(['bench', '--batch', 'big'])).err).toContain('--batch "big" is not allowed');
  });
});
