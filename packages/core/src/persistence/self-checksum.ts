/**
 * A checksum a JSON file carries of itself, so that the file that holds every other file's checksum (`ektm.json`,
 * `checkpoint.json`) is covered too: an edited vocabulary or spec is found on load, like a damaged weights file.
 * The SHA-256 is over the compact JSON of the object without its `sha256` key, in key order (non-finite numbers
 * tagged as the files store them), so the file may be re-indented but not changed.
 */
import { ModelFileError } from '../errors/model-file-error.js';
import { sha256Hex } from './digest.js';
import { stringifyJsonValue } from './json-values.js';

/** The JSON object with `sha256` set to the checksum of the rest (the key is added last). */
export async function withSelfChecksum<T extends object>(value: T): Promise<T & { sha256: string }> {
  const { sha256: _old, ...rest } = value as T & { sha256?: string };
  return { ...(rest as T), sha256: await digestOf(rest) };
}

/**
 * Checks a parsed JSON object against the checksum it carries; an object without one (written by an older version)
 * passes.
 *
 * @throws ModelFileError naming the file when the content does not match.
 */
export async function verifySelfChecksum(value: object, file: string): Promise<void> {
  const { sha256, ...rest } = value as { sha256?: unknown };
  if (sha256 === undefined) return;
  const actual = await digestOf(rest);
  if (sha256 !== actual) {
    throw new ModelFileError(
      `${file}: checksum mismatch (the file was modified after it was written: its vocabularies, spec or settings no longer match the saved model)`,
      file,
    );
  }
}

/** SHA-256 of the compact JSON of a value, non-finite numbers tagged as in the saved files. */
async function digestOf(value: object): Promise<string> {
  return sha256Hex(new TextEncoder().encode(stringifyJsonValue(value, 'checksum')));
}
