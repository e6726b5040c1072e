/** The ONNX emitter of {@link SharedBottom}: one MLP whose output every task reads. */
import { emitDenseStack } from '../layers/dense-stack.onnx.js';
import { registerOnnxEmitter, type OnnxEmitter } from '../onnx/onnx-emitters.js';
import { SharedBottom } from './shared-bottom.js';

/** `$input → {task: the shared output}`: one value, read by every task. */
export const emitSharedBottomOnnx: OnnxEmitter<SharedBottom> = (block, inputs, graph) => {
  const shared = emitDenseStack(graph, block, 'bottom', block.bottom, inputs[0]!);
  return block.tasks.map(() => shared);
};
registerOnnxEmitter(SharedBottom.className, emitSharedBottomOnnx);
