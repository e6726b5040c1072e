/**
 * Every path a command writes is checked before any work starts, and the error names the path and the fix: an
 * `--out` that is a file, a folder with other files, a saved model (without --force), a read-only folder, a
 * `--json` that is a folder or cannot be written. `train` refuses `--resume` without a checkpoint, stops on Ctrl-C
 * with the --resume hint, and never saves a collapsed model.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EKTM_BIN, inProcessCli, spawnEnv, writeSimulatedSpec } from '../testing/cli-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'ektm-paths-'));
afterAll(() => {
  chmodSync(join(dir, 'locked'), 0o755);
  rmSync(dir, { recursive: true, force: true });
});
writeSimulatedSpec(dir, { seed: 3, trainRows: 600, validationRows: 300, testRows: 300 });
const train = ['train', '--dataset', 'tiny.json', '--model', 'mmoe', '--epochs', '1', '--batch-size', '128', '--quiet'];

const cli = inProcessCli(dir);

describe('ektm train: output paths, --force, --resume, Ctrl-C, collapse', () => {
  it('refuses an --out that is a file or a folder with other files, before loading anything', async () => {
    writeFileSync(join(dir, 'file.txt'), 'x');
    const file = await cli([...train, '--out', 'file.txt']);
    expect(file.code).toBe(2);
    expect(file.err).toContain(`--out ${join(dir, 'file.txt')} is a file; give a folder for the model`);
    mkdirSync(join(dir, 'notes'));
    writeFileSync(join(dir, 'notes', 'todo.md'), 'x');
    const other = await cli([...train, '--out', 'notes', '--force']);
    expect(other.code).toBe(2);
    expect(other.err).toContain('is a folder with other files (todo.md); saving replaces the whole folder, so give a new or empty folder');
    expect(readdirSync(join(dir, 'notes'))).toEqual(['todo.md']);
  });

  it('refuses to replace a saved model without --force, and replaces it with --force', async () => {
    const first = await cli([...train, '--out', 'models/m']);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    const again = await cli([...train, '--out', 'models/m']);
    expect(again.code).toBe(2);
    expect(again.err).toContain(
      `--out ${join(dir, 'models/m')} already holds a saved model; add --force to replace it, or choose another --out`,
    );
    const forced = await cli([...train, '--out', 'models/m', '--force']);
    expect(forced.code).toBe(0);
  });

  it('refuses --resume without a checkpoint instead of starting over silently', async () => {
    const result = await cli([...train, '--out', 'models/r', '--resume']);
    expect(result.code).toBe(2);
    expect(result.err).toContain(`--resume: there is no checkpoint in ${join(dir, 'models/r.checkpoints')} to resume from`);
  });

  it('stops on Ctrl-C with exit 130 and the --resume hint, and does not save the model', async () => {
    const result = await cli([...train, '--out', 'models/stopped'], { signal: AbortSignal.abort() });
    expect(result.code).toBe(130);
    expect(result.err).toContain('ektm train: interrupted after epoch 1; the model was not saved; rerun the same command with --resume');
    expect(existsSync(join(dir, 'models/stopped'))).toBe(false);
    const resumed = await cli([...train, '--out', 'models/stopped', '--resume']);
    expect(resumed.code).toBe(0);
    expect(existsSync(join(dir, 'models/stopped/ektm.json'))).toBe(true);
  });

  it('ends with an error and no saved model when the model collapses (a far too large learning rate)', async () => {
    const result = await cli([...train, '--out', 'models/collapsed', '--learning-rate', '1e6']);
    expect(result.code).toBe(5);
    expect(result.err).toMatch(/the model collapsed: it predicts the same probability for all 300 validation rows \(click /);
    expect(result.err).toContain('so every validation AUC is 0.5. Train again with a smaller learning rate (it was 1000000)');
    expect(existsSync(join(dir, 'models/collapsed'))).toBe(false);
  });

  it('refuses a read-only --out folder before training (as root: without the capability to override permissions)', () => {
    mkdirSync(join(dir, 'locked'));
    chmodSync(join(dir, 'locked'), 0o555);
    // Root ignores permission bits through CAP_DAC_OVERRIDE; setpriv (util-linux) drops it, so that root meets the
    // read-only folder as a user would. (Running as another user instead would need the checkout to be readable by
    // that user, which a clone in a private folder is not.)
    const command = process.execPath;
    const args = [EKTM_BIN, ...train, '--out', 'locked/model'];
    const asRoot = process.getuid?.() === 0;
    const result = spawnSync(
      asRoot ? 'setpriv' : command,
      asRoot ? ['--bounding-set=-dac_override,-dac_read_search', '--', command, ...args] : args,
      { cwd: dir, encoding: 'utf8', env: spawnEnv({ HOME: dir }) },
    );
    expect(result.error, 'setpriv (util-linux) runs').toBeUndefined();
    expect(result.stderr).toContain(
      `--out ${join(dir, 'locked/model')} cannot be written: ${join(dir, 'locked')} is not writable (EACCES)`,
    );
    expect(result.status).toBe(2);
  });
});

describe('ektm compare: output paths are checked before the first run', () => {
  it('names a --json that is a folder, an unwritable --report, and --resume without outputs', async () => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const folder = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--json', 'a-folder']);
    expect(folder.code).toBe(2);
    expect(folder.err).toContain(`--json ${join(dir, 'a-folder')} is a folder; give a file path`);
    writeFileSync(join(dir, 'plain-file'), 'x');
    const blocked = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--report', 'plain-file/report.html']);
    expect(blocked.code).toBe(2);
    expect(blocked.err).toContain(`cannot be written: ${join(dir, 'plain-file')} is a file, not a folder`);
    expect(blocked.err).not.toContain('run 1 of');
    const resume = await cli(['compare', '--dataset', 'tiny.json', '--models', 'mmoe', '--resume']);
    expect(resume.code).toBe(2);
    expect(resume.err).toContain('--resume needs the outputs of the comparison it resumes (--json, --report or --markdown)');
  });
});
