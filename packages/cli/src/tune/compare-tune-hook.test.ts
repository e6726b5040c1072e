/** `ektm compare --config` and the `--tune-*` flags: bad calls fail before anything is loaded or trained. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessCli, scratchFolder } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-compare-config-');
writeFileSync(join(dir, 'mmoe.json'), JSON.stringify({ model: 'mmoe', training: { learningRate: 0.002 }, options: { experts: 3 } }));
writeFileSync(join(dir, 'bad.json'), JSON.stringify({ model: 'mmoe', options: { expert: { units: [0] } } }));

const cli = inProcessCli(dir);
const compare = (...args: string[]) => cli(['compare', '--models', 'mmoe,ektm', '--max-rows', '300', ...args]);

describe('ektm compare --config and --tune-trials', () => {
  it.each([
    [['--config', 'mmoe'], 'use model=file.json'],
    [['--config', 'ple=mmoe.json'], 'not among the models compared (mmoe, ektm)'],
    [['--config', 'mmoe=mmoe.json,mmoe=mmoe.json'], 'gives mmoe twice'],
    [['--config', 'ektm=mmoe.json'], 'is for model "mmoe", not "ektm"'],
    [['--config', 'mmoe=bad.json'], 'bad.json: options: option expert.units: [0] is not allowed'],
    [['--config', 'mmoe=nowhere.json'], 'no such file'],
    [['--tune-budget', 'epochs=3'], '--tune-budget needs --tune-trials'],
    [['--tune-trials', '0'], '--tune-trials "0" is not allowed'],
    [['--tune-trials', '2', '--tune-budget', 'steps=2'], 'budget "steps=2" is not allowed'],
    [['--tune-trials', '2', '--config', 'mmoe=mmoe.json'], '--config and --tune-trials both set the configuration of mmoe'],
  ])('rejects %j with exit code 2', async (args, message) => {
    const result = await compare(...args);
    expect(result.err).toContain(message);
    expect(result.code).toBe(2);
  });
});
