/**
 * Gradient check: BPTT against central finite differences, in float64 with the reference kernels (the
 * training-engine issue's acceptance test, also shown as a table in notebook 03).
 * Equations: (33)–(34) of papers/intro/README.md.
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { checkNumber } from '../../numerics/validate.js';
import type { Batch } from '../../tasks/batch.js';
import { BpttWorkspace } from './bptt.js';
import { referenceKernels } from '../../numerics/kernels/reference.js';
import type { ParamName, Rnn } from './model.js';

export interface GradientCheckRow {
  parameter: ParamName;
  entries: number;
  /** Largest |∂L/∂θ| (BPTT). */
  maxGradient: number;
  /** max |BPTT − finite difference| / max(|BPTT|, |FD|) over the parameter's entries. */
  relativeError: number;
}

/**
 * Checks every trainable parameter of a float64 model on one batch. `h` is the finite-difference step;
 * `noiseSeed` fixes the state noise so that every evaluation sees the same ξ.
 */
export function gradientCheck(model: Rnn, batch: Batch, options: { h?: number; noiseSeed?: Seed } = {}): GradientCheckRow[] {
  if (model.dtype !== 'float64') throw new Error('gradientCheck: needs a float64 model (cloneRnn(model, "float64"))');
  const h = checkNumber('h', options.h ?? 1e-6, { min: 0, exclusiveMin: true, max: 1e-2 });
  const ws = new BpttWorkspace(model, referenceKernels('float64'), batch.size, batch.steps);
  const noise = () => (model.config.noiseStd > 0 ? Rng.stream(options.noiseSeed ?? 0, 'gradient-check/noise') : undefined);
  const { grads } = ws.gradients(batch, noise());
  const rows: GradientCheckRow[] = [];
  for (const param of model.specs.filter((s) => s.trainable)) {
    const p = model.params[param.name]!;
    const g = grads[param.name]!;
    let maxDiff = 0;
    let maxAbs = 0;
    let maxGradient = 0;
    for (let i = 0; i < p.length; i++) {
      const old = p[i];
      p[i] = old + h;
      const lp = ws.forward(batch, noise()).loss;
      p[i] = old - h;
      const lm = ws.forward(batch, noise()).loss;
      p[i] = old;
      const fd = (lp - lm) / (2 * h);
      maxDiff = Math.max(maxDiff, Math.abs(fd - g[i]));
      maxAbs = Math.max(maxAbs, Math.abs(fd), Math.abs(g[i]));
      maxGradient = Math.max(maxGradient, Math.abs(g[i]));
    }
    rows.push({ parameter: param.name, entries: p.length, maxGradient, relativeError: maxAbs === 0 ? 0 : maxDiff / maxAbs });
  }
  return rows;
}
