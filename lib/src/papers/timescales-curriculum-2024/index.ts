/** timescales-curriculum-2024: see README.md in this folder. */
export * from './curriculum.js';
export * from './curriculumJobs.js';
export * from './curriculumStudy.js';
export * from './networkTimescale.js';
export * from './robustness.js';
export * from './robustnessStudy.js';
