/**
 * The walk-through of docs/adding-a-model.md is real: its code block of CGC's file is the file, the registry line is
 * in the registry, and the model it adds runs against MMoE through `ektm compare` (in-process, at a small size).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureIo, MODELS, run } from '@ektm/cli';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const guide = readFileSync(join(root, 'docs/adding-a-model.md'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'ektm-adding-a-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first ```ts block after `heading`. */
function blockAfter(heading: string): string {
  const start = guide.indexOf(heading);
  const open = guide.indexOf('```ts\n', start);
  return guide.slice(open + '```ts\n'.length, guide.indexOf('\n```', open));
}

describe('docs/adding-a-model.md', () => {
  it("shows CGC's file exactly, and its line in the registry", () => {
    expect(`${blockAfter('## 1. The model')}\n`).toBe(readFileSync(join(root, 'packages/baselines/src/models/cgc.ts'), 'utf8'));
    const registry = readFileSync(join(root, 'packages/baselines/src/registry/baselines.ts'), 'utf8');
    expect(registry).toContain("import { CGC_MODEL } from '../models/cgc.js';");
    expect(registry).toMatch(/\n {2}PLE_MODEL,\n {2}CGC_MODEL,\n {2}ESMM_MODEL,\n/);
    expect(MODELS.get('cgc').main).toBe(false);
  });

  it('runs the model it adds against MMoE through ektm compare', async () => {
    const io = captureIo({ cwd: dir });
    const code = await run(
      [
        'compare',
        '--dataset',
        'synthetic',
        '--models',
        'cgc,mmoe',
        '--seeds',
        '0',
        '--max-rows',
        '2000',
        '--epochs',
        '1',
        '--json',
        'cgc.json',
      ],
      io,
    );
    expect(code, io.err()).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, 'cgc.json'), 'utf8')) as { results: Array<{ model: string; tasks: object }> };
    expect(result.results.map((r) => r.model)).toEqual(['cgc', 'mmoe']);
    expect(Object.keys(result.results[0]!.tasks)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    expect(io.out()).toMatch(/\n {2}cgc\s+0\.\d{4}/);
  }, 120_000);
});
