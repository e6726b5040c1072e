import type { MultiTaskModel } from '@ektm/core';
import { buildAitm } from '../builders/build-aitm.js';
import { buildMmoe, buildOmoe, buildPle, buildSharedBottom, buildSingleTask } from '../builders/build-backbone-models.js';
import type { BaselineOptions } from '../builders/baseline-options.js';
import { buildEscm2 } from '../builders/build-escm2.js';
import { buildEsmm } from '../builders/build-esmm.js';

/** Names of the baselines, as the CLI and reports spell them. */
export type BaselineName = 'single-task' | 'shared-bottom' | 'omoe' | 'mmoe' | 'ple' | 'esmm' | 'escm2' | 'aitm';

/** One baseline of the zoo: a one-call builder with its defaults, a one-line description and its paper. */
export interface BaselineEntry {
  /** Builds a fresh model from a dataset's features and tasks (and any of the builder's own options). */
  build(options: BaselineOptions): MultiTaskModel;
  /** One line for help texts and reports. */
  description: string;
  /** The paper the model comes from. */
  paper: string;
}

/** The model zoo by name, for CLIs and benchmarks (`ektm compare --models mmoe,ple,aitm`). */
export const BASELINES: Readonly<Record<BaselineName, BaselineEntry>> = {
  'single-task': {
    build: buildSingleTask,
    description: 'Single-task: one network per task over shared embeddings (the reference for negative transfer)',
    paper: 'Caruana, "Multitask Learning", Machine Learning 28, 1997 (the independent-task baseline)',
  },
  'shared-bottom': {
    build: buildSharedBottom,
    description: 'Shared-bottom: one shared network, a tower per task',
    paper: 'Caruana, "Multitask Learning", Machine Learning 28, 1997',
  },
  omoe: {
    build: buildOmoe,
    description: 'OMoE: shared experts mixed by one softmax gate for every task',
    paper: 'Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018',
  },
  mmoe: {
    build: buildMmoe,
    description: 'MMoE: shared experts mixed by a softmax gate per task',
    paper: 'Ma et al., "Modeling Task Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018',
  },
  ple: {
    build: buildPle,
    description: 'PLE: shared and task-specific experts over two extraction levels (one level is CGC)',
    paper:
      'Tang et al., "Progressive Layered Extraction (PLE): A Novel Multi-Task Learning (MTL) Model for Personalized Recommendations", RecSys 2020',
  },
  esmm: {
    build: buildEsmm,
    description: 'ESMM: pCTCVR = pCTR x pCVR over the entire space (needs a click -> conversion funnel)',
    paper: 'Ma et al., "Entire Space Multi-Task Model: An Effective Approach for Estimating Post-Click Conversion Rate", SIGIR 2018',
  },
  escm2: {
    build: buildEscm2,
    description: 'ESCM2: ESMM with a counterfactual (inverse propensity weighted) CVR regulariser (needs a funnel)',
    paper: 'Wang et al., "ESCM2: Entire Space Counterfactual Multi-Task Model for Post-Click Conversion Rate Estimation", SIGIR 2022',
  },
  aitm: {
    build: buildAitm,
    description: 'AITM: attention-based information transfer along a funnel (or a chain of tasks) with the calibrator',
    paper:
      'Xi et al., "Modeling the Sequential Dependence among Audience Multi-step Conversions with Multi-task Learning in Targeted Display Advertising", KDD 2021',
  },
};

/** The names of {@link BASELINES}, in the order of the issue. */
export const BASELINE_NAMES: readonly BaselineName[] = Object.keys(BASELINES) as BaselineName[];
