/**
 * Worker-thread jobs of the timescales study (one curriculum run per job, cached on disk so that a re-run reuses
 * it), for `runParallel`: the module URL is `TIMESCALES_JOBS_URL` in timescales.ts.
 */
import { cachedJson } from '../io/atomic.js';
import { fastKernels } from '../training/kernels/select.js';
import { trainCurriculum, validateCurriculum, type CurriculumOptions, type CurriculumRun } from '../training/curriculum.js';
import { networkTimescale } from './networkTimescale.js';

/** Bump when the training procedure changes, so that cached runs are not reused across versions. */
export const CURRICULUM_CACHE_VERSION = 2;

export function curriculumJob(options: Partial<CurriculumOptions>): CurriculumRun {
  const o = validateCurriculum(options);
  return cachedJson('timescales-curriculum', { o, v: CURRICULUM_CACHE_VERSION }, () => trainCurriculum(o, fastKernels({ maxFloats: 8 * 1024 * 1024 })));
}

export interface TauNetJob {
  run: Partial<CurriculumOptions>;
  /** Snapshots (solved N) to analyse; missing ones are skipped. */
  Ns: number[];
  steps: number;
  trials: number;
}

export interface TauNetResult {
  N: number;
  /** τ_net of every neuron (NaN where the fit failed), and the mean/std over the kept ones (finite and > 1). */
  perNeuron: number[];
  mean: number;
  std: number;
  kept: number;
  /** Mean single-neuron τ' of the same snapshot. */
  meanTauPrime: number;
}

/** τ_net (spec §5.2) of the chosen snapshots of one curriculum run, cached. */
export function tauNetJob(job: TauNetJob): TauNetResult[] {
  return cachedJson('timescales-taunet', { job, v: CURRICULUM_CACHE_VERSION }, () => {
    const run = curriculumJob(job.run);
    return job.Ns.flatMap((N) => {
      const snap = run.snapshots.find((s) => s.N === N);
      if (!snap) return [];
      const est = networkTimescale(snap.model, { steps: job.steps, trials: job.trials, discard: 500, seed: 1 });
      const tau = snap.model.params.tau!;
      const meanTauPrime = Array.from(tau, (t) => Math.max(t, 1)).reduce((a, b) => a + b, 0) / tau.length;
      return [{ N, perNeuron: Array.from(est.perNeuron), mean: est.mean, std: est.std, kept: est.kept, meanTauPrime }];
    });
  });
}
