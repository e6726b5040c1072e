/**
 * A 40-row input with ties in both models (scores rounded to one decimal), drawn once with numpy
 * (default_rng(12)) and written out here, so that the reference numbers quoted in the tests apply to it.
 */
export const smallLabels = [
  1, 0, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0,
];
export const smallA = [
  0.7, -0.3, 0.9, 0.4, 0.8, 0.8, -0.2, -0.4, -0.2, 0.2, 0.3, 0.2, 0.9, 0.3, 0.6, 0.7, 0.5, 0.5, 1.0, 1.5, 0.1, 0.0, 0.3, -0.4, -0.2, -0.4,
  0.2, 0.2, -0.7, -0.3, -0.1, -0.1, 0, 0.8, 1.1, 0.1, 0.8, -0.5, 0, 0.1,
];
export const smallB = [
  1.0, 0.1, 1.0, 0.8, 1.1, 0.2, -0.4, 0.2, 0.1, -0.4, 0.9, 0, 0.8, 0.6, 0.6, -0.1, 0.6, 0.3, 0.6, 1.1, -0.7, -0.2, 0.2, -0.5, 0.1, -0.3,
  0.1, 0.5, -0.4, 0.0, 0.1, 0.7, -0.1, 1.0, 0.4, 0.5, 1.0, 0.2, 0.3, -0.3,
];
