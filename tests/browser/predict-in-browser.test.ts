/**
 * ektm in a real browser: a page that imports the published entry points of @ektm/core, @ektm/model and
 * @ektm/datasets is bundled with Vite (as an application would be), served with a saved model as static files on
 * 127.0.0.1, and opened in Debian's headless Chromium. The page loads the model with `loadModelFromUrl`, encodes
 * raw rows with the saved preprocessing and predicts; the probabilities must equal Node's on the same rows (1e-5
 * on the cpu backend, 1e-3 on WebGL when the browser offers it).
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModel, saveModel, train } from '@ektm/core';
import { loadDataset, Preprocessor, simulate, type RawRecord } from '@ektm/datasets';
import { buildEktm } from '@ektm/model';
import { chromium, type BrowserContext } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const simulator = { seed: 21, trainRows: 800, validationRows: 200, testRows: 300 };

/** The application: what a user writes to score rows in a page. */
const PAGE_SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { loadModelFromUrl } from '@ektm/core';
import '@ektm/model'; // registers the EKTM layers (and the baselines' through it)
import { Preprocessor } from '@ektm/datasets';

window.ektmPredict = async (backend, rows) => {
  if (!(await tf.setBackend(backend))) return { backend: null };
  await tf.ready();
  const { model, preprocessing } = await loadModelFromUrl(new URL('models/tiny/', location.href).href);
  const table = Preprocessor.fromJSON(preprocessing).encodeRows(rows);
  const { tasks } = model.predict(table);
  model.dispose();
  return { backend: tf.getBackend(), tasks: Object.fromEntries(Object.entries(tasks).map(([k, v]) => [k, Array.from(v)])) };
};
window.ektmReady = true;
`;

let project: string;
let site: PreviewServer;
let browser: BrowserContext;
let rows: RawRecord[];
let expected: Record<string, Float32Array>;
const pageErrors: string[] = [];

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'ektm-browser-'));
  // The application's own folder, with the workspace's installed packages as its node_modules.
  symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
  writeFileSync(join(project, 'index.html'), '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>\n');
  writeFileSync(join(project, 'main.js'), PAGE_SCRIPT);

  // A freshly trained model, saved as the static files the page fetches.
  const data = await loadDataset('synthetic', { simulator });
  const model = buildEktm({ features: data.features, tasks: data.tasks, seed: 0, embeddingDim: 4 });
  await train(model, { train: data.splits.train, epochs: 1, batchSize: 200, progress: 'none' });
  const saved = join(project, 'saved');
  await saveModel(model, saved, { preprocessing: data.preprocessor.toJSON() });
  model.dispose();
  mkdirSync(join(project, 'public/models'), { recursive: true });
  cpSync(saved, join(project, 'public/models/tiny'), { recursive: true });

  // What Node predicts on the same raw rows.
  const sim = simulate(simulator);
  rows = sim.splits.test.rows.slice(0, 50).map((r) => Object.fromEntries(sim.columns.map((c, i) => [c, r[i]])));
  const loaded = await loadModel(saved);
  expected = loaded.model.predict(Preprocessor.fromJSON(loaded.preprocessing).encodeRows(rows)).tasks;
  loaded.model.dispose();

  await build({ root: project, logLevel: 'error', build: { outDir: join(project, 'dist'), emptyOutDir: true } });
  site = await preview({
    root: project,
    logLevel: 'error',
    build: { outDir: join(project, 'dist') },
    preview: { host: '127.0.0.1', port: 0 },
  });

  browser = await chromium.launchPersistentContext(join(project, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((done) => (site ? site.httpServer.close(() => done()) : done()));
  if (project) rmSync(project, { recursive: true, force: true });
});

async function predictInPage(backend: string): Promise<{ backend: string | null; tasks?: Record<string, number[]> }> {
  const url = site.resolvedUrls!.local[0]!;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Offline: the page may fetch from its own server only.
  await page.route('**/*', (route) => (route.request().url().startsWith(url) ? route.continue() : route.abort()));
  // A bundle that cannot run in a browser (a Node module in it) fails here with the page's error, not a timeout.
  const failed = new Promise((_, reject) => page.once('pageerror', (e) => reject(new Error(`the page failed to start: ${e.message}`))));
  failed.catch(() => undefined); // a later error is in pageErrors, which every test checks
  await page.goto(url);
  await Promise.race([
    page.waitForFunction(() => (window as unknown as { ektmReady?: boolean }).ektmReady === true, undefined, { timeout: 60_000 }),
    failed,
  ]);
  const result = await page.evaluate(
    ([b, r]) => (window as unknown as { ektmPredict: (b: string, r: unknown) => Promise<{ backend: string | null }> }).ektmPredict(b, r),
    [backend, rows] as const,
  );
  await page.close();
  return result;
}

function maxDiff(tasks: Record<string, number[]>): number {
  let max = 0;
  for (const [task, values] of Object.entries(expected)) {
    expect(tasks[task]).toHaveLength(values.length);
    values.forEach((v, i) => (max = Math.max(max, Math.abs(tasks[task]![i]! - v))));
  }
  return max;
}

describe('ektm bundled for the browser (Vite) in headless Chromium', () => {
  it('loads the saved model from static files and predicts what Node predicts, on the cpu backend (1e-5)', async () => {
    const result = await predictInPage('cpu');
    expect(pageErrors).toEqual([]);
    expect(result.backend).toBe('cpu');
    expect(Object.keys(result.tasks!)).toEqual(['click', 'purchase', 'cart', 'favorite']);
    const diff = maxDiff(result.tasks!);
    console.log(`browser cpu backend: max |page - Node| = ${diff.toExponential(2)} over ${rows.length} rows × 4 tasks`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it('predicts within 1e-3 of Node on WebGL when the browser offers it', async () => {
    const result = await predictInPage('webgl');
    expect(pageErrors).toEqual([]);
    if (result.backend === null) {
      console.log('browser webgl backend: not offered by this Chromium (--disable-gpu, no software GL); compared on cpu only');
      return;
    }
    const diff = maxDiff(result.tasks!);
    console.log(`browser webgl backend: max |page - Node| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-3);
  });
});
