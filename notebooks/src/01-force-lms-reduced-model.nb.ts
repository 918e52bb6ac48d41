// %% [markdown]
// # 01 · FORCE vs LMS: interference when a line attractor is learned one trial at a time (reduced model)
//
// **Study.** Chen Beer & Omri Barak, *One step back, two steps forward: interference and learning in recurrent neural
// networks*, Neural Computation 31(10), 2019. Their abstract: learning one trial at a time, LMS keeps destroying the
// dynamical objects built on earlier trials ("one step back"), FORCE does not, and as a result LMS converges orders
// of magnitude more slowly. The full text was not available to us: **every parameter, figure layout and pass/fail
// criterion here is our reconstruction** from the abstract and standard methods, documented in
// [the study's README](../lib/src/papers/beer-barak-2019/README.md) (the § numbers below refer to it).
//
// **You will learn** why learning a line attractor one trial at a time is sequential linear regression, how FORCE (RLS)
// and LMS differ in what they remember of earlier trials, how to measure interference between trials, and why that
// makes LMS orders of magnitude slower. **Time:** about 60 minutes: 35 to read and run, 25 for the exercises.
// **Exercises:** 01.1 (the LMS update) and 01.2 ($\hat q$ of a candidate point), each with a check cell; one *think*
// question; an *explore* cell at the end. Terms are defined in the [glossary](../GLOSSARY.md).
//
// **Question of this notebook.** A network must remember an analog value $v \in [1, 5]$: after a cue, its output
// $z$ must stay at $v$. Why does LMS, plain gradient descent on the readout, struggle where FORCE succeeds?
//
// **Network** (Sussillo & Abbott 2009 with an input; $\tau = 1$):
//
// $$\dot x = -x + J \tanh(x) + w_\text{fb}\, z + w_\text{in}\, u(t), \qquad z = w^\top \tanh(x),$$
//
// with $N = 300$, $J_{ij} \sim \mathcal N(0, g^2/N)$, $g = 1.2$, $w_\text{fb}, w_\text{in} \sim U(-1, 1)$. Only the readout $w$ learns.
//
// **The key observation** (README §3.4). During the delay a closed-loop fixed point with output $v$ must satisfy
// $x_v = J \tanh(x_v) + w_\text{fb} v$, which does not involve $w$ at all. So the *candidate* fixed points $x_v$ are
// fixed in advance; learning only decides whether $w^\top r_v = v$ (with $r_v = \tanh x_v$), i.e. whether the candidate
// really is a fixed point of the trained loop. Learning a line attractor becomes **sequential linear regression**:
// one value $v_k$ per trial, presented $T_s = 200$ times (the learning updates of one delay). This notebook studies
// that reduced model; a later notebook runs the full closed loop.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '01-force-lms-reduced-model';
const S = lab.beerBarak.beerBarakScale();
console.log(
  `scale: ${lab.scale()}; N = ${S.n}, seeds ${S.seeds.join(', ')}; FORCE ${S.forceTrials} trials, LMS ${S.lmsTrials} trials at γ ∈ {${S.lmsGammas.join(', ')}}`,
);

// %% [markdown]
// ## 1. The candidate fixed points, by clamping the feedback
//
// For each value $v$ we clamp the feedback to $z \equiv v$ (no input) and solve $0 = -x + J\tanh(x) + w_\text{fb} v$: Euler
// relaxation for $300\,\tau$, then Newton steps until $\|F\|/\sqrt N < 10^{-10}$, continuing along a grid of 401 values
// (and a 41-value evaluation grid). The analysis rests on one condition (README §3.2): for every $v$ the clamped
// network has a **unique, stable** fixed point. We check it below; the solutions are cached on disk, since they
// depend only on $(J, w_\text{fb})$.

// %%
const bar = lab.progress('reduced-model runs', S.seeds.length * (2 + S.lmsGammas.length + 5));
let stepsDone = 0;
const studies = S.seeds.map((seed) =>
  lab.beerBarak.reducedStudy(seed, S, (label) => bar.update(++stepsDone, `seed ${seed}: ${label}`)),
);
bar.finish();
const first = studies[0];
const { grids } = first;

// %%
const checks = lab.beerBarak.openLoopChecks(first.net, grids, S.stabilityValues);
lab.showMarkdown(
  '| v | max Re λ (open loop) | distance to points from other starts | stable | unique |\n|---|---|---|---|---|\n' +
    checks
      .map(
        (c) =>
          `| ${c.v.toFixed(2)} | ${c.maxRealEigenvalue.toFixed(3)} | ${c.maxDistanceFromOthers.toExponential(1)} | ${c.stable ? 'yes' : '**no**'} | ${c.unique ? 'yes' : '**no**'} |`,
      )
      .join('\n'),
);
const units = [0, 1, 2, 3, 4, 5, 6, 7];
lab.show(
  lab.linePlot({
    title: 'Rates r_v = tanh(x_v) of eight units at the candidate fixed points (seed 1)',
    x: { title: 'clamped value v' },
    y: { title: 'r_v' },
    series: units.map((u) => ({ x: grids.fine.values, y: lab.column(grids.fine.r, u), width: 1.5 })),
  }),
);

// %% [markdown]
// The clamped network is stable and unique at every value checked (negative eigenvalues, and random starts land on
// the same point), so each $v$ has exactly one candidate $x_v$. The rates change smoothly with $v$: the candidates
// form a curve in rate space. This smoothness is what makes the regression hard: the rate vectors of different
// values are strongly correlated.

// %% [markdown]
// ## 2. Two learning rules
//
// At each update the error before the update is $e = w^\top r - f$. **FORCE** is recursive least squares:
//
// $$k = P r,\quad c = \frac{1}{1 + r^\top k},\quad P \leftarrow P - c\,k k^\top,\quad w \leftarrow w - c\,e\,k,\qquad P(0) = I/\alpha,\ \alpha = 1,$$
//
// so $P$ tracks $(\sum r r^\top + \alpha I)^{-1}$ over *all* past updates. **LMS** replaces $P$ by $\eta I$:
// $w \leftarrow w - \eta\, e\, r$. We set $\eta = \gamma / \bar R$ with $\bar R$ the mean of $\|r_v\|^2$, so $\gamma$ is
// the per-update gain: one trial removes the fraction $G = 1 - (1-\gamma)^{T_s}$ of the current value's error.

// ### Exercise 01.1: the LMS update
//
// Write one LMS update: given the readout $w$, the rates $r$, the error $e = w^\top r - f$ and the rate $\eta$, return
// the new readout $w - \eta\, e\, r$ (a new vector; leave `w` as it is). The check cell compares it with the library's
// rule.

// %%
function myLmsUpdate(w: Float64Array, r: Float64Array, error: number, eta: number): Float64Array {
  // @solution 01.1
  return w.map((wi, i) => wi - eta * error * r[i]);
  // @end-solution
}

// %%
lab.checkExercise(lab.beerBarak.exercises.LMS_UPDATE, myLmsUpdate);

// %%
const Rbar = lab.beerBarak.meanSquaredRateNorm(grids.eval.r);
lab.showMarkdown(
  `R̄ = ${Rbar.toFixed(1)}. Per-trial gain G of LMS: ` +
    [1e-1, 1e-2, 1e-3, 1e-4]
      .map((g) => `γ = ${g}: G = ${lab.beerBarak.lmsTrialGain(g, lab.beerBarak.PRESENTATIONS).toFixed(3)}`)
      .join('; '),
);

// %% [markdown]
// ## 3. FORCE builds the line attractor; LMS keeps tearing it down
//
// After each trial we measure the output mismatch $\delta(v) = w^\top r_v - v$ on the evaluation grid. The closed-loop
// speed at the candidate point is $q(v) = \tfrac12 \|w_\text{fb}\|^2 \delta(v)^2$: it is zero exactly when the trained
// loop has a fixed point with output $v$. Its network-free part $\hat q = \tfrac12\delta^2$ (q without the factor
// $\|w_\text{fb}\|^2$, so comparable between networks) decides the verdicts: a value is **held** if $\hat q < 10^{-4}$
// and **lost** if $\hat q > 10^{-3}$. The heat maps show $\log_{10} q$ for every value (rows) after every trial (columns); dots mark
// the value trained on each trial.

// ### Exercise 01.2: $\hat q$ of a candidate point
//
// Write $\hat q(v) = \tfrac12\,(w^\top r_v - v)^2$ for a readout $w$, the rates $r_v$ of the candidate point and its
// value $v$. The heat maps below are this number (times $\|w_\text{fb}\|^2$) for every value after every trial.

// %%
function myQHat(w: Float64Array, r: Float64Array, v: number): number {
  // @solution 01.2
  let z = 0;
  for (let i = 0; i < w.length; i++) z += w[i] * r[i];
  return 0.5 * (z - v) ** 2;
  // @end-solution
}

// %%
lab.checkExercise(lab.beerBarak.exercises.Q_HAT, myQHat);

// %% [markdown]
// **Think.** Before you look at the heat maps: LMS at $\gamma = 10^{-2}$ removes most of the current value's error in one
// trial. What will that trial do to a value trained two trials earlier and far from the current one? To a value
// close to the current one?

// %%
const lmsFast = first.lms.find((l) => l.gamma === 1e-2)!.run;
const lmsSlow = first.lms.find((l) => l.gamma === 1e-4)!.run;
const wFb = first.net.wFb!;
lab.show(
  lab.beerBarak.speedHeatmap('FORCE (RLS): log10 q(v) after each trial (reconstruction)', first.force, wFb, 100),
);
lab.show(lab.beerBarak.speedHeatmap('LMS γ = 10⁻²: log10 q(v) after each trial (reconstruction)', lmsFast, wFb, 100));
lab.show(lab.beerBarak.speedHeatmap('LMS γ = 10⁻⁴: log10 q(v) after each trial (reconstruction)', lmsSlow, wFb, 100));

// %%
const trialAxis = (run: lab.beerBarak.ReducedRun) => Float64Array.from({ length: run.delta.rows }, (_, t) => t);
lab.show(
  lab.linePlot({
    title: 'Fraction of values held (q̂ < 1e-4) after each trial',
    x: { title: 'trial' },
    y: { title: 'fraction held', range: [0, 1.02] },
    series: [
      {
        x: trialAxis(first.force),
        y: lab.beerBarak.fractionHeld(first.force.delta),
        name: 'FORCE',
        color: lab.CONCEPT_COLORS.force,
      },
      ...first.lms.map(({ gamma, run }, i) => ({
        x: trialAxis(run),
        y: lab.beerBarak.fractionHeld(run.delta),
        name: lab.beerBarak.lmsLabel(gamma),
        color: lab.lmsColor(gamma),
      })),
    ],
  }),
);

// %% [markdown]
// FORCE turns the whole range into fixed points within a handful of trials and keeps it. LMS at $\gamma = 10^{-2}$
// fits each trained value (a dark spot at the dot) but erases what earlier trials built: the dark region follows the
// trained value around instead of growing. At $\gamma = 10^{-4}$ nothing is destroyed, but nothing is built either.
//
// @answer
// The update moves $w$ along the current trial's rates $r_B$, and in this network the rates of all values overlap
// strongly, so the output moves at every value by about as much as the error just removed at the current one. A value
// trained two trials ago had its own error removed then; now it is pushed by the current value's error, and it is
// lost. A value close to the current one had nearly the same error, so the same push corrects it too: LMS keeps a
// neighbourhood of the current value and loses the rest, the dark region that follows the dots. Section 4 measures
// the push against the overlap of the rates.
// @end-answer
//
// **B1 (reduced model)**: median $\hat q < 10^{-5}$ by trial 100 for FORCE.
// **B2 (reduced model)**: LMS with $\gamma = 10^{-2}$ holds on average at most half the values after trial 20; in at least
// 80 % of trials the value just trained is held better than the grid median; the mean destruction rate $D \ge 0.2$
// ($D_k$: of the values held before trial $k$, the fraction lost after it; README eq. 27).
// FORCE holds at least 90 % of values at trial 100 with mean $D \le 0.01$ over trials 20–100.

// %%
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B1Reduced(studies));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B2Reduced(studies));

// %% [markdown]
// **Interactive.** Move the slider to see the mismatch profile $\hat q(v)$ over the line after any of the first 100 trials,
// FORCE against LMS at $\gamma = 10^{-2}$ (the slider works in the exported page too). Watch where LMS's profile dips
// (the value just trained, named on the slider) and what happens to that dip one trial later.

// %%
const profileTrials = Math.min(100, first.force.delta.rows - 1, lmsFast.delta.rows - 1);
const profileAt = (run: lab.beerBarak.ReducedRun, k: number) => lab.beerBarak.qHatRow(run.delta, k);
lab.show(
  lab.linePlot({
    title: 'q̂(v) over the line after a chosen trial: FORCE against LMS γ = 10⁻² (seed 1)',
    x: { title: 'value v' },
    y: { title: 'q̂(v)', log: true, floor: { value: 1e-14, label: 'below 10⁻¹⁴, drawn here' } },
    series: [
      {
        x: first.force.evalValues,
        y: profileAt(first.force, profileTrials),
        name: 'FORCE',
        color: lab.CONCEPT_COLORS.force,
      },
      { x: lmsFast.evalValues, y: profileAt(lmsFast, profileTrials), name: 'LMS γ = 10⁻²', color: lab.lmsColor(1e-2) },
    ],
    references: [{ axis: 'y', value: lab.beerBarak.HELD_THRESHOLD, label: 'held: q̂ = 10⁻⁴' }],
    slider: {
      title: 'after trial',
      steps: Array.from({ length: profileTrials }, (_, i) => ({
        label: `${i + 1} (v = ${lmsFast.trialValues[i].toFixed(2)})`,
        y: [profileAt(first.force, i + 1), profileAt(lmsFast, i + 1)],
      })),
    },
  }),
);

// %% [markdown]
// ## 4. Interference is set by the correlation between trials
//
// How much does training on value $v_B$ move the output at another value $v_A$? The normalised transfer
//
// $$\tilde I(A \leftarrow B) = \frac{\Delta\delta(v_A)/\|r_A\|}{\Delta\delta(v_B)/\|r_B\|}$$
//
// compares the change at $A$ with the change at the trained value. For LMS, $\Delta w \propto r_B$, so
// $\tilde I = \cos(r_A, r_B)$ **exactly**: interference *is* the correlation. For FORCE, $\Delta w \propto P r_B$, and $P$ has
// shrunk along directions seen before, so the transfer to old values is small.

// %%
const b3 = lab.beerBarak.claims.b3Reduced(lmsFast, first.force, grids);
lab.show(
  lab.linePlot({
    title: `Transfer Ĩ(A←B) against trial correlation cos(r_A, r_B), trials 10–50 (seed 1; ${b3.forcePairs.transfer.filter((t) => Math.abs(t) > 1.5).length} FORCE pairs beyond ±1.5 not shown)`,
    x: { title: 'cos(r_A, r_B)' },
    y: { title: 'Ĩ(A←B)', range: [-1.5, 1.5] },
    series: [
      {
        x: b3.forcePairs.cosine,
        y: b3.forcePairs.transfer,
        mode: 'markers',
        name: 'FORCE',
        color: lab.CONCEPT_COLORS.force,
        markerSize: 4,
      },
      {
        x: b3.pairs.cosine,
        y: b3.pairs.transfer,
        mode: 'markers',
        name: 'LMS γ = 10⁻²',
        color: lab.lmsColor(1e-2),
        markerSize: 4,
      },
      lab.identityLine(Math.min(...b3.pairs.cosine), 1, 'identity (LMS prediction)'),
    ],
  }),
);
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B3Reduced(b3));

// %% [markdown]
// The LMS points lie on the identity line: every trial transfers to every other value in proportion to their
// correlation, and because all rate vectors on the curve are strongly correlated (cosines close to 1 here), every
// trial moves every output. FORCE's transfer to distant values is close to zero: it changes $w$ along directions that
// earlier trials did not constrain.

// %% [markdown]
// ## 5. The ingredients of FORCE: which part of RLS avoids interference?
//
// The paper identifies "ingredients of FORCE"; its list is unknown to us, so we test one candidate (our hypothesis):
// **the memory of past activity correlations stored in $P$**. Variants (README §3.3):
// **RLS-reset** ($P \leftarrow I/\alpha$ at each trial: fast within-trial error suppression, no memory),
// **RLS-frozen** ($P$ stops changing after trial 10: a preconditioned LMS with memory of the first 10 trials),
// **NLMS** ($w \leftarrow w - \mu\, e\, r/(\varepsilon + r^\top r)$: LMS with a FORCE-like step size), and **diagonal-P RLS**.

// %%
const curves = [{ label: 'FORCE (RLS)', run: first.force }, ...first.variants];
lab.show(
  lab.linePlot({
    title: 'Median q̂ over the value grid after each trial: RLS and its variants (seed 1)',
    x: { title: 'trial', log: true },
    y: { title: 'median q̂', log: true },
    series: curves.map(({ label, run }) => ({
      ...lab.beerBarak.learningCurve(run.delta),
      name: label,
      ...lab.beerBarak.ruleVariantStyle(label),
    })),
    references: [
      { axis: 'y', value: 1e-5, label: 'B1: q̂ = 10⁻⁵' },
      { axis: 'x', value: 100, label: 'B4 read at trial 100' },
    ],
  }),
);
lab.showMarkdown(
  '| rule | median q̂ after trial 100 | mean destruction rate D |\n|---|---|---|\n' +
    curves
      .map(
        ({ label, run }) =>
          `| ${label} | ${lab.beerBarak.medianQHat(run.delta)[Math.min(100, run.trialValues.length)].toExponential(2)} | ${(lab.finiteMean(lab.beerBarak.destructionRates(run.delta)) || 0).toFixed(3)} |`,
      )
      .join('\n'),
);

// %% [markdown]
// Resetting $P$ at each trial is enough to make RLS forget like LMS, although each trial is still fitted perfectly;
// NLMS, which fits each trial just as well, forgets too. (RLS-reset and both NLMS rows coincide, and that is no
// accident: 200 presentations of the same rate vector drive each of them to (almost exactly) the same end point, the smallest step
// along $r_B$ that makes $\delta(v_B) = 0$, a Kaczmarz projection. They will differ in the closed loop, where the
// rates change within a trial.) Freezing $P$ after 10 trials keeps FORCE's advantage: the
// first trials already span the few directions that matter. So in this reduced model the ingredient that avoids
// interference is the memory of past correlations in $P$, not the size or speed of the steps.
//
// **B4 (reduced model)**: RLS-reset's median $\hat q$ at trial 100 is at least 100 times RLS's, its mean $D \ge 0.2$, and
// full RLS meets B1. The other variants carry no pass/fail; the predictions (RLS-frozen close to RLS; NLMS forgets) are
// read off the table above.

// %%
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B4Reduced(studies));

// %% [markdown]
// ## 6. Why LMS is orders of magnitude slower
//
// LMS converges along each eigen-direction $i$ of the rate covariance $C = \frac1K \sum_v r_v r_v^\top$ on a time scale
// of about $1/(\eta T_s \lambda_i)$ trials. The rate vectors lie on a smooth, highly correlated curve, so the
// eigenvalues of $C$ fall steeply: a learning rate safe for the large directions crawls along the small ones, and a
// rate fast enough for the small ones overshoots and forgets. RLS whitens the problem.

// %%
const spectrum = lab.beerBarak.rateCovarianceSpectrum(grids.eval.r);
lab.show(
  lab.linePlot({
    title: 'Eigenvalues of the rate covariance C over the value grid, normalised (seed 1)',
    x: { title: 'index i' },
    y: { title: 'λ_i / λ_1', log: true },
    series: [
      {
        x: Float64Array.from({ length: 12 }, (_, i) => i + 1),
        y: spectrum.subarray(0, 12).map((l) => Math.max(l / spectrum[0], 1e-18)),
        mode: 'lines+markers',
      },
    ],
  }),
);
lab.show(
  lab.linePlot({
    title: 'Learning curves: median q̂ over the value grid after each trial, FORCE and LMS (seed 1)',
    x: { title: 'trial', log: true },
    y: { title: 'median q̂ = ½δ²', log: true },
    series: [
      { ...lab.beerBarak.learningCurve(first.force.delta), name: 'FORCE', color: lab.CONCEPT_COLORS.force },
      ...first.lms.map(({ gamma, run }) => ({
        ...lab.beerBarak.learningCurve(run.delta),
        name: lab.beerBarak.lmsLabel(gamma),
        color: lab.lmsColor(gamma),
      })),
    ],
    references: [
      { axis: 'y', value: 1e-5, label: 'B5, FORCE: q̂ = 10⁻⁵' },
      { axis: 'y', value: 1e-3, label: 'B5, LMS bar: q̂ = 10⁻³' },
    ],
  }),
);

// %%
const harm = first.lms.map(({ gamma, run }) => ({
  gamma,
  harm: lab.beerBarak.meanHarmPerTrial(run),
  final: lab.beerBarak.medianQHat(run.delta)[run.trialValues.length],
}));
lab.show(
  lab.linePlot({
    title: `LMS at each γ: harm to other values per trial against median q̂ after ${S.lmsTrials} trials (seed 1)`,
    x: { title: `median q̂ at trial ${S.lmsTrials}`, log: true },
    // Harm (README §5.6, eq. 26): the mean change of |δ| a trial causes at values at least 0.5 away from its own.
    y: { title: 'mean harm per trial (Δ|δ|)', zeroLine: true },
    series: harm.map((h) => ({
      x: [h.final],
      y: [h.harm],
      mode: 'markers' as const,
      name: lab.beerBarak.lmsLabel(h.gamma),
      color: lab.lmsColor(h.gamma),
      markerSize: 11,
    })),
  }),
);
lab.showMarkdown(
  harm
    .map((h) => `γ = ${h.gamma}: harm ${h.harm.toExponential(2)}, final median q̂ ${h.final.toExponential(2)}`)
    .join('  \n'),
);

// %% [markdown]
// FORCE reaches the criterion within a few trials; no learning rate gets LMS there in hundreds of trials. A smaller
// $\gamma$ harms other values less on each trial ("smaller learning rate, less interference"; at the smallest $\gamma$
// the mean harm can even be negative, as for seed 1 at quick scale and seed 3 in our full run, because every output
// starts at $z = 0$ and small steps along the dominant direction improve them all at once), but learns so slowly that it ends up no better. The spectrum explains both: it spans several decades within its first few eigenvalues.
//
// **B5 (reduced model)**: FORCE reaches median $\hat q < 10^{-5}$ within 100 trials; no LMS $\gamma$ reaches $10^{-3}$ within its
// trials; the first 5 eigenvalues of $C$ span at least 3 decades; mean harm per trial falls monotonically as $\gamma$ falls.

// %%
lab.recordClaim(
  NOTEBOOK,
  lab.beerBarak.claims.B5Reduced(
    studies,
    studies.map((s) => lab.beerBarak.rateCovarianceSpectrum(s.grids.eval.r)),
    S.lmsTrials,
  ),
);

// %% [markdown]
// **At full scale B5 is not reproduced as we stated it**, and we keep the criterion as it was fixed before the run. In
// our full run (3 seeds, 1000 LMS trials) FORCE met its criterion within 4–11 trials and no LMS rate ever reached
// median $\hat q < 10^{-5}$; but for seed 3 the fast rates dipped below the $10^{-3}$ bar on 22 trials (20 at
// $\gamma = 0.1$, 2 at $\gamma = 0.01$; lowest $5.8 \times 10^{-4}$). Is that LMS converging, or the criterion reading a single trial?
// The criterion takes the lowest median $\hat q$ of *any one trial*. The table below sets that minimum beside the level
// LMS actually settles on (the median over the second half of the run) and beside the lowest 9-trial running median.

// %%
lab.showMarkdown(
  `| seed | LMS γ | lowest median q̂ of one trial | trials below ${lab.powerOfTen(lab.beerBarak.claims.MEMORY_CRITERIA.lmsFloorQ)} | lowest 9-trial running median | plateau (median, second half) |\n|---|---|---|---|---|---|\n` +
    lab.beerBarak
      .lmsPlateau(studies, lab.beerBarak.claims.MEMORY_CRITERIA.lmsFloorQ)
      .map(
        (r) =>
          `| ${r.seed} | ${lab.powerOfTen(r.gamma)} | ${r.lowestMedianQHat.toExponential(2)} | ${r.trialsBelowBar} | ${r.lowestRunningMedian.toExponential(2)} | ${r.plateau.toExponential(2)} |`,
      )
      .join('\n'),
);

// %% [markdown]
// In our full run the fast rates settle on a plateau of $\hat q \approx 2\text{–}4 \times 10^{-3}$, set by the forgetting of the
// last few trials, and flicker around it by a factor of a few from one trial to the next; seed 3's plateau is the lowest
// ($2.4 \times 10^{-3}$ for $\gamma = 0.1$), and its flicker reaches below the bar (its running median touches $0.99 \times 10^{-3}$
// once). So this is the criterion being a single-trial minimum set at LMS's floor, not LMS converging: nothing in the
// run goes on falling. The substance of the claim, LMS stuck two to three decades above where FORCE arrives within a
// handful of trials, holds for every seed; the exact threshold, our reconstruction, was too tight. The claim line
// above shows the failing part for the run you are looking at.

// %% [markdown]
// ## 7. Does the order of the trials matter? (B7, exploratory)
//
// The paper's first version remarks that trial order matters for LMS. We present the *same* trial values in three
// orders: as drawn (random), in ascending sweeps of 40 trials, and alternating between the smallest and largest
// remaining values of each block of 40. There is no pass/fail criterion (README, claim B7): we report trials to criterion
// (median $\hat q$ below $10^{-5}$ for FORCE, $10^{-2}$ for LMS, held for 10 trials) and the final median $\hat q$.

// %%
const orders = lab.beerBarak.trialOrderStudy(grids, first.seed, 1e-2, S.lmsTrials);
lab.showMarkdown(
  '| rule | order | trials to criterion | criterion | final median q̂ |\n|---|---|---|---|---|\n' +
    orders
      .map(
        (r) =>
          `| ${r.rule} | ${r.order} | ${r.trialsToCriterion} | ${r.threshold.toExponential(0)} | ${r.finalMedianQHat.toExponential(2)} |`,
      )
      .join('\n'),
);
lab.show(
  lab.linePlot({
    title: `LMS γ = 10⁻², the same ${S.lmsTrials} trial values in three orders: median q̂ (running median of 9 trials)`,
    x: { title: 'trial', log: true },
    y: { title: 'median q̂ over the value grid', log: true },
    // The per-trial median flickers over a decade from one trial to the next; the running median shows the level.
    series: orders
      .filter((r) => r.rule.startsWith('LMS'))
      .map((r, i) => ({
        x: Array.from({ length: r.curve.length - 1 }, (_, t) => t + 1),
        y: lab.movingMedian(r.curve.slice(1), 9),
        name: r.order,
        color: lab.color(i),
      })),
    references: [{ axis: 'y', value: 1e-2, label: 'LMS criterion: q̂ = 10⁻²' }],
  }),
);

// %% [markdown]
// For FORCE the order changes only how soon the criterion is met: RLS ends at the same least-squares solution
// whatever the order. For LMS the order matters throughout: sorted sweeps leave the readout tuned to the end of the
// last sweep and the rest of the line forgotten, so its median mismatch stays higher than with random order (the table
// gives the ratio for this run; about 8 times in our full run); alternating extremes lie in between. This is what interference predicts: consecutive trials with nearby
// values are strongly correlated, and LMS forgets whatever the recent trials do not revisit.

// %% [markdown]
// ## Beyond the reduced model
//
// Everything above is the reduced model, which isolates the learning rule from the dynamics. The closed-loop network
// (learning during real trials, with the feedback carrying the network's own output) is notebook 02; the limit-cycle
// task (B6) is notebook 04.

// %% [markdown]
// ## Explore
//
// The reduced model is cheap, so try other learning rates and trial counts below: $\gamma$ = 0.5 (one trial fits the
// current value almost exactly: how much of the line survives?), $10^{-3}$ (between forgetting and not learning), and
// 1000 trials for $\gamma = 10^{-4}$ (does slow learning ever catch up?). Change `seed` for another sequence of trial values (the network stays the first seed's).

// %%
const exploreRun = { gamma: 1e-1, trials: 300, seed: 1 };
const exploreReduced = lab.beerBarak.runReduced(
  first.grids,
  exploreRun.seed,
  lab.beerBarak.lmsSpec(first.grids, exploreRun.gamma, exploreRun.trials),
);
lab.show(
  lab.linePlot({
    title: `Explore: LMS γ = ${exploreRun.gamma}, ${exploreRun.trials} trials, against FORCE (seed ${exploreRun.seed})`,
    x: { title: 'trial', log: true },
    y: { title: 'median q̂ over the evaluation grid', log: true },
    series: [
      { ...lab.beerBarak.learningCurve(first.force.delta), name: 'FORCE', color: lab.CONCEPT_COLORS.force },
      {
        ...lab.beerBarak.learningCurve(exploreReduced.delta),
        name: `LMS γ = ${exploreRun.gamma}`,
        color: lab.lmsColor(exploreRun.gamma),
      },
    ],
    references: [{ axis: 'y', value: 1e-4, label: 'held: q̂ = 10⁻⁴' }],
  }),
);
