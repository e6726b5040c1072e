// Kills a process that writes checkpoints in a loop (SIGKILL at random moments, mid-write included) and checks
// that the last complete checkpoint always loads, consistent, with leftovers cleaned up.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeCheckpoint, readCheckpoint } from '../index.js';
import { seededRandom } from '../util/seeds.js';

let work: string;
let bundle: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ektm-kill-'));
  bundle = join(work, 'writer.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [fileURLToPath(new URL('./checkpoint-writer.fixture.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    external: ['node-fetch'],
    logLevel: 'silent',
    ignoreAnnotations: true, // keep the backend's registration side effect (its package.json declares none for this entry)
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Runs the writer until it has reported `after` checkpoints, waits `delayMs` more, kills it; the last n it reported. */
function runAndKill(dir: string, after: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = 0;
    let stderr = '';
    let killing = false;
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) reported = Number(line);
      if (!killing && reported >= after) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(reported);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('checkpoints under SIGKILL', () => {
  it('always leave the last complete checkpoint loadable and consistent', async () => {
    const dir = join(work, 'run');
    const random = seededRandom(42);
    let lastSeen = 0;
    for (let round = 0; round < 5; round++) {
      const reported = await runAndKill(dir, 1 + Math.floor(random() * 3), Math.floor(random() * 40));
      const checkpoint = await readCheckpoint(dir);
      expect(checkpoint).toBeDefined();
      const { n } = checkpoint!.extra as { n: number };
      // The checkpoint is the last one reported, or the one being written when the kill came (it may have finished).
      expect(n === reported || n === reported + 1).toBe(true);
      expect(n).toBeGreaterThanOrEqual(1);
      for (const weight of checkpoint!.weights) expect(new Set(weight.dataSync())).toEqual(new Set([n]));
      expect(checkpoint!.optimizerWeights[0]!.tensor.dataSync()[0]).toBe(n);
      disposeCheckpoint(checkpoint!);
      expect(await readdir(dir)).toEqual(['checkpoint']);
      lastSeen = n;
    }
    expect(lastSeen).toBeGreaterThan(0);
  });
});
