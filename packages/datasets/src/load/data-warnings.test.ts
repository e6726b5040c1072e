import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/temp-dir.js';
import { loadDataset, MAX_CATEGORICAL_VALUE_LENGTH, Preprocessor } from '../index.js';

const files = tempDir('ektm-warnings-');

describe('data checks that warn with counts', () => {
  it('counts conversions where the parent is 0 (rows outside the conversion sample space), per split', async () => {
    const lines = ['user,click,buy'];
    for (let i = 0; i < 100; i++)
      lines.push(`u${i % 7},${i % 3 === 0 ? 1 : 0},${i % 3 === 0 && i % 2 === 0 ? 1 : i === 5 || i === 10 || i === 19 ? 1 : 0}`);
    files.write('funnel.csv', `${lines.join('\n')}\n`);
    const data = await loadDataset(
      {
        name: 'funnel',
        files: { train: 'funnel.csv' },
        features: [{ column: 'user', type: 'categorical' }],
        tasks: [
          { name: 'click', column: 'click' },
          { name: 'buy', column: 'buy', parent: 'click' },
        ],
      },
      { baseDir: files.dir },
    );
    // Rows 5, 10 and 19 have buy = 1 and click = 0; row 19 is a validation row (every 10th, offset 9).
    expect(data.warnings).toEqual([
      "task buy: 3 of 100 rows (2 train, 1 validation) have buy = 1 where its parent click = 0; they are outside buy's sample space, so its loss and metrics leave them out. Check the label columns",
    ]);
  });

  it('cuts a huge categorical value to the limit, counts it, and serves it the same way', async () => {
    const huge = 'x'.repeat(5_000_000);
    files.write('huge.csv', `user,label\n${huge},1\nshort,0\n${huge}y,1\nshort,0\n`);
    const data = await loadDataset(
      {
        name: 'huge',
        files: { train: 'huge.csv', validation: 'huge.csv' },
        features: [{ column: 'user', type: 'categorical' }],
        tasks: [{ name: 'label', column: 'label' }],
      },
      { baseDir: files.dir },
    );
    expect(data.warnings).toEqual([
      `feature user: 4 values were longer than ${MAX_CATEGORICAL_VALUE_LENGTH} characters and were cut to ${MAX_CATEGORICAL_VALUE_LENGTH} (the same cut applies when serving); is the column an id, or free text that should not be a categorical feature?`,
    ]);
    const state = data.preprocessor.toJSON();
    expect(JSON.stringify(state).length).toBeLessThan(3 * MAX_CATEGORICAL_VALUE_LENGTH);
    const served = Preprocessor.fromJSON(state).encodeRows([{ user: `${huge}z` }]);
    expect(served.categorical[0]).toBe(data.splits.train.categorical[0]);
  });

  it('has no warnings for clean data', async () => {
    const data = await loadDataset('synthetic', { simulator: { trainRows: 500, validationRows: 200, testRows: 200 } });
    expect(data.warnings).toEqual([]);
  });
});
