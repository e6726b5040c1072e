#!/usr/bin/env node
// The `ektm` executable. It is a committed file (not in dist/) so that `npm ci` links it into node_modules/.bin even
// before anything is built: `npx ektm` then finds it and never asks the npm registry for a package named "ektm".
// In a clone of the repository, the first run builds the packages when a dist/ folder is missing; an installed
// package always has its dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cliDir = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = join(cliDir, 'dist', 'bin.js');
const repoRoot = join(cliDir, '..', '..');
const inRepository = existsSync(join(cliDir, 'src', 'bin.ts')) && existsSync(join(repoRoot, 'nx.json'));

/** Whether a workspace package is built at all (the private test-support package is used from source). */
function hasBuild(dir) {
  const manifest = join(dir, 'package.json');
  return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).scripts?.build !== undefined;
}

/** The workspace packages whose build output is missing (in a clone of the repository). */
function unbuilt() {
  const packages = join(repoRoot, 'packages');
  return readdirSync(packages).filter((name) => hasBuild(join(packages, name)) && !existsSync(join(packages, name, 'dist', 'index.js')));
}

if (inRepository) {
  const missing = unbuilt();
  if (missing.length > 0) {
    process.stderr.write(`ektm: building the packages first (${missing.join(', ')} not built yet; about a minute, once)\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const build = spawnSync(npm, ['run', 'build', '--silent'], {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2],
      env: { ...process.env, NX_DAEMON: 'false' },
    });
    if (build.status !== 0 || unbuilt().length > 0) {
      process.stderr.write(`ektm: the build failed (exit ${build.status}); run \`npm run build\` in ${repoRoot} to see why\n`);
      process.exit(1);
    }
  }
} else if (!existsSync(entry)) {
  process.stderr.write(`ektm: ${entry} is missing; reinstall @ektm/cli\n`);
  process.exit(1);
}

await import(pathToFileURL(entry).href);
