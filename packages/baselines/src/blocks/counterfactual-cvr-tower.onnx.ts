/** The ONNX emitter of {@link CounterfactualCvrTower} (ESCM2's CVR tower, and its imputation head for DR). */
import { emitDenseStack, registerOnnxEmitter, type OnnxEmitter } from '@ektm/core';
import { CounterfactualCvrTower } from './counterfactual-cvr-tower.js';

/** `<task> → prob:<task>` (and `prob:<task>/imputation` for DR); the counterfactual losses are training only. */
export const emitCounterfactualCvrTowerOnnx: OnnxEmitter<CounterfactualCvrTower> = (block, inputs, graph) => {
  const head = { ...block.hidden, units: [...block.hidden.units, 1], activateLast: false };
  const cvr = graph.op('Sigmoid', [emitDenseStack(graph, block, 'cvr', head, inputs[0]!)]);
  if (block.counterfactual !== 'dr') return [cvr];
  return [cvr, graph.op('Sigmoid', [emitDenseStack(graph, block, 'imputation', head, inputs[0]!)])];
};
registerOnnxEmitter(CounterfactualCvrTower.className, emitCounterfactualCvrTowerOnnx);
