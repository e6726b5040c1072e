import { readFileSync } from 'node:fs';
import {
  ConfigError,
  EARLY_STOPPING_OPTION_SCHEMA,
  TRAIN_OPTION_SCHEMA,
  isEktmError,
  validateOptions,
  type ModelRegistry,
  type OptionDoc,
  type OptionSchema,
} from '@ektm/core';

/** Where a tuned configuration came from (written by `ektm tune`, ignored when the configuration is used). */
export interface TunedConfigSource {
  /** Dataset the search ran on. */
  dataset: string;
  /** Its task set. */
  taskSet: string;
  /** The winning trial. */
  trial: number;
  /** The rung of its winning run. */
  rung: number;
  /** That rung's resource (epochs, or seconds). */
  resource: number;
  /** Whether the resource counts epochs or seconds. */
  budgetKind: string;
  /** Its score: the validation monitor. */
  score: number;
  /** What the score is (`mean validation AUC of purchase, cart`). */
  monitor: string;
  /** Seed of the search (and of the winning run's training). */
  seed: number;
  /** Trials in the search. */
  trials: number;
  /** ISO time it was written. */
  createdAt: string;
}

/**
 * A model's configuration as a file (`best.json`): the model, its training options and its builder options. `ektm tune`
 * writes the winner of a search in this form; `ektm train --config best.json` and `ektm compare --config
 * model=best.json` read it (their own flags, when given, win over the file).
 *
 * ```json
 * { "model": "mmoe",
 *   "training": { "learningRate": 0.0031, "batchSize": 512, "weightDecay": 0.0001, "epochs": 9, "earlyStopping": { "patience": 2 } },
 *   "options": { "embeddingDim": 16, "experts": 6, "expert": { "units": [128] }, "tower": { "dropout": 0.12 } },
 *   "validationsPerEpoch": 1 }
 * ```
 */
export interface TunedConfig {
  /** Registry name of the model. */
  model: string;
  /**
   * Training options: `epochs`, `batchSize`, `optimizer`, `learningRate`, `clipNorm`, `weightDecay`, `lossWeighting`,
   * `embeddingL2`, `earlyStopping` (`patience`, `minDelta`). Default `{}`.
   */
  training: Record<string, unknown>;
  /** The model builder's options (every option of the model but the data, the seed and the name). Default `{}`. */
  options: Record<string, unknown>;
  /** Validations per epoch (the last at the end of each epoch). Default: the command's. */
  validationsPerEpoch?: number;
  /** Where it came from, when `ektm tune` wrote it. */
  tuning?: TunedConfigSource;
}

/** The training keys a configuration may set: the protocol's and the tunable ones, never the data, seed or files. */
const CONFIG_TRAINING_SCHEMA: OptionSchema = {
  ...Object.fromEntries(
    (Object.entries(TRAIN_OPTION_SCHEMA) as Array<[string, OptionDoc]>).filter(
      ([key, doc]) => doc.tunable !== false && key !== 'earlyStopping',
    ),
  ),
  earlyStopping: {
    ...TRAIN_OPTION_SCHEMA.earlyStopping,
    fields: { patience: EARLY_STOPPING_OPTION_SCHEMA.patience, minDelta: EARLY_STOPPING_OPTION_SCHEMA.minDelta },
  },
};

/** The top-level keys of a configuration file. */
const CONFIG_KEYS = ['model', 'training', 'options', 'validationsPerEpoch', 'tuning'] as const;

/** Builder options a configuration may not set: the command gives the data and the seed. */
const COMMAND_OWNED_OPTIONS = ['features', 'tasks', 'seed', 'name'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs `check`, and turns its ConfigError into one that names `prefix.key` and the file. */
function within(prefix: string, file: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (!isEktmError(error, 'config')) throw error;
    const key = (error as ConfigError).key;
    throw new ConfigError(error.message, key ? `${prefix}.${key}` : prefix, file, { cause: error });
  }
}

/**
 * Checks a configuration (parsed JSON) against the registry: known top-level keys, a registered model (the one the
 * command asks for, when it names one), training keys of the trainer with allowed values, and builder options of the
 * model with allowed values.
 *
 * @throws ConfigError naming the key (`training.learningRate`, `options.expert.units`, `model`) and the file.
 */
export function checkTunedConfig(value: unknown, registry: ModelRegistry, file: string, expectedModel?: string): TunedConfig {
  if (!isObject(value))
    throw new ConfigError(`${file}: a configuration must be a JSON object with model, training and options`, undefined, file);
  for (const key of Object.keys(value)) {
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(`${file}: unknown key "${key}"; a configuration has ${CONFIG_KEYS.join(', ')}`, key, file);
    }
  }
  const model = value.model ?? expectedModel;
  if (typeof model !== 'string') throw new ConfigError(`${file}: model must be a model name (the registry's, e.g. "mmoe")`, 'model', file);
  if (!registry.has(model)) {
    try {
      registry.get(model);
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message}`, 'model', file, { cause: error });
    }
  }
  if (expectedModel !== undefined && model !== expectedModel) {
    throw new ConfigError(`${file}: the configuration is for model "${model}", not "${expectedModel}"`, 'model', file);
  }
  const training = value.training ?? {};
  if (!isObject(training)) throw new ConfigError(`${file}: training must be an object of training options`, 'training', file);
  within('training', file, () => validateOptions(CONFIG_TRAINING_SCHEMA, training, `${file}: training`));
  const options = value.options ?? {};
  if (!isObject(options)) throw new ConfigError(`${file}: options must be an object of the model's options`, 'options', file);
  const owned = Object.keys(options).find((k) => COMMAND_OWNED_OPTIONS.includes(k));
  if (owned)
    throw new ConfigError(
      `${file}: options.${owned} is set by the command (data, seed and name), not by a configuration`,
      `options.${owned}`,
      file,
    );
  within('options', file, () => validateOptions(registry.optionSchema(model), options, `${file}: options`));
  const perEpoch = value.validationsPerEpoch;
  if (perEpoch !== undefined && !(typeof perEpoch === 'number' && Number.isInteger(perEpoch) && perEpoch >= 1)) {
    throw new ConfigError(
      `${file}: validationsPerEpoch ${JSON.stringify(perEpoch)} is not allowed; use an integer >= 1`,
      'validationsPerEpoch',
      file,
    );
  }
  return {
    model,
    training: { ...training },
    options: { ...options },
    ...(perEpoch !== undefined ? { validationsPerEpoch: perEpoch } : {}),
    ...(isObject(value.tuning) ? { tuning: value.tuning as unknown as TunedConfigSource } : {}),
  };
}

/**
 * Reads a configuration file (`best.json`) and checks it ({@link checkTunedConfig}).
 *
 * @throws ConfigError naming the file (unreadable, not JSON with the line) or the key at fault.
 */
export function readTunedConfig(path: string, registry: ModelRegistry, expectedModel?: string): TunedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `cannot read the configuration ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? String(error))})`,
      'config',
      path,
      {
        cause: error,
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new ConfigError(`${path}${line ? `:${line}` : ''}: not JSON (${(error as Error).message})`, 'config', path, { cause: error });
  }
  return checkTunedConfig(json, registry, path, expectedModel);
}

/** The training settings of one run, from the command's values with a configuration's on top (flags given win). */
export interface RunSettings {
  /** Maximum epochs. */
  epochs: number;
  /** Rows per step. */
  batchSize: number;
  /** Learning rate. */
  learningRate: number;
  /** Early-stopping patience (validations). */
  patience: number;
  /** Validations per epoch. */
  validationsPerEpoch: number;
  /** L2 on the embeddings a batch looks up. */
  embeddingL2: number;
  /** Embedding dimension. */
  embeddingDim: number;
  /** Early stopping's smallest improvement, when the configuration sets one. */
  minDelta?: number;
  /** Other training options of the configuration (`weightDecay`, `optimizer`, `clipNorm`, `lossWeighting`). */
  extraTraining: Record<string, unknown>;
  /** The configuration's builder options (without `embeddingDim`, which is above). */
  modelOptions: Record<string, unknown>;
}

/** The settings a command has flags for: what {@link runSettings} starts from. */
export type RunProtocol = Omit<RunSettings, 'minDelta' | 'extraTraining' | 'modelOptions'>;

/**
 * The settings of a run: `base` (the command's defaults), then the configuration's values, then `flags` (what the
 * user typed) on top.
 */
export function runSettings(base: RunProtocol, config: TunedConfig | undefined, flags: Partial<RunProtocol> = {}): RunSettings {
  const { epochs, batchSize, learningRate, embeddingL2, earlyStopping, ...extraTraining } = (config?.training ?? {}) as Record<
    string,
    unknown
  > & {
    earlyStopping?: { patience?: number; minDelta?: number };
  };
  const { embeddingDim, ...modelOptions } = config?.options ?? {};
  const fromConfig = {
    epochs: epochs as number | undefined,
    batchSize: batchSize as number | undefined,
    learningRate: learningRate as number | undefined,
    embeddingL2: embeddingL2 as number | undefined,
    patience: earlyStopping?.patience,
    embeddingDim: embeddingDim as number | undefined,
    validationsPerEpoch: config?.validationsPerEpoch,
  };
  const pick = <K extends keyof typeof base>(key: K): (typeof base)[K] =>
    (flags[key] ?? (fromConfig as Partial<typeof base>)[key] ?? base[key]) as (typeof base)[K];
  return {
    epochs: pick('epochs'),
    batchSize: pick('batchSize'),
    learningRate: pick('learningRate'),
    patience: pick('patience'),
    validationsPerEpoch: pick('validationsPerEpoch'),
    embeddingL2: pick('embeddingL2'),
    embeddingDim: pick('embeddingDim'),
    ...(earlyStopping?.minDelta !== undefined ? { minDelta: earlyStopping.minDelta } : {}),
    extraTraining,
    modelOptions,
  };
}
