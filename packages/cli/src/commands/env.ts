import { describeAdapter, initEngine } from '@ektm/core';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { parseCommand } from '../cli/parse-command.js';
import { packageVersions } from '../version.js';

/** `ektm env`: versions, and which TensorFlow.js backend runs and why. */
export const envCommand: Command = {
  spec: {
    name: 'env',
    summary: 'print versions and the TensorFlow.js backend chosen (and why)',
    usage: 'env [--json]',
    options: [{ name: 'json', type: 'boolean', description: 'print JSON instead of text' }],
    details: [
      'Backends are tried in the order tensorflow-gpu, webgpu, tensorflow, wasm, cpu; EKTM_BACKEND forces one. ' +
        'webgpu is picked automatically only on a real GPU adapter; EKTM_BACKEND=webgpu also accepts a software one ' +
        '(SwiftShader), for testing. The adapter is named when webgpu runs.',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const info = await initEngine({ quiet: true });
    const versions = packageVersions();
    if (args.values.json) {
      io.stdout.write(
        `${JSON.stringify({ versions, backend: info.backend, ...(info.gpuAdapter ? { gpuAdapter: info.gpuAdapter } : {}), reason: info.reason, attempts: info.attempts, platform: `${process.platform}-${process.arch}` }, null, 2)}\n`,
      );
      return 0;
    }
    const width = Math.max(...Object.keys(versions).map((k) => k.length)) + 2;
    const lines = ['Versions:', ...Object.entries(versions).map(([k, v]) => `  ${k.padEnd(width)}${v}`), ''];
    lines.push(`Backend: ${info.backend} (${info.reason})`);
    if (info.gpuAdapter) lines.push(`Adapter: ${describeAdapter(info.gpuAdapter)}`);
    for (const attempt of info.attempts)
      lines.push(`  ${attempt.backend.padEnd(16)}${attempt.error ? `not used: ${attempt.error}` : 'chosen'}`);
    lines.push(`Platform: ${process.platform}-${process.arch}, node ${process.versions.node}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
