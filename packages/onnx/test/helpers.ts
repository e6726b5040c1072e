/** Re-exports for the tests, and a check that every layer of some models has an ONNX emitter. */
import { registeredOnnxEmitters, type MultiTaskModel } from '@ektm/core';

export * from '../src/index.js';

/** The layer classes the models use, and those among them with no registered ONNX emitter. Disposes the models. */
export function registeredClassesOf(models: MultiTaskModel[]): { used: string[]; missing: string[] } {
  const used = new Set<string>();
  for (const model of models) {
    for (const layer of model.model.layers) if (layer.getClassName() !== 'InputLayer') used.add(layer.getClassName());
    model.dispose();
  }
  const registered = new Set(registeredOnnxEmitters());
  return { used: [...used].sort(), missing: [...used].filter((c) => !registered.has(c)) };
}
