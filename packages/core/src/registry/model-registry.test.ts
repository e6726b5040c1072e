import { describe, expect, it } from 'vitest';
import { SharedBottom } from '../blocks/shared-bottom.js';
import { ConfigError } from '../errors/config-error.js';
import { buildMultiTaskModel } from '../model/build-model.js';
import { SYNTHETIC_FEATURES } from '../training/synthetic-problem.js';
import type { TaskSpec } from '../tasks/task-spec.js';
import { closestName } from '../util/closest-name.js';
import { COMMON_SEARCH_SPACE, type ModelBuildOptions } from './common-model-options.js';
import { defineModel, type ModelDefinition } from './model-definition.js';
import { ModelRegistry } from './model-registry.js';
import { optionAt, optionPaths, validateOptions, type OptionSchema } from './option-schema.js';
import { searchKeyActive, searchKeyOrder, splitSearchPoint, validateSearchSpace, type SearchSpace } from './search-space.js';

/** Runs `fn` and returns the ConfigError it throws (fails when it throws nothing or something else). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const SCHEMA: OptionSchema = {
  experts: { type: 'integer', min: 1, default: 4, doc: 'experts' },
  expert: {
    type: 'object',
    doc: 'one expert',
    fields: {
      units: { type: 'integer[]', min: 1, doc: 'units' },
      dropout: { type: 'number', min: 0, max: 1, exclusiveMax: true, doc: 'dropout' },
    },
  },
  kind: { type: 'string', choices: ['a', 'b'], doc: 'kind' },
  backbone: { type: ['string', 'block'], choices: ['shared-bottom'], doc: 'backbone' },
  blocks: { type: 'array', doc: 'blocks', tunable: false },
};

describe('validateOptions', () => {
  it('accepts known keys with allowed values, and treats undefined as absent', () => {
    expect(() =>
      validateOptions(
        SCHEMA,
        { experts: 2, expert: { units: [8, 4], dropout: 0.1 }, kind: 'b', backbone: () => ({}), other: undefined },
        'x',
      ),
    ).not.toThrow();
    expect(() => validateOptions(SCHEMA, { backbone: 'shared-bottom' }, 'x')).not.toThrow();
  });

  it('names an unknown key, the closest known one and every known key', () => {
    const error = configError(() => validateOptions(SCHEMA, { expertz: 3 }, 'mmoe'));
    expect(error.message).toBe(
      'mmoe: option expertz: unknown option (did you mean "experts"?); options are experts, expert, kind, backbone, blocks',
    );
    expect(error.key).toBe('expertz');
    expect(configError(() => validateOptions(SCHEMA, { expert: { units: [8], unitz: 1 } }, 'mmoe')).key).toBe('expert.unitz');
  });

  it('names a mistyped, out-of-range or unlisted value by its dotted path', () => {
    expect(configError(() => validateOptions(SCHEMA, { experts: '4' }, 'm')).message).toBe(
      'm: option experts: "4" is not allowed; it must be an integer',
    );
    expect(configError(() => validateOptions(SCHEMA, { experts: 0 }, 'm')).message).toContain('it must be >= 1');
    const nested = configError(() => validateOptions(SCHEMA, { expert: { units: [8, 0] } }, 'm'));
    expect([nested.key, nested.message]).toEqual([
      'expert.units',
      'm: option expert.units: [8,0] is not allowed; every element must be >= 1',
    ]);
    expect(configError(() => validateOptions(SCHEMA, { expert: { dropout: 1 } }, 'm')).message).toContain('it must be >= 0 and < 1');
    expect(configError(() => validateOptions(SCHEMA, { kind: 'c' }, 'm')).message).toContain('use one of "a", "b"');
    expect(configError(() => validateOptions(SCHEMA, { backbone: 'mmoe' }, 'm')).message).toContain('use one of "shared-bottom"');
    expect(configError(() => validateOptions(SCHEMA, { backbone: 3 }, 'm')).message).toContain(
      'it must be a string or a block or a block factory',
    );
    expect(configError(() => validateOptions(SCHEMA, 'x', 'm')).message).toBe('m: options must be an object, got "x"');
  });

  it('finds nested docs by dotted path and lists every path', () => {
    expect(optionAt(SCHEMA, 'expert.units')?.doc).toBe('units');
    expect(optionAt(SCHEMA, 'expert.width')).toBeUndefined();
    expect(optionAt(SCHEMA, 'experts.units')).toBeUndefined();
    expect(optionPaths(SCHEMA)).toEqual(['experts', 'expert', 'expert.units', 'expert.dropout', 'kind', 'backbone', 'blocks']);
  });
});

describe('validateSearchSpace', () => {
  const valid: SearchSpace = {
    learningRate: { log: [1e-4, 1e-2] },
    batchSize: { choice: [256, 512, 1024, 2048] },
    weightDecay: { choice: [0, 1e-4] },
    'earlyStopping.patience': { int: [1, 3] },
    experts: { int: [2, 8] },
    'expert.units': { choice: [[64], [128], [256, 128]] },
    'expert.dropout': { uniform: [0, 0.3] },
    kind: { choice: ['a', 'b'] },
  };

  it('accepts training options and the model options with well-formed distributions', () => {
    expect(() => validateSearchSpace(valid, SCHEMA)).not.toThrow();
  });

  it.each([
    [{ lr: { log: [1e-4, 1e-2] } }, 'lr', 'not a training option nor an option of the model'],
    [{ blocks: { choice: [[]] } }, 'blocks', 'this option cannot be tuned'],
    [{ seed: { int: [0, 3] } }, 'seed', 'this option cannot be tuned'],
    [{ learningRate: { log: [0, 1e-2] } }, 'learningRate', 'log [0, 0.01]: lo must be > 0'],
    [{ learningRate: { log: [1e-2, 1e-4] } }, 'learningRate', 'lo must be below hi'],
    [{ learningRate: { normal: [0, 1] } }, 'learningRate', 'is not a distribution'],
    [{ learningRate: { log: [1e-4] } }, 'learningRate', 'log needs [lo, hi]'],
    [{ experts: { uniform: [2, 8] } }, 'experts', 'uniform draws real numbers, but the option is integer; use int'],
    [{ experts: { int: [2.5, 8] } }, 'experts', 'bounds must be integers'],
    [{ experts: { int: [0, 8] } }, 'experts', 'int lower bound: 0 is not allowed; it must be >= 1'],
    [{ 'expert.dropout': { uniform: [0, 1] } }, 'expert.dropout', 'uniform upper bound: 1 is not allowed'],
    [{ 'expert.units': { choice: [[64], [0]] } }, 'expert.units', 'choice[1]: [0] is not allowed'],
    [{ batchSize: { choice: [] } }, 'batchSize', 'choice needs a non-empty array'],
    [{ kind: { choice: ['a', 'z'] } }, 'kind', 'choice[1]: "z" is not allowed; use one of "a", "b"'],
    [{ optimizer: { choice: ['adam', 'lion'] } }, 'optimizer', 'choice[1]: "lion" is not allowed'],
  ])('rejects %j naming the key', (space, key, message) => {
    const error = configError(() => validateSearchSpace(space as SearchSpace, SCHEMA, 'space'));
    expect(error.key).toBe(key);
    expect(error.message).toContain(`space["${key}"]: `);
    expect(error.message).toContain(message);
  });

  it('checks conditions: a `when` names choice keys of the same space and values among their choices', () => {
    const conditional: SearchSpace = {
      ...valid,
      experts: { int: [2, 8], when: { kind: 'a' } },
      'expert.units': { choice: [[64]], when: { kind: ['a', 'b'] } },
    };
    expect(() => validateSearchSpace(conditional, SCHEMA)).not.toThrow();
    const cases: Array<[SearchSpace, string]> = [
      [{ ...valid, experts: { int: [2, 8], when: { kind: 'z' } } }, 'when.kind: "z" is not one of the choices of "kind"'],
      [{ ...valid, experts: { int: [2, 8], when: { batchSiz: 256 } } }, 'when.batchSiz: "batchSiz" must be a choice key of the same space'],
      [{ ...valid, experts: { int: [2, 8], when: { learningRate: 0.1 } } }, 'must be a choice key'],
      [{ ...valid, experts: { int: [2, 8], when: [] as unknown as Record<string, unknown> } }, 'when must be an object'],
      [{ ...valid, kind: { choice: ['a', 'b'], when: { kind: 'a' } } }, 'a key cannot depend on itself'],
    ];
    for (const [space, message] of cases) {
      const error = configError(() => validateSearchSpace(space, SCHEMA, 'space'));
      expect(error.message).toContain(message);
    }
    const cycle = configError(() =>
      validateSearchSpace(
        { kind: { choice: ['a', 'b'], when: { 'expert.units': [[64]] } }, 'expert.units': { choice: [[64]], when: { kind: 'a' } } },
        SCHEMA,
        'space',
      ),
    );
    expect(cycle.message).toContain('the conditions form a cycle');
  });

  it('decides conditional keys after the keys they name', () => {
    const space: SearchSpace = { b: { choice: [1], when: { a: 'x' } }, a: { choice: ['x', 'y'] }, c: { choice: [[1]], when: { b: 1 } } };
    expect(searchKeyOrder(space)).toEqual(['a', 'b', 'c']);
    expect(searchKeyActive(space, 'b', { a: 'x' })).toBe(true);
    expect(searchKeyActive(space, 'b', { a: 'y' })).toBe(false);
    expect(searchKeyActive(space, 'c', { a: 'y' })).toBe(false);
    expect(searchKeyActive(space, 'a', {})).toBe(true);
  });

  it('splits a drawn point into training and builder options, nesting dotted paths over the base', () => {
    const point = { learningRate: 0.003, 'earlyStopping.patience': 2, experts: 6, 'expert.units': [128] };
    const base = { model: { expert: { units: [64], dropout: 0.1 } }, training: { epochs: 4 } };
    expect(splitSearchPoint(point, SCHEMA, base)).toEqual({
      training: { epochs: 4, learningRate: 0.003, earlyStopping: { patience: 2 } },
      model: { experts: 6, expert: { units: [128], dropout: 0.1 } },
    });
    expect(base.model.expert.units).toEqual([64]);
    expect(configError(() => splitSearchPoint({ lr: 1 }, SCHEMA)).key).toBe('lr');
  });
});

const TASKS: TaskSpec[] = [{ name: 'click' }, { name: 'buy', parent: 'click' }];

function sharedBottomDefinition(overrides: Partial<ModelDefinition<ModelBuildOptions & { width?: number }>> = {}) {
  return defineModel<ModelBuildOptions & { width?: number }>({
    name: 'tiny',
    family: 'baseline',
    description: 'a shared bottom for the tests',
    paper: 'Caruana, "Multitask Learning", 1997',
    main: true,
    options: { width: { type: 'integer', min: 1, default: 4, doc: 'width of the shared layer' } },
    searchSpace: { ...COMMON_SEARCH_SPACE, width: { int: [2, 8] } },
    supports: (tasks) => (tasks.length >= 2 ? { ok: true } : { ok: false, reason: 'needs two tasks' }),
    adapt: (tasks) => (tasks.some((t) => t.parent) ? { options: { width: 3 }, note: 'narrower on a funnel' } : undefined),
    build: (options) =>
      buildMultiTaskModel({
        name: options.name ?? 'tiny',
        features: options.features,
        tasks: options.tasks,
        seed: options.seed,
        backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [options.width ?? 4] }, seed: ctx.seed }),
        tower: { units: [2], ...options.tower },
      }),
    ...overrides,
  });
}

describe('ModelRegistry', () => {
  it('registers definitions and answers by name, family and main flag', () => {
    const registry = new ModelRegistry([
      sharedBottomDefinition(),
      sharedBottomDefinition({ name: 'tiny-two', family: 'ektm', main: false }),
    ]);
    expect(registry.names()).toEqual(['tiny', 'tiny-two']);
    expect(registry.names('ektm')).toEqual(['tiny-two']);
    expect(registry.mainNames()).toEqual(['tiny']);
    expect(registry.has('tiny')).toBe(true);
    expect(Object.keys(registry.optionSchema('tiny'))).toEqual(['features', 'tasks', 'seed', 'embeddingDim', 'tower', 'name', 'width']);
    const unknown = configError(() => registry.get('tinny'));
    expect([unknown.key, unknown.message]).toEqual(['model', 'unknown model "tinny" (did you mean "tiny"?); models are tiny, tiny-two']);
  });

  it('rejects a bad definition naming the field', () => {
    const registry = new ModelRegistry([sharedBottomDefinition()]);
    expect(configError(() => registry.register(sharedBottomDefinition())).message).toBe('model registry: "tiny" is already registered');
    expect(configError(() => registry.register(sharedBottomDefinition({ name: 'Tiny Model' }))).key).toBe('name');
    expect(configError(() => registry.register(sharedBottomDefinition({ name: 'x', description: 'two\nlines' }))).key).toBe('description');
    expect(configError(() => registry.register(sharedBottomDefinition({ name: 'y', family: 'other' as 'ektm' }))).key).toBe('family');
    const space = configError(() => registry.register(sharedBottomDefinition({ name: 'z', searchSpace: { widht: { int: [2, 8] } } })));
    expect([space.key, space.message]).toEqual([
      'widht',
      'model "z": searchSpace["widht"]: not a training option nor an option of the model',
    ]);
  });

  it('plans a model on a task set: left out with the reason, adapted with a note, or as it is', () => {
    const registry = new ModelRegistry([sharedBottomDefinition()]);
    expect(registry.plan('tiny', [{ name: 'a' }])).toEqual({ ok: false, reason: 'needs two tasks' });
    expect(registry.plan('tiny', TASKS)).toEqual({ ok: true, options: { width: 3 }, note: 'narrower on a funnel' });
    expect(registry.plan('tiny', [{ name: 'a' }, { name: 'b' }])).toEqual({ ok: true, options: {} });
  });

  it('builds after checking the options against the common and the own schema', () => {
    const registry = new ModelRegistry([sharedBottomDefinition()]);
    const model = registry.build('tiny', { features: SYNTHETIC_FEATURES, tasks: TASKS, seed: 1, width: 5, tower: { units: [3] } });
    try {
      expect(model.spec.name).toBe('tiny');
      expect(model.taskNames).toEqual(['click', 'buy']);
    } finally {
      model.dispose();
    }
    const typo = configError(() => registry.build('tiny', { features: SYNTHETIC_FEATURES, tasks: TASKS, widht: 5 }));
    expect([typo.key, typo.message]).toEqual([
      'widht',
      'tiny: option widht: unknown option (did you mean "width"?); options are features, tasks, seed, embeddingDim, tower, name, width',
    ]);
    expect(
      configError(() => registry.build('tiny', { features: SYNTHETIC_FEATURES, tasks: TASKS, tower: { unit: [3] } as never })).key,
    ).toBe('tower.unit');
    expect(configError(() => registry.build('tiny', { features: SYNTHETIC_FEATURES, tasks: TASKS, embeddingDim: 0 })).key).toBe(
      'embeddingDim',
    );
  });
});

describe('closestName', () => {
  it('suggests a near name and nothing for a far one', () => {
    expect(closestName('batchsize', ['batchSize', 'epochs'])).toBe('batchSize');
    expect(closestName('mmeo', ['mmoe', 'ple'])).toBe('mmoe');
    expect(closestName('resnet', ['mmoe', 'ple'])).toBeUndefined();
  });
});
