import { BASELINE_MODELS } from '@ektm/baselines';
import { ModelRegistry } from '@ektm/core';
import { EKTM_MODELS } from '@ektm/model';

/**
 * Every model the `ektm` command knows, by name: the baselines, then EKTM and its variants. The one list that
 * `--model` / `--models`, the help texts, `ektm compare` (its default list is the main models), the report and the
 * docs tables read. A script can register its own model here before calling `run` (see docs/adding-a-model.md).
 */
export const MODELS = new ModelRegistry([...BASELINE_MODELS, ...EKTM_MODELS]);
