import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliReference } from './cli-reference.js';

const path = fileURLToPath(new URL('./cli.md', import.meta.url));

describe('docs/cli.md', () => {
  it('is the help of every command, as the CLI prints it', () => {
    const expected = cliReference();
    if (process.env.EKTM_UPDATE_DOCS === '1') writeFileSync(path, expected);
    expect(readFileSync(path, 'utf8')).toBe(expected);
  });
});
