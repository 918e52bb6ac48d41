// %% [markdown]
// # 02 · FORCE vs LMS in the closed loop: learning a line attractor while the network runs
//
// Terms used here are defined in the [glossary](../GLOSSARY.md).
//
// *Documentation:* the study, its equations, parameters and claims are written up in [the README of `papers/beer-barak-2019`](../lib/src/papers/beer-barak-2019/README.md); the
// § and equation numbers in this notebook refer to it.
//
// **Study.** Beer & Barak 2019 (see notebook 01; **all parameters and criteria here are our reconstruction**).
//
// **You will learn** what changes when the learning rule runs inside the closed loop: which samples the rule is fed
// (and why that matters more than the rule), how to tell an approximate line attractor from a true one, and how
// interference depends on the range of trial correlations. **Time:** about 60 minutes: 45 to read and run, 15 for
// the exercises. **Exercises:** 02.1 (FORCE's RLS update) and 02.2 (the Spearman rank correlation), each with a
// check cell; one *think* question; an *explore* cell at the end.
//
// **Question.** Notebook 01 learned the line attractor in a reduced model: one fixed rate vector per trial. Here the
// network itself runs. Trials follow each other without reset; each one cues a value $v_k \sim U[1, 5]$ with an input
// pulse $u = v_k$ for $5\,\tau$, then a delay of $5$–$30\,\tau$ with $u = 0$; the target is $f = v_k$ throughout. The
// readout is updated every 2 Euler steps ($0.1\,\tau$) while the loop is closed, so the feedback carries the network's
// own, still imperfect output:
//
// $$\dot x = -x + J\tanh(x) + w_\text{fb}\, z + w_\text{in}\, u(t), \qquad z = w^\top \tanh(x), \qquad e = z - f.$$
//
// Does FORCE still build a line attractor, does LMS still forget, and where do the reduced model and the full
// simulation agree? After each trial we score the readout exactly as before, through the clamped candidate points:
// $\delta(v) = w^\top r_v - v$.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '02-force-lms-closed-loop';
const S = lab.beerBarak.beerBarakClosedLoopScale();
console.log(
  `scale: ${lab.scale()}; N = ${S.n}, seeds ${S.seeds.join(', ')}; FORCE ${S.forceTrials} trials, LMS ${S.lmsTrials} trials at γ ∈ {${S.lmsGammas.join(', ')}}`,
);

// %% [markdown]
// ### Exercise 02.1: FORCE's update
//
// Every FORCE run below applies recursive least squares (README eqs. 4–6) every 2 Euler steps: with $k = P r$ and
// $c = 1/(1 + r^\top k)$, $P \leftarrow P - c\,k k^\top$ and $w \leftarrow w - c\,e\,k$ (use the $k$ computed with the old $P$).
// Write one step for a row-major $N \times N$ matrix `P`, returning the new `[w, P]`. The check runs your step on short
// sequences of updates from $P = I$, so a wrong $P$ shows in the updates that follow it.

// %%
function myRlsUpdate(w: Float64Array, P: Float64Array, r: Float64Array, error: number): [Float64Array, Float64Array] {
  // @solution 02.1
  const n = w.length;
  const k = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i] += P[i * n + j] * r[j];
  const c = 1 / (1 + r.reduce((s, ri, i) => s + ri * k[i], 0));
  const nextP = P.map((p, ij) => p - c * k[Math.floor(ij / n)] * k[ij % n]);
  return [w.map((wi, i) => wi - c * error * k[i]), nextP];
  // @end-solution
}

// %%
lab.checkExercise(lab.beerBarak.exercises.RLS_UPDATE, myRlsUpdate);

// %% [markdown]
// ## 1. Training runs
//
// Per seed, under two protocols: FORCE, LMS at each rate and the FORCE-ingredient variants, with the readout learning
// throughout the trial (the default, README §4.1) and, as a second protocol, with learning in the delay only (the
// study's switch; same delays, values and trial counts, so that the switch is the only difference). The default
// protocol's runs also include the reduced model on the *same* trial sequence for comparison. Each seed and protocol
// is one job on a worker thread; the clamped candidate points come from the disk cache written by notebook 01 (or
// are computed now).

// %%
const bar = lab.progress('closed-loop studies (seed × protocol)', 2 * S.seeds.length);
let done = 0;
const byProtocol = await lab.beerBarak.closedLoopStudies(S, lab.beerBarak.CLOSED_LOOP_PROTOCOLS, (label) =>
  bar.update(++done, label),
);
bar.finish();
const studies = byProtocol.throughout;
const delayOnlyStudies = byProtocol['delay-only'];
const first = studies[0];
const firstDelayOnly = delayOnlyStudies[0];
const values = first.grids.eval.values;

// %% [markdown]
// ## 2. The output during training
//
// The output $z(t)$ (colour) and the target $f(t)$ (black) over the first five and the last five FORCE trials; grey
// bands mark the cues. Trials are laid end to end.

// %%
const st = lab.beerBarak.stitchTraces(first.force.traces);
const fig = lab.linePlot({
  title: 'FORCE in the closed loop: output z(t) and target f(t), trials 1–5 and 96–100 (seed 1)',
  x: { title: 'time within the shown trials (τ)' },
  y: { title: 'z, f' },
  series: [
    { x: st.t, y: st.z, name: 'output z', color: lab.CONCEPT_COLORS.force, width: 1.5 },
    { x: st.t, y: st.f, name: 'target f', color: lab.CONCEPT_COLORS.target, dash: 'dot', width: 1.5 },
  ],
  shapes: st.cues.map(([a, b]) => ({
    type: 'rect',
    xref: 'x',
    yref: 'paper',
    x0: a,
    x1: b,
    y0: 0,
    y1: 1,
    fillcolor: '#bbb',
    opacity: 0.3,
    line: { width: 0 },
  })),
});
fig.layout.annotations = st.starts.map((s) => ({
  text: `trial ${s.trial + 1}`,
  x: s.t,
  y: 1.02,
  xref: 'x',
  yref: 'paper',
  showarrow: false,
  xanchor: 'left',
  font: { size: 10 },
}));
lab.show(fig);

// %% [markdown]
// On the first trials the output overshoots and rings after each cue: FORCE suppresses the error within each trial,
// but the readout is still far from a solution. By trials 96–100 the output jumps to each new value within a few $\tau$
// and stays close to it through the delay, with a slow drift in some delays (more on that below).

// %% [markdown]
// ## 3. Does FORCE build a line attractor?
//
// Three views after training: (b) the speed $\hat q(v) = \tfrac12\delta(v)^2$ at the candidate points after trials 1, 10
// and 100; (c) test trials with learning off, a cue then a $30\,\tau$ delay, for every evaluation value: the value held
// at the end against the value cued; (d) the leading eigenvalue of the closed-loop Jacobian
// $A_v = -I + (J + w_\text{fb} w^\top)\,\mathrm{diag}(1 - r_v^2)$ at the candidate points. A line attractor has one eigenvalue
// near 0 along the line and all others negative.

// %%
const K = values.length;
const qAfter = (t: number) =>
  first.force.delta.data.subarray(t * K, (t + 1) * K).map((d) => Math.max(0.5 * d * d, 1e-16));
lab.show(
  lab.linePlot({
    title: 'q̂(v) at the candidate points after FORCE trials 1, 10 and 100 (seed 1)',
    x: { title: 'value v' },
    y: { title: 'q̂ = δ²/2', log: true },
    series: [1, 10, S.forceTrials].map((t, i) => ({
      x: values,
      y: qAfter(t),
      name: `after trial ${t}`,
      color: lab.color(i),
    })),
    references: [
      { axis: 'y', value: 1e-4, label: 'held: q̂ = 10⁻⁴' },
      { axis: 'y', value: 1e-3, label: 'lost: q̂ = 10⁻³' },
    ],
  }),
);
const drift = (zEnd: Float64Array) => values.map((v, i) => zEnd[i] - v);
const driftBeyond = [first.forceEvaluation, firstDelayOnly.forceEvaluation].map(
  (e) => drift(e.zEnd).filter((d) => Math.abs(d) > 0.8).length,
);
lab.show(
  lab.linePlot({
    title: `Test trials after 100 FORCE trials: drift of the held value over a 30 τ delay (seed 1${driftBeyond[0] + driftBeyond[1] ? `; ${driftBeyond[0] + driftBeyond[1]} value(s) beyond ±0.8 not shown` : ''})`,
    x: { title: 'cued value v' },
    y: { title: 'z at the end of the delay − v', range: [-0.8, 0.8] },
    series: [
      {
        x: values,
        y: drift(first.forceEvaluation.zEnd),
        mode: 'markers',
        name: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS.throughout,
      },
      {
        x: values,
        y: drift(firstDelayOnly.forceEvaluation.zEnd),
        mode: 'markers',
        name: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS['delay-only'],
      },
    ],
    // B1's tolerance: a value counts as held when it ends inside the band.
    shapes: [
      {
        type: 'rect',
        xref: 'paper',
        x0: 0,
        x1: 1,
        yref: 'y',
        y0: -0.05,
        y1: 0.05,
        fillcolor: '#bbb',
        opacity: 0.35,
        line: { width: 0 },
        layer: 'below',
      },
    ],
    references: [
      { axis: 'y', value: 0.05, label: 'B1: |z_end − v| < 0.05' },
      { axis: 'y', value: -0.05, label: '' },
    ],
  }),
);
lab.show(
  lab.linePlot({
    title: 'Leading eigenvalue of the closed-loop Jacobian at the candidate points (seed 1)',
    x: { title: 'value v' },
    y: { title: 'max Re λ (1/τ)', zeroLine: true },
    series: [
      {
        x: first.forceEvaluation.eigenValues,
        y: first.forceEvaluation.leadingEigenvalues,
        mode: 'lines+markers',
        name: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS.throughout,
      },
      {
        x: firstDelayOnly.forceEvaluation.eigenValues,
        y: firstDelayOnly.forceEvaluation.leadingEigenvalues,
        mode: 'lines+markers',
        name: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS['delay-only'],
      },
    ],
    references: [
      { axis: 'y', value: 0.05, label: 'B1: |Re λ₁| < 0.05/τ' },
      { axis: 'y', value: -0.05, label: '' },
    ],
  }),
);

// %% [markdown]
// FORCE does place the candidate points on the readout line: $\hat q$ falls by orders of magnitude from trial 1 to 100,
// as in the reduced model. But a line of *nearly* fixed points is not yet a line *attractor* that holds a value for
// $30\,\tau$ to within 0.05. In our runs (seed 1 at both scales) two things go wrong. First, the residual mismatch
// $\delta(v)$ is small but not zero, and along an almost neutral line even a small velocity moves the state: cued
// values in the middle of the range creep by about 0.1 over the delay. Second, at the ends of the range the leading
// eigenvalue can be clearly positive or negative: with learning throughout the trial, values above about 4 slide down
// onto a point near 4; with learning in the delay only, the middle holds better but the lowest value runs away. The
// output traces above show the same creep inside the last training delays. We report the fixed criterion as it
// comes out, and read the failure as "an approximate line attractor with slow drift", not as "no line attractor".
// The second protocol (section 3c) does not change this verdict: in our full run, with learning in the delay only,
// the eigenvalue part holds in every seed (91–100 % of the values checked are marginal) but 44–73 % of the values are
// held within 0.05 for $30\,\tau$, short of 90 %. The cue samples explain FORCE's error floor, not the drift: holding a
// value for $30\,\tau$ to within 0.05 needs a mismatch far below what 100 trials give under either protocol.

// %% [markdown]
// ### 3b. What the trained loop really has: fixed and slow points (README §5.4 cross-check)
//
// The candidate points come from clamping the feedback. As an independent check we search the trained closed loop
// $\dot x = -x + (J + w_\text{fb} w^\top)\tanh(x)$ directly with the general fixed-point finder (Newton with a
// Levenberg–Marquardt fallback), starting from the states reached at the end of test trials. Points with
// $q = \tfrac12\|\dot x\|^2 < 10^{-10}$ are fixed points, those with $q < 10^{-4}$ slow points.

// %%
const loopPoints = lab.beerBarak.closedLoopFixedPoints(
  first.net,
  first.force.w,
  lab.beerBarak.everyKthRow(first.forceEvaluation.endStates, S.finderStartEvery),
);
const kinds = [
  { label: 'fixed points (q < 1e-10)', pts: loopPoints.filter((p) => p.kind === 'fixed'), symbol: 'diamond', size: 11 },
  { label: 'slow points (q < 1e-4)', pts: loopPoints.filter((p) => p.kind === 'slow'), symbol: 'circle', size: 7 },
];
const pointsFigure = lab.linePlot({
  title: 'Fixed and slow points of the trained closed loop: output and leading eigenvalue (seed 1)',
  x: { title: 'output w·tanh(x*) at the point', range: [0.8, 5.2] },
  y: { title: 'max Re λ of the Jacobian (1/τ)', zeroLine: true },
  series: kinds.map((k, i) => ({
    x: k.pts.map((p) => p.z),
    y: k.pts.map((p) => p.maxRealEigenvalue),
    mode: 'markers' as const,
    name: k.label,
    color: lab.color(i),
    markerSize: k.size,
  })),
});
kinds.forEach((k, i) => ((pointsFigure.data[i].marker as Record<string, unknown>).symbol = k.symbol));
lab.show(pointsFigure);
lab.showMarkdown(
  `From ${Math.ceil(values.length / S.finderStartEvery)} starts: ${kinds[0].pts.length} fixed point(s) at outputs ${kinds[0].pts.map((p) => `${p.z.toFixed(2)}${p.stable ? ' (stable)' : ' (unstable)'}`).join(', ') || '–'}; ` +
    `${kinds[1].pts.length} slow point(s) with outputs from ${kinds[1].pts.length ? Math.min(...kinds[1].pts.map((p) => p.z)).toFixed(2) : '–'} to ${kinds[1].pts.length ? Math.max(...kinds[1].pts.map((p) => p.z)).toFixed(2) : '–'}.`,
);

// %% [markdown]
// The trained loop is not a continuum of exact fixed points. In our runs (seed 1, both scales) the search from test-trial
// end states finds a single true fixed point (stable, near $z \approx 3.9$, which attracts many of the starts)
// and a chain of slow points covering the rest of the range, with leading eigenvalues close to zero of either sign:
// an *approximate* line attractor, along which the state creeps slowly. An exploratory longer search (seed 1, not run by
// this notebook), without the finder's stall stop, turned up a few more fixed points between the slow ones (at outputs near 1.0, 1.2, 1.8 and 5.0). This
// confirms the clamped analysis from the other side and explains the test trials: values drift along the chain of
// slow points, towards the stable point near 3.9.

// %% [markdown]
// **B1 (closed loop)**: after 100 FORCE trials, $|z_\text{end} - v| < 0.05$ for at least 90 % of the 41 test values, and
// $|\mathrm{Re}\,\lambda_1| < 0.05/\tau$ for at least 80 % of the values checked. Recorded for both protocols, as separate
// parts with the same criterion: the default (learning throughout the trial) and learning in the delay only (section 3c).

// %%
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B1ClosedLoop(studies, values));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B1ClosedLoop(delayOnlyStudies, values));

// %% [markdown]
// Is the drift set by the readout's error? At a candidate point the closed loop moves with velocity
// $w_\text{fb}\,\delta(v)/\tau$, so a value whose mismatch $|\delta(v)|$ is larger should drift further over the test
// delay. Each point below is one test value of the first seed after 100 FORCE trials.

// %%
const holdTolerance = lab.beerBarak.claims.MEMORY_CRITERIA.holdTolerance;
const driftReadings = [
  { label: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS.throughout, study: first, color: lab.color(0) },
  { label: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS['delay-only'], study: firstDelayOnly, color: lab.color(1) },
].map((p) => ({ ...p, d: lab.beerBarak.driftAgainstMismatch(p.study.force, p.study.forceEvaluation, holdTolerance) }));
const orNone = (x: number) => (Number.isFinite(x) ? lab.powerOfTen(x, 1) : 'none');
lab.show(
  lab.linePlot({
    title: `Drift over a 30 τ test delay against the readout's mismatch at the candidate point (seed ${first.seed}, 100 FORCE trials)`,
    x: { title: '|δ(v)| = |w·r_v − v| after training', log: true },
    y: { title: '|z_end − v| after 30 τ', log: true },
    series: driftReadings.map((p) => ({
      x: p.d.mismatch,
      y: p.d.drift,
      mode: 'markers' as const,
      name: p.label,
      color: p.color,
      markerSize: 7,
    })),
    references: [{ axis: 'y', value: holdTolerance, label: 'B1: held within 0.05' }],
  }),
);
lab.showMarkdown(
  driftReadings
    .map(
      (p) =>
        `${p.label}: Spearman ρ(drift, |δ|) = ${lab.fixed(p.d.rho, 2)}; median |δ| ${orNone(p.d.medianMismatchHeld)} over the values held, ${orNone(p.d.medianMismatchLost)} over those that drift beyond 0.05`,
    )
    .join('; ') + '.',
);

// %% [markdown]
// In our full run (seed 1) the drift grows with the mismatch under both protocols (the rank correlations above): the
// values that are held have a median $|\delta|$ two to three times smaller than those that drift away, and every value
// with $|\delta|$ below about $10^{-3}$ is held. After 100 trials most of the grid is still above that, more so with
// learning throughout, which is why B1's hold part fails under both protocols. A column of values near
// $|\delta| \approx 2\cdot10^{-3}$ drifts by similar amounts: where the line is locally unstable (the eigenvalues above),
// neighbouring values slide together, whatever their own mismatch.

// %% [markdown]
// ### 3c. Why learning during the cue leaves FORCE an error floor
//
// The two FORCE runs above differ in one switch of the protocol (README §4.1): the rule learns throughout the trial (the
// default we took from the study's description) or only in the delay. Same network, same trial values, same rule.
// After each trial, the median $\hat q$ over the evaluation grid and the fraction of values held ($\hat q < 10^{-4}$).
//
// **Think.** At the first step of a cue the target is already the new value $v_k$, but the state is still where the
// previous delay left it. RLS keeps every sample it has ever seen. Which protocol do you expect to end with the lower
// $\hat q$, and why?

// %%
const protocols = [
  { label: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS.throughout, run: first.force, color: lab.color(0) },
  { label: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS['delay-only'], run: firstDelayOnly.force, color: lab.color(1) },
];
lab.show(
  lab.stackedPanels({
    title: `FORCE in the closed loop, two protocols: median q̂ and fraction held after each trial (seed ${first.seed})`,
    x: { title: 'trial' },
    panels: [
      {
        title: 'median q̂ over the evaluation grid',
        y: { title: 'median q̂', log: true },
        series: protocols.map((p) => ({ ...lab.beerBarak.learningCurve(p.run.delta), name: p.label, color: p.color })),
        references: [{ axis: 'y', value: 1e-5, label: 'B5: q̂ = 10⁻⁵' }],
      },
      {
        title: 'fraction of values held',
        y: { title: 'fraction held', range: [0, 1.02] },
        series: protocols.map((p) => ({
          x: Array.from({ length: p.run.delta.rows - 1 }, (_, t) => t + 1),
          y: lab.beerBarak.fractionHeld(p.run.delta).subarray(1),
          name: p.label,
          color: p.color,
        })),
        references: [{ axis: 'y', value: 0.9, label: 'B2: 90 %' }],
      },
    ],
  }),
);

// %% [markdown]
// In our runs (seed 1 is the same at both scales) learning in the delay only ends about an order of magnitude lower in
// $\hat q$ on the same trials. The reason is what the rule is fed at the start of every cue. The input switches to the new
// value $v_k$ and so does the target, but the state still sits where the previous trial left it. Below, for every
// trial, the place $p_k$ of the state on the line at cue onset (the value of the candidate point whose rates are
// nearest to the rates at that moment) and the target $v_k$ the rule is given, both against the previous value $v_{k-1}$:

// %%
const onsetTrials = Array.from({ length: first.force.trialValues.length - 1 }, (_, i) => i + 1);
lab.show(
  lab.linePlot({
    title: `At each cue onset the state still holds the previous value while the target has jumped (FORCE, trials 2–${first.force.trialValues.length}, seed ${first.seed})`,
    x: { title: 'previous trial value vₖ₋₁', range: [0.8, 5.2] },
    y: { title: 'value at the cue onset of trial k', range: [0.8, 5.2] },
    height: 480,
    series: [
      {
        x: onsetTrials.map((k) => first.force.trialValues[k - 1]),
        y: onsetTrials.map((k) => first.force.onsetLinePosition[k]),
        mode: 'markers',
        name: 'state: its place pₖ on the line',
        color: lab.color(0),
        markerSize: 7,
      },
      {
        x: onsetTrials.map((k) => first.force.trialValues[k - 1]),
        y: onsetTrials.map((k) => first.force.trialValues[k]),
        mode: 'markers',
        name: 'target vₖ fed to the rule',
        color: lab.CONCEPT_COLORS.target,
        symbol: 'diamond',
        markerSize: 6,
      },
      lab.identityLine(1, 5),
    ],
  }),
);
const diagnoses = protocols.map((p) => ({ ...p, d: lab.beerBarak.cueOnsetDiagnosis(p.run) }));
lab.showMarkdown(
  `| protocol (seed ${first.seed}) | mean target step at cue onset, \\|v_k − p_k\\| | mean e² in the cue | mean e² in the delay | median q̂ after the last trial |\n|---|---|---|---|---|\n` +
    diagnoses
      .map(
        ({ label, d }) =>
          `| ${label} | ${lab.fixed(d.meanOnsetStep, 2)} | ${d.cueSquaredError.toExponential(2)} | ${d.delaySquaredError.toExponential(2)} | ${d.finalMedianQHat.toExponential(2)} |`,
      )
      .join('\n') +
    `\n\nMeans over trials ${diagnoses[0].d.fromTrial}–${diagnoses[0].d.toTrial}; e² = (z − f)² sampled at every learning step of each phase, whether or not the rule learns there.`,
);

// %% [markdown]
// The state's points lie on the identity: at cue onset the state sits at the previous value ($p_k \approx v_{k-1}$), while
// the targets scatter over the whole range. So every trial hands the rule samples that say "the rates of this point should read $v_k$", while the previous delay said
// "they should read $v_{k-1}$". RLS with forgetting factor 1 keeps every sample it has seen and solves the least-squares
// problem over all of them: contradictory samples cannot all be fitted, so the readout settles at a compromise that is
// exact at no point of the line, and the delay error (the one that decides whether values are held) stays several times
// higher than with learning in the delay only (the table). Without the cue samples, the rule only ever sees states
// that belong to the value it is told to hold. Which protocol the study used we cannot know: what we have of its set-up
// holds the target through the whole trial, and whether the readout also learns during the cue is our reconstruction
// (README §4.1); the third-party re-implementation the README cites uses delays of up to $60\,\tau$, which would dilute
// the cue samples further. From here on every closed-loop claim is recorded twice, with the criteria unchanged: as part
// "closed loop" for the default protocol (learning throughout the trial, as fixed before our first runs) and as part
// "closed loop, delay-only learning" for the second; B1 for both is just above.
//
// @answer
// Learning in the delay only. With learning throughout, each cue onset adds samples pairing the previous value's
// rates with the new target; RLS, which never forgets, must fit them together with the delay samples that pair the
// same rates with the old target. No readout satisfies both, so the least-squares solution is a compromise and $\hat q$
// stops falling at a floor. Without the cue samples every sample is consistent with one line attractor.
// @end-answer

// %% [markdown]
// ## 4. LMS in the closed loop: objects built and destroyed
//
// The same heat maps as in notebook 01, now for the closed loop: $\log_{10} q(v)$ after every trial, a dot at each
// trained value. A closed-loop run that diverges (NaN in the state) stops and counts as a failure to learn.

// %%
const wFb = first.net.wFb!;
lab.show(
  lab.beerBarak.speedHeatmap('Closed loop, FORCE: log10 q(v) after each trial (reconstruction)', first.force, wFb, 100),
);
for (const { gamma, run } of first.lms) {
  if (run.divergedAtTrial >= 0)
    lab.showMarkdown(
      `**${lab.beerBarak.lmsLabel(gamma)} diverged at trial ${run.divergedAtTrial + 1}** (counted as failure to learn).`,
    );
  lab.show(
    lab.beerBarak.speedHeatmap(
      `Closed loop, ${lab.beerBarak.lmsLabel(gamma)}: log10 q(v) after each trial (reconstruction)`,
      run,
      wFb,
      100,
    ),
    { allowNonFinite: true },
  );
}

// %% [markdown]
// As in the reduced model, LMS fits the value it has just seen and loses the others. The closed loop adds a second
// handicap: while the readout is wrong, the feedback drives the network into states other than the candidate points,
// so LMS also learns from the wrong rates.
//
// **B2 (closed loop)**: the same criteria as in the reduced model, applied to the closed-loop runs: LMS with
// $\gamma = 10^{-2}$ holds on average at most half the values after trial 20, holds the value just trained better than the
// median in at least 80 % of trials, and destroys at least 20 % of held values per trial; FORCE holds at least 90 % at
// trial 100 with mean destruction rate at most 0.01 over trials 20–100.

// %%
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B2ClosedLoop(studies, S.lmsTrials));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B2ClosedLoop(delayOnlyStudies, S.lmsTrials));

// %% [markdown]
// The LMS half of the claim carries over to the closed loop with margin. The FORCE half need not: in our full run
// (3 seeds) LMS held about 1 % of values after trial 20 and destroyed about 96 % of held values per trial for every
// seed, but the closed-loop FORCE held 98 %, 83 % and 61 % of values at trial 100 for seeds 1, 2 and 3. Some networks
// need more than 100 closed-loop trials, which fits what the reduced model cannot show: here FORCE also learns from the
// cue and the transients. With learning in the delay only (the second B2 line), FORCE held 95 %, 100 % and 100 % at
// trial 100 in our full run and destroyed almost nothing, LMS forgot as before, and B2 reproduces in every seed: the
// FORCE half failed through the cue samples of section 3c. The verdict lines name the failing part for the run you
// are looking at.

// %% [markdown]
// ## 5. Interference and trial correlation in the closed loop
//
// In the closed loop the rates of trial $B$ are not the candidate $r_{v_B}$, so the trial correlation is the cosine
// between $r_{v_A}$ and the **mean rate vector over the delay of trial $B$** (README §5.6); the transfer $\tilde I(A \leftarrow B)$ is
// measured at the candidate points as before.
//
// **B3 (closed loop)**: for LMS, the Spearman correlation between $\tilde I$ and the trial correlation is at least 0.8;
// FORCE's median $|\tilde I|$ for values at least 1 apart is at most a tenth of LMS's (trials 10–50).
//
// ### Exercise 02.2: the Spearman rank correlation
//
// B3 asks whether $\tilde I$ *rises with* the trial correlation, not whether the relation is a straight line, so it
// uses Spearman's ρ: replace each sample by its rank (1 for the smallest) and take the Pearson correlation of the ranks,
// $\rho = \sum_i (a_i - \bar a)(b_i - \bar b) / \sqrt{\sum_i (a_i - \bar a)^2 \sum_i (b_i - \bar b)^2}$ with $a$, $b$ the
// ranks. Write it for samples without ties; the check compares with the library's statistic.

// %%
function mySpearman(x: number[], y: number[]): number {
  // @solution 02.2
  const ranks = (v: number[]) => {
    const order = v.map((_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Array<number>(v.length);
    order.forEach((i, k) => (r[i] = k + 1));
    return r;
  };
  const a = ranks(x);
  const b = ranks(y);
  const mean = (u: number[]) => u.reduce((s, t) => s + t, 0) / u.length;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
  // @end-solution
}

// %%
lab.checkExercise(lab.beerBarak.exercises.SPEARMAN, mySpearman);

// %%
// B3 reads LMS at the rate of B2 (γ = 10⁻²).
const lmsB3Run = (s: lab.beerBarak.ClosedLoopStudy) =>
  s.lms.find((l) => l.gamma === lab.beerBarak.claims.B2_GAMMA)!.run;
const b3s = studies.map((s) => ({
  seed: s.seed,
  result: lab.beerBarak.claims.b3ClosedLoop(lmsB3Run(s), s.force, s.grids),
}));
const b3first = b3s[0].result;
const transferFigure = lab.linePlot({
  title: 'Closed loop: transfer Ĩ(A←B) against the trial correlation, trials 10–50 (seed 1; y clipped to ±2)',
  x: { title: 'cos(r_A, mean delay rates of trial B)' },
  y: { title: 'Ĩ(A←B)', range: [-2, 2] },
  series: [
    {
      x: b3first.forcePairs.cosine,
      y: b3first.forcePairs.transfer,
      mode: 'markers',
      name: 'FORCE',
      markerSize: 4,
      color: lab.CONCEPT_COLORS.force,
    },
    {
      x: b3first.pairs.cosine,
      y: b3first.pairs.transfer,
      mode: 'markers',
      name: 'LMS γ = 10⁻²',
      markerSize: 4,
      color: lab.lmsColor(1e-2),
    },
    lab.identityLine(-1, 1, "identity (the reduced model's LMS)"),
  ],
});
lab.show(transferFigure);
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B3ClosedLoop(b3s));
const b3sDelayOnly = delayOnlyStudies.map((s) => ({
  seed: s.seed,
  result: lab.beerBarak.claims.b3ClosedLoop(lmsB3Run(s), s.force, s.grids),
}));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B3ClosedLoop(b3sDelayOnly, 'delay-only'));
const cosineRange = (r: { pairs: { cosine: ArrayLike<number> } }) => {
  const q = lab.quartiles(r.pairs.cosine);
  return `${lab.fixed(q.min, 3)}–${lab.fixed(q.max, 3)} (middle half ${lab.fixed(q.q25, 3)}–${lab.fixed(q.q75, 3)})`;
};
lab.showMarkdown(
  'Range of the trial correlations over the LMS pairs, trials 10–50: ' +
    [
      ...b3s.map((b) => `seed ${b.seed}, learning throughout ${cosineRange(b.result)}`),
      ...b3sDelayOnly.map((b) => `seed ${b.seed}, delay only ${cosineRange(b.result)}`),
    ].join('; ') +
    '.',
);

// %% [markdown]
// In the closed loop the clean picture of the reduced model blurs, and in our runs B3 does not hold as stated, under
// either protocol (the two lines above). With learning in the delay only, FORCE's transfer shrinks to the tenfold
// separation or near it (in our full run a median $|\tilde I|$ of 0.12, 0.091 and 0.090 against LMS's 0.98–0.99: seeds 2 and
// 3 meet that part), but LMS's rank correlation stays at 0.62–0.69, below 0.8. Part of the reason is the range: half
// of all pairs have trial correlations between about 0.95 and 0.99 (the line above; seed 1 is the same at both scales),
// and over so narrow a range a rank correlation measures the scatter of $\tilde I$ more than its trend. Section 5b
// widens it with probes from the pattern task (the README's option for B3). For
// LMS the transfer still grows with the trial correlation, but loosely (the update of a trial is spread over the rates
// of its cue and transients, not only over the delay mean that defines the correlation). FORCE's transfer is smaller
// than LMS's in the median but widely scattered, with outliers far beyond the clipped range: once FORCE has fitted a
// value, the change $\Delta\delta(v_B)$ at the trained point is tiny and the ratio that defines $\tilde I$ explodes. With
// this definition of the index (our reconstruction) the tenfold FORCE/LMS separation of the reduced model does not
// carry over; an index normalised differently might separate them, but we keep the study's definition and report
// the result.

// %% [markdown]
// ### 5b. A wider range of trial correlations: probes from the pattern task
//
// The README's option for B3 (§5.6): add test rows whose rates are less like the line's. A *probe* is a rate vector of
// the same network with its feedback clamped to $\sin \omega t$ and no input (the drive of the pattern task, notebook
// 04), after settling, at 8 evenly spaced phases of each of $\omega$ = 0.2, 0.4 and 0.6 rad/τ: 24 probes. The closed
// loop records $w^\top r_P$ after every trial, so $\tilde I(P \leftarrow B)$ is eq. (24) with $\Delta\delta$ replaced by
// $\Delta(w^\top r_P)$, which is the same thing ($\delta$ differs from $w^\top r$ by a constant). Same runs, same trials
// 10–50, the criterion's thresholds unchanged, now over the grid and probe pairs together: a new part of B3, for each
// protocol.

// %%
const b3Probes = studies.map((s, i) => ({
  seed: s.seed,
  result: lab.beerBarak.claims.b3ClosedLoopProbes(b3s[i].result, lmsB3Run(s), s.grids, s.probes),
}));
const b3ProbesDelayOnly = delayOnlyStudies.map((s, i) => ({
  seed: s.seed,
  result: lab.beerBarak.claims.b3ClosedLoopProbes(b3sDelayOnly[i].result, lmsB3Run(s), s.grids, s.probes),
}));
const probeFirst = b3Probes[0].result;
lab.show(
  lab.linePlot({
    title: `Closed loop, LMS γ = 10⁻²: transfer against trial correlation, grid values and pattern-task probes (seed ${b3Probes[0].seed}; y clipped to ±2)`,
    x: { title: 'cos(r_A, mean delay rates of trial B)' },
    y: { title: 'Ĩ(A←B)', range: [-2, 2] },
    series: [
      {
        x: b3first.pairs.cosine,
        y: b3first.pairs.transfer,
        mode: 'markers',
        name: 'A = a grid value',
        markerSize: 4,
        color: lab.lmsColor(1e-2),
      },
      {
        x: probeFirst.probePairs.cosine,
        y: probeFirst.probePairs.transfer,
        mode: 'markers',
        name: 'A = a pattern-task probe',
        markerSize: 5,
        symbol: 'circle-open',
        color: lab.lmsColor(1e-2),
      },
      lab.identityLine(-1, 1, "identity (the reduced model's LMS)"),
    ],
  }),
);
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B3ClosedLoopProbes(b3Probes));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B3ClosedLoopProbes(b3ProbesDelayOnly, 'delay-only'));
lab.showMarkdown(
  '| seed | protocol | LMS ρ, grid only | LMS ρ, grid and probes | LMS ρ, probes alone | trial correlations | FORCE / LMS median abs(Ĩ) |\n|---|---|---|---|---|---|---|\n' +
    [
      ...b3Probes.map((b, i) => ({
        b,
        grid: b3s[i].result,
        protocol: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS.throughout,
      })),
      ...b3ProbesDelayOnly.map((b, i) => ({
        b,
        grid: b3sDelayOnly[i].result,
        protocol: lab.beerBarak.CLOSED_LOOP_PROTOCOL_LABELS['delay-only'],
      })),
    ]
      .map(({ b, grid, protocol }) => {
        const v = b.result.value;
        return `| ${b.seed} | ${protocol} | ${lab.fixed(grid.value['LMS Spearman ρ(Ĩ, corr)'], 2)} | ${lab.fixed(v['LMS Spearman ρ(Ĩ, corr), grid and probes'], 2)} | ${lab.fixed(v['LMS Spearman ρ, probes alone'], 2)} | ${v['corr range']} | ${lab.fixed(v['FORCE median |Ĩ|'] / v['LMS median |Ĩ|'], 3)} |`;
      })
      .join('\n'),
);

// %% [markdown]
// With the probes the trial correlations span almost the whole range from −1 to 1 (a clamped sine drives the network
// through rates of both signs, while every value on the line gives positive, similar rates), and LMS's transfer
// follows the identity across it, as in the reduced model. In our full run LMS's rank correlation is 0.87–0.92 over
// grid and probe pairs (0.97–0.99 over the probes alone) in every seed and under both protocols, against 0.55–0.71
// on the grid alone: the LMS half of B3 reproduces once the correlations are not confined to 0.95–0.99, so its failure
// above was a matter of range, not of LMS. The FORCE half is unchanged (it is read on the grid), and the claim's
// verdict with it: FORCE's median $|\tilde I|$ is 0.14–0.36 of LMS's with learning throughout and 0.09–0.12 with learning
// in the delay only (seed 1 just above the tenth).

// %% [markdown]
// ## 6. The FORCE ingredient in the closed loop: resetting P
//
// **B4 (closed loop)**: RLS with $P$ reset at every trial forgets (median $\hat q$ at trial 100 at least 100 times RLS's, mean
// destruction rate at least 0.2), and full RLS meets B1 in the closed loop. The second clause ties this claim to B1.

// %%
lab.show(
  lab.linePlot({
    title: 'Closed loop: median q̂ after each trial, RLS vs RLS-reset (seed 1)',
    x: { title: 'trial', log: true },
    y: { title: 'median q̂', log: true },
    series: [
      {
        ...lab.beerBarak.learningCurve(first.force.delta),
        name: 'RLS (FORCE)',
        ...lab.beerBarak.ruleVariantStyle('FORCE (RLS)'),
      },
      {
        ...lab.beerBarak.learningCurve(first.rlsReset.delta),
        name: 'RLS-reset',
        ...lab.beerBarak.ruleVariantStyle('RLS-reset'),
      },
    ],
    references: [
      { axis: 'y', value: 1e-5, label: 'B1 (reduced): q̂ = 10⁻⁵' },
      { axis: 'x', value: 100, label: 'B4 read at trial 100' },
    ],
  }),
);
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B4ClosedLoop(studies, values));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B4ClosedLoop(delayOnlyStudies, values));

// %% [markdown]
// Resetting $P$ destroys FORCE's advantage in the closed loop as well. Whether the claim as a whole holds depends on its
// second clause, full RLS meeting B1; see the verdict line.
//
// The other candidate ingredients carry no pass/fail; the study's predictions are that RLS-frozen stays close to RLS and
// that NLMS and **teacher-forced LMS** still forget. Teacher forcing exists only in the closed loop: during training the
// feedback carries the target $f$ instead of the output $z$, which removes LMS's extra handicap of visiting wrong
// states. Same trial sequence, 100 trials each:

// %%
const ingredientRows = [
  { label: 'RLS (FORCE)', run: first.force },
  { label: 'RLS-reset', run: first.rlsReset },
  ...first.variants,
];
lab.showMarkdown(
  '| rule (closed loop, seed 1) | median q̂ after trial 100 | mean destruction rate D | diverged |\n|---|---|---|---|\n' +
    ingredientRows
      .map(({ label, run }) => {
        const m = lab.beerBarak.medianQHat(run.delta)[Math.min(100, run.trialValues.length)];
        const d = lab.finiteMean(lab.beerBarak.destructionRates(run.delta));
        return `| ${label} | ${Number.isFinite(m) ? m.toExponential(2) : '–'} | ${Number.isFinite(d) ? d.toFixed(3) : '– (nothing held)'} | ${run.divergedAtTrial >= 0 ? `at trial ${run.divergedAtTrial + 1}` : 'no'} |`;
      })
      .join('\n'),
);

// %% [markdown]
// In our runs (seed 1, the same at both scales) two of the predictions hold: NLMS and teacher-forced LMS both forget (teacher forcing lowers LMS's
// error by roughly an order of magnitude, but most held values are still destroyed on each trial). The third does not:
// RLS-frozen, indistinguishable from RLS in the reduced model, ends more than an order of magnitude worse in the closed
// loop and keeps destroying values. A plausible reading: the closed loop visits rates during cues and transients that
// the first 10 trials did not cover, so the memory in $P$ must keep being updated; in the reduced model the rates
// never leave the curve of candidate points.

// %% [markdown]
// ## 7. Where the reduced model and the closed loop agree
//
// The reduced model replaces each trial by 200 presentations of the candidate rate vector $r_{v_k}$. The closed loop
// sees the real rates: during the cue, during the transient into the delay, and wherever the imperfect feedback takes
// it. Same trial sequence, same rules:

// %%
const lmsPairs = first.lms.map((l, i) => ({ ...l, reduced: first.reduced!.lms[i].run }));
lab.show(
  lab.linePlot({
    title: 'Median q̂ after each trial: closed loop (solid) and reduced model (dashed), seed 1',
    x: { title: 'trial', log: true },
    y: { title: 'median q̂', log: true },
    series: [
      {
        ...lab.beerBarak.learningCurve(first.force.delta),
        name: 'FORCE, closed loop',
        color: lab.CONCEPT_COLORS.force,
      },
      {
        ...lab.beerBarak.learningCurve(first.reduced!.force.delta),
        name: 'FORCE, reduced',
        color: lab.CONCEPT_COLORS.force,
        dash: 'dash',
      },
      ...lmsPairs.flatMap(({ gamma, run, reduced }, i) => [
        {
          ...lab.beerBarak.learningCurve(run.delta),
          name: `${lab.beerBarak.lmsLabel(gamma)}, closed loop`,
          color: lab.lmsColor(gamma),
        },
        {
          ...lab.beerBarak.learningCurve(reduced.delta),
          name: `${lab.beerBarak.lmsLabel(gamma)}, reduced`,
          color: lab.lmsColor(gamma),
          dash: 'dash' as const,
        },
      ]),
    ],
    references: [
      { axis: 'y', value: 1e-5, label: 'B5, FORCE: q̂ = 10⁻⁵' },
      { axis: 'y', value: 1e-3, label: 'B5, LMS bar: q̂ = 10⁻³' },
    ],
  }),
  { allowNonFinite: true },
);

// %% [markdown]
// They agree on the contrast: FORCE's error falls by orders of magnitude within tens of trials and LMS's does not, in
// both. They disagree on the level: the closed-loop FORCE converges more slowly than the reduced one, because its
// updates are spread over the cue and the transients, where the rates are not the candidate $r_v$, and the
// regression it solves includes those states. What the reduced model cannot show at all is stability: whether the
// learned points attract (section 3).
//
// **B5 (closed loop)**: "the same FORCE/LMS contrast" as in the reduced model, i.e. the same inequalities: FORCE's median
// $\hat q$ below $10^{-5}$ within 100 trials, and no LMS rate below $10^{-3}$ within its trials.

// %%
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B5ClosedLoop(studies, S.lmsTrials));
lab.recordClaim(NOTEBOOK, lab.beerBarak.claims.B5ClosedLoop(delayOnlyStudies, S.lmsTrials));

// %% [markdown]
// In our runs (both scales; seeds 1–3 at full scale) the gap between FORCE and LMS in the closed loop is as large as in the reduced model, several decades
// of $\hat q$, but FORCE's own level after 100 trials sits near $10^{-5}$ rather than clearly below it, so the first
// inequality, taken over from the reduced model, can fail (see the verdict line and the report). The contrast the
// claim is about holds; the absolute threshold is the part of our reconstruction that does not carry over, under the
// default protocol. With learning in the delay only, the error floor of section 3c is gone: FORCE's median $\hat q$ falls
// below $10^{-5}$ and LMS stays decades above, so B5 holds under the second protocol: in our full run in every seed
// (FORCE at $10^{-5}$ by trials 38, 10 and 48; best LMS median $\hat q$ $2.7 \times 10^{-3}$ to $2.1 \times 10^{-2}$, three to
// five decades above FORCE's level at trial 100). The second B5 line gives this run's verdict.
//
// **Elsewhere in this study**: the limit-cycle task (B6) is notebook 04; trial order (B7) is the last section of
// notebook 01.

// %% [markdown]
// ## Explore
//
// A small closed loop you can change and re-run in seconds ($N = 100$): the protocol (`learnDuringCue`), the range of
// delays and the number of trials. Worth trying: learning during the cue on and off at 30 trials; delays of 20–60 τ
// (do longer delays dilute the cue samples, as the README suggests?); 100 trials.

// %%
const explore = { n: 100, seed: 4, trials: 30, learnDuringCue: true, delayMin: 5, delayMax: 30 };
const exploreNet = lab.beerBarak.beerBarakNetwork(explore.n, explore.seed);
const exploreGrids = lab.beerBarak.closedLoopGrids(lab.beerBarak.memoryGrids(exploreNet, 201, 21));
const exploreRun = lab.beerBarak.trainMemoryClosedLoop(
  exploreNet,
  lab.createOnlineRule({ rule: 'rls', n: explore.n }),
  lab.memoryTrials(explore.trials, { seed: explore.seed, delayMin: explore.delayMin, delayMax: explore.delayMax }),
  exploreGrids,
  { learnDuringCue: explore.learnDuringCue },
);
lab.show(
  lab.linePlot({
    title: `Explore: FORCE in a closed loop of N = ${explore.n}, ${explore.learnDuringCue ? 'learning throughout the trial' : 'learning in the delay only'}, delays ${explore.delayMin}–${explore.delayMax} τ`,
    x: { title: 'trial' },
    y: { title: 'median q̂ over the evaluation grid', log: true },
    series: [{ ...lab.beerBarak.learningCurve(exploreRun.delta), name: 'FORCE', color: lab.CONCEPT_COLORS.force }],
    references: [
      { axis: 'y', value: 1e-4, label: 'held: q̂ = 10⁻⁴' },
      { axis: 'y', value: 1e-5, label: 'B5: q̂ = 10⁻⁵' },
    ],
  }),
);
