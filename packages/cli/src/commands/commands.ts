import type { Command } from '../cli/command.js';
import { benchCommand } from './bench.js';
import { compareCommand } from './compare.js';
import { datasetsDescribeCommand, datasetsDownloadCommand, datasetsListCommand } from './datasets.js';
import { envCommand } from './env.js';
import { evaluateCommand } from './evaluate.js';
import { exportCommand } from './export.js';
import { predictCommand } from './predict.js';
import { serveCommand } from './serve.js';
import { trainCommand } from './train.js';
import { tuneCommand } from './tune.js';

/** Every command of `ektm`, in the order the top-level help lists them. */
export const COMMANDS: readonly Command[] = [
  trainCommand,
  evaluateCommand,
  predictCommand,
  exportCommand,
  serveCommand,
  compareCommand,
  tuneCommand,
  benchCommand,
  datasetsListCommand,
  datasetsDescribeCommand,
  datasetsDownloadCommand,
  envCommand,
];
