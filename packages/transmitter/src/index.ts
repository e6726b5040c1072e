export * from './task-transmitter.js';
