import { SpecReader, join } from '../spec/spec-reader.js';

/**
 * Knobs of the seeded simulator behind the `synthetic` dataset. Every field is optional; the defaults give
 * about 50k training rows, small enough to train several models in minutes on two cores.
 */
export interface SimulatorOptions {
  /** PRNG seed; the same seed gives the same rows, bit for bit. Default 1. */
  seed?: number;
  /** Training rows. Default 50,000. */
  trainRows?: number;
  /** Validation rows. Default 10,000. */
  validationRows?: number;
  /** Test rows. Default 20,000. */
  testRows?: number;
  /** Distinct users (popularity is Zipf-like). Default 5,000. */
  users?: number;
  /** Distinct items (popularity is Zipf-like). Default 2,000. */
  items?: number;
  /** User segments; users of a segment share taste. Default 12. */
  userSegments?: number;
  /** Item categories; items of a category are alike. Default 24. */
  itemCategories?: number;
  /** Dimension of the latent user and item vectors. Default 8. */
  latentDim?: number;
  /** Mean click probability over impressions. Default 0.15. */
  clickRate?: number;
  /**
   * Conversion types side by side (the parallel pattern) and the mean probability of each given a click;
   * smaller means sparser labels. Default `{"purchase": 0.06, "cart": 0.15, "favorite": 0.1}`.
   */
  conversionRates?: Record<string, number>;
  /**
   * The sequential pattern: a conversion type that can only follow another one, by name (`{"purchase": "cart"}`:
   * a purchase only after an add-to-cart, as in click → cart → purchase). Its rate in `conversionRates` is then its
   * mean probability given its parent, and its sample space is the parent's positives. A parent comes before its
   * children in `conversionRates`. Default `{}`: every conversion type follows the click directly (the parallel
   * pattern).
   */
  conversionParents?: Record<string, string>;
  /** Weight in [0, 1] of the latent factor that all conversion types share: 0 unrelated tasks, 1 the same task. Default 0.7. */
  relatedness?: number;
  /** Weight in [0, 1] of the click propensity inside each conversion logit: the knowledge the broad task holds. Default 0.5. */
  clickInfluence?: number;
  /** Scale of the feature-driven part of every logit; larger gives a higher best possible AUC. Default 1.2. */
  signal?: number;
}

/** Simulator options with every default filled in. */
export type ResolvedSimulatorOptions = Required<SimulatorOptions>;

/** The defaults of {@link SimulatorOptions}. */
export const DEFAULT_SIMULATOR_OPTIONS: ResolvedSimulatorOptions = {
  seed: 1,
  trainRows: 50_000,
  validationRows: 10_000,
  testRows: 20_000,
  users: 5_000,
  items: 2_000,
  userSegments: 12,
  itemCategories: 24,
  latentDim: 8,
  clickRate: 0.15,
  conversionRates: { purchase: 0.06, cart: 0.15, favorite: 0.1 },
  conversionParents: {},
  relatedness: 0.7,
  clickInfluence: 0.5,
  signal: 1.2,
};

const KEYS = Object.keys(DEFAULT_SIMULATOR_OPTIONS);

/** Checks simulator options from JSON or code and fills defaults; errors name the key (`synthetic.clickRate`). */
export function resolveSimulatorOptions(value: unknown, key = 'synthetic', source?: string): ResolvedSimulatorOptions {
  const r = new SpecReader(source);
  const o = r.object(value ?? {}, key, KEYS);
  const d = DEFAULT_SIMULATOR_OPTIONS;
  const int = (name: keyof SimulatorOptions, min: number, fallback: number): number =>
    o[name] === undefined ? fallback : r.integer(o[name], join(key, name), min);
  const unit = (name: keyof SimulatorOptions, fallback: number, min = 0, max = 1): number =>
    o[name] === undefined ? fallback : r.numberIn(o[name], join(key, name), min, max);
  const rates: Record<string, number> = {};
  if (o.conversionRates === undefined) Object.assign(rates, d.conversionRates);
  else {
    const ratesKey = join(key, 'conversionRates');
    const given = r.object(o.conversionRates, ratesKey, Object.keys(o.conversionRates as object));
    if (Object.keys(given).length === 0) r.fail(ratesKey, 'needs at least one conversion type');
    for (const [name, rate] of Object.entries(given)) {
      if (!/^[A-Za-z_][\w.-]*$/.test(name) || name === 'click')
        r.fail(join(ratesKey, name), 'is not a valid task name (and "click" is taken)');
      rates[name] = r.numberIn(rate, join(ratesKey, name), 1e-6, 0.999);
    }
  }
  const parents: Record<string, string> = {};
  if (o.conversionParents !== undefined) {
    const parentsKey = join(key, 'conversionParents');
    const given = r.object(o.conversionParents, parentsKey, Object.keys(o.conversionParents as object));
    const order = Object.keys(rates);
    for (const [child, parent] of Object.entries(given)) {
      if (!(child in rates)) r.fail(join(parentsKey, child), `names no conversion type; conversion types are ${order.join(', ')}`);
      if (typeof parent !== 'string' || !(parent in rates) || order.indexOf(parent) >= order.indexOf(child)) {
        r.fail(join(parentsKey, child), `must name a conversion type listed before "${child}" in conversionRates (${order.join(', ')})`);
      }
      parents[child] = parent as string;
    }
  }
  return {
    seed: o.seed === undefined ? d.seed : r.integer(o.seed, join(key, 'seed'), 0),
    trainRows: int('trainRows', 1, d.trainRows),
    validationRows: int('validationRows', 1, d.validationRows),
    testRows: int('testRows', 1, d.testRows),
    users: int('users', 1, d.users),
    items: int('items', 1, d.items),
    userSegments: int('userSegments', 1, d.userSegments),
    itemCategories: int('itemCategories', 1, d.itemCategories),
    latentDim: int('latentDim', 1, d.latentDim),
    clickRate: unit('clickRate', d.clickRate, 1e-4, 0.999),
    conversionRates: rates,
    conversionParents: parents,
    relatedness: unit('relatedness', d.relatedness),
    clickInfluence: unit('clickInfluence', d.clickInfluence),
    signal: unit('signal', d.signal, 0, 10),
  };
}
