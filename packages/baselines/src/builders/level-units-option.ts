/**
 * PLE's `levelUnits`, documented once for the PLE builder and (prefixed `ple:`) the `ple` backbone of EKTM. Its type
 * is `array` because the schema has no list-of-lists type; the block checks every list (positive integers, one list
 * per level).
 */
export const LEVEL_UNITS_OPTION = {
  type: 'array',
  defaultText: 'expert.units at every level',
  doc: "The layer units of each level's experts, one list per level (e.g. [[256], [128]]), replacing expert.units; its length is the number of levels.",
} as const;
