/**
 * A training batch: what a task hands the engine. Shapes are row-major with time outermost.
 */

export interface Batch {
  /** Time steps T and batch size B. */
  steps: number;
  size: number;
  /** Inputs u_t for t = 1…T: [T × B × I]. */
  inputs: Float32Array | Float64Array;
  /** Initial states s_0: [B × N] (no gradient flows into them). */
  initialState: Float32Array | Float64Array;
  /** Linear readout: targets ŷ_t and loss weights (0 = not in the loss), both [T × B × O]. */
  targets?: Float32Array | Float64Array;
  mask?: Float32Array | Float64Array;
  /** Heads readout: class label of head k for sample b, [K × B] (only the active heads' rows are read). */
  labels?: Int32Array;
  /** Heads in the loss (indices into the allocated heads). */
  activeHeads?: number[];
}
