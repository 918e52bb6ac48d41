/**
 * Worker-thread jobs of the timescales study (one curriculum run per job, cached on disk so that a re-run reuses
 * it), for `runParallel`: the module URL is `TIMESCALES_JOBS_URL` in timescales.ts.
 */
import { cachedJson } from '../io/atomic.js';
import { fastKernels } from '../training/kernels/select.js';
import { trainCurriculum, validateCurriculum, type CurriculumOptions, type CurriculumRun } from '../training/curriculum.js';

/** Bump when the training procedure changes, so that cached runs are not reused across versions. */
export const CURRICULUM_CACHE_VERSION = 1;

export function curriculumJob(options: Partial<CurriculumOptions>): CurriculumRun {
  const o = validateCurriculum(options);
  return cachedJson('timescales-curriculum', { o, v: CURRICULUM_CACHE_VERSION }, () => trainCurriculum(o, fastKernels({ maxFloats: 8 * 1024 * 1024 })));
}
