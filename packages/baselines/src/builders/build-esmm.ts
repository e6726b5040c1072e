import {
  buildMultiTaskModel,
  COMMON_MODEL_OPTION_SCHEMA,
  validateOptions,
  type BlockOption,
  type MultiTaskModel,
  type OptionDoc,
  type OptionSchemaFor,
  type TaskSpec,
} from '@ektm/core';
import {
  BASELINE_BACKBONE_OPTION_SCHEMA,
  BASELINE_BACKBONES,
  baselineBackbone,
  type BaselineBackboneName,
  type BaselineBackboneOptions,
} from './baseline-backbone.js';
import { DEFAULT_BASELINE_TOWER, jsonSafe, requireOptions, type BaselineOptions } from './baseline-options.js';
import { FUNNEL_NAMES_OPTION_SCHEMA, resolveFunnel, type FunnelNames, type ResolvedFunnel } from './funnel.js';
import { nonNegative } from '../util/task-list.js';

/** Options of {@link buildEsmm}. */
export interface EsmmOptions extends BaselineOptions, FunnelNames {
  /** The backbone under the CTR and CVR towers. Default `single-task` (the paper: two networks over shared embeddings). */
  backbone?: BaselineBackboneName | BlockOption;
  /** Sizes of a named backbone. Default: that backbone's defaults. */
  backboneOptions?: BaselineBackboneOptions;
  /** Transfer blocks between backbone and towers. Default none. */
  blocks?: BlockOption[];
  /** Name of the CVR task (clicked space). Default `cvr`. */
  cvrTask?: string;
  /** Name of the CTCVR product task (entire space). Default `ctcvr`. */
  ctcvrTask?: string;
  /** Loss weight of the CVR task in the clicked space; ESMM trains it only through the product. Default 0. */
  cvrWeight?: number;
  /** Loss weight of the CTCVR task. Default 1. */
  ctcvrWeight?: number;
}

/** The backbone options of the funnel models (ESMM, ESCM2, AITM): a named backbone or your own block, and its sizes. */
export const FUNNEL_BACKBONE_OPTION_SCHEMA: Readonly<Record<'backbone' | 'backboneOptions', OptionDoc>> = {
  backbone: {
    type: ['string', 'block'],
    choices: BASELINE_BACKBONES,
    default: 'single-task',
    doc: 'The backbone under the towers, by name, or your own block.',
  },
  backboneOptions: {
    type: 'object',
    fields: BASELINE_BACKBONE_OPTION_SCHEMA,
    defaultText: "that backbone's defaults",
    doc: 'Sizes of a named backbone.',
  },
} as const;

/** The own options of {@link buildEsmm}, documented; the builder rejects any other key. */
export const ESMM_OPTION_SCHEMA: OptionSchemaFor<EsmmOptions, keyof BaselineOptions> = {
  ...FUNNEL_NAMES_OPTION_SCHEMA,
  ...FUNNEL_BACKBONE_OPTION_SCHEMA,
  blocks: { type: 'array', default: [], doc: 'Transfer blocks between backbone and towers.', tunable: false },
  cvrTask: { type: 'string', default: 'cvr', doc: 'Name of the CVR task (clicked space).', tunable: false },
  ctcvrTask: { type: 'string', default: 'ctcvr', doc: 'Name of the CTCVR product task (entire space).', tunable: false },
  cvrWeight: { type: 'number', min: 0, default: 0, doc: 'Loss weight of the CVR task in the clicked space.' },
  ctcvrWeight: { type: 'number', min: 0, default: 1, doc: 'Loss weight of the CTCVR task.' },
};

/** The ESMM task set built from a funnel: click (entire space), CVR (clicked space), CTCVR = pCTR · pCVR. */
export function esmmTasks(
  funnel: ResolvedFunnel,
  options: { cvrTask?: string; ctcvrTask?: string; cvrWeight?: number; ctcvrWeight?: number },
): TaskSpec[] {
  const cvr = options.cvrTask ?? 'cvr';
  const ctcvr = options.ctcvrTask ?? 'ctcvr';
  return [
    { name: funnel.click, label: funnel.clickLabel },
    { name: cvr, label: funnel.conversionLabel, parent: funnel.click, weight: nonNegative(options.cvrWeight, 0, 'esmm.cvrWeight') },
    {
      name: ctcvr,
      label: funnel.conversionLabel,
      product: [funnel.click, cvr],
      weight: nonNegative(options.ctcvrWeight, 1, 'esmm.ctcvrWeight'),
    },
  ];
}

/**
 * ESMM (Ma et al., "Entire Space Multi-Task Model: An Effective Approach for Estimating Post-Click Conversion
 * Rate", SIGIR 2018): pCTCVR = pCTR · pCVR over every impression, so that the CVR head is trained through the
 * product on the entire space (no sample selection bias) and evaluated in the clicked space.
 *
 * Tasks: the dataset's click → conversion funnel (see `resolveFunnel`: explicit `{ click, conversion }`, an
 * ESMM-shaped task set, or a single task with a parent) becomes `click` (entire space), `cvr` (clicked space,
 * weight 0: evaluated only) and `ctcvr` (the product, label = conversion). Other tasks of the set are left out.
 * A task set that is not a funnel (census income/marital) throws unless `{ click, conversion }` names two tasks.
 *
 * @example
 * const data = await loadDataset('ali-ccp', { taskSet: 'mtl' });
 * const model = buildEsmm({ features: data.features, tasks: data.tasks, click: 'click', conversion: 'purchase' });
 */
export function buildEsmm(options: EsmmOptions): MultiTaskModel {
  requireOptions(options, 'buildEsmm');
  validateOptions({ ...COMMON_MODEL_OPTION_SCHEMA, ...ESMM_OPTION_SCHEMA }, options, 'buildEsmm');
  const funnel = resolveFunnel(options.tasks, options, 'esmm');
  const tasks = esmmTasks(funnel, options);
  const tower = { ...DEFAULT_BASELINE_TOWER, ...options.tower };
  const backbone = options.backbone ?? 'single-task';
  return buildMultiTaskModel({
    name: options.name ?? 'esmm',
    features: options.features,
    embeddingDim: options.embeddingDim,
    tasks,
    backbone: baselineBackbone(backbone, options.backboneOptions),
    blocks: options.blocks,
    tower,
    seed: options.seed,
    architecture: jsonSafe({
      model: 'esmm',
      backbone: typeof backbone === 'string' ? backbone : 'custom',
      backboneOptions: options.backboneOptions ?? {},
      funnel,
      tasks,
      tower,
      extraBlocks: options.blocks?.length ?? 0,
    }),
  });
}
