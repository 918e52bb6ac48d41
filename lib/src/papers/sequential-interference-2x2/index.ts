/** sequential-interference-2x2: see README.md in this folder. */
export * from './linearReference.js';
export * from './meanField2d.js';
export * from './networkJobs.js';
export * from './networkStudy.js';
export * from './neuroStudy.js';
export * from './patternModes.js';
export * from './patternNetwork.js';
export * from './reducedStudy.js';
export * from './sequentialTraining.js';
