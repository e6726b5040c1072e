import {
  buildMultiTaskModel,
  COMMON_MODEL_OPTION_SCHEMA,
  DENSE_STACK_OPTION_SCHEMA,
  resolveTasks,
  towerTasks,
  validateOptions,
  type BlockOption,
  type MultiTaskModel,
  type OptionSchemaFor,
  type TaskSpec,
} from '@ektm/core';
import { AitmTransfer, AITM_DEFAULT_CALIBRATOR_WEIGHT } from '../blocks/aitm-transfer.js';
import { baselineBackbone, type BaselineBackboneName, type BaselineBackboneOptions } from './baseline-backbone.js';
import { jsonSafe, requireOptions, type BaselineOptions } from './baseline-options.js';
import { FUNNEL_BACKBONE_OPTION_SCHEMA } from './build-esmm.js';
import { FUNNEL_NAMES_OPTION_SCHEMA, resolveFunnel, type FunnelNames, type ResolvedFunnel } from './funnel.js';
import { validateTaskNames } from '../util/task-list.js';
import { ConfigError } from '@ektm/core';

/** Options of {@link buildAitm}. */
export interface AitmOptions extends BaselineOptions, FunnelNames {
  /**
   * A chain of tasks in order, for a task set that is not a click → conversion funnel (e.g. `['income',
   * 'marital']`): the dataset's tasks are kept as they are and information flows along the chain. Default: the
   * funnel when one is found (see `resolveFunnel`), else every task with a tower in the given order.
   */
  chain?: string[];
  /** The backbone giving each task its own representation. Default `single-task` (AITM's per-task towers). */
  backbone?: BaselineBackboneName | BlockOption;
  /** Sizes of a named backbone. Default `{ bottom: { units: [128, 64, 32] } }` (the paper's tower sizes). */
  backboneOptions?: BaselineBackboneOptions;
  /** Dropout after each transfer layer, in training only. Default 0. */
  dropout?: number;
  /** Weight of the behavioural expectation calibrator. Default 0.6 for a funnel, 0 for a chain that is not one. */
  calibratorWeight?: number;
}

/** The own options of {@link buildAitm}, documented (its tower default differs); the builder rejects any other key. */
export const AITM_OPTION_SCHEMA: OptionSchemaFor<AitmOptions, Exclude<keyof BaselineOptions, 'tower'>> = {
  ...FUNNEL_NAMES_OPTION_SCHEMA,
  chain: {
    type: 'string[]',
    defaultText: 'the funnel, else every task in order',
    doc: 'A chain of tasks in order, for a task set that is not a funnel.',
    tunable: false,
  },
  ...FUNNEL_BACKBONE_OPTION_SCHEMA,
  backboneOptions: {
    ...FUNNEL_BACKBONE_OPTION_SCHEMA.backboneOptions,
    default: { bottom: { units: [128, 64, 32] } },
    defaultText: undefined,
  },
  dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true, default: 0, doc: 'Dropout after each transfer layer, in training only.' },
  calibratorWeight: {
    type: 'number',
    min: 0,
    defaultText: '0.6 on a funnel, 0 on a chain',
    doc: 'Weight of the behavioural expectation calibrator.',
  },
  tower: {
    type: 'object',
    fields: DENSE_STACK_OPTION_SCHEMA,
    default: { units: [] },
    doc: 'The tower of every task; logistic heads by default, since the backbone is the tower.',
  },
};

/**
 * AITM (Xi et al., "Modeling the Sequential Dependence among Audience Multi-step Conversions with Multi-task
 * Learning in Targeted Display Advertising", KDD 2021): each step of a conversion funnel receives what the step
 * before it learnt, through a transfer layer and attention (`AitmTransfer`), and a behavioural expectation
 * calibrator penalises a later step predicted likelier than the one before it (the PyTorch peers leave it out).
 *
 * On a funnel (explicit `{ click, conversion }`, an ESMM-shaped task set or one task with a parent) the model
 * predicts `click` and the conversion over the entire space (label = conversion, 0 where not clicked), as the
 * paper does. On any other task set it chains the tasks in their given order (or `chain`), keeps them as they are,
 * and turns the calibrator off unless `calibratorWeight` is given (p_k ≤ p_{k−1} does not hold between unrelated
 * tasks). The towers on top are logistic heads (`tower: { units: [] }`) since the backbone is the tower.
 *
 * @example
 * const model = buildAitm({ features: data.features, tasks: data.tasks, click: 'click', conversion: 'purchase' });
 * const { diagnostics } = model.predict(data.splits.validation); // diagnostics['aitm/attention'].mean: own vs transferred
 */
export function buildAitm(options: AitmOptions): MultiTaskModel {
  requireOptions(options, 'buildAitm');
  validateOptions({ ...COMMON_MODEL_OPTION_SCHEMA, ...AITM_OPTION_SCHEMA }, options, 'buildAitm');
  const plan = aitmPlan(options);
  const tower = { units: [], ...options.tower };
  const backbone = options.backbone ?? 'single-task';
  const backboneOptions = options.backboneOptions ?? { bottom: { units: [128, 64, 32] } };
  const calibratorWeight = options.calibratorWeight ?? (plan.funnel ? AITM_DEFAULT_CALIBRATOR_WEIGHT : 0);
  return buildMultiTaskModel({
    name: options.name ?? 'aitm',
    features: options.features,
    embeddingDim: options.embeddingDim,
    tasks: plan.tasks,
    backbone: baselineBackbone(backbone, backboneOptions),
    blocks: [(ctx) => new AitmTransfer({ chain: plan.chain, dropout: options.dropout, calibratorWeight, seed: ctx.seed, name: 'aitm' })],
    tower,
    seed: options.seed,
    architecture: jsonSafe({
      model: 'aitm',
      backbone: typeof backbone === 'string' ? backbone : 'custom',
      backboneOptions,
      funnel: plan.funnel,
      chain: plan.chain,
      tasks: plan.tasks,
      dropout: options.dropout ?? 0,
      calibratorWeight,
      tower,
    }),
  });
}

/** The tasks and the chain AITM is built on, and the funnel when there is one. */
function aitmPlan(options: AitmOptions): { tasks: TaskSpec[]; chain: string[]; funnel?: ResolvedFunnel } {
  const explicitFunnel = options.click !== undefined || options.conversion !== undefined;
  if (options.chain !== undefined) {
    if (explicitFunnel) throw new ConfigError('aitm: pass either chain or { click, conversion }, not both', 'aitm');
    const known = towerTasks(resolveTasks(options.tasks));
    const chain = validateTaskNames(options.chain, 'aitm.chain', 2);
    const unknown = chain.filter((t) => !known.includes(t));
    if (unknown.length)
      throw new ConfigError(`aitm.chain: ${unknown.join(', ')} is not a task with a tower; tasks are ${known.join(', ')}`, 'aitm.chain');
    return { tasks: options.tasks, chain };
  }
  let funnel: ResolvedFunnel | undefined;
  try {
    funnel = resolveFunnel(options.tasks, options, 'aitm');
  } catch (error) {
    if (explicitFunnel) throw error;
  }
  if (funnel) {
    const tasks: TaskSpec[] = [
      { name: funnel.click, label: funnel.clickLabel },
      { name: funnel.conversion, label: funnel.conversionLabel },
    ];
    return { tasks, chain: [funnel.click, funnel.conversion], funnel };
  }
  const chain = towerTasks(resolveTasks(options.tasks));
  if (chain.length < 2) throw new ConfigError(`aitm: needs at least two tasks to chain; tasks are ${chain.join(', ')}`, 'aitm');
  return { tasks: options.tasks, chain };
}
