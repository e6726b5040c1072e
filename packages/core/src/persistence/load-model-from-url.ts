/**
 * Loads a model saved with `saveModel` from a URL (a browser, or Node ≥ 18 with global fetch): the directory
 * served as static files. The same checks as `loadModel` apply.
 *
 * ```ts
 * import '@ektm/core';   // and every package whose layers the model uses, e.g. '@ektm/baselines'
 * const { model, preprocessing } = await loadModelFromUrl('https://example.com/models/mmoe/');
 * ```
 */
import { env } from '@tensorflow/tfjs-core';
import { assembleLoadedModel, type LoadedModel } from './loaded-model.js';
import { EKTM_JSON } from './model-files.js';
import { parseSavedModelMetadata } from './saved-model-metadata.js';
import { ModelFileError } from '../errors/model-file-error.js';
import { ConfigError } from '../errors/config-error.js';

/** Options of {@link loadModelFromUrl}. */
export interface LoadModelFromUrlOptions {
  /** The fetch function. Default: the one tfjs' http loader uses (`tf.env().platform.fetch`). */
  fetch?: (url: string, init?: RequestInit) => Promise<Response>;
  /** Request options of every request (credentials, headers). Default none. */
  requestInit?: RequestInit;
}

/** Loads the model whose files are served under `baseUrl` (with or without a trailing slash). */
export async function loadModelFromUrl(baseUrl: string, options: LoadModelFromUrlOptions = {}): Promise<LoadedModel> {
  if (typeof baseUrl !== 'string' || baseUrl === '') throw new ConfigError('loadModelFromUrl: baseUrl must be a non-empty string');
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const fetchFn = options.fetch ?? ((url: string, init?: RequestInit) => env().platform.fetch(url, init) as Promise<Response>);
  const read = async (name: string): Promise<Uint8Array> => {
    const url = base + name;
    let response: Response;
    try {
      response = await fetchFn(url, options.requestInit);
    } catch (error) {
      throw new ModelFileError(`${url}: request failed (${(error as Error).message})`, url, { cause: error });
    }
    if (!response.ok)
      throw new ModelFileError(`${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`, url);
    return new Uint8Array(await response.arrayBuffer());
  };
  const metadataUrl = base + EKTM_JSON;
  const metadata = parseSavedModelMetadata(new TextDecoder().decode(await read(EKTM_JSON)), metadataUrl);
  return assembleLoadedModel(metadata, { read, locate: (name) => base + name }, metadataUrl);
}
