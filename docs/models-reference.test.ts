import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modelsReference } from './models-reference.js';

const path = fileURLToPath(new URL('./models.md', import.meta.url));

describe('docs/models.md', () => {
  it('is the model registry: every model, its options and its search space', () => {
    const expected = modelsReference();
    if (process.env.EKTM_UPDATE_DOCS === '1') writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
