/**
 * Beer & Barak 2019 (notebooks 01, 02, 04): README.md in this folder documents the study; claims.ts decides its
 * claims (lab.beerBarak.claims.B1Reduced(...), ...).
 */
export * from './config.js';
export * from './clampedFixedPoints.js';
export * from './closedLoopMemory.js';
export * from './closedLoopPattern.js';
export * from './interference.js';
export * from './limitCycles.js';
export * from './memoryStudy.js';
export * from './patternStudy.js';
export * from './reducedModel.js';
export * from './figures.js';
export * as claims from './claims.js';
export * as exercises from './exercises.js';
