export { similarityWeights, type RouterSimilarity, ROUTER_SIMILARITIES, type SimilarityInputs } from './router-similarity.js';
export { routedKey, ROUTER_SIMILARITY_DIAGNOSTIC, type TaskRouterArgs, TaskRouter } from './task-router.js';
export { emitTaskRouterOnnx } from './task-router.onnx.js';
