/**
 * Runs every shell command of README.md, docs/*.md and the packages' READMEs, as written, with EKTM_QUICK=1 (a smoke
 * run: 2,000 rows, one epoch, one seed), so that the docs cannot drift from the commands. The commands run in a
 * scratch copy of the repository (tmp/docs-commands/repo: links to the checkout, its own out/ folder, and
 * ../shared beside it), in document order, so a guide's `train` precedes its `evaluate`, and nothing a command writes
 * lands in the checkout. The few commands that cannot run inside the test suite are checked another way, and say how.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '@ektm/testing';
import { extractShellCommands, shellCommands, type ShellCommand } from './shell-commands.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = join(root, 'tmp', 'docs-commands');
const repo = join(scratch, 'repo');
const sharedDataPresent = sharedData('census-income-kdd/census-income.test.gz') !== undefined;

/** How a documented command is verified: run as written (maybe after a prefix), or checked another way. */
type Policy =
  | {
      kind: 'run';
      /** What runs. */
      command: string;
      /** Exit 1 with this message is the documented behaviour when an optional system package is missing. */
      missingDependency?: RegExp;
      /** Run in the checkout itself rather than the scratch copy (nx finds projects only in the real checkout). */
      inCheckout?: boolean;
    }
  | {
      kind: 'checked';
      /** Why the command does not run inside the test suite, and what covers it. */
      reason: string;
      /** The check that stands in for running it. */
      check: () => void;
    };

/** A workspace package's name, and its peers: name → [declared range, whether optional]. */
interface WorkspacePackage {
  name: string;
  peers: Map<string, { range: string; optional: boolean }>;
}
const workspacePackages: WorkspacePackage[] = readdirSync(join(root, 'packages')).map((p) => {
  const json = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as {
    name: string;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  };
  const peers = new Map(
    Object.entries(json.peerDependencies ?? {}).map(([peer, range]) => [
      peer,
      { range, optional: json.peerDependenciesMeta?.[peer]?.optional === true },
    ]),
  );
  return { name: json.name, peers };
});
const workspaceNames = workspacePackages.map((p) => p.name);

/** `webgpu@0.6.2` → name and version; a scoped name keeps its leading `@`. */
function packageSpec(spec: string): { name: string; version?: string } {
  const at = spec.lastIndexOf('@');
  return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : { name: spec };
}

function policyOf(command: string, file: string): Policy {
  if (command === 'npm ci && npm test') {
    return {
      kind: 'checked',
      reason: 'the CI command itself: .ci/run runs it in a fresh clone (here it would run this test again)',
      check: () => expect(readFileSync(join(root, '.ci/run'), 'utf8')).toMatch(/npm ci[^\n]*\nnpm test\n/),
    };
  }
  const afterCi = /^npm ci && (.+)$/.exec(command);
  if (afterCi) return policyOf(afterCi[1]!, file); // this checkout is installed already (npm ci is what CI runs first)
  if (command === 'npm run build') {
    return {
      kind: 'checked',
      reason:
        'npm test built this checkout before the tests; building it again here would replace dist/ under the test files running beside this one',
      check: () => {
        const unbuilt = readdirSync(join(root, 'packages')).filter((p) => {
          const manifest = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8')) as { scripts?: { build?: string } };
          return manifest.scripts?.build !== undefined && !existsSync(join(root, 'packages', p, 'dist', 'index.js'));
        });
        expect(unbuilt, 'packages without dist/index.js').toEqual([]);
      },
    };
  }
  const install = /^npm install (?:--save-dev )?(.+)$/.exec(command);
  if (install) {
    return {
      kind: 'checked',
      reason: 'installs from the npm registry; tests/packaging/packed-install.test.ts installs the packed packages the same way',
      check: () => {
        const specs = install[1]!.split(/\s+/).map(packageSpec);
        for (const { name, version } of specs) {
          // A package of ektm, or a peer (required or optional) one of them declares, at the version it declares.
          const declared = workspacePackages.flatMap((p) => {
            const peer = p.peers.get(name);
            return peer ? [peer.range.replace(/^[\^~]/, '')] : [];
          });
          expect(workspaceNames.includes(name) || declared.length > 0, `${name} is a package of ektm or a peer of one`).toBe(true);
          if (version !== undefined) expect(declared, `${name}@${version} is the version ektm declares`).toContain(version);
        }
        // Whoever installs an ektm package is told its required peers (in this command or another of the same file).
        const named = commands
          .filter((c) => c.file === file && c.command.startsWith('npm install '))
          .flatMap((c) => c.command.split(/\s+/).map((spec) => packageSpec(spec).name));
        for (const installed of workspacePackages.filter((p) => specs.some((s) => s.name === p.name))) {
          for (const [peer, { optional }] of installed.peers) {
            if (!optional) expect(named, `${file} names the peer ${peer} of ${installed.name}`).toContain(peer);
          }
        }
      },
    };
  }
  if (/^npx ektm datasets download /.test(command)) {
    return {
      kind: 'checked',
      reason: 'downloads from the internet; packages/datasets/src/download/download.test.ts downloads from a local server',
      check: () => expect(existsSync(join(root, 'packages/datasets/src/download/download.test.ts'))).toBe(true),
    };
  }
  if (/^npx nx /.test(command)) {
    // nx discovers projects in the checkout only (not through the scratch copy's links); the nx commands of the docs write no files.
    return { kind: 'run', command, inCheckout: true };
  }
  if (/^npm run bench:(torch|serve)/.test(command)) {
    return { kind: 'run', command, missingDependency: /PyTorch is not importable by .*apt-get install python3-torch/ };
  }
  return { kind: 'run', command };
}

/** Links every entry of the checkout into the scratch repository, except what commands write (out/, tmp/, .nx/). */
function makeScratchRepository(): void {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  for (const entry of readdirSync(root)) {
    if (['out', 'tmp', '.nx', '.git'].includes(entry)) continue;
    symlinkSync(join(root, entry), join(repo, entry));
  }
  const shared = resolve(root, '..', 'shared');
  if (existsSync(shared)) symlinkSync(shared, join(scratch, 'shared'));
}

/** `git status` of the checkout: no command may leave a file in it. */
function gitStatus(): string {
  return spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).stdout;
}

describe('extractShellCommands', () => {
  it('joins continued lines, drops comments and blank lines, and keeps the line of each command', () => {
    const md = [
      '# t',
      '```sh',
      'npx a --x 1   # a comment',
      '',
      'npx b \\',
      "  --y '#not a comment' \\",
      '  --z',
      '```',
      '```ts',
      'no()',
      '```',
    ].join('\n');
    expect(extractShellCommands(md, 'x.md')).toEqual([
      { file: 'x.md', line: 3, command: 'npx a --x 1' },
      { file: 'x.md', line: 5, command: "npx b --y '#not a comment' --z" },
    ]);
    expect(() => extractShellCommands('```sh\nnpx a \\\n```', 'y.md')).toThrow('y.md:2: the block ends inside a continued command');
  });
});

const commands: ShellCommand[] = shellCommands(root);

describe('every shell command of the README and the docs', () => {
  let before = '';
  beforeAll(() => {
    makeScratchRepository();
    before = gitStatus();
  });
  afterAll(() => {
    expect(gitStatus(), 'the documented commands left files in the checkout').toBe(before);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('finds the commands of the README and the main guides', () => {
    const files = new Set(commands.map((c) => c.file));
    for (const f of ['README.md', 'docs/getting-started.md', 'docs/saving-and-serving.md', 'docs/benchmarks.md'])
      expect(files).toContain(f);
  });

  for (const { file, line, command } of commands) {
    const policy = policyOf(command, file);
    const needsData = command.includes('../shared/data');
    const title = `${file}:${line} ${command}`;
    if (policy.kind === 'checked') {
      it(`${title} (not run: ${policy.reason})`, () => policy.check());
      continue;
    }
    it.skipIf(needsData && !sharedDataPresent)(
      title,
      () => {
        const result = spawnSync('bash', ['-c', policy.command], {
          cwd: policy.inCheckout ? root : repo,
          encoding: 'utf8',
          env: { ...process.env, EKTM_QUICK: '1', EKTM_QUIET: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NO_COLOR: '1' },
          timeout: 600_000,
          maxBuffer: 1 << 26,
        });
        const output = `exit ${result.status}\n--- stdout\n${result.stdout.slice(-3000)}\n--- stderr\n${result.stderr.slice(-3000)}`;
        if (policy.missingDependency && result.status === 1 && policy.missingDependency.test(result.stderr)) return;
        expect(result.status, output).toBe(0);
      },
      600_000,
    );
  }
});
