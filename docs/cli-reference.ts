/**
 * Builds docs/cli.md from the CLI's own help texts, so that the command reference cannot drift from the
 * command: the test compares the file with this output, and `EKTM_UPDATE_DOCS=1` rewrites it.
 */
import { COMMANDS, formatHelp, topLevelHelp } from '@ektm/cli';

/** The full text of docs/cli.md. */
export function cliReference(): string {
  const parts = [
    '# Command reference',
    '',
    "<!-- Generated from the commands' --help by docs/cli-reference.test.ts (EKTM_UPDATE_DOCS=1 rewrites it). -->",
    '',
    'The `ektm` command comes with `@ektm/cli` (`npx ektm ...`; in this repository `node packages/cli/dist/bin.js ...`).',
    'Exit codes: 0 ok; 1 any other failure (the message says what failed; `EKTM_DEBUG=1` adds the stack); 2 usage or',
    'config error (the message names the flag, option or key and what is allowed); 3 data error (the message names',
    'the file, line and field); 4 model-file error (a saved model or checkpoint that cannot be used; the message names',
    'the file); 5 training diverged (a NaN or infinite loss or weight); 130 interrupted.',
    '',
    '```text',
    topLevelHelp().trimEnd(),
    '```',
  ];
  for (const command of COMMANDS) {
    parts.push('', `## ektm ${command.spec.name}`, '', '```text', formatHelp(command.spec).trimEnd(), '```');
  }
  return `${parts.join('\n')}\n`;
}
