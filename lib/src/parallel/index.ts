export * from './workerPool.js';
