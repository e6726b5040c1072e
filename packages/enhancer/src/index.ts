export { enhancementHinge, hardExampleLoss, ENHANCEMENT_HINGE_KIND, HARD_EXAMPLE_KIND } from './enhancement-losses.js';
export {
  originalHeadName,
  type EnhancerFusion,
  ENHANCER_FUSIONS,
  type EnhancementLoss,
  ENHANCEMENT_LOSSES,
  type TaskEnhancerArgs,
  TaskEnhancer,
} from './task-enhancer.js';
export { emitTaskEnhancerOnnx } from './task-enhancer.onnx.js';
