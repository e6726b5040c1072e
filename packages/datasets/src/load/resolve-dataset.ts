import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DatasetSpec } from '../spec/dataset-spec.js';
import type { NormalisedSpec, SplitName } from '../spec/normalised-spec.js';
import { BUILTIN_SPECS } from '../builtin/builtin-specs.js';
import { DEFAULT_DATA_DIR } from '../download/data-dir.js';
import { DatasetError } from '../errors/dataset-error.js';
import { validateDatasetSpec } from '../spec/validate-spec.js';

/** A dataset named by the caller, with its spec validated and the folder its relative paths start from. */
export interface ResolvedDataset {
  spec: NormalisedSpec;
  /** Relative file paths in the spec start here: the spec file's folder, the data dir (built-ins) or `baseDir`. */
  baseDir: string;
  /** True for a built-in dataset. */
  builtin: boolean;
}

/** Where to find a dataset's files. */
export interface ResolveOptions {
  /** Folder of the built-in datasets' files. Default {@link DEFAULT_DATA_DIR}. */
  dataDir?: string;
  /** Folder that relative paths of a spec given as an object start from. Default: the working directory. */
  baseDir?: string;
  /** Replaces the spec's files (paths relative to the same folder as the spec's own). */
  files?: Partial<Record<SplitName, string | string[]>>;
}

/** True when `name` should be read as a spec file path rather than a built-in name. */
function looksLikeSpecPath(name: string): boolean {
  return name.endsWith('.json') || name.includes('/') || name.includes('\\') || (!(name in BUILTIN_SPECS) && existsSync(name));
}

/** Reads and validates a JSON spec file; a syntax error names the file and line. */
function readSpecFile(path: string): NormalisedSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DatasetError(code === 'ENOENT' ? 'spec file not found' : `cannot read the spec file (${code ?? String(error)})`, {
      file: path,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new DatasetError(`invalid JSON: ${message}`, { file: path, line });
  }
  return validateDatasetSpec(json, path);
}

/**
 * Turns a dataset argument into a validated spec: a built-in name (`census-income`), a path to a JSON spec
 * (`--dataset path/to/spec.json`), or a spec object. An unknown name lists the built-ins.
 */
export function resolveDataset(dataset: string | DatasetSpec, options: ResolveOptions = {}): ResolvedDataset {
  let resolved: ResolvedDataset;
  if (typeof dataset !== 'string') {
    resolved = { spec: validateDatasetSpec(dataset), baseDir: resolve(options.baseDir ?? process.cwd()), builtin: false };
  } else if (dataset in BUILTIN_SPECS) {
    resolved = {
      spec: validateDatasetSpec(BUILTIN_SPECS[dataset], `${dataset} (built-in)`),
      baseDir: resolve(options.dataDir ?? DEFAULT_DATA_DIR),
      builtin: true,
    };
  } else if (looksLikeSpecPath(dataset)) {
    const path = resolve(dataset);
    resolved = { spec: readSpecFile(path), baseDir: dirname(path), builtin: false };
  } else {
    throw new DatasetError(
      `unknown dataset "${dataset}"; built-in datasets are ${Object.keys(BUILTIN_SPECS).join(', ')}, or give the path of a JSON spec file`,
    );
  }
  const { spec } = resolved;
  if (options.files && spec.files) {
    const files = { ...spec.files };
    for (const [split, list] of Object.entries(options.files) as Array<[SplitName, string | string[] | undefined]>) {
      if (list === undefined) continue;
      const paths = typeof list === 'string' ? [list] : list;
      if (split === 'train') files.train = paths;
      else {
        files[split] = paths;
        if (spec.split[split]) {
          spec.split = { ...spec.split };
          delete spec.split[split];
        }
      }
    }
    spec.files = files;
  }
  return resolved;
}

/** The absolute path of a spec file entry. */
export function absolutePath(resolved: ResolvedDataset, path: string): string {
  return isAbsolute(path) ? path : resolve(resolved.baseDir, path);
}
