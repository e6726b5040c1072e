/** Runs Debian's Python 3 (the machine's, with no package beyond the standard library) for the reference-encoder tests. */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Debian's interpreter when present (as on every machine of this project), else the first python3 on PATH. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Runs `python3 args…` with `input` on stdin; returns stdout, or throws with stderr and the exit code. */
export function python(args: string[], input: string): string {
  return execFileSync(PYTHON, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs `python3 args…` expecting failure; returns its exit code and stderr. */
export function pythonFailure(args: string[], input: string): { status: number; stderr: string } {
  try {
    execFileSync(PYTHON, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { status: number; stderr: string };
    return { status: e.status, stderr: e.stderr };
  }
  throw new Error(`${PYTHON} ${args.join(' ')} succeeded; a failure was expected`);
}
