/** The ONNX emitter of {@link TaskEnhancer}, for every fusion. */
import { emitDenseStack, emitLayerWeight, onnxDense, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { TaskEnhancer } from './task-enhancer.js';

/**
 * `[<task>, transmitted:<task>]` → the fused `<task>` (`residual` f + t, `gated-residual` f + σ(W[f; t] + b) ⊙ t, or
 * `concat-mlp` MLP([f; t])) and the original head `prob:<task>/original`, which only the training losses read (the
 * export drops it unless asked for). The enhancement losses are training only.
 */
export const emitTaskEnhancerOnnx: OnnxEmitter<TaskEnhancer> = (block, inputs, graph, context) => {
  const [own, knowledge] = inputs as [string, string];
  let fused: string;
  if (block.fusion === 'residual') fused = graph.op('Add', [own, knowledge]);
  else {
    const joined = graph.op('Concat', [own, knowledge], { axis: -1 });
    if (block.fusion === 'gated-residual') {
      const gate = onnxDense(
        graph,
        joined,
        emitLayerWeight(graph, block, 'gate/kernel'),
        emitLayerWeight(graph, block, 'gate/bias'),
        'sigmoid',
      );
      fused = graph.op('Add', [own, graph.op('Mul', [gate, knowledge])]);
    } else {
      const ownShape = context.inputShapes[0]!;
      fused = emitDenseStack(graph, block, 'fusion', { units: block.fusionUnits ?? [ownShape[ownShape.length - 1] as number] }, joined);
    }
  }
  const head = { units: [...block.originalHidden, 1], activation: block.originalActivation, activateLast: false };
  const original = graph.op('Sigmoid', [emitDenseStack(graph, block, 'original', head, own)]);
  return [fused, original];
};
registerOnnxEmitter(TaskEnhancer.className, emitTaskEnhancerOnnx);
