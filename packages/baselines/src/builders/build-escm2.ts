import { buildMultiTaskModel, COMMON_MODEL_OPTION_SCHEMA, validateOptions, type MultiTaskModel, type OptionSchemaFor } from '@ektm/core';
import { CounterfactualCvrTower, type Counterfactual } from '../blocks/counterfactual-cvr-tower.js';
import { baselineBackbone } from './baseline-backbone.js';
import { DEFAULT_BASELINE_TOWER, jsonSafe, requireOptions, type BaselineOptions } from './baseline-options.js';
import { ESMM_OPTION_SCHEMA, esmmTasks, type EsmmOptions } from './build-esmm.js';
import { resolveFunnel } from './funnel.js';

/** Options of {@link buildEscm2}. */
export interface Escm2Options extends EsmmOptions {
  /** The counterfactual regulariser: `ipw` (default) or `dr` (doubly robust, with an imputation head). */
  counterfactual?: Counterfactual;
  /** Weight λ_c of the counterfactual CVR loss. Default 0.5 (PaddleRec's fallback). */
  counterfactualWeight?: number;
  /** Weight of the imputation loss (DR only). Default 1. */
  imputationWeight?: number;
  /** Floor of the propensity pCTR before it is inverted. Default 0.05 (weights at most 20). */
  minPropensity?: number;
}

/** The own options of {@link buildEscm2}, documented; the builder rejects any other key. */
export const ESCM2_OPTION_SCHEMA: OptionSchemaFor<Escm2Options, keyof BaselineOptions> = {
  ...ESMM_OPTION_SCHEMA,
  counterfactual: {
    type: 'string',
    choices: ['ipw', 'dr'],
    default: 'ipw',
    doc: 'The counterfactual regulariser: ipw or dr (doubly robust).',
  },
  counterfactualWeight: { type: 'number', min: 0, default: 0.5, doc: 'Weight of the counterfactual CVR loss.' },
  imputationWeight: { type: 'number', min: 0, default: 1, doc: 'Weight of the imputation loss (dr only).' },
  minPropensity: {
    type: 'number',
    min: 0,
    max: 1,
    exclusiveMin: true,
    default: 0.05,
    doc: 'Floor of the propensity pCTR before it is inverted.',
  },
};

/**
 * ESCM2 (Wang et al., "ESCM²: Entire Space Counterfactual Multi-Task Model for Post-Click Conversion Rate
 * Estimation", SIGIR 2022): ESMM plus a counterfactual CVR regulariser. The total loss is
 *
 *     L = L_CTR + ctcvrWeight · L_CTCVR + λ_c · R_CVR
 *
 * where R_CVR is the inverse-propensity-weighted CVR loss over the entire space (`ipw`: Σ o_i e_i / p̂_i / |D|) or
 * the doubly robust one (`dr`: Σ [ê_i + o_i (e_i − ê_i) / p̂_i] / |D|, plus the imputation loss), with the model's own
 * pCTR p̂ (stop-gradient, floored at `minPropensity`) as the propensity. Tasks as in {@link buildEsmm}.
 *
 * @example
 * const model = buildEscm2({ features: data.features, tasks: data.tasks, click: 'click', conversion: 'purchase', counterfactual: 'dr' });
 */
export function buildEscm2(options: Escm2Options): MultiTaskModel {
  requireOptions(options, 'buildEscm2');
  validateOptions({ ...COMMON_MODEL_OPTION_SCHEMA, ...ESCM2_OPTION_SCHEMA }, options, 'buildEscm2');
  const funnel = resolveFunnel(options.tasks, options, 'escm2');
  const tasks = esmmTasks(funnel, options);
  const cvr = tasks[1]!.name;
  const tower = { ...DEFAULT_BASELINE_TOWER, ...options.tower };
  const backbone = options.backbone ?? 'single-task';
  const { counterfactual = 'ipw', counterfactualWeight, imputationWeight, minPropensity } = options;
  // Built once here so that invalid options throw before any layer is created.
  const check = new CounterfactualCvrTower({
    task: cvr,
    clickTask: funnel.click,
    counterfactual,
    hidden: tower,
    counterfactualWeight,
    imputationWeight,
    minPropensity,
  });
  return buildMultiTaskModel({
    name: options.name ?? 'escm2',
    features: options.features,
    embeddingDim: options.embeddingDim,
    tasks,
    backbone: baselineBackbone(backbone, options.backboneOptions),
    blocks: [
      ...(options.blocks ?? []),
      (ctx) =>
        new CounterfactualCvrTower({
          task: cvr,
          clickTask: funnel.click,
          counterfactual,
          hidden: tower,
          counterfactualWeight,
          imputationWeight,
          minPropensity,
          seed: ctx.seed,
          name: `tower_${cvr}`,
        }),
    ],
    tower,
    seed: options.seed,
    architecture: jsonSafe({
      model: 'escm2',
      backbone: typeof backbone === 'string' ? backbone : 'custom',
      backboneOptions: options.backboneOptions ?? {},
      funnel,
      tasks,
      tower,
      counterfactual,
      counterfactualWeight: check.counterfactualWeight,
      imputationWeight: check.imputationWeight,
      minPropensity: check.minPropensity,
      extraBlocks: options.blocks?.length ?? 0,
    }),
  });
}
