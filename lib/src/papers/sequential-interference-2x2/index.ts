/**
 * Sequential interference (notebooks 07, 08, 09): README.md in this folder documents the study; claims.ts decides its
 * claims (lab.sequential.claims.S0(...), ...).
 */
export * from './config.js';
export * from './linearReference.js';
export * from './meanField2d.js';
// The worker-thread job (networkJobs.ts) is internal: only its data types are public.
export type { FixedPointSummary, NetworkRunParams, NetworkRunSummary } from './networkJobs.js';
export * from './networkStudy.js';
export * from './neuroStudy.js';
export * from './figures.js';
export * from './patternModes.js';
export * from './patternNetwork.js';
export * from './reducedStudy.js';
export * from './sequentialTraining.js';
export * as claims from './claims.js';
export * as exercises from './exercises.js';
