/**
 * `npm run sweep -- FILE [options]`: run a sweep file's grid on local worker threads or as a Slurm job array.
 *
 *   --engine local|slurm   where the points run (default local)
 *   --workers N            local worker threads (default: one per core)
 *   --dry-run              print the points, their cost on this machine and the sbatch script; run nothing
 *   --status               print each point's state (done / failed / missing); exit 0 when every point is done
 *   --collect              merge every point's result into one file (default <state folder>/results.json; --out FILE)
 *   --poll SECONDS         seconds between two looks at the Slurm queue (default 5)
 *   --only I,J,…           run only these points (e.g. one point, to try it before the whole grid)
 *
 * Run again after a failure or a cancellation: only the points without a result run. `cli.js task STATE_DIR --index I`
 * is what each Slurm array task runs.
 */
import { ParameterError } from '../numerics/validate.js';
import { estimateSweepCost } from './cost.js';
import { collectSweep, describeOutcome, pendingPoints, pointStatuses, runSweepLocally, runSweepOnSlurm, slurmScript } from './engines.js';
import { loadSweep } from './sweepFile.js';
import { runSweepTask } from './task.js';

interface Args {
  file: string;
  engine: 'local' | 'slurm';
  workers: number | null;
  dryRun: boolean;
  status: boolean;
  collect: boolean;
  out: string | null;
  poll: number;
  only: number[] | null;
}

const USAGE = 'usage: npm run sweep -- FILE [--engine local|slurm] [--workers N] [--only I,J] [--dry-run] [--status] [--collect [--out FILE]] [--poll SECONDS]';

function parseArgs(argv: string[]): Args {
  const args: Args = { file: '', engine: 'local', workers: null, dryRun: false, status: false, collect: false, out: null, poll: 5, only: null };
  const value = (i: number, flag: string): string => {
    if (i >= argv.length || argv[i].startsWith('--')) throw new ParameterError(flag, 'needs a value');
    return argv[i];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--engine') {
      const e = value(++i, a);
      if (e !== 'local' && e !== 'slurm') throw new ParameterError('--engine', `must be local or slurm, got ${e}`);
      args.engine = e;
    } else if (a === '--workers') {
      const w = Number(value(++i, a));
      if (!Number.isInteger(w) || w < 0 || w > 256) throw new ParameterError('--workers', `must be an integer in [0, 256], got ${argv[i]}`);
      args.workers = w;
    } else if (a === '--poll') {
      const p = Number(value(++i, a));
      if (!(p >= 0.1 && p <= 600)) throw new ParameterError('--poll', `must be a number of seconds in [0.1, 600], got ${argv[i]}`);
      args.poll = p;
    } else if (a === '--only') {
      const list = value(++i, a).split(',');
      if (list.some((x) => !/^[0-9]+$/.test(x))) throw new ParameterError('--only', `expected point indices such as 0,3,5, got ${argv[i]}`);
      args.only = list.map(Number);
    } else if (a === '--out') args.out = value(++i, a);
    else if (a === '--dry-run') args.dryRun = true;
    else if (a === '--status') args.status = true;
    else if (a === '--collect') args.collect = true;
    else if (a.startsWith('--')) throw new ParameterError(a, `unknown option; ${USAGE}`);
    else if (args.file) throw new ParameterError('FILE', `one sweep file at a time (got ${args.file} and ${a})`);
    else args.file = a;
  }
  if (!args.file) throw new ParameterError('FILE', `no sweep file given; ${USAGE}`);
  if ([args.dryRun, args.status, args.collect].filter(Boolean).length > 1) throw new ParameterError('--dry-run/--status/--collect', 'choose one');
  if (args.out && !args.collect) throw new ParameterError('--out', 'only with --collect');
  return args;
}

/** Seconds of an sbatch --time value ('MM:SS', 'HH:MM:SS', 'D-HH:MM:SS'). */
function timeLimitSeconds(time: string): number {
  const [days, clock] = time.includes('-') ? [Number(time.split('-')[0]), time.split('-')[1]] : [0, time];
  const parts = clock.split(':').map(Number);
  const [h, m, sec] = parts.length === 3 ? parts : [0, ...parts];
  return days * 86_400 + h * 3600 + m * 60 + sec;
}

const hours = (h: number): string => (h >= 1 ? `${h.toFixed(1)} h` : h * 60 >= 1 ? `${(h * 60).toFixed(1)} min` : `${(h * 3600).toFixed(1)} s`);

async function main(argv: string[]): Promise<number> {
  const log = (line: string) => console.log(line);
  if (argv[0] === 'task') {
    // One Slurm array task: cli.js task STATE_DIR --index I
    const [, stateDir, flag, index] = argv;
    if (!stateDir || flag !== '--index' || !/^[0-9]+$/.test(index ?? '')) throw new ParameterError('task', 'usage: cli.js task STATE_DIR --index I');
    let last = 0;
    const record = await runSweepTask({ stateDir, index: Number(index), engine: 'slurm' }, (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      log(`progress ${JSON.stringify(p)}`);
    });
    log(`point ${record.index} (${record.label}): ${record.summary} (${record.seconds.toFixed(1)} s on ${record.host})`);
    if (!record.ok) console.error(record.error);
    return record.ok ? 0 : 1;
  }
  const args = parseArgs(argv);
  const sweep = loadSweep(args.file);
  for (const i of args.only ?? []) {
    if (i >= sweep.points.length) throw new ParameterError('--only', `point ${i} is not in the sweep (it has ${sweep.points.length}: 0 … ${sweep.points.length - 1})`);
  }
  if (args.status) {
    const statuses = pointStatuses(sweep);
    for (const s of statuses) log(`${String(s.point.index).padStart(5)}  ${s.state.padEnd(7)}  ${s.point.label}${s.record ? `  ${s.record.summary}` : ''}`);
    return statuses.every((s) => s.state === 'done') ? 0 : 1;
  }
  if (args.collect) {
    const { file, collected } = await collectSweep(sweep, args.out ?? undefined);
    log(`sweep ${sweep.file.name}: ${collected.points.length} results merged into ${file} (digest ${collected.digest.slice(0, 16)})`);
    return 0;
  }
  if (args.dryRun) {
    const pending = pendingPoints(sweep);
    log(`sweep ${sweep.file.name}: ${sweep.file.job}: ${sweep.kind.description}`);
    if (sweep.file.description) log(`  ${sweep.file.description}`);
    log(`  ${sweep.points.length} points, ${pending.length} without a result; cache ${sweep.file.cacheDir}; state ${sweep.stateDir}`);
    const cost = estimateSweepCost(sweep);
    log(`  cost on this machine (one thread, ${(cost.rate / 1e9).toFixed(1)}·10⁹ multiply-adds/s measured at n = ${cost.shape.size}, batch ${cost.shape.batchSize}; an upper estimate: the whole budget at the longest sequences):`);
    for (const p of cost.points.slice(0, 40)) log(`  ${String(p.index).padStart(5)}  ${p.label.padEnd(40)}  ${p.multiplyAdds.toExponential(1)} multiply-adds  ${hours(p.cpuHours)}`);
    if (cost.points.length > 40) log(`  … ${cost.points.length - 40} more`);
    log(`  total ${hours(cost.totalCpuHours)} CPU time; the longest point ${hours(cost.maxCpuHours)} (resources.time is ${sweep.file.resources.time})`);
    const submissions = Math.ceil(cost.maxCpuHours / (timeLimitSeconds(sweep.file.resources.time) / 3600));
    if (submissions > 1) log(`  a point may need up to ${submissions} submissions of ${sweep.file.resources.time}: run the same command again after each; a task resumes from its last checkpoint`);
    if (pending.length) {
      log(`\nsbatch script of the ${pending.length} points without a result (--engine slurm submits it):\n`);
      log(slurmScript(sweep, pending.map((p) => p.index)));
    }
    return 0;
  }
  const outcome =
    args.engine === 'slurm'
      ? await runSweepOnSlurm(sweep, { pollSeconds: args.poll, log, only: args.only })
      : await runSweepLocally(sweep, { workers: args.workers, log, only: args.only });
  for (const line of describeOutcome(sweep, outcome)) log(line);
  return outcome.failed.length + outcome.missing.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof ParameterError ? `sweep: ${e.message}` : e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(2);
  },
);
