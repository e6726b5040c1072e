export * from './enhancement-losses.js';
export * from './task-enhancer.js';
