/**
 * ESMM and ESCM2 train on any click → conversion task set through the CLI: a user's spec with `buy` after `click`,
 * and the synthetic default task set (three conversions after a click). Their derived tasks (the CVR task named after
 * the conversion, the CTCVR product) never break early stopping, which watches the conversion they model.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inProcessCli, scratchFolder } from '../testing/cli-harness.js';

const dir = scratchFolder('ektm-funnel-');
const cli = inProcessCli(dir);

// A user's click → buy log: buy only after a click, and more likely for some items.
const lines = ['user,item,click,buy'];
let state = 7;
const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
for (let i = 0; i < 1200; i++) {
  const item = Math.floor(random() * 30);
  const click = random() < 0.2 + item / 100 ? 1 : 0;
  const buy = click && random() < 0.1 + item / 60 ? 1 : 0;
  lines.push(`u${Math.floor(random() * 50)},i${item},${click},${buy}`);
}
writeFileSync(join(dir, 'shop.csv'), `${lines.join('\n')}\n`);
writeFileSync(
  join(dir, 'shop.json'),
  JSON.stringify({
    name: 'shop',
    files: { train: 'shop.csv' },
    split: { validation: { from: 'train', everyNth: 5, offset: 3 }, test: { from: 'train', everyNth: 5, offset: 4 } },
    features: [
      { column: 'user', type: 'categorical' },
      { column: 'item', type: 'categorical' },
    ],
    tasks: [
      { name: 'click', column: 'click' },
      { name: 'buy', column: 'buy', parent: 'click' },
    ],
  }),
);

describe('ESMM and ESCM2 on user and default task sets', () => {
  for (const model of ['esmm', 'escm2']) {
    it(`${model} trains on a user's click → buy spec, watching buy`, async () => {
      const result = await cli([
        'train',
        '--dataset',
        'shop.json',
        '--model',
        model,
        '--epochs',
        '2',
        '--batch-size',
        '128',
        '--out',
        `m-${model}`,
      ]);
      expect(result.err).not.toContain('error');
      expect(result.code).toBe(0);
      expect(result.err).toMatch(/monitor weighted auc [\d.]+ \(buy×1 /);
      const saved = JSON.parse(readFileSync(join(dir, `m-${model}`, 'ektm.json'), 'utf8')) as { spec: { tasks: Array<{ name: string }> } };
      expect(saved.spec.tasks.map((t) => t.name)).toEqual(['click', 'buy', 'ctcvr']);
    });
  }

  it('esmm trains on the synthetic default task set (three conversions), modelling the first funnel', async () => {
    const result = await cli([
      'train',
      '--dataset',
      'synthetic',
      '--max-rows',
      '2000',
      '--model',
      'esmm',
      '--epochs',
      '1',
      '--out',
      'm-synthetic',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toContain('esmm models one funnel, click → purchase; it has no output for cart, favorite');
    expect(result.err).toMatch(/monitor weighted auc [\d.]+ \(purchase×1 /);
  });

  it('esmm on a task set without a funnel is a clear error naming why', async () => {
    writeFileSync(
      join(dir, 'parallel.json'),
      JSON.stringify({
        name: 'parallel',
        files: { train: 'shop.csv' },
        features: [{ column: 'user', type: 'categorical' }],
        tasks: [
          { name: 'click', column: 'click' },
          { name: 'buy', column: 'buy' },
        ],
      }),
    );
    const result = await cli(['train', '--dataset', 'parallel.json', '--model', 'esmm', '--out', 'm-parallel']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      'esmm cannot run on parallel (default): esmm models a click → conversion funnel, and no task of click, buy follows another (no parent)',
    );
  });
});
