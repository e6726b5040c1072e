import { describe, expect, it } from 'vitest';
import type { CommandSpec } from './command-spec.js';
import { formatHelp } from './format-help.js';
import { intListOption, intOption, nameListOption, numberOption } from './option-values.js';
import { parseCommand } from './parse-command.js';
import { UsageError } from './usage-error.js';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'a demo command',
  usage: 'demo --name <x> [--fast]',
  options: [
    { name: 'name', type: 'string', valueName: '<x>', description: 'a name', required: true },
    { name: 'mode', type: 'string', description: 'a mode', choices: ['a', 'b'], defaultText: 'a' },
    { name: 'fast', short: 'f', type: 'boolean', description: 'go fast' },
  ],
  examples: ['demo --name x'],
};

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommand', () => {
  it('parses long, =, short and boolean flags', () => {
    const parsed = parseCommand(spec, ['--name=x', '--mode', 'b', '-f']);
    expect(parsed.values).toMatchObject({ name: 'x', mode: 'b', fast: true });
    expect(parsed.help).toBe(false);
  });

  it('lets --help through without the required flags', () => {
    expect(parseCommand(spec, ['--help']).help).toBe(true);
    expect(parseCommand(spec, ['-h']).help).toBe(true);
  });

  it('names an unknown flag and lists the allowed ones', () => {
    const message = usageMessage(() => parseCommand(spec, ['--name', 'x', '--colour']));
    expect(message).toContain('--colour');
    expect(message).toContain('--name, --mode, --fast, --help');
  });

  it('names a missing required flag, a bad choice, a valued switch and a missing value', () => {
    expect(usageMessage(() => parseCommand(spec, []))).toContain('--name <x> is required');
    expect(usageMessage(() => parseCommand(spec, ['--name', 'x', '--mode', 'c']))).toContain('--mode "c" is not allowed; use one of a, b');
    expect(usageMessage(() => parseCommand(spec, ['--name', 'x', '--fast=yes']))).toContain('--fast is a switch');
    expect(usageMessage(() => parseCommand(spec, ['--name']))).toContain('--name needs a value');
  });

  it('passes a negative number to the option check instead of calling it a missing value', () => {
    expect(parseCommand(spec, ['--name', '-1']).values.name).toBe('-1');
    expect(parseCommand(spec, ['--name', '-0.5', '-f']).values).toMatchObject({ name: '-0.5', fast: true });
    expect(
      usageMessage(() =>
        numberOption('c', 'learning-rate', parseCommand(spec, ['--name', '-1']).values.name, { min: 0, exclusiveMin: true }),
      ),
    ).toBe('ektm c: --learning-rate "-1" is not allowed; use a number > 0');
    expect(usageMessage(() => parseCommand(spec, ['--name', '-f']))).toContain('--name needs a value');
  });

  it('rejects extra positional arguments unless the command takes them', () => {
    expect(usageMessage(() => parseCommand(spec, ['--name', 'x', 'extra']))).toContain('unexpected argument "extra"');
    expect(parseCommand(spec, ['--name', 'x', 'extra'], 1).positionals).toEqual(['extra']);
  });
});

describe('option values', () => {
  it('converts integers, numbers and lists, and names the flag when a value is bad', () => {
    expect(intOption('c', 'epochs', '3', { min: 1 })).toBe(3);
    expect(intOption('c', 'epochs', undefined, { min: 1 })).toBeUndefined();
    expect(usageMessage(() => intOption('c', 'epochs', '0', { min: 1 }))).toBe('ektm c: --epochs "0" is not allowed; use an integer >= 1');
    expect(usageMessage(() => intOption('c', 'epochs', '2.5', { min: 1 }))).toContain('--epochs "2.5"');
    expect(numberOption('c', 'learning-rate', '1e-3', { min: 0, exclusiveMin: true })).toBe(0.001);
    expect(usageMessage(() => numberOption('c', 'learning-rate', '0', { min: 0, exclusiveMin: true }))).toContain('use a number > 0');
    expect(intListOption('c', 'seeds', '0, 1,2')).toEqual([0, 1, 2]);
    expect(usageMessage(() => intListOption('c', 'seeds', '0,x'))).toContain('"x" is not an integer >= 0');
    expect(usageMessage(() => intListOption('c', 'seeds', '1,1'))).toContain('1 is listed twice');
    expect(nameListOption('c', 'models', 'mmoe,ple', ['mmoe', 'ple', 'ektm'])).toEqual(['mmoe', 'ple']);
    expect(usageMessage(() => nameListOption('c', 'models', 'mmoe,foo', ['mmoe', 'ple']))).toBe(
      'ektm c: --models: unknown name "foo"; allowed: mmoe, ple',
    );
  });
});

describe('formatHelp', () => {
  it('lists usage, every flag with its value name, choices, defaults and --help, and the examples', () => {
    const help = formatHelp(spec);
    expect(help.split('\n')[0]).toBe('Usage: ektm demo --name <x> [--fast]');
    expect(help).toMatch(/--name <x>\s+a name \(required\)/);
    expect(help).toMatch(/--mode <value>\s+a mode \(one of: a, b; default: a\)/);
    expect(help).toMatch(/-f, --fast\s+go fast/);
    expect(help).toMatch(/-h, --help\s+show this help and exit/);
    expect(help).toContain('  ektm demo --name x');
  });
});
