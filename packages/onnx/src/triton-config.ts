/**
 * A Triton Inference Server model configuration (`config.pbtxt`) for an exported graph: the onnxruntime backend,
 * every input and output declared, and dynamic batching. Every tensor of the graph is `[batch]` (or `[batch, ...]`),
 * so with `max_batch_size > 0` each is declared `dims: [ 1 ]` and reshaped to `[ ]`: a request sends `[n, 1]` or,
 * through the KServe v2 protocol, `[n]`-long data with shape `[n, 1]`.
 */
import { ConfigError } from '@ektm/core';
import type { OnnxExport } from './export-onnx.js';

/** Options of the Triton model repository. */
export interface TritonOptions {
  /** Model name in the repository (its directory). Default: the model's name with every character but letters, digits, `-` and `_` replaced by `_`. */
  name?: string;
  /** `max_batch_size`: the largest batch Triton forms. Default 1024. */
  maxBatchSize?: number;
  /** `dynamic_batching.max_queue_delay_microseconds`: how long a request may wait for others to batch with. Default 100. */
  maxQueueDelayMicroseconds?: number;
  /** `instance_group` kind; unset lets Triton choose (a GPU when it has one). Default unset. */
  instanceKind?: 'cpu' | 'gpu';
  /** `instance_group` count, with `instanceKind`. Default 1. */
  instanceCount?: number;
}

/** A name usable as a Triton model directory: letters, digits, `-` and `_`. */
export function tritonModelName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_-]/g, '_');
  return cleaned === '' ? 'model' : cleaned;
}

const TYPES = { int64: 'TYPE_INT64', float32: 'TYPE_FP32', bool: 'TYPE_BOOL' } as const;

/** The text of `config.pbtxt` for the exported graph. */
export function tritonModelConfig(exported: Pick<OnnxExport, 'inputs' | 'outputs'>, name: string, options: TritonOptions = {}): string {
  const maxBatchSize = options.maxBatchSize ?? 1024;
  const delay = options.maxQueueDelayMicroseconds ?? 100;
  const count = options.instanceCount ?? 1;
  if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1)
    throw new ConfigError(`triton.maxBatchSize: ${maxBatchSize} must be an integer ≥ 1`, 'maxBatchSize');
  if (!Number.isInteger(delay) || delay < 0)
    throw new ConfigError(`triton.maxQueueDelayMicroseconds: ${delay} must be an integer ≥ 0`, 'maxQueueDelayMicroseconds');
  if (!Number.isInteger(count) || count < 1)
    throw new ConfigError(`triton.instanceCount: ${count} must be an integer ≥ 1`, 'instanceCount');
  const tensor = (t: { name: string; dataType: keyof typeof TYPES; shape: Array<number | string> }) => {
    const dims = t.shape.slice(1);
    return [
      '  {',
      `    name: ${quote(t.name)}`,
      `    data_type: ${TYPES[t.dataType]}`,
      dims.length === 0 ? '    dims: [ 1 ]\n    reshape: { shape: [ ] }' : `    dims: [ ${dims.join(', ')} ]`,
      '  }',
    ].join('\n');
  };
  const lines = [
    `name: ${quote(name)}`,
    'platform: "onnxruntime_onnx"',
    `max_batch_size: ${maxBatchSize}`,
    `input [\n${exported.inputs.map(tensor).join(',\n')}\n]`,
    `output [\n${exported.outputs.map(tensor).join(',\n')}\n]`,
    `dynamic_batching {\n  max_queue_delay_microseconds: ${delay}\n}`,
  ];
  if (options.instanceKind) {
    lines.push(`instance_group [\n  {\n    count: ${count}\n    kind: ${options.instanceKind === 'gpu' ? 'KIND_GPU' : 'KIND_CPU'}\n  }\n]`);
  }
  return `${lines.join('\n')}\n`;
}

/** A protobuf text-format string literal. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
