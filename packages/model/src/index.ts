export * from './ektm-roles.js';
export * from './ektm-blocks.js';
export * from './ektm-backbone.js';
export * from './build-ektm.js';
export * from './ektm-models.js';
