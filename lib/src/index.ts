/**
 * @rnnlab/lib: the shared library of the companion notebooks.
 * Folders: util (validation), random (seeded streams), linalg (matrices, decompositions), models (rate
 * networks), analysis (chaos diagnostics, ...), plotting (figure builders, show), notebook (scale, claims,
 * progress), io (atomic writes, disk cache).
 */
export * from './util/validate.js';
export * from './random/rng.js';
export * from './linalg/matrix.js';
export * from './models/connectivity.js';
export * from './models/rateNetwork.js';
export * from './analysis/chaos.js';
export * from './plotting/figure.js';
export * from './plotting/show.js';
export * from './notebook/scale.js';
export * from './notebook/claims.js';
export * from './notebook/progress.js';
export * from './io/atomic.js';
export * from './studies/intro.js';
export * from './learning/onlineRules.js';
export * from './analysis/clampedFixedPoints.js';
export * from './tasks/memoryTask.js';
export * from './models/reducedMemoryModel.js';
export * from './analysis/interference.js';
export * from './studies/beerBarak.js';
export * from './studies/engineDemo.js';
export * from './analysis/fixedPoints.js';
export * from './models/closedLoopMemory.js';
export * from './tasks/patternTask.js';
export * from './tasks/bitTasks.js';
export * from './analysis/spectrum.js';
export * from './analysis/smoothing.js';
export * from './analysis/limitCycles.js';
export * from './training/index.js';
export * from './parallel/index.js';
export * from './models/closedLoopPattern.js';
export * from './studies/beerBarakPattern.js';
export * from './studies/timescales.js';
export * from './studies/timescalesJobs.js';
export * from './analysis/timescales.js';
export * from './studies/networkTimescale.js';
export * from './tasks/fixedPointMemoryTask.js';
export * from './analysis/patternModes.js';
export * from './models/meanField2d.js';
export * from './models/linearReference.js';
export * from './models/patternNetwork.js';
export * from './studies/sequentialReduced.js';
export * from './studies/sequentialNetworkJobs.js';
export * from './studies/sequentialNetworks.js';
export * from './tasks/neuroTasks.js';
export * from './studies/neuroInterference.js';
export * from './analysis/robustness.js';
export * from './studies/timescalesRobustness.js';
export * from './analysis/dimensionality.js';
