import { ConfigError } from '@ektm/core';
import type { EngineLoader } from './inference-engine.js';
import { loadOnnxEngine } from './onnx-engine.js';
import { loadTfjsEngine } from './tfjs-engine.js';

/** The engines `ektm serve --engine` offers, by name. */
export const ENGINES: Readonly<Record<string, EngineLoader>> = {
  tfjs: loadTfjsEngine,
  onnx: loadOnnxEngine,
};

/** The names of {@link ENGINES}. */
export function engineNames(): string[] {
  return Object.keys(ENGINES);
}

/** The loader of an engine by name; a `ConfigError` (key `engine`) lists the engines for an unknown one. */
export function findEngine(name: string): EngineLoader {
  const loader = ENGINES[name];
  if (!loader) throw new ConfigError(`engine ${JSON.stringify(name)} is not available; use one of ${engineNames().join(', ')}`, 'engine');
  return loader;
}
