/**
 * Sweeps (README.md in this folder): a grid of one job function's options as a JSON file, run on local worker threads
 * or as a Slurm job array, every point cached where the notebooks read it. `npm run sweep -- FILE` is the command.
 */
export * from './jobKinds.js';
export * from './sweepFile.js';
export * from './task.js';
export * from './engines.js';
export * from './cost.js';
