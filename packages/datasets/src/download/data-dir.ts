import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where built-in datasets are looked for and downloaded to: `$EKTM_DATA_DIR`, else `~/.cache/ektm/data`.
 * The folder is laid out like the project's shared data: `census-income-kdd/census-income.test.gz`, ...
 */
export const DEFAULT_DATA_DIR: string = process.env.EKTM_DATA_DIR || join(homedir(), '.cache', 'ektm', 'data');
