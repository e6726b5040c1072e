/** The ONNX form of the gating helpers (`softmaxGates`, `mixExperts`, `unstackSlots`). */
import { onnxReshape, onnxScalar, onnxSlot, type OnnxGraphBuilder } from '@ektm/core';

/** `softmax(logits / temperature)` over each gate's E experts: logits `[B, G·E]` → `[B, G, E]`. */
export function emitSoftmaxGates(graph: OnnxGraphBuilder, logits: string, gates: number, experts: number, temperature: number): string {
  const scaled = temperature === 1 ? logits : graph.op('Div', [logits, onnxScalar(graph, temperature, 'temperature')]);
  return graph.op('Softmax', [onnxReshape(graph, scaled, [-1, gates, experts])], { axis: -1 });
}

/** The gated mixtures `[B, G, d]` of gates `[B, G, E]` and experts `[B, E, d]`. */
export function emitMixExperts(graph: OnnxGraphBuilder, gates: string, experts: string): string {
  return graph.op('MatMul', [gates, experts]);
}

/** `[B, G, d]` → G values `[B, d]`. */
export function emitUnstackSlots(graph: OnnxGraphBuilder, x: string, slots: number, width: number): string[] {
  if (slots === 1) return [onnxReshape(graph, x, [-1, width])];
  return Array.from({ length: slots }, (_, i) => onnxSlot(graph, x, i, 1));
}
