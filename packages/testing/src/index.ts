export { tinyFeatures, tinyTable, tinyFunnelTable, randomInput, values } from './tiny-data.js';
export { perTaskBackbone } from './per-task-backbone.js';
export { saveAndLoad, expectIdenticalAfterReload } from './save-and-load.js';
export { runLayerChecklist } from './layer-checklist.js';
export { sharedData, SHARED_DATA_DIR } from './shared-data.js';
