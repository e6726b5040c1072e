import type { SplitName } from '../spec/normalised-spec.js';
import type { ResolvedSimulatorOptions, SimulatorOptions } from './simulator-options.js';
import { Prng } from '../random/prng.js';
import { resolveSimulatorOptions } from './simulator-options.js';

/** The columns every simulated row has before its labels, in order. */
export const SIMULATOR_FEATURE_COLUMNS = [
  'user_id',
  'user_segment',
  'user_activity',
  'item_id',
  'item_category',
  'item_brand',
  'item_price',
  'hour',
  'device',
  'position',
] as const;

const DEVICES = ['mobile', 'desktop', 'tablet'] as const;
const DEVICE_SHARE = [0.62, 0.28, 0.1];
const DEVICE_CLICK_EFFECT = [0, -0.2, 0.1];
const DEVICE_CONVERSION_EFFECT = [-0.1, 0.25, 0];
const POSITIONS = 10;
const CALIBRATION_ROWS = 20_000;

/** One simulated split: raw rows and the true probabilities behind their labels. */
export interface SimulatedSplit {
  /** Raw values per row, in the simulation's `columns` order (labels as "0"/"1"). */
  rows: string[][];
  /** P(click) of every row. */
  clickProbability: Float64Array;
  /** P(conversion type | its sample space: the click, or its parent conversion) of every row, by conversion type. */
  conversionProbability: Record<string, Float64Array>;
}

/** A full simulation: column names, the conversion types and the three splits. */
export interface Simulation {
  /** The options used, defaults filled in. */
  options: ResolvedSimulatorOptions;
  /** Column names: the feature columns, `click`, then one column per conversion type. */
  columns: string[];
  /** Conversion type names, in order. */
  conversions: string[];
  /** Rows and true probabilities of each split. */
  splits: Record<SplitName, SimulatedSplit>;
}

/** A user × item latent score: u^T W v, with W·v precomputed per item. */
interface Interaction {
  projected: Float64Array[];
}

function matrix(prng: Prng, d: number): Float64Array[] {
  return Array.from({ length: d }, () => Float64Array.from({ length: d }, () => prng.gaussian() / Math.sqrt(d)));
}

function project(w: Float64Array[], items: Float64Array[]): Interaction {
  return { projected: items.map((v) => Float64Array.from(w, (row) => row.reduce((s, x, j) => s + x * v[j]!, 0))) };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Cumulative weights of a Zipf-like popularity over `n` ids, in a random order of ids. */
function zipf(prng: Prng, n: number, exponent: number): { cdf: Float64Array; ids: Int32Array } {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) cdf[r] = total += 1 / Math.pow(r + 1, exponent);
  for (let r = 0; r < n; r++) cdf[r]! /= total;
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = prng.int(i + 1);
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return { cdf, ids };
}

function draw(prng: Prng, popularity: { cdf: Float64Array; ids: Int32Array }): number {
  const u = prng.next();
  let lo = 0;
  let hi = popularity.cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (popularity.cdf[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return popularity.ids[lo]!;
}

/** The bias b with weighted mean of sigmoid(b + a_i) equal to `target` (bisection; the mean rises with b). */
function calibrateBias(parts: Float64Array, weights: Float64Array | undefined, target: number): number {
  let lo = -40;
  let hi = 40;
  for (let step = 0; step < 80; step++) {
    const mid = (lo + hi) / 2;
    let num = 0;
    let den = 0;
    for (let i = 0; i < parts.length; i++) {
      const w = weights ? weights[i]! : 1;
      num += w * sigmoid(mid + parts[i]!);
      den += w;
    }
    if (num / den < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function meanStd(values: Float64Array): { mean: number; std: number } {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let variance = 0;
  for (const v of values) variance += (v - mean) ** 2;
  const std = Math.sqrt(variance / values.length);
  return { mean, std: std > 1e-12 ? std : 1 };
}

/**
 * Simulates impressions of a recommender with both patterns of the EKTM paper. Users (with a segment and an
 * activity level) meet items (with a category, brand and price) in a context (hour, device, position).
 * A click happens with a probability driven by a user × item latent affinity and context effects; after a
 * click, each conversion type happens with its own probability, driven by a latent affinity that mixes a
 * factor shared by all conversion types (weight `relatedness`), a factor of its own, and the click affinity
 * itself (weight `clickInfluence`, the knowledge a broad task carries), plus price and device effects. A conversion
 * with a parent (`conversionParents`, the sequential pattern click → cart → purchase) can only happen after its
 * parent did. Biases are calibrated so that the mean click rate and each conversion's rate in its own sample space
 * match the options.
 * The same seed gives the same rows.
 */
export function simulate(options: SimulatorOptions = {}): Simulation {
  const o = resolveSimulatorOptions(options);
  const root = new Prng(o.seed);
  const world = root.fork(1);
  const d = o.latentDim;
  const conversions = Object.keys(o.conversionRates);
  const gaussianVector = (scale: number) => Float64Array.from({ length: d }, () => scale * world.gaussian());
  const mix = (centroid: Float64Array, noise: Float64Array) => Float64Array.from(centroid, (c, j) => 0.8 * c + 0.6 * noise[j]!);

  const segmentCentroids = Array.from({ length: o.userSegments }, () => gaussianVector(1));
  const userSegment = Int32Array.from({ length: o.users }, () => world.int(o.userSegments));
  const userVectors = Array.from({ length: o.users }, (_, u) => mix(segmentCentroids[userSegment[u]!]!, gaussianVector(1)));
  const userActivity = Float64Array.from({ length: o.users }, () => Math.round(3000 * Math.exp(0.8 * world.gaussian())) / 1000);

  const categoryCentroids = Array.from({ length: o.itemCategories }, () => gaussianVector(1));
  const categoryPrice = Float64Array.from({ length: o.itemCategories }, () => 3 + 0.7 * world.gaussian());
  const brands = Math.max(1, Math.round(o.items / 20));
  const itemCategory = Int32Array.from({ length: o.items }, () => world.int(o.itemCategories));
  const itemBrand = Int32Array.from({ length: o.items }, () => world.int(brands));
  const itemVectors = Array.from({ length: o.items }, (_, i) => mix(categoryCentroids[itemCategory[i]!]!, gaussianVector(1)));
  const itemPrice = Float64Array.from(
    { length: o.items },
    (_, i) => Math.round(100 * Math.exp(categoryPrice[itemCategory[i]!]! + 0.5 * world.gaussian())) / 100,
  );

  const click = project(matrix(world, d), itemVectors);
  const shared = project(matrix(world, d), itemVectors);
  const own = conversions.map(() => project(matrix(world, d), itemVectors));
  const priceSensitivity = conversions.map((_, k) => (k === 0 ? 0.6 : 0.4 * world.next()));
  const hourEffect = Float64Array.from({ length: 24 }, (_, h) => 0.3 * Math.sin((2 * Math.PI * (h - 14)) / 24) + 0.05 * world.gaussian());
  const hourWeight = Float64Array.from({ length: 24 }, (_, h) => 1 + 0.6 * Math.sin((2 * Math.PI * (h - 8)) / 24));
  let hourTotal = 0;
  const hourCdf = hourWeight.map((w) => (hourTotal += w));
  const users = zipf(world, o.users, 0.9);
  const items = zipf(world, o.items, 1.05);

  interface Impression {
    u: number;
    i: number;
    hour: number;
    device: number;
    position: number;
  }
  const sampleImpression = (prng: Prng): Impression => {
    const h = prng.next() * hourTotal;
    let hour = 0;
    while (hourCdf[hour]! < h) hour++;
    const r = prng.next();
    const device = r < DEVICE_SHARE[0]! ? 0 : r < DEVICE_SHARE[0]! + DEVICE_SHARE[1]! ? 1 : 2;
    return { u: draw(prng, users), i: draw(prng, items), hour, device, position: 1 + prng.int(POSITIONS) };
  };
  const rawScores = (x: Impression) => ({
    click: dot(userVectors[x.u]!, click.projected[x.i]!),
    shared: dot(userVectors[x.u]!, shared.projected[x.i]!),
    own: own.map((w) => dot(userVectors[x.u]!, w.projected[x.i]!)),
    activity: Math.log(userActivity[x.u]!),
    price: Math.log(itemPrice[x.i]!),
  });

  // Standardise every score on a calibration sample, then calibrate the biases to the requested rates.
  const calibration = root.fork(2);
  const sample = Array.from({ length: CALIBRATION_ROWS }, () => sampleImpression(calibration));
  const scores = sample.map(rawScores);
  const stats = (pick: (s: (typeof scores)[number]) => number) => meanStd(Float64Array.from(scores, pick));
  const clickStats = stats((s) => s.click);
  const sharedStats = stats((s) => s.shared);
  const ownStats = conversions.map((_, k) => stats((s) => s.own[k]!));
  const activityStats = stats((s) => s.activity);
  const priceStats = stats((s) => s.price);
  const rho = o.relatedness;
  const gamma = o.clickInfluence;

  const clickPart = (x: Impression, s: (typeof scores)[number]) =>
    o.signal * ((s.click - clickStats.mean) / clickStats.std) +
    hourEffect[x.hour]! +
    DEVICE_CLICK_EFFECT[x.device]! -
    0.15 * (x.position - 1) +
    0.3 * ((s.activity - activityStats.mean) / activityStats.std);
  const conversionPart = (x: Impression, s: (typeof scores)[number], k: number) => {
    const zShared = (s.shared - sharedStats.mean) / sharedStats.std;
    const zOwn = (s.own[k]! - ownStats[k]!.mean) / ownStats[k]!.std;
    const zClick = (s.click - clickStats.mean) / clickStats.std;
    const taste = rho * zShared + Math.sqrt(1 - rho * rho) * zOwn;
    return (
      o.signal * (gamma * zClick + Math.sqrt(1 - gamma * gamma) * taste) -
      priceSensitivity[k]! * ((s.price - priceStats.mean) / priceStats.std) +
      DEVICE_CONVERSION_EFFECT[x.device]!
    );
  };
  const clickParts = Float64Array.from(sample, (x, n) => clickPart(x, scores[n]!));
  const clickBias = calibrateBias(clickParts, undefined, o.clickRate);
  const clickWeights = clickParts.map((a) => sigmoid(clickBias + a));
  // A conversion's rate is given in its own sample space: the clicks, or its parent conversion's positives, so each
  // bias is calibrated with every row weighted by the probability that the row reaches that space.
  const parentIndex = conversions.map((name) =>
    o.conversionParents[name] === undefined ? -1 : conversions.indexOf(o.conversionParents[name]!),
  );
  const reachWeights: Float64Array[] = [];
  const conversionBias: number[] = [];
  conversions.forEach((name, k) => {
    const parts = Float64Array.from(sample, (x, n) => conversionPart(x, scores[n]!, k));
    const parent = parentIndex[k]!;
    const weights = parent < 0 ? clickWeights : reachWeights[parent]!;
    conversionBias[k] = calibrateBias(parts, weights, o.conversionRates[name]!);
    reachWeights[k] = weights.map((w, n) => w * sigmoid(conversionBias[k]! + parts[n]!));
  });

  const simulateSplit = (rows: number, prng: Prng): SimulatedSplit => {
    const out: SimulatedSplit = {
      rows: new Array<string[]>(rows),
      clickProbability: new Float64Array(rows),
      conversionProbability: Object.fromEntries(conversions.map((c) => [c, new Float64Array(rows)])),
    };
    for (let n = 0; n < rows; n++) {
      const x = sampleImpression(prng);
      const s = rawScores(x);
      const pClick = sigmoid(clickBias + clickPart(x, s));
      const clicked = prng.next() < pClick ? 1 : 0;
      const labels: string[] = [];
      conversions.forEach((name, k) => {
        const p = sigmoid(conversionBias[k]! + conversionPart(x, s, k));
        out.conversionProbability[name]![n] = p;
        // One draw per type whether it can happen or not, so that rows stay aligned when a rate changes.
        const u = prng.next();
        const reached = parentIndex[k]! < 0 ? clicked === 1 : labels[parentIndex[k]!] === '1';
        labels.push(reached && u < p ? '1' : '0');
      });
      out.clickProbability[n] = pClick;
      out.rows[n] = [
        `u${x.u}`,
        `seg${userSegment[x.u]}`,
        String(userActivity[x.u]),
        `i${x.i}`,
        `cat${itemCategory[x.i]}`,
        `brand${itemBrand[x.i]}`,
        String(itemPrice[x.i]),
        String(x.hour),
        DEVICES[x.device]!,
        String(x.position),
        String(clicked),
        ...labels,
      ];
    }
    return out;
  };
  return {
    options: o,
    columns: [...SIMULATOR_FEATURE_COLUMNS, 'click', ...conversions],
    conversions,
    splits: {
      train: simulateSplit(o.trainRows, root.fork(10)),
      validation: simulateSplit(o.validationRows, root.fork(11)),
      test: simulateSplit(o.testRows, root.fork(12)),
    },
  };
}
