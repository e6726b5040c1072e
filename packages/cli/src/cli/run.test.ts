import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../commands/commands.js';
import { ConfigError, DataError, EngineConfigError, InterruptedError, ModelFileError, TrainingDivergedError } from '@ektm/core';
import { EXIT, exitCodeFor } from './run.js';
import { UsageError } from './usage-error.js';
import { inProcessCli, scratchFolder, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-cli-');
const cli = inProcessCli(dir);

describe('ektm (in-process)', () => {
  it('prints the command list for --help (exit 0) and for no arguments (exit 2)', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(EXIT.ok);
    for (const name of [
      'train',
      'evaluate',
      'predict',
      'export',
      'compare',
      'tune',
      'bench',
      'datasets list',
      'datasets describe',
      'datasets download',
      'env',
    ]) {
      expect(help.out).toContain(`  ${name} `);
    }
    expect((await cli([])).code).toBe(EXIT.usage);
  });

  it('has --help on every command, listing its flags', async () => {
    for (const command of COMMANDS) {
      const result = await cli([...command.spec.name.split(' '), '--help']);
      expect(result.code, command.spec.name).toBe(0);
      expect(result.out.startsWith(`Usage: ektm ${command.spec.name.split(' ')[0]}`)).toBe(true);
      for (const option of command.spec.options) expect(result.out).toContain(`--${option.name}`);
      expect(result.out).toContain('--help');
    }
    expect((await cli(['help', 'compare'])).out).toContain('Usage: ektm compare');
    const group = await cli(['datasets', '--help']);
    expect(group.code).toBe(0);
    expect(group.out).toMatch(/Usage: ektm datasets <subcommand>[\s\S]*datasets describe/);
  });

  it('exits 2 with the reason and a hint for usage errors', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toContain(
      'unknown command "frobnicate"; commands are train, evaluate, predict, export, serve, compare, tune, bench, env, datasets',
    );
    const badFlag = await cli(['datasets', 'list', '--colour']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('ektm datasets list: unknown flag --colour; allowed flags are --json, --help');
    expect(badFlag.err).toContain('Run `ektm datasets list --help` for usage.');
    const sub = await cli(['datasets', 'lst']);
    expect(sub.code).toBe(2);
    expect(sub.err).toContain('unknown subcommand "lst"; use one of list, describe, download');
    const missing = await cli(['train', '--dataset', 'synthetic', '--out', 'models/x']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--model <name> is required (or --config with a configuration that names one)');
    const noOut = await cli(['train', '--dataset', 'synthetic', '--model', 'mmoe']);
    expect(noOut.code).toBe(2);
    expect(noOut.err).toContain('--out <dir> is required');
    const badSteps = await cli(['bench', '--steps', 'many']);
    expect(badSteps.code).toBe(2);
    expect(badSteps.err).toContain('--steps "many" is not allowed; use an integer >= 1');
    const badModel = await cli(['bench', '--model', 'resnet']);
    // ektm bench takes every model of the zoo.
    expect(badModel.err).toContain('--model "resnet" is not allowed; use one of single-task, shared-bottom, omoe, mmoe, ple,');
  });

  it('exits with the code of the error kind, a clear message and no stack; EKTM_DEBUG=1 adds the stack', async () => {
    // A dataset spec file that does not exist is a data error (DatasetError): exit code 3.
    const failure = await cli(['datasets', 'describe', 'missing.json']);
    expect(failure.code).toBe(EXIT.data);
    expect(failure.err).toMatch(/^error: ektm datasets describe: .*missing\.json/);
    expect(failure.err).not.toMatch(/\n\s+at /);
    expect(failure.err).toContain('EKTM_DEBUG=1');
    const debug = await cli(['datasets', 'describe', 'missing.json'], { env: { EKTM_DEBUG: '1' } });
    expect(debug.code).toBe(3);
    expect(debug.err).toMatch(/\n\s+at /);
  });

  it('maps every kind of error to its exit code, and documents them in --help', async () => {
    expect(exitCodeFor(new UsageError('bad flag'))).toBe(2);
    expect(exitCodeFor(new ConfigError('train: batchSize is 0', 'batchSize'))).toBe(2);
    expect(exitCodeFor(new EngineConfigError('EKTM_BACKEND="gpu": not a backend', 'EKTM_BACKEND'))).toBe(2);
    expect(exitCodeFor(new DataError('rows.csv:3: price "abc" is not a number', { file: 'rows.csv', line: 3, field: 'price' }))).toBe(3);
    expect(exitCodeFor(new ModelFileError('model/ektm.json: missing', 'model/ektm.json'))).toBe(4);
    expect(exitCodeFor(new TrainingDivergedError('loss is NaN at epoch 1, step 3', 1, 3, 0))).toBe(5);
    expect(exitCodeFor(new InterruptedError('stopped after epoch 2; rerun with --resume'))).toBe(130);
    expect(exitCodeFor(new Error('out of memory'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
    const help = await cli(['--help']);
    expect(help.out).toContain(
      'Exit codes: 0 ok, 1 other failure, 2 usage or config error, 3 data error, 4 model-file error, 5 training diverged, 130 interrupted.',
    );
    // A forced backend that is not installed is a config error: exit code 2, through the real engine.
    const saved = process.env.EKTM_BACKEND;
    process.env.EKTM_BACKEND = 'tensorflow';
    try {
      const forced = await cli(['env']);
      expect(forced.code).toBe(EXIT.config);
      expect(forced.err).toContain('@tensorflow/tfjs-node is not installed');
    } finally {
      if (saved === undefined) delete process.env.EKTM_BACKEND;
      else process.env.EKTM_BACKEND = saved;
    }
  });

  it('lists and describes datasets', async () => {
    const list = await cli(['datasets', 'list']);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^synthetic\s+task sets: ektm \(default\), esmm; no files needed/m);
    expect(list.out).toContain('census-income');
    const json = JSON.parse((await cli(['datasets', 'list', '--json'])).out);
    expect(json.map((d: { name: string }) => d.name)).toContain('census-income');
    const describe = await cli(['datasets', 'describe', 'census-income', '--data-dir', 'data']);
    expect(describe.code).toBe(0);
    expect(describe.out).toContain(`train files: ${join(dir, 'data', 'census-income-kdd/census-income.test.gz')}`);
    expect(describe.out).toContain('task set ektm (default)');
    expect(describe.out).toContain('  task income: ');
  });

  it('describes a spec file given by a relative path', async () => {
    writeSimulatedSpec(dir, { trainRows: 100 });
    const result = await cli(['datasets', 'describe', 'tiny.json', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out).name).toBe('tiny');
  });

  it('prints the environment: versions and the backend with its reason', async () => {
    const text = await cli(['env']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Backend: wasm \(/);
    expect(text.out).toMatch(/@tensorflow\/tfjs-core\s+4\.22\.0/);
    const json = JSON.parse((await cli(['env', '--json'])).out);
    expect(json.backend).toBe('wasm');
    expect(json.versions['@ektm/cli']).toBe('0.1.0');
    expect(json.attempts.at(-1)).toEqual({ backend: 'wasm' });
  });
});
