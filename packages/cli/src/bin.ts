#!/usr/bin/env node
/** The `ektm` executable: runs the CLI on the process's arguments and exits with its code. */
import { keepAliveWhile } from './cli/keep-alive.js';
import { run } from './cli/run.js';

keepAliveWhile(run(process.argv.slice(2))).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
