import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAddedProcessListeners, snapshotProcessListeners } from './process-listeners.js';

describe('process listeners of a backend start-up', () => {
  it('removes only the listeners added since the snapshot', () => {
    const before = snapshotProcessListeners();
    const added = () => undefined;
    process.on('unhandledRejection', added);
    expect(removeAddedProcessListeners(before)).toBe(1);
    expect(process.listeners('unhandledRejection')).not.toContain(added);
    expect(snapshotProcessListeners()).toEqual(before);
  });

  it("leaves an application's uncaught error to Node, not printed from inside tf-backend-wasm (built package)", () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const script =
      "import { initEngine } from '@ektm/core'; await initEngine({ quiet: true }); setTimeout(() => { throw new Error('my own bug'); }, 10);";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, EKTM_BACKEND: 'wasm' },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: my own bug');
    expect(result.stderr).not.toContain('tf-backend-wasm');
  });
});
