import { describe, expect, it } from 'vitest';
import { SharedBottom } from '../blocks/shared-bottom.js';
import { ConfigError } from '../errors/config-error.js';
import { buildMultiTaskModel } from '../model/build-model.js';
import '../index.js';
import { findLayerWeight, getOnnxEmitter, hasLayerWeight, registeredOnnxEmitters, registerOnnxEmitter } from './onnx-emitters.js';

describe('the ONNX emitter registry', () => {
  it('has an emitter for every block class of core once core is imported', () => {
    expect(registeredOnnxEmitters()).toEqual(
      expect.arrayContaining(['EktmFeatureEmbedding', 'EktmMlp', 'EktmSharedBottom', 'EktmTaskTower', 'EktmProductHead']),
    );
  });

  it('names the class and the layer, and says how to register an emitter, when there is none', () => {
    const lookup = () => getOnnxEmitter('MyCustomBlock', 'my_block');
    expect(lookup).toThrow(ConfigError);
    expect(lookup).toThrow(/no ONNX emitter is registered for layer class "MyCustomBlock" \(layer "my_block"\)/);
    expect(lookup).toThrow(/registerOnnxEmitter\('MyCustomBlock', \(block, inputs, graph, context\) => \[\.\.\.outputs\]\)/);
  });

  it('registers an emitter under a class name and rejects bad registrations', () => {
    const emitter = () => ['x'];
    registerOnnxEmitter('TestOnnxRegistryBlock', emitter);
    expect(getOnnxEmitter('TestOnnxRegistryBlock')).toBe(emitter);
    expect(() => registerOnnxEmitter('', emitter)).toThrow(ConfigError);
    expect(() => registerOnnxEmitter('X', 'nope' as never)).toThrow(/emitter must be a function/);
  });

  it('finds a layer weight by the name given to addWeight, and lists the weights when there is none', () => {
    const model = buildMultiTaskModel({
      features: [{ name: 'item', type: 'categorical', vocabularySize: 4 }],
      tasks: [{ name: 'click' }],
      backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [3] }, seed: ctx.seed, name: 'bottom' }),
    });
    const bottom = model.model.getLayer('bottom');
    expect(findLayerWeight(bottom, 'bottom0/kernel').shape).toEqual([8, 3]);
    expect(hasLayerWeight(bottom, 'bottom0/bias')).toBe(true);
    expect(hasLayerWeight(bottom, 'bottom1/kernel')).toBe(false);
    expect(() => findLayerWeight(bottom, 'gate/kernel')).toThrow(
      /layer "bottom" \(EktmSharedBottom\) has no weight "gate\/kernel"; it has bottom\/bottom0\/kernel, bottom\/bottom0\/bias/,
    );
    model.dispose();
  });
});
