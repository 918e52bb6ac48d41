/**
 * The runs notebook 12 reads, all of them the study notebooks' own (cached on disk where those are): Beer & Barak's
 * reduced model (notebook 01) for FORCE and LMS at γ = 10⁻², the sequential study's network grid (notebook 08) and
 * the timescales study's curriculum pairs (notebook 05); and eq. (1) of README.md applied to each.
 */
import { beerBarakNetwork, forceSpec, lmsLabel, memoryGrids, runReduced, lmsSpec, claims as beerBarakClaims, type BeerBarakScale, type ReducedRun } from '../papers/beer-barak-2019/index.js';
import type { NetworkGrid, NetworkScale } from '../papers/sequential-interference-2x2/index.js';
import type { CurriculumPair, T3Result } from '../papers/timescales-curriculum-2024/index.js';
import { curriculumInterference, gradientDescentInterference, interferenceRow, onlineInterference, type InterferenceRow } from './interference.js';

export interface OnlineRuns {
  seed: number;
  force: ReducedRun;
  lms: ReducedRun;
  /** LMS's learning rate γ (B2's, 10⁻²). */
  gamma: number;
}

/** FORCE and LMS (γ = 10⁻², the rate B2 and B3 read) in the reduced model of notebook 01, per seed of its scale. */
export function onlineRuns(s: BeerBarakScale, onStep?: (label: string) => void): OnlineRuns[] {
  const gamma = beerBarakClaims.B2_GAMMA;
  return s.seeds.map((seed) => {
    onStep?.(`seed ${seed}: clamped fixed points`);
    const grids = memoryGrids(beerBarakNetwork(s.n, seed), s.fineCount, s.evalCount);
    onStep?.(`seed ${seed}: FORCE and LMS`);
    const force = runReduced(grids, seed, forceSpec(s));
    const lms = runReduced(grids, seed, lmsSpec(grids, gamma, s.lmsTrials));
    return { seed, force, lms, gamma };
  });
}

export interface InterferenceTableInput {
  online: OnlineRuns[];
  grid: NetworkGrid;
  network: Pick<NetworkScale, 'gains' | 'seeds'>;
  pairs: CurriculumPair[];
  t3: T3Result[];
  /** Online learning: trials between learning an item and measuring it again (default 1, the next trial). */
  lag?: number;
}

/** Eq. (1) for every regime, condition and seed (gradient descent: full-rank plasticity, pooled over g). */
export function interferenceTable(input: InterferenceTableInput): InterferenceRow[] {
  const lag = input.lag ?? 1;
  const rows: InterferenceRow[] = [];
  for (const o of input.online) {
    rows.push(interferenceRow('online learning', 'FORCE (RLS)', o.seed, onlineInterference(o.force, lag)));
    rows.push(interferenceRow('online learning', lmsLabel(o.gamma), o.seed, onlineInterference(o.lms, lag)));
  }
  for (const outputs of ['constrained', 'unconstrained'] as const) {
    for (const seed of input.network.seeds) {
      const runs = input.network.gains.flatMap((g) => input.grid.cell('full', outputs, g)).filter((r) => r.params.seed === seed);
      rows.push(interferenceRow('gradient descent A → B', `${outputs} output`, seed, gradientDescentInterference(runs)));
    }
  }
  for (const curriculum of ['single', 'multi'] as const) {
    for (const pair of input.pairs) {
      const t3 = input.t3.find((r) => r.seed === pair.seed)!;
      rows.push(interferenceRow('curriculum', `${curriculum}-head`, pair.seed, curriculumInterference(pair, t3, curriculum)));
    }
  }
  return rows;
}
