import * as tf from '@tensorflow/tfjs-core';
import { ConfigError } from '@ektm/core';
import { describe, expect, it } from 'vitest';
import { describeOnnxModel, encodeOnnxModel } from './encode-onnx-model.js';
import { OnnxGraph } from './onnx-graph.js';
import { runOnnx } from './onnx-runtime.js';

describe('OnnxGraph', () => {
  it('makes names unique, never takes a reserved name, and shares small constants', () => {
    const graph = new OnnxGraph('g', ['x', 'y']);
    expect(graph.uniqueName('x')).toBe('x_1');
    expect(graph.uniqueName('h')).toBe('h');
    expect(graph.uniqueName('h')).toBe('h_1');
    const axes = graph.constant([1], [1], 'int64', 'axes');
    expect(graph.constant([1], [1], 'int64', 'other')).toBe(axes);
    expect(graph.constant([1], [1], 'float32', 'axes')).not.toBe(axes);
    expect(() => graph.constant([1, 2], [3], 'float32')).toThrow(/2 values for shape \[3\]/);
  });

  it('adds a weight once however often it is asked for, and rejects unknown inputs', () => {
    const graph = new OnnxGraph('g', ['x']);
    const w = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(graph.weight(w, 'w')).toBe(graph.weight(w, 'again'));
    expect(() => graph.op('Relu', ['nowhere'])).toThrow(ConfigError);
    w.dispose();
  });

  it('drops the nodes and initializers no output needs, and the result runs on onnxruntime', async () => {
    const graph = new OnnxGraph('g', ['x', 'y']);
    graph.addInput('x', 'float32', ['batch']);
    const two = graph.constant([2], [], 'float32', 'two');
    const doubled = graph.op('Mul', ['x', two]);
    graph.op('Add', [doubled, graph.constant([100], [], 'float32', 'unused')]); // an output nobody reads
    graph.op('LeakyRelu', [doubled], { alpha: { float: 0.5 } });
    graph.addOutput(graph.op('LeakyRelu', [doubled], { alpha: { float: 0.5 } }), 'y', 'float32', ['batch']);
    const finished = graph.finish();
    expect(finished.nodes.map((n) => n.opType)).toEqual(['Mul', 'LeakyRelu', 'Identity']);
    expect(finished.initializers.map((i) => i.name)).toEqual(['two']);
    const bytes = encodeOnnxModel(finished, { producerName: 'test', producerVersion: '0', docString: '', metadata: { k: 'v' } });
    expect(describeOnnxModel(bytes)).toMatchObject({
      irVersion: 8,
      opsets: { '': 17 },
      metadata: { k: 'v' },
      inputs: ['x'],
      outputs: ['y'],
    });
    const { y } = await runOnnx(bytes, { x: Float32Array.of(-1, 3) });
    expect(Array.from(y!)).toEqual([-1, 6]);
  });

  it('tells integer from float attributes', () => {
    const graph = new OnnxGraph('g', ['x', 'y']);
    graph.addInput('x', 'float32', ['batch']);
    graph.addOutput(graph.op('LeakyRelu', ['x'], { alpha: 0.5 }), 'y', 'float32', ['batch']);
    expect(() => encodeOnnxModel(graph.finish(), { producerName: '', producerVersion: '', docString: '', metadata: {} })).toThrow(
      /alpha = 0.5: a float must be given as \{ float: 0.5 \}/,
    );
  });
});
