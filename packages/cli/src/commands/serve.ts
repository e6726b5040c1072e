import { resolve } from 'node:path';
import { engineNames, MICRO_BATCH_DEFAULTS, PredictionServer, runUntilStopped, SERVE_DEFAULTS } from '@ektm/serve';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { intOption, numberOption } from '../cli/option-values.js';
import { parseCommand } from '../cli/parse-command.js';

/** `ektm serve`: an HTTP prediction server (KServe v1) for a saved model, until SIGTERM. */
export const serveCommand: Command = {
  spec: {
    name: 'serve',
    summary: 'serve a saved model over HTTP (KServe v1 protocol, Prometheus metrics) until SIGTERM',
    usage: 'serve --model <dir> [--engine tfjs|onnx] [--port <n>] [--host <address>] [options]',
    options: [
      { name: 'model', type: 'string', valueName: '<dir>', description: 'folder of a model saved by `ektm train`', required: true },
      {
        name: 'engine',
        type: 'string',
        valueName: '<name>',
        description: 'what runs the model: tfjs (TensorFlow.js in this process) or onnx (onnxruntime on the exported graph)',
        defaultText: SERVE_DEFAULTS.engine,
        choices: engineNames(),
      },
      {
        name: 'port',
        short: 'p',
        type: 'string',
        valueName: '<n>',
        description: 'port to listen on; 0 picks a free one',
        defaultText: '8080',
      },
      {
        name: 'host',
        type: 'string',
        valueName: '<address>',
        description: 'address to listen on; 0.0.0.0 for every interface',
        defaultText: SERVE_DEFAULTS.host,
      },
      { name: 'name', type: 'string', valueName: '<name>', description: 'model name in the URLs', defaultText: "the folder's name" },
      {
        name: 'max-batch',
        type: 'string',
        valueName: '<rows>',
        description: 'most rows one engine call takes (micro-batching)',
        defaultText: String(MICRO_BATCH_DEFAULTS.maxBatchRows),
      },
      {
        name: 'max-wait-ms',
        type: 'string',
        valueName: '<ms>',
        description: 'longest a request waits for others to join its batch',
        defaultText: String(MICRO_BATCH_DEFAULTS.maxWaitMs),
      },
      {
        name: 'max-instances',
        type: 'string',
        valueName: '<n>',
        description: 'most instances one request may hold (more is a 400)',
        defaultText: String(SERVE_DEFAULTS.maxInstances),
      },
      {
        name: 'drain-timeout-ms',
        type: 'string',
        valueName: '<ms>',
        description: 'how long SIGTERM waits for requests in flight',
        defaultText: String(SERVE_DEFAULTS.drainTimeoutMs),
      },
      { name: 'watch', type: 'boolean', description: 'reload the model when a new version is saved into its folder' },
      {
        name: 'threads',
        type: 'string',
        valueName: '<n>',
        description: "threads per batch for the onnx engine (onnxruntime's intra-op threads)",
        defaultText: "onnxruntime's",
      },
      { name: 'quiet', short: 'q', type: 'boolean', description: 'no log lines on stderr' },
    ],
    details: [
      'Routes: GET /v1/models, GET /v1/models/<name>, POST /v1/models/<name>:predict with {"instances": [{feature: value, ...}]} ' +
        'answered by {"predictions": [{task: probability, ...}]}, GET /healthz, GET /metrics (Prometheus). Instances hold the raw ' +
        'values of every feature column (null for a missing value), encoded with the preprocessing saved with the model.',
      'SIGTERM or SIGINT stops: requests in flight are answered, then the command exits 0 (1 if the drain timed out). ' +
        'SIGHUP reloads the model folder without dropping requests; a failed reload keeps the old version.',
    ],
    examples: [
      'serve --model models/ektm',
      'serve --model models/ektm --engine onnx --port 9000 --max-batch 512 --max-wait-ms 5',
      'serve --model models/ektm --host 0.0.0.0 --watch',
    ],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const name = this.spec.name;
    const quiet = v.quiet === true;
    const log = (line: string) => (quiet ? undefined : io.stderr.write(`ektm serve: ${line}\n`));
    const server = await PredictionServer.start({
      modelDir: resolve(io.cwd, v.model as string),
      engine: (v.engine as string | undefined) ?? SERVE_DEFAULTS.engine,
      name: v.name as string | undefined,
      host: (v.host as string | undefined) ?? SERVE_DEFAULTS.host,
      port: intOption(name, 'port', v.port, { min: 0, max: 65535 }) ?? SERVE_DEFAULTS.port,
      maxBatchRows: intOption(name, 'max-batch', v['max-batch'], { min: 1 }),
      maxWaitMs: numberOption(name, 'max-wait-ms', v['max-wait-ms'], { min: 0 }),
      maxInstances: intOption(name, 'max-instances', v['max-instances'], { min: 1 }),
      drainTimeoutMs: intOption(name, 'drain-timeout-ms', v['drain-timeout-ms'], { min: 0 }),
      watch: v.watch === true,
      threads: intOption(name, 'threads', v.threads, { min: 1 }),
      log,
    });
    return runUntilStopped(server, { log });
  },
};
