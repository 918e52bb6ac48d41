// %% [markdown]
// # 13 · Curricula for gated networks: LSTM and GRU
//
// Terms used here are defined in the [glossary](../GLOSSARY.md).
//
// *Documentation:* the study, its equations, parameters and claims are written up in [the README of `papers/timescales-curriculum-2024`](../lib/src/papers/timescales-curriculum-2024/README.md); the
// § and equation numbers in this notebook refer to it.
//
// **Study.** Khajehabdollahi, Zeraati et al. 2024 (notebook 05 introduces the task and the two curricula on a leaky RNN).
//
// **You will learn** whether the curriculum result of notebook 05 depends on the kind of network, by training two
// gated networks, an LSTM and a GRU, with the same two curricula, and how a gated unit's "time constant" can be read
// from its gates. **Time:** about 30 minutes: 15 to read and run (with cached runs), 15 for the exercise and the
// questions. **Exercises:** 13.1 (one LSTM step) and 13.2 (a gated unit's timescale), each with a check cell; one
// *think* question; an *explore* cell at the end.
//
// **Question.** The paper's abstract ends: the multi-head curriculum "also significantly improves training GRUs and
// LSTMs for large-N tasks". Gated networks are the ones practitioners use for memory tasks: their gates decide, step
// by step, how much of the old state to keep. Do they also reach larger N with one head per N than with one head
// moved along (T15)? And do they do it the way the leaky RNN does, or through their gates?
// **Original** (LSTM only, no numbers given): 500 units, 100 heads, batch 64, 300 steps per epoch, 100 epochs, Adam
// lr 10⁻³, inputs ±1.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '13-timescales-gated';
const G = lab.timescales.gatedScale();
const S = lab.timescales.timescalesScale();
const started = Date.now();
console.log(
  `scale: ${lab.scale()}; LSTM and GRU with H = ${G.hiddenSize} units, ${G.heads} heads, batch ${G.batchSize}, Adam lr ${G.lr}, budget ${G.maxSteps} steps; seeds ${G.seeds.join(', ')}; leaky RNN of notebook 05: n = ${S.size}, batch ${S.batchSize}`,
);

// %% [markdown]
// ## 1. Two gated cells
//
// Both cells keep a state and decide with **gates** (numbers between 0 and 1, one per unit and step, computed by a
// logistic function σ from the input $x_t$ and the previous output $h_{t-1}$) how much of it to keep. In PyTorch's form
// (README §4.2, eqs. 39–40; ⊙ is the elementwise product):
//
// $$
// \text{LSTM:}\quad c_t = f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh c_t,
// $$
//
// with the forget gate $f_t$, the input gate $i_t$, the output gate $o_t$ and the candidate $g_t = \tanh(\cdot)$;
//
// $$
// \text{GRU:}\quad h_t = z_t \odot h_{t-1} + (1 - z_t) \odot n_t,
// $$
//
// with the update gate $z_t$ and the candidate $n_t$ (its reset gate $r_t$ scales the recurrent input of $n_t$).
//
// ### Exercise 13.1: one LSTM step
//
// Write eq. (39) for one sample: you get the four pre-activation blocks $a = (a_i, a_f, a_g, a_o)$, each of $H$
// entries, in PyTorch's order (the sums $W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh}$ are done for you), and the previous
// cell state $c_{t-1}$. Return $h_t$ and $c_t$, one after the other ($2H$ numbers). The check compares with the library's
// LSTM, which runs in PyTorch's equations.

// %%
function myLstmStep(preActivation: number[], cPrev: number[]): number[] {
  // @solution 13.1
  const H = cPrev.length;
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const c = cPrev.map(
    (cp, j) => sigmoid(preActivation[H + j]) * cp + sigmoid(preActivation[j]) * Math.tanh(preActivation[2 * H + j]),
  );
  const h = c.map((cj, j) => sigmoid(preActivation[3 * H + j]) * Math.tanh(cj));
  return [...h, ...c];
  // @end-solution
}

// %%
lab.checkExercise(lab.timescales.exercises.LSTM_STEP, myLstmStep);

// %% [markdown]
// A leaky unit of notebook 05 keeps the fraction $1 - 1/\tau'$ of its state each step. A gated unit keeps the fraction
// $f_t$ (LSTM) or $z_t$ (GRU) instead, and that fraction changes from step to step. Averaged over the steps of a task,
// it gives the unit an effective timescale (eq. 41):
//
// $$
// \tau = \frac{1}{1 - \langle f \rangle} \quad \text{(LSTM)}, \qquad \tau = \frac{1}{1 - \langle z \rangle} \quad \text{(GRU)}.
// $$
//
// The training set-up is the original's LSTM set-up for both cells (the GRU's is not public): heads read $h_T$, Adam with
// lr 10⁻³, gradients clipped at norm 2, inputs ±1. The scale is ours (H = 64 units, not 500), and every run gets the
// same budget of training steps.

// %% [markdown]
// ### Exercise 13.2: a gated unit's timescale
//
// Given the values one unit's retention gate took (its forget gate, or its update gate) over all steps and sequences of
// a batch, return its timescale by eq. (41). The check compares with the library on LSTM and GRU units whose gates
// are mostly closed and mostly open.

// %%
function myGateTimescale(gateValues: number[]): number {
  // @solution 13.2
  const mean = gateValues.reduce((a, b) => a + b, 0) / gateValues.length;
  return 1 / (1 - mean);
  // @end-solution
}

// %%
lab.checkExercise(lab.timescales.exercises.GATE_TIMESCALE, myGateTimescale);

// %% [markdown]
// ## 2. Both curricula on both cells
//
// Single-head: one head, moved to the next N when the stage is solved. Multi-head: one head per N, all trained
// together. Same stages, advance rule (eq. 26) and test batches as notebook 05; every run is a cached, checkpointed
// worker-thread job. The leaky RNN's runs are notebook 05's, cut at the same number of steps (a run's first steps do not
// depend on its budget, so these are notebook 05's curves up to that step; its batch is 32, not 64).

// %%
const bar = lab.progress('gated curriculum runs', 2 * G.cells.length * G.seeds.length + 2 * S.seeds.length);
const gated = await lab.timescales.gatedCurriculumRuns(G, { progress: bar });
const leaky = await lab.timescales.leakyRunsAtBudget(S, G.maxSteps, { progress: bar });
bar.finish();
const reach = lab.timescales.reachAtBudget(gated, leaky);
lab.showMarkdown(
  `| network | seed | single-head N | multi-head N | budget (steps) |\n|---|---|---|---|---|\n` +
    reach.map((r) => `| ${r.network} | ${r.seed} | ${r.single} | ${r.multi} | ${r.steps} |`).join('\n'),
);
lab.show(
  lab.timescales.gatedReachFigure(
    gated,
    leaky,
    `Largest solved N against training step, LSTM and GRU (H = ${G.hiddenSize}) and the leaky RNN (n = ${S.size})`,
  ),
);

// %% [markdown]
// At full scale the picture is the same for both gated cells and every seed: within 6,000 steps multi-head training
// takes the LSTM to N = 21 and the GRU to N = 18–20, while single-head training climbs to N = 7–9 and then flattens
// (the LSTM's single-head runs solve nothing new after step ≈ 4,200). The leaky RNN, cut at the same step, shows the
// same order more weakly (12–14 against 6–7). Per training step the gated cells learn faster than the leaky RNN under
// both curricula; a gated step also does 3–4 times its multiply–adds (three or four gate blocks), and its batch is 64,
// not 32.

// %% [markdown]
// **Check T15**: at the end of the common budget, multi-head has solved a larger N than single-head, for the LSTM and the
// GRU in every seed (fixed before the full run; the leaky RNN is shown, not judged).

// %%
lab.recordClaim(NOTEBOOK, lab.timescales.claims.T15(reach));

// %% [markdown]
// ## 3. Do the gates lengthen the units' timescales?
//
// In the leaky RNN, single-head training lengthens some neurons' τ′ as N grows, while multi-head networks keep them
// short and build memory in the connections (notebook 05). For the gated cells we read eq. (41) at every snapshot, on
// fresh sequences of the stage it solved.
//
// **Think.** Before you run the next cell: a gated unit can keep its state for as long as it likes by holding its gate
// open ($f \to 1$). Should the single-head networks, which must hold one ever longer N in memory, push their gates
// more open than the multi-head ones?

// %%
const trend = lab.timescales.timescaleTrend(gated, leaky);
lab.show(
  lab.timescales.timescaleTrendFigure(
    trend,
    'Mean unit timescale against solved N: gates (LSTM, GRU) and τ′ (leaky RNN)',
  ),
);
const growth = lab.timescales.timescaleGrowth(trend);
lab.showMarkdown(
  `| network | curriculum | seed | N first → last | mean τ first → last | growth | Spearman(N, τ) | largest τ at the last N |\n|---|---|---|---|---|---|---|---|\n` +
    growth
      .map(
        (g) =>
          `| ${g.network} | ${g.curriculum}-head | ${g.seed} | ${g.firstN} → ${g.lastN} | ${g.firstTau.toFixed(2)} → ${g.lastTau.toFixed(2)} | ${g.growth.toFixed(2)}× | ${Number.isNaN(g.spearman) ? '—' : g.spearman.toFixed(2)} | ${g.lastMaxTau.toFixed(1)} |`,
      )
      .join('\n'),
);

// %% [markdown]
// The curricula split the gated networks as the paper describes the leaky ones. Single-head LSTMs and GRUs open their
// retention gates as N grows: the mean timescale doubles, from ≈ 2 (LSTM) and ≈ 1.7 (GRU) steps at N = 2 to 3.6–4.6
// and 3.2–3.5 at their last N (Spearman 0.89–1.00), and their slowest units reach 11–29 steps, more than N − 1. Multi-head
// networks keep the mean where it started (LSTM 2.1–2.3 at N = 21) or shorten it (GRU 1.2–1.3 at N = 18–20) while
// solving N more than twice as large. Their memory of about 20 steps is not held unit by unit: every GRU unit forgets
// within 2.2 steps by eq. (41), so the GRU carries the memory through its recurrent interactions, as notebook 05 found
// for multi-head leaky networks. The multi-head LSTMs keep some slow units (up to 14–19 steps, close to N − 1 = 20) in
// a population that stays fast on average. Within the same 6,000 steps the leaky RNN does not show the split yet: its
// τ′ fall under both curricula (×0.83–0.95), because its single-head runs only reach N = 6–7 by then; in notebook 05
// slow neurons appear in two seeds of three, by N = 14 after 64,000–80,000 steps. On this budget the gated cells show the paper's
// timescale result more clearly than the leaky RNN does.
//
// @answer
// They did, in every seed: single-head gates open with N (the mean timescale doubles by N = 7–9), multi-head gates do
// not (LSTM) or close (GRU). With one head, the network must carry the current N's answer through the whole sequence
// and is never asked for the smaller N again, so slower units are the direct way to hold more. With all heads trained
// together, the same state has to answer N = 2 and N = 20 at once; slow units would blur the short-memory answers, so
// the memory for large N is built from fast units working together.
// @end-answer
//
// ## Summary (our full run)
//
// - Multi-head training takes both gated cells more than twice as far as single-head training on the same budget:
//   N = 18–21 against 7–9, in every seed (T15 reproduced at H = 64, 6,000 steps; the original gives no numbers).
// - Single-head training lengthens the gate timescales with N; multi-head training keeps them short and builds the
//   longer memory from fast units: the single-neuron against network-timescale result of the paper, on gated cells.

// %% [markdown]
// ## Explore
//
// Which units hold the memory? The cell plots every unit's timescale (eq. 41), sorted, for one snapshot, against the
// memory the task needs ($N - 1$ steps). Worth trying: `cell` `'lstm'` against `'gru'`, `curriculum` `'single'`
// against `'multi'`, and small against large `N` (only the Ns the run solved have a snapshot).

// %%
const exploreGated = {
  cell: 'lstm' as 'lstm' | 'gru',
  seed: G.seeds[0],
  curriculum: 'multi' as 'single' | 'multi',
  N: 6,
};
const exploreRun = gated.find((p) => p.cell === exploreGated.cell && p.seed === exploreGated.seed)![
  exploreGated.curriculum
];
const exploreSnap = exploreRun.snapshots.find((s) => s.N === exploreGated.N);
if (!exploreSnap)
  console.log(`this run solved N = ${exploreRun.snapshots.map((s) => s.N).join(', ')}; pick one of those`);
else {
  const o = lab.timescales.validateGatedCurriculum(exploreRun.options);
  const taus = Array.from(
    lab.timescales.gateTimescales(
      exploreSnap.network,
      lab.timescales.gatedStageBatch(o, exploreSnap.Ns, lab.Rng.stream(1, 'explore'), 256),
    ),
  ).sort((a, b) => a - b);
  lab.show(
    lab.linePlot({
      title: `Explore: every unit's timescale, ${exploreGated.cell.toUpperCase()} ${exploreGated.curriculum}-head seed ${exploreGated.seed} at N = ${exploreGated.N}`,
      x: { title: 'unit (sorted by timescale)' },
      y: { title: 'τ = 1/(1 − mean gate) (steps)', log: true },
      references: [
        {
          axis: 'y',
          value: Math.max(1, exploreGated.N - 1),
          label: `the task's memory: N − 1 = ${exploreGated.N - 1} steps`,
        },
      ],
      series: [
        {
          x: taus.map((_, i) => i + 1),
          y: taus,
          mode: 'markers' as const,
          name: 'units',
          color: exploreGated.curriculum === 'single' ? lab.CONCEPT_COLORS.singleHead : lab.CONCEPT_COLORS.multiHead,
          markerSize: 6,
        },
      ],
    }),
  );
}

// %%
console.log(`notebook wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
