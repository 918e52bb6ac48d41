// %% [markdown]
// # 12 · Across the studies: when does learning something new destroy what is there?
//
// Terms used here are defined in the [glossary](../GLOSSARY.md).
//
// *Documentation:* this analysis, its measure, claims and criteria are written up in [the README of `synthesis`](../lib/src/synthesis/README.md);
// the § and equation numbers in this notebook refer to it. It is our own comparison, not a paper's.
//
// **You will learn** to put three learning regimes on one axis: online learning on trials (FORCE and LMS, notebook 01),
// gradient descent on one task and then another (notebook 08), and curricula over a task's difficulty (notebook 05);
// and which mechanism protects or destroys old learning in each. **Time:** about 40 minutes: 20 to read and run (with
// the cached runs of notebooks 01, 05 and 08), 20 for the exercises. **Exercises:** 12.1 (the index over an online run)
// and 12.2 (the index from accuracies), each with a check cell; one *think* question; an *explore* cell at the end.
//
// **Question.** Each study of the collection measures interference its own way. Here one measure, eq. (1), is applied
// to all three: for an item that was learned and then followed by new learning,
//
// $$I = \frac{L_\text{old}(\text{after the new learning}) - L_\text{old}(\text{when it was learned})}{L_\text{old}(\text{naive}) - L_\text{old}(\text{when it was learned})},$$
//
// 0 when nothing is lost, 1 when the item is back at its untrained level. Which regimes forget, and why?

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '12-interference-across-studies';
const SB = lab.beerBarak.beerBarakScale();
const SN = lab.sequential.networkScale();
const ST = lab.timescales.timescalesScale();
const started = Date.now();
console.log(
  `scale: ${lab.scale()}; online: N = ${SB.n}, seeds ${SB.seeds.join(', ')}; A → B: N = ${SN.size}, g ∈ {${SN.gains.join(', ')}}; curricula: n = ${ST.size}, seeds ${ST.seeds.join(', ')}`,
);

// %% [markdown]
// ## 1. The runs
//
// The runs are the study notebooks' own: the network grid of notebook 08 and the curriculum runs of notebook 05 come
// from the cache when those notebooks have run (otherwise they are trained now, which takes the time those notebooks
// take); the reduced model of notebook 01 (FORCE, and LMS at γ = 10⁻²) is recomputed, in seconds.

// %%
const bar = lab.progress('runs', 2 * SB.seeds.length + 2 * ST.seeds.length + 1);
let done = 0;
const online = lab.synthesis.onlineRuns(SB, (label) => bar.update(++done, `online: ${label}`));
const grid = await lab.sequential.networkRuns(SN, (label) => bar.update(done, `A → B: ${label}`));
const pairs = await lab.timescales.curriculumRuns(ST, { progress: bar });
bar.finish();
const t3 = lab.timescales.earlierNAccuracy(pairs);
const table = lab.synthesis.interferenceTable({ online: online, grid: grid, network: SN, pairs: pairs, t3: t3 });
// The two levels of eq. (1) that every figure marks.
const levels = (naive: string) => [
  { axis: 'y' as const, value: 0, label: 'nothing lost' },
  { axis: 'y' as const, value: 1, label: naive },
];

// %% [markdown]
// ## 2. Online learning on trials (X1)
//
// Each trial trains one value $v_k$ of the memory task. Its loss is $\hat q(v_k)$, read after trial $k$ (learned) and after
// trial $k + 1$ (the next value was learned), against its value before training. Only trials whose value was learned
// count (q̂ at most 5 % of its naive value).
//
// ### Exercise 12.1: the index over an online run
//
// Given the q̂ rows of a run (row 0 before training, row $k$ after trial $k$; one column per value of the grid), the
// grid index `trained[k − 1]` of trial $k$'s value and a lag ℓ, return eq. (1) for every trial whose value was learned
// (its q̂ after trial $k$ at most 5 % of row 0's), measured after trial $k + ℓ$; in trial order, and only for the trials
// that have a trial $k + ℓ$.

// %%
function myOnlineInterference(qHat: number[][], trained: number[], lag: number): number[] {
  // @solution 12.1
  const out: number[] = [];
  for (let k = 1; k + lag < qHat.length; k++) {
    const e = trained[k - 1];
    const [naive, learned, after] = [qHat[0][e], qHat[k][e], qHat[k + lag][e]];
    if (naive > 0 && learned <= 0.05 * naive) out.push((after - learned) / (naive - learned));
  }
  return out;
  // @end-solution
}

// %%
lab.checkExercise(lab.synthesis.exercises.ONLINE_INTERFERENCE, myOnlineInterference);

// %%
const onlineFirst = online[0];
const onlineSeries = (run: lab.beerBarak.ReducedRun, name: string, color: string) => {
  const { trials, values } = lab.synthesis.onlineInterferenceByTrial(run, 1);
  return { x: trials, y: values, mode: 'markers' as const, name: name, color: color, markerSize: 6 };
};
lab.show(
  lab.linePlot({
    title: `Online learning, seed ${onlineFirst.seed}: interference with the value learned one trial earlier`,
    x: { title: 'trial k at which the value was learned' },
    y: { title: 'I (eq. 1) after trial k + 1' },
    references: levels('back to naive'),
    series: [
      onlineSeries(onlineFirst.force, 'FORCE (RLS)', lab.CONCEPT_COLORS.force),
      onlineSeries(onlineFirst.lms, lab.beerBarak.lmsLabel(onlineFirst.gamma), lab.lmsColor(onlineFirst.gamma)),
    ],
  }),
);
lab.recordClaim(NOTEBOOK, lab.synthesis.claims.X1(table));

// %% [markdown]
// The medians per seed are in the claim's line above. On this measure both rules forget little in one trial: a
// learned value sits far below its untrained mismatch, and the next trial moves it by a small fraction of that
// distance. FORCE's I stays at 0 throughout: P confines each update to the directions its earlier trials have not
// used. LMS's I is positive, largest early in training, when its readout still moves far on every trial; notebook 01's
// transfer index (B3) follows these small changes value by value.
//
// ## 3. Gradient descent on task A, then B (X2)
//
// The finite networks of notebook 08, full-rank plasticity: $L_A$ before training, after phase A and after phase B, for
// every gain $g$ and seed that learned A. With the **constrained** output the network must also keep the output of the
// task it is not doing at 0; with the **unconstrained** output that output is free.

// %%
lab.show(
  lab.linePlot({
    title: 'Gradient descent A → B: interference with task A after learning B, by connectivity strength g',
    x: { title: 'g (strength of the random connectivity)' },
    y: { title: 'I (eq. 1) after phase B' },
    references: levels('back to naive'),
    series: (['constrained', 'unconstrained'] as const).map((outputs, i) => {
      const runs = SN.gains.flatMap((g) => grid.cell('full', outputs, g)).filter((r) => r.learnedA);
      return {
        x: runs.map((r) => r.params.gain + (i === 0 ? -0.01 : 0.01)),
        y: runs.map((r) => r.interference),
        mode: 'markers' as const,
        name: `${outputs} output (one marker per seed)`,
        color:
          outputs === 'constrained' ? lab.CONCEPT_COLORS.constrainedOutput : lab.CONCEPT_COLORS.unconstrainedOutput,
        markerSize: 8,
      };
    }),
  }),
);
lab.recordClaim(NOTEBOOK, lab.synthesis.claims.X2(table));

// %% [markdown]
// When A's output must be silenced during B, gradient descent finds it cheapest to turn A's attractor towards B's
// pattern (rotation, notebooks 07 and 08) rather than to build a second one, and A is lost with it. A free output does
// not penalise A's attractor during B, so much less of it has to move.
//
// ## 4. Curricula over N (X3)
//
// Each solved N′ of a curriculum run is an old item once the run moves on. Its loss is the error rate 1 − accuracy:
// when N′ was solved (the advance rule's test of its head), and at the run's last snapshot (notebook 05's T3
// measurement), with chance (0.5) as the naive level.
//
// ### Exercise 12.2: the index from accuracies
//
// Write eq. (1) from two accuracies: the one when the item was learned and the one later, with the error rate
// 1 − accuracy as the loss and chance, an error rate of 0.5, as the naive level.

// %%
function myCurriculumIndex(learnedAccuracy: number, laterAccuracy: number): number {
  // @solution 12.2
  const [naive, learned, later] = [0.5, 1 - learnedAccuracy, 1 - laterAccuracy];
  return (later - learned) / (naive - learned);
  // @end-solution
}

// %%
lab.checkExercise(lab.synthesis.exercises.CURRICULUM_INDEX, myCurriculumIndex);

// %%
lab.show(
  lab.linePlot({
    title: 'Curricula: interference with each earlier N′ at the last snapshot',
    x: { title: 'earlier N′' },
    y: { title: 'I (eq. 1) at the last snapshot' },
    references: levels('back to chance'),
    // The table's curriculum rows: one I per solved N′ = 2, 3, … (snapshots are taken at every solve).
    series: table
      .filter((r) => r.regime === 'curriculum')
      .map((r) => ({
        x: r.values.map((_, k) => k + 2),
        y: r.values,
        mode: 'lines+markers' as const,
        name: `${r.condition}, seed ${r.seed}`,
        color: r.condition === 'single-head' ? lab.CONCEPT_COLORS.singleHead : lab.CONCEPT_COLORS.multiHead,
        dash: (['solid', 'dash', 'dot'] as const)[pairs.findIndex((p) => p.seed === r.seed) % 3],
      })),
  }),
);
lab.recordClaim(NOTEBOOK, lab.synthesis.claims.X3(table));

// %% [markdown]
// A single head serves only the current N: training it on N + 1 rewrites what it reads from the network, and the
// earlier N fall towards chance. A head per N keeps every earlier N in the loss, so the multi-head runs stay near 0
// (within the noise of the two test sets, a few hundredths).
//
// ## 5. Side by side
//
// **Think.** Before you run the next cell: rank the six conditions (FORCE, LMS; constrained and unconstrained output;
// single- and multi-head) from the least to the most forgetting. Which one protects old learning by design, and which
// only because the old item stays in the loss?

// %%
const conditions = [...new Set(table.map((r) => r.condition))];
const conditionColor = (c: string) =>
  c.startsWith('FORCE')
    ? lab.CONCEPT_COLORS.force
    : c.startsWith('LMS')
      ? lab.lmsColor(online[0].gamma)
      : c.startsWith('constrained')
        ? lab.CONCEPT_COLORS.constrainedOutput
        : c.startsWith('unconstrained')
          ? lab.CONCEPT_COLORS.unconstrainedOutput
          : c.startsWith('single')
            ? lab.CONCEPT_COLORS.singleHead
            : lab.CONCEPT_COLORS.multiHead;
lab.show(
  lab.linePlot({
    title: 'One measure, three regimes: median interference per seed',
    x: {
      title: 'regime and condition',
      categories: {
        values: conditions.map((_, j) => j),
        labels: conditions.map(
          (c) =>
            `${c.replace(' output', '')}<br>(${table.find((r) => r.condition === c)!.regime.replace('gradient descent ', '')})`,
        ),
      },
    },
    y: { title: 'median I (eq. 1) over the old items' },
    references: levels('back to naive'),
    series: conditions.map((c, j) => {
      const rows = table.filter((r) => r.condition === c && Number.isFinite(r.median));
      return {
        x: rows.map((_, k) => j + 0.06 * (k - (rows.length - 1) / 2)),
        y: rows.map((r) => r.median),
        mode: 'markers' as const,
        name: `${rows[0]?.regime ?? ''}: ${c}`,
        color: conditionColor(c),
        markerSize: 10,
        symbol:
          rows[0]?.regime === 'curriculum'
            ? ('diamond' as const)
            : rows[0]?.regime === 'online learning'
              ? ('circle' as const)
              : ('square' as const),
      };
    }),
  }),
);
lab.showMarkdown(
  '| regime | condition | seed | old items | median I |\n|---|---|---|---|---|\n' +
    table
      .map(
        (r) =>
          `| ${r.regime} | ${r.condition} | ${r.seed} | ${r.values.length} | ${lab.fixed(r.median, 3, 'none learned')} |`,
      )
      .join('\n'),
);

// %% [markdown]
// @answer
// The figure and the table give this run's order; in our runs at both scales, from least to most: FORCE and the
// multi-head curriculum (at 0, within a few hundredths), LMS and the unconstrained output (a few thousandths to a few
// hundredths), then the single-head curriculum (near 1) and gradient descent with the constrained output (beyond 1). FORCE protects by design: P keeps a record of the rate correlations of past
// trials and confines each update to directions not yet used. Multi-head curricula protect the earlier N only because
// every earlier N stays in the loss, and the unconstrained output only because the task leaves A's attractor
// unpenalised. A single-head curriculum and gradient descent with the constrained output have nothing that protects
// the old item. LMS has nothing either, but in the memory task one trial moves another value only a little.
// @end-answer
//
// **The mechanisms** (README §4):
//
// | regime | what protects the old | what destroys it | notebooks |
// |---|---|---|---|
// | online learning | FORCE's P, a running inverse of the rate correlations, confines each update | LMS updates along the current rates, moving every value whose rates overlap | 01, 02 |
// | gradient descent A → B | a free output leaves A's attractor alone | for B, rotating A's attractor is cheaper than forming a new one | 07, 08 |
// | curricula | a head per N keeps every N in the loss | a shared head serves only the current N | 05, 10 |
//
// ## Explore
//
// How fast does online learning forget? The cell measures eq. (1) for FORCE and LMS not after the next trial but after
// ℓ trials, for several lags, and plots the median over the learned trials. Worth trying: longer lags (does LMS's
// loss accumulate over many trials?), another seed of `online`, and comparing with the destruction rate of notebook 01.

// %%
const exploreLags = [1, 2, 5, 10, 20];
const exploreRuns = online[0];
lab.show(
  lab.linePlot({
    title: `Explore: online learning, seed ${exploreRuns.seed}: median interference after ℓ more trials`,
    x: { title: 'lag ℓ (trials after the value was learned)', log: true },
    y: { title: 'median I (eq. 1)' },
    references: [{ axis: 'y', value: 0, label: 'nothing lost' }],
    series: [
      { run: exploreRuns.force, name: 'FORCE (RLS)', color: lab.CONCEPT_COLORS.force },
      { run: exploreRuns.lms, name: lab.beerBarak.lmsLabel(exploreRuns.gamma), color: lab.lmsColor(exploreRuns.gamma) },
    ].map((s) => ({
      x: exploreLags,
      y: exploreLags.map((lag) => lab.median(lab.synthesis.onlineInterference(s.run, lag))),
      mode: 'lines+markers' as const,
      name: s.name,
      color: s.color,
    })),
  }),
);

// %% [markdown]
// ## Summary
//
// - One index, eq. (1), reads all three regimes; the claims X1–X3 above state, for this run, whether FORCE interferes
//   less than LMS, whether gradient descent with a constrained output loses A, and whether single-head curricula lose
//   their earlier N while multi-head ones keep them.
// - What protects old learning differs: a learning rule with memory (FORCE's P), a task that leaves the old solution
//   alone (the free output), or a loss that keeps the old item (multi-head). Without one of these, new learning
//   overwrites the old in all three regimes.

// %%
console.log(`notebook wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
