import { HELP_OPTION, type CommandSpec } from './command-spec.js';

/** The `--help` text of one command: usage, summary, flags with defaults and choices, details, examples. */
export function formatHelp(spec: CommandSpec): string {
  const lines = [`Usage: ektm ${spec.usage}`, '', spec.summary, '', 'Options:'];
  const options = [...spec.options, HELP_OPTION];
  const left = options.map((o) => {
    const short = o.short ? `-${o.short}, ` : '    ';
    const value = o.type === 'string' ? ` ${o.valueName ?? '<value>'}` : '';
    return `  ${short}--${o.name}${value}`;
  });
  const width = Math.max(...left.map((l) => l.length)) + 2;
  options.forEach((o, i) => {
    const extras: string[] = [];
    if (o.required) extras.push('required');
    if (o.choices) extras.push(`one of: ${o.choices.join(', ')}`);
    if (o.defaultText !== undefined) extras.push(`default: ${o.defaultText}`);
    const suffix = extras.length ? ` (${extras.join('; ')})` : '';
    lines.push(`${left[i]!.padEnd(width)}${o.description}${suffix}`);
  });
  for (const paragraph of spec.details ?? []) lines.push('', paragraph);
  if (spec.examples?.length) {
    lines.push('', 'Examples:');
    for (const example of spec.examples) lines.push(`  ektm ${example}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a command's help to stdout; resolves the exit code of `--help` (0). */
export function printHelp(spec: CommandSpec, io: { stdout: { write(chunk: string): unknown } }): number {
  io.stdout.write(formatHelp(spec));
  return 0;
}
