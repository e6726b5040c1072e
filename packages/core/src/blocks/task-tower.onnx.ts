/** The ONNX emitter of {@link TaskTower}: hidden layers, one output unit, then the sigmoid (or nothing, for regression). */
import { emitDenseStack } from '../layers/dense-stack.onnx.js';
import { registerOnnxEmitter, type OnnxEmitter } from '../onnx/onnx-emitters.js';
import { TaskTower } from './task-tower.js';

/** `<task> [B, d] → prob:<task> [B, 1]`. */
export const emitTaskTowerOnnx: OnnxEmitter<TaskTower> = (block, inputs, graph) => {
  const options = { ...block.hidden, units: [...block.hidden.units, 1], activateLast: false };
  const logit = emitDenseStack(graph, block, 'dense', options, inputs[0]!);
  return [block.outputActivation === 'sigmoid' ? graph.op('Sigmoid', [logit]) : logit];
};
registerOnnxEmitter(TaskTower.className, emitTaskTowerOnnx);
