import type { MultiTaskModel } from '@ektm/core';
import { buildEktm, type EktmModelOptions } from './build-ektm.js';

/** One named EKTM variant, for CLIs and benchmarks (`ektm compare --models ektm,ektm-no-router`). */
export interface EktmModelEntry {
  /** One line for help texts and reports. */
  description: string;
  /** Builds the variant; the caller's options are applied first, the variant's switches on top. */
  build(options: EktmModelOptions): MultiTaskModel;
}

function variant(name: string, description: string, overrides: Partial<EktmModelOptions>): EktmModelEntry {
  return {
    description,
    build: (options) =>
      buildEktm({
        ...options,
        ...overrides,
        ablations: { ...options.ablations, ...overrides.ablations },
        enhancer: { ...options.enhancer, ...overrides.enhancer },
        name: options.name ?? name,
      }),
  };
}

/** The reference EKTM model and its ablations, by name. */
export const EKTM_MODELS: Readonly<Record<string, EktmModelEntry>> = {
  ektm: variant('ektm', 'EKTM: router (cosine similarity), gated-MLP transmitters, gated-residual enhancers with the hinge', {}),
  'ektm-no-router': variant('ektm-no-router', 'EKTM ablation: no router (each transmitter reads its own task representation)', {
    ablations: { router: false },
  }),
  'ektm-uniform': variant('ektm-uniform', 'EKTM ablation: uniform router weights instead of task similarity', {
    ablations: { similarity: 'uniform' },
  }),
  'ektm-identity-transmitter': variant('ektm-identity-transmitter', 'EKTM ablation: identity transmitters', {
    ablations: { transmitter: 'identity' },
  }),
  'ektm-no-enhancer': variant(
    'ektm-no-enhancer',
    'EKTM ablation: no enhancer (transmitted knowledge replaces the representation, no original head or enhancement loss)',
    { ablations: { enhancer: false } },
  ),
  'ektm-mmoe': variant('ektm-mmoe', 'EKTM on the MMoE backbone (the MMoE baseline plus router, transmitters and enhancers)', {
    backbone: 'mmoe',
  }),
  'ektm-ple': variant('ektm-ple', 'EKTM on the PLE backbone (the PLE baseline plus router, transmitters and enhancers)', {
    backbone: 'ple',
  }),
  'ektm-hard-example': variant(
    'ektm-hard-example',
    'EKTM variant: hard-example weighting (γ = 2) instead of the hinge as the enhancement loss',
    { enhancer: { enhancement: 'hard-example' } },
  ),
};

/** The names of {@link EKTM_MODELS}. */
export const EKTM_MODEL_NAMES: readonly string[] = Object.keys(EKTM_MODELS);
