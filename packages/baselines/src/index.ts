/**
 * `@ektm/baselines`: the multi-task model zoo built only from `@ektm/core`'s interfaces (task blocks over the
 * per-task representation record), so that every block mixes with every other, EKTM's included: single-task,
 * shared-bottom, OMoE, MMoE, PLE/CGC, ESMM, ESCM2 (IPW, DR) and AITM with its calibrator.
 *
 * @packageDocumentation
 */
export { SharedBottom, type SharedBottomArgs } from '@ektm/core';
export { type ExpertOptions, EXPERT_OPTION_SCHEMA, BatchedExperts } from './experts/batched-experts.js';
export { aitmCalibratorLoss, AITM_CALIBRATOR_KIND } from './losses/aitm-calibrator.js';
export {
  escm2IpwLoss,
  escm2DrLoss,
  escm2ImputationLoss,
  ESCM2_IPW_KIND,
  ESCM2_DR_KIND,
  ESCM2_IMPUTATION_KIND,
  ESCM2_DEFAULT_MIN_PROPENSITY,
} from './losses/escm2-losses.js';
export { type SingleTaskBackboneArgs, SingleTaskBackbone } from './blocks/single-task-backbone.js';
export {
  type MoeGating,
  MOE_GATINGS,
  MOE_GATES_DIAGNOSTIC,
  type MixtureOfExpertsArgs,
  MixtureOfExperts,
} from './blocks/mixture-of-experts.js';
export {
  PLE_GATES_DIAGNOSTIC,
  type ProgressiveLayeredExtractionArgs,
  ProgressiveLayeredExtraction,
} from './blocks/progressive-layered-extraction.js';
export { AITM_ATTENTION_DIAGNOSTIC, AITM_DEFAULT_CALIBRATOR_WEIGHT, type AitmTransferArgs, AitmTransfer } from './blocks/aitm-transfer.js';
export {
  imputationKey,
  type Counterfactual,
  COUNTERFACTUALS,
  ESCM2_DEFAULT_COUNTERFACTUAL_WEIGHT,
  type CounterfactualCvrTowerArgs,
  CounterfactualCvrTower,
} from './blocks/counterfactual-cvr-tower.js';
export { type BaselineOptions, DEFAULT_BASELINE_TOWER } from './builders/baseline-options.js';
export { resolveFunnel, type FunnelNames, FUNNEL_NAMES_OPTION_SCHEMA, type ResolvedFunnel } from './builders/funnel.js';
export {
  baselineBackbone,
  type BaselineBackboneName,
  BASELINE_BACKBONES,
  type BaselineBackboneOptions,
  BASELINE_BACKBONE_OPTION_SCHEMA,
} from './builders/baseline-backbone.js';
export {
  buildSingleTask,
  buildSharedBottom,
  buildOmoe,
  buildMmoe,
  buildPle,
  type BackboneModelOptions,
  type SingleTaskOptions,
  type SharedBottomOptions,
  type OmoeOptions,
  type MmoeOptions,
  type PleOptions,
  SINGLE_TASK_OPTION_SCHEMA,
  SHARED_BOTTOM_OPTION_SCHEMA,
  OMOE_OPTION_SCHEMA,
  MMOE_OPTION_SCHEMA,
  PLE_OPTION_SCHEMA,
} from './builders/build-backbone-models.js';
export { esmmTasks, buildEsmm, type EsmmOptions, FUNNEL_BACKBONE_OPTION_SCHEMA, ESMM_OPTION_SCHEMA } from './builders/build-esmm.js';
export { buildEscm2, type Escm2Options, ESCM2_OPTION_SCHEMA } from './builders/build-escm2.js';
export { buildAitm, type AitmOptions, AITM_OPTION_SCHEMA } from './builders/build-aitm.js';
export { BASELINE_MODELS } from './registry/baselines.js';
export { anyTaskSet, chainSupport, funnelAdaptation, funnelSupport } from './models/task-support.js';
export { SINGLE_TASK_MODEL } from './models/single-task.js';
export { SHARED_BOTTOM_MODEL } from './models/shared-bottom.js';
export { OMOE_MODEL } from './models/omoe.js';
export { MMOE_MODEL } from './models/mmoe.js';
export { EXPERTS_SEARCH_SPACE } from './models/mixture-of-experts-space.js';
export { PLE_MODEL } from './models/ple.js';
export { ESMM_MODEL, ESMM_SEARCH_SPACE } from './models/esmm.js';
export { ESCM2_MODEL } from './models/escm2.js';
export { AITM_MODEL } from './models/aitm.js';
export { CGC_MODEL } from './models/cgc.js';
export { emitExpertsEach, emitExpertsShared, type OnnxExpertGroup } from './experts/batched-experts.onnx.js';
export { emitMixExperts, emitSoftmaxGates, emitUnstackSlots } from './experts/gating.onnx.js';
export { emitSingleTaskBackboneOnnx } from './blocks/single-task-backbone.onnx.js';
export { emitMixtureOfExpertsOnnx } from './blocks/mixture-of-experts.onnx.js';
export { emitProgressiveLayeredExtractionOnnx } from './blocks/progressive-layered-extraction.onnx.js';
export { emitAitmTransferOnnx } from './blocks/aitm-transfer.onnx.js';
export { emitCounterfactualCvrTowerOnnx } from './blocks/counterfactual-cvr-tower.onnx.js';
