/**
 * Child process of the resume test: runs one cached, checkpointed curriculum job (options as JSON in argv[2]) and
 * prints a digest of the run. The test kills it mid-run and starts it again.
 */
import { toJson } from '../../lib/src/index.js';
import { curriculumJob } from '../../lib/src/papers/timescales-curriculum-2024/curriculumJobs.js';

const run = curriculumJob(JSON.parse(process.argv[2]));
process.stdout.write(toJson({ snapshots: run.snapshots.map((s) => [s.N, s.step]), nMaxByEpoch: run.nMaxByEpoch, W: run.finalModel.params.W, tau: run.finalModel.params.tau }));
