export * from './router-similarity.js';
export * from './task-router.js';
