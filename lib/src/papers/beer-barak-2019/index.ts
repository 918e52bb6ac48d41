/** beer-barak-2019: see README.md in this folder. */
export * from './clampedFixedPoints.js';
export * from './closedLoopMemory.js';
export * from './closedLoopPattern.js';
export * from './interference.js';
export * from './limitCycles.js';
export * from './memoryStudy.js';
export * from './patternStudy.js';
export * from './reducedModel.js';
