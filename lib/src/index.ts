/**
 * @rnnlab/lib: the shared library of the companion notebooks, in layers from the bottom up (each folder imports
 * only the folders above it in this list; test/unit/architecture.test.ts checks it):
 *
 *   numerics/   validation (ParameterError, DEFAULTS merging), seeded random streams (Rng), row-major matrices
 *               and decompositions, statistics, spectra, nonlinearities, the compute kernels (TypeScript and
 *               WebAssembly SIMD)
 *   io/         atomic writes and the disk cache of long computations;  parallel/  worker-thread jobs
 *   tasks/      trial generators: every task returns a Batch (inputs, targets, mask or labels)
 *   dynamics/   random connectivity, the continuous-time rate network (one Euler step honouring tau), and the
 *               RNN training engine in dynamics/rnn (model family, BPTT, optimisers, trainer, gradient check);
 *               gated cells (LSTM, GRU in PyTorch's layout) in dynamics/gated
 *   learning/   online readout rules (RLS/FORCE, LMS and variants)
 *   analysis/   chaos diagnostics, fixed-point finder, autocorrelation timescales, PCA dimensionality
 *   plotting/   plotly figure builders and show();  notebook/  scale, claim records, progress line
 *   papers/     one folder per study, each with a README.md (the study: equations, parameters, claims):
 *               intro (notebooks 00 and 03), beer-barak-2019 (01, 02, 04), sequential-interference-2x2
 *               (07, 08, 09), timescales-curriculum-2024 (05, 06, 10, 11)
 *   synthesis/  across the studies (notebook 12): one interference measure over their learning regimes
 *   sweeps/     a grid of a job function's options as data, run locally or as a Slurm job array (npm run sweep)
 *
 * The shared layers are exported flat (lab.createRateNetwork, lab.Rng, lab.show, ...); each paper is a namespace
 * (lab.intro, lab.beerBarak, lab.sequential, lab.timescales), and so are the cross-study layer (lab.synthesis) and
 * the sweeps (lab.sweeps).
 */
export * from './numerics/validate.js';
export * from './numerics/rng.js';
export * from './numerics/matrix.js';
export * from './numerics/statistics.js';
export * from './numerics/spectrum.js';
export * from './numerics/smoothing.js';
export * from './numerics/nonlinearity.js';
export * from './numerics/kernels/types.js';
export * from './numerics/kernels/reference.js';
export * from './numerics/kernels/wasm.js';
export * from './numerics/kernels/native.js';
export * from './numerics/kernels/select.js';
export * from './io/atomic.js';
export * from './parallel/workerPool.js';
export * from './tasks/batch.js';
export * from './tasks/memoryTask.js';
export * from './tasks/patternTask.js';
export * from './tasks/bitTasks.js';
export * from './tasks/fixedPointMemoryTask.js';
export * from './tasks/neuroTasks.js';
export * from './dynamics/connectivity.js';
export * from './dynamics/rateNetwork.js';
export * from './dynamics/rnn/model.js';
export * from './dynamics/rnn/checkBatch.js';
export * from './dynamics/rnn/bptt.js';
export * from './dynamics/rnn/optimizers.js';
export * from './dynamics/rnn/trainer.js';
export * from './dynamics/rnn/gradientCheck.js';
export * from './dynamics/gated/gatedCell.js';
export * from './dynamics/gated/pytorchLayout.js';
export * from './dynamics/gated/gatedNetwork.js';
export * from './dynamics/gated/gatedWorkspace.js';
export * from './dynamics/rnn/simulate.js';
export * from './dynamics/rnn/dataParallel.js';
export * from './learning/onlineRules.js';
export * from './analysis/chaos.js';
export * from './analysis/fixedPoints.js';
export * from './analysis/timescales.js';
export * from './analysis/dimensionality.js';
export * from './plotting/figure.js';
export * from './plotting/colors.js';
export * from './plotting/show.js';
export * from './notebook/scale.js';
export * from './notebook/format.js';
export * from './notebook/claims.js';
export * from './notebook/progress.js';
export * from './notebook/exercises.js';
export * as intro from './papers/intro/index.js';
export * as beerBarak from './papers/beer-barak-2019/index.js';
export * as sequential from './papers/sequential-interference-2x2/index.js';
export * as timescales from './papers/timescales-curriculum-2024/index.js';
export * as synthesis from './synthesis/index.js';
export * as sweeps from './sweeps/index.js';
