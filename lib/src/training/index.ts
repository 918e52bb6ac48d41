/** The training engine: model family, BPTT, optimisers, training loop, kernels. */
export * from './nonlinearity.js';
export * from './model.js';
export * from './batch.js';
export * from './bptt.js';
export * from './optimizers.js';
export * from './kernels/types.js';
export * from './kernels/reference.js';
export * from './trainer.js';
export * from './gradientCheck.js';
export * from './kernels/wasm.js';
export * from './kernels/select.js';
export * from './curriculum.js';
export * from './simulate.js';
export * from './sequential.js';
