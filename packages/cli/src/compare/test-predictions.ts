import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '@ektm/core';
import { writeFileAtomic } from '../util/atomic-write.js';

/** One run's test predictions: a probability per test row, keyed by task name (in the task's own output). */
export type TestPredictions = Record<string, Float32Array>;

/**
 * The test predictions of finished runs, one binary file a run in a folder beside the runs file
 * (`out/compare.runs.jsonl` → `out/compare.predictions/mmoe.seed-0.f32`): the statistics of a comparison (DeLong's
 * test, the share of the gap closed) need every run's scores row by row, and a resumed comparison must not retrain a
 * run to get them. Each file is the tasks' float32 scores one after the other, in the comparison's task order,
 * little-endian; a task the model has no output for (ESMM's cart) is stored as NaN and left out when read (a finished
 * run never has a NaN score: evaluation rejects one). It is written atomically as the run ends, like the runs file.
 */
export class TestPredictionFiles {
  constructor(
    /** The folder of the files. */
    readonly dir: string,
    /** Task names, in the order their scores are stored. */
    private readonly taskNames: readonly string[],
    /** Test rows (the length of every task's scores). */
    private readonly rows: number,
  ) {}

  /** The folder of predictions beside a runs file: `x.runs.jsonl` → `x.predictions`. */
  static beside(runsFile: string): string {
    return `${runsFile.replace(/\.runs\.jsonl$/, '')}.predictions`;
  }

  private file(model: string, seed: number): string {
    return join(this.dir, `${model}.seed-${seed}.f32`);
  }

  /** Writes one run's predictions (every task of the comparison), atomically. */
  save(model: string, seed: number, predictions: TestPredictions): void {
    const all = new Float32Array(this.taskNames.length * this.rows).fill(NaN);
    this.taskNames.forEach((task, t) => {
      const scores = predictions[task];
      if (scores === undefined) return;
      if (scores.length !== this.rows) {
        throw new DataError(
          `test predictions of ${model} seed ${seed}: task "${task}" has ${scores.length} scores, expected ${this.rows}`,
          {
            field: task,
          },
        );
      }
      all.set(scores, t * this.rows);
    });
    writeFileAtomic(this.file(model, seed), new Uint8Array(all.buffer));
  }

  /** One run's predictions, or undefined when the run has no file (it finished before predictions were kept). */
  load(model: string, seed: number): TestPredictions | undefined {
    const file = this.file(model, seed);
    if (!existsSync(file)) return undefined;
    const bytes = readFileSync(file);
    const expected = this.taskNames.length * this.rows * 4;
    if (bytes.byteLength !== expected) {
      throw new DataError(
        `${file}: ${bytes.byteLength} bytes, expected ${expected} (${this.taskNames.length} tasks × ${this.rows} test rows × 4); delete it and rerun the comparison`,
        { file },
      );
    }
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return Object.fromEntries(
      this.taskNames
        .map((task, t) => [task, all.subarray(t * this.rows, (t + 1) * this.rows)] as const)
        .filter(([, scores]) => scores.length > 0 && !Number.isNaN(scores[0]!)),
    );
  }
}
