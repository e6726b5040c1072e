import { auc } from '@ektm/core';
import type { NormalisedSpec, SplitName } from '../spec/normalised-spec.js';
import type { LoadedDataset } from '../load/loaded-dataset.js';
import type { LoadOptions } from '../load/load-dataset.js';
import type { FileLayout } from '../parse/file-layout.js';
import { BadRowCounter } from '../errors/bad-row-counter.js';
import { DatasetAssembler } from '../load/dataset-assembler.js';
import { pickTaskSet } from '../spec/pick-task-set.js';
import { toLoadedDataset } from '../load/to-loaded-dataset.js';
import { SPLIT_NAMES } from '../spec/normalised-spec.js';
import { taskMask } from '../batch/task-mask.js';
import { simulate } from './simulator.js';
import { resolveSimulatorOptions } from './simulator-options.js';
import { syntheticSpec } from './synthetic-spec.js';

/**
 * Core's exact AUC over the rows where `mask` is 1 (a task's sample space; the mask already leaves out missing
 * labels). NaN, not undefined, when those rows hold one class, as `optimalAuc` has always reported it.
 */
function aucInSpace(scores: Float32Array, labels: Float32Array, mask: Float32Array): number {
  const rows: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i] === 1) rows.push(i);
  return (
    auc(
      Float64Array.from(rows, (i) => scores[i]!),
      Float64Array.from(rows, (i) => labels[i]!),
    ) ?? NaN
  );
}

/**
 * Simulates the rows and loads them through the same decoding and encoding as files, then attaches the
 * true probability of every label and the AUC those probabilities reach in each task's sample space.
 */
export async function loadSyntheticDataset(base: NormalisedSpec, options: LoadOptions): Promise<LoadedDataset> {
  const simulatorOptions = resolveSimulatorOptions(
    { ...base.synthetic, ...options.simulator },
    options.simulator ? 'simulator' : 'synthetic',
  );
  const spec = syntheticSpec({ ...base, synthetic: simulatorOptions }, simulatorOptions);
  const taskSet = pickTaskSet(spec, options.taskSet);
  // Each split is simulated on its own stream, so without the test split one test row is drawn (the least the
  // simulator takes) and never added: train and validation are the same rows as in a full load.
  const simulation = simulate(options.withoutTest ? { ...simulatorOptions, testRows: 1 } : simulatorOptions);
  const badRows = new BadRowCounter(0);
  const assembler = new DatasetAssembler(spec, taskSet, badRows);
  const layout: FileLayout = { names: simulation.columns, fieldCount: simulation.columns.length };
  assembler.useLayout(layout);
  const splits = options.withoutTest ? SPLIT_NAMES.filter((s) => s !== 'test') : SPLIT_NAMES;
  for (const split of splits) {
    const rows = simulation.splits[split].rows;
    for (let r = 0; r < rows.length; r++) assembler.addFields(rows[r]!, split, { line: r + 1 });
  }
  const loaded = toLoadedDataset(spec, taskSet, assembler.finish(), badRows, { withoutTest: options.withoutTest });

  const first = simulation.conversions.find((c) => simulatorOptions.conversionParents[c] === undefined) ?? simulation.conversions[0]!;
  const trueProbabilities: NonNullable<LoadedDataset['trueProbabilities']> = {};
  const optimalAuc: NonNullable<LoadedDataset['optimalAuc']> = {};
  for (const split of splits) {
    const table = loaded.splits[split]!;
    const simulated = simulation.splits[split];
    const truth: Record<string, Float32Array> = {};
    for (const task of taskSet.tasks) {
      const pClick = simulated.clickProbability;
      const conversion = task.name === 'cvr' || task.name === 'ctcvr' ? first : task.name;
      const pConversion = simulated.conversionProbability[conversion];
      truth[task.name] = Float32Array.from(pClick, (pc, i) =>
        task.name === 'click' ? pc : task.name === 'ctcvr' ? pc * pConversion![i]! : pConversion![i]!,
      );
    }
    trueProbabilities[split as SplitName] = truth;
    optimalAuc[split] = Object.fromEntries(
      taskSet.tasks.map((t) => [t.name, aucInSpace(truth[t.name]!, table.labels[t.name]!, taskMask(table, loaded.tasks, t.name))]),
    );
  }
  return { ...loaded, trueProbabilities, optimalAuc };
}
