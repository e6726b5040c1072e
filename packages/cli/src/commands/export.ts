import { resolve } from 'node:path';
import { initEngine, loadModel } from '@ektm/core';
import { verifyOnnxExport, writeOnnxExport } from '@ektm/onnx';
import type { Command } from '../cli/command.js';
import { printHelp } from '../cli/format-help.js';
import { intOption } from '../cli/option-values.js';
import { parseCommand } from '../cli/parse-command.js';

/** Largest difference from `predict` that `--verify` accepts. */
const VERIFY_TOLERANCE = 1e-5;

/** `ektm export`: a saved model as one ONNX graph, its preprocessing contract, and optionally a Triton model repository. */
export const exportCommand: Command = {
  spec: {
    name: 'export',
    summary: 'export a saved model as one ONNX graph (+ preprocessing contract, Triton repository) for serving outside Node',
    usage: 'export --model <dir> --format onnx --out <dir> [--triton] [--name <name>] [--max-batch-size <n>] [--verify]',
    options: [
      { name: 'model', type: 'string', valueName: '<dir>', description: 'folder of a model saved by `ektm train`', required: true },
      { name: 'format', type: 'string', valueName: '<format>', description: 'export format', choices: ['onnx'], required: true },
      {
        name: 'out',
        type: 'string',
        valueName: '<dir>',
        description: 'export folder (replaced if it holds an earlier export)',
        required: true,
      },
      { name: 'triton', type: 'boolean', description: 'also write a Triton model repository to <out>/triton' },
      {
        name: 'name',
        type: 'string',
        valueName: '<name>',
        description: 'model name in the Triton repository',
        defaultText: "the model's name",
      },
      { name: 'max-batch-size', type: 'string', valueName: '<n>', description: 'Triton max_batch_size', defaultText: '1024' },
      {
        name: 'verify',
        type: 'boolean',
        description: 'score 256 random rows with predict and with the graph (onnxruntime-node) and fail above 1e-5',
      },
    ],
    details: [
      '<out>/model.onnx is the whole model (embeddings, backbone, transfer blocks, towers, heads) as one graph, opset 17: one input per feature (int64 ids, float32 values, [batch] each), one output per task named after it (float32 probabilities, [batch]). <out>/preprocessing.json maps raw records to those inputs (vocabularies, hash buckets, numeric transforms) and <out>/ektm_preprocess.py is its reference encoder in Python. With --triton, <out>/triton/<name>/1/model.onnx and config.pbtxt (onnxruntime backend, dynamic batching) form a Triton model repository. See docs/serving.md.',
    ],
    examples: ['export --model models/ektm --format onnx --out out/onnx --triton --verify'],
  },
  async run(argv, io) {
    const args = parseCommand(this.spec, argv);
    if (args.help) return printHelp(this.spec, io);
    const v = args.values;
    const maxBatchSize = intOption(this.spec.name, 'max-batch-size', v['max-batch-size'], { min: 1 });
    await initEngine({ quiet: true });
    const saved = await loadModel(resolve(io.cwd, v.model as string));
    try {
      const out = resolve(io.cwd, v.out as string);
      const triton = v.triton === true ? { name: v.name as string | undefined, maxBatchSize } : false;
      const written = await writeOnnxExport(saved, out, { triton });
      const { exported } = written;
      io.stdout.write(
        `exported ${saved.model.spec.name} to ${out}: ${written.files.join(', ')}\n` +
          `graph: opset ${exported.opset}, ${exported.nodeCount} nodes, ${exported.initializerCount} initializers, ${(exported.model.byteLength / 1024).toFixed(1)} KiB\n` +
          `inputs: ${exported.inputs.map((i) => `${i.name} (${i.dataType})`).join(', ')}\n` +
          `outputs: ${exported.outputs.map((o) => `${o.name} (${o.dataType})`).join(', ')}\n`,
      );
      if (v.verify === true) {
        const parity = await verifyOnnxExport(saved.model, exported);
        const perTask = Object.entries(parity.maxAbsDiff)
          .map(([task, d]) => `${task} ${d.toExponential(1)}`)
          .join(', ');
        io.stdout.write(
          `verified on ${parity.rows} random rows against predict: max |difference| ${parity.max.toExponential(1)} (${perTask})\n`,
        );
        if (!(parity.max <= VERIFY_TOLERANCE)) {
          io.stderr.write(`the exported graph differs from predict by more than ${VERIFY_TOLERANCE}\n`);
          return 1;
        }
      }
      return 0;
    } finally {
      saved.model.dispose();
    }
  },
};
