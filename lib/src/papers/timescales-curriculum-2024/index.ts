/**
 * Khajehabdollahi et al. 2024 (notebooks 05, 06, 10, 11): README.md in this folder documents the study; claims.ts
 * decides its claims (lab.timescales.claims.T1(...), ...).
 */
export * from './config.js';
export * from './curriculum.js';
export * from './gatedCurriculum.js';
export * from './gatedStudy.js';
// The worker-thread jobs (curriculumJobs.ts) are internals: only their data types are public.
export type { CurriculumProgress, RetrainJob, RetrainResult, TauNetJob, TauNetResult } from './curriculumJobs.js';
export * from './curriculumStudy.js';
export * from './networkTimescale.js';
export * from './robustness.js';
export * from './robustnessStudy.js';
export * from './figures.js';
export * as claims from './claims.js';
export * as exercises from './exercises.js';
