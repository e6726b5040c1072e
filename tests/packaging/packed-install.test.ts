/**
 * Publishing proof: every package is packed with `npm pack`, the tarballs are installed into a fresh project
 * OUTSIDE the workspace, and the packages are imported from ESM and CommonJS, type-checked from TypeScript,
 * and used to train a tiny model on the default backend. publint and are-the-types-wrong check the shape.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const readManifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; private?: boolean };
// Every published package; private ones (@ektm/testing, test support) are never packed.
const packageDirs = readdirSync(join(root, 'packages'))
  .map((d) => join(root, 'packages', d))
  .filter((d) => !readManifest(d).private);
const packageNames = packageDirs.map((d) => readManifest(d).name);
const tfjsVersion = JSON.parse(readFileSync(join(root, 'node_modules/@tensorflow/tfjs-core/package.json'), 'utf8')).version;
const tsVersion = JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')).version;

let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EKTM_QUIET: '1' } });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}\n${e.stderr ?? e.message}`, { cause: error });
  }
}

const tinyModelScript = (importLine: string) => `${importLine}
(async () => {
  const info = await core.initEngine();
  const model = core.buildMultiTaskModel({
    features: [{ name: 'a', type: 'categorical', vocabularySize: 5 }],
    tasks: [{ name: 'click' }],
    backbone: (ctx) => new core.SharedBottom({ tasks: ctx.towerTasks, bottom: { units: [4] }, seed: ctx.seed }),
    tower: { units: [] },
  });
  const { tasks } = model.predict({ rows: 3, categorical: Int32Array.from([0, 1, 4]), categoricalCount: 1,
    numeric: new Float32Array(0), numericCount: 0, labels: {} });
  console.log(JSON.stringify({ backend: info.backend, n: tasks.click.length, packages: PACKAGES }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('packed tarballs install and work outside the workspace', () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'ektm-packed-'));
    const tarballs = packageDirs.map((dir) => {
      const out = run('npm', ['pack', '--json', '--pack-destination', project], dir);
      return join(project, JSON.parse(out)[0].filename as string);
    });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...tarballs,
        `@tensorflow/tfjs-core@${tfjsVersion}`,
        `@tensorflow/tfjs-layers@${tfjsVersion}`,
        `typescript@${tsVersion}`,
      ],
      project,
    );
  }, 600_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('imports every package from ESM and trains a tiny model on the default backend', () => {
    const imports = packageNames.map((n, i) => `import * as p${i} from '${n}';`).join('\n');
    const list = `const PACKAGES = [${packageNames.map((_, i) => `Object.keys(p${i}).length`).join(', ')}];`;
    writeFileSync(join(project, 'esm.mjs'), tinyModelScript(`${imports}\nimport * as core from '@ektm/core';\n${list}`));
    const result = JSON.parse(run('node', ['esm.mjs'], project).trim().split('\n').pop()!);
    expect(result.backend).toBe('wasm');
    expect(result.n).toBe(3);
    expect(result.packages.every((n: number) => n > 0)).toBe(true);
  });

  it('runs the ektm command of the installed @ektm/cli (its bin, without a build step)', () => {
    const help = run(join(project, 'node_modules/.bin/ektm'), ['--help'], project);
    expect(help).toContain('Usage: ektm <command> [options]');
    expect(run(join(project, 'node_modules/.bin/ektm'), ['--version'], project).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('requires every package from CommonJS', () => {
    const requires = packageNames.map((n) => `require('${n}')`).join(', ');
    writeFileSync(
      join(project, 'cjs.cjs'),
      tinyModelScript(`const core = require('@ektm/core');\nconst PACKAGES = [${requires}].map((m) => Object.keys(m).length);`),
    );
    const result = JSON.parse(run('node', ['cjs.cjs'], project).trim().split('\n').pop()!);
    expect(result.backend).toBe('wasm');
    expect(result.packages.every((n: number) => n > 0)).toBe(true);
  });

  it('runs a DeLong test with @ektm/stats from ESM and CommonJS (its distribution libraries installed beside it)', () => {
    const call = `stats.delongTest([1, 0, 1, 0, 1, 0], [0.9, 0.1, 0.8, 0.3, 0.2, 0.4], [0.5, 0.5, 0.6, 0.4, 0.3, 0.2])`;
    writeFileSync(join(project, 'stats.mjs'), `import * as stats from '@ektm/stats';\nconsole.log(JSON.stringify(${call}));\n`);
    writeFileSync(join(project, 'stats.cjs'), `const stats = require('@ektm/stats');\nconsole.log(JSON.stringify(${call}));\n`);
    for (const file of ['stats.mjs', 'stats.cjs']) {
      const result = JSON.parse(run('node', [file], project).trim());
      expect(result.deltaAuc).toBeCloseTo(1 / 18, 12);
      expect(result.p).toBeCloseTo(0.8230632737581215, 12);
    }
  });

  it('type-checks a TypeScript consumer against the published declarations', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { buildMultiTaskModel, SharedBottom, type TaskSpec } from '@ektm/core';
import { delongTest, type DelongTestResult } from '@ektm/stats';
export const comparison: DelongTestResult = delongTest(Uint8Array.of(1, 0, 1, 0), Float32Array.of(0.9, 0.1, 0.6, 0.7), [0.2, 0.1, 0.6, 0.5]);
const tasks: TaskSpec[] = [{ name: 'click' }, { name: 'buy', parent: 'click' }];
export const model = buildMultiTaskModel({
  features: [{ name: 'a', type: 'categorical', vocabularySize: 5 }],
  tasks,
  backbone: (ctx) => new SharedBottom({ tasks: ctx.towerTasks, seed: ctx.seed }),
});
`,
    );
    for (const moduleKind of ['nodenext', 'commonjs']) {
      const resolution = moduleKind === 'nodenext' ? 'nodenext' : 'node10';
      run(
        'npx',
        ['tsc', '--noEmit', '--strict', '--skipLibCheck', '--module', moduleKind, '--moduleResolution', resolution, 'consumer.ts'],
        project,
      );
    }
  });

  it.each(packageDirs)('publint and are-the-types-wrong accept %s', (dir) => {
    run(join(root, 'node_modules/.bin/publint'), ['--strict'], dir);
    run(join(root, 'node_modules/.bin/attw'), ['--pack', '.', '--profile', 'node16', '--format', 'ascii'], dir);
  });
});
