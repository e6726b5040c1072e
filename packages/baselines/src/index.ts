/**
 * `@ektm/baselines`: the multi-task model zoo built only from `@ektm/core`'s interfaces (task blocks over the
 * per-task representation record), so that every block mixes with every other, EKTM's included: single-task,
 * shared-bottom, OMoE, MMoE, PLE/CGC, ESMM, ESCM2 (IPW, DR) and AITM with its calibrator.
 *
 * @packageDocumentation
 */
export { SharedBottom, type SharedBottomArgs } from '@ektm/core';
export * from './experts/batched-experts.js';
export * from './experts/gating.js';
export * from './losses/aitm-calibrator.js';
export * from './losses/escm2-losses.js';
export * from './blocks/single-task-backbone.js';
export * from './blocks/mixture-of-experts.js';
export * from './blocks/progressive-layered-extraction.js';
export * from './blocks/aitm-transfer.js';
export * from './blocks/counterfactual-cvr-tower.js';
export * from './builders/baseline-options.js';
export * from './builders/funnel.js';
export * from './builders/baseline-backbone.js';
export * from './builders/build-backbone-models.js';
export * from './builders/build-esmm.js';
export * from './builders/build-escm2.js';
export * from './builders/build-aitm.js';
export * from './registry/baselines.js';
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
