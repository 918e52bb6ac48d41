// %% [markdown]
// # 07 · Sequential interference in reduced models: the 2×2 reduction and the mean field
//
// **Study.** "Recurrent network dynamics lead to interference in sequential learning" (talk, Bernstein SmartSteps
// 2021; authorship our inference: Schuessler & Barak). Only the abstract is known; the models below follow the
// authors' related code (NeurIPS 2020, eLife 2024) and our own derivations, as documented in
// [the study's README](../lib/src/papers/sequential-interference-2x2/README.md) (the § numbers below refer to it).
//
// **You will learn** what "interference" means when tasks are learned one after another, the two ways a network can
// learn a second task (rotating the old attractor or forming a new one), how to read them from the eigenvalues and
// eigenvectors of a 2×2 matrix, and why the faster one forgets. **Time:** about 50 minutes: 35 to read and run, 15 for
// the exercises. **Exercises:** 07.1 (the eigenvalues of $M$) and 07.2 (the interference index), each with a check cell;
// one *think* question; an *explore* cell at the end. Terms are defined in the [glossary](../GLOSSARY.md).
//
// **Question.** A network learns task A, then task B, with no rehearsal of A. Task A asks it to remember a pulse along a
// pattern $m_A$ (hold $z_A = \pm 1$); task B the same along an orthogonal pattern $m_B$. Why does learning B destroy
// A, even though the tasks share nothing? The abstract's answer: there are two ways to learn B, **rotating** A's
// attractor towards $m_B$ (which forgets A) or **forming a new** attractor (which does not), and they run on different
// dynamics: rotation on recurrent amplification, new formation on the decaying input-driven transient.
//
// Here we study the two models in which this can be computed exactly; notebook 08 trains finite networks.
//
// **1. The linear reference task** (NeurIPS 2020). $\dot x = -x + Wx + m$, output $z = w^\top x^*/N$ at the steady state
// $x^* = (I - W)^{-1} m$, loss $\tfrac12(\hat z - z)^2$, all of $W$ trained from $W(0) = gJ$ by gradient descent. At
// $g = 0$, with $U = [m, w]$, $W = U A U^\top/N$ stays in the span and, in learning time $\tau = \text{lr} \times \text{epochs}$,
//
// $$z = B_{21},\quad B = (I - A)^{-1},\qquad \frac{dA}{d\tau} = (\hat z - z)\,(B^\top e_2)(B e_1)^\top \quad\text{(exact)}.$$
//
// Random connectivity amplifies both the input and the output direction by $\beta = 1/(1-g^2)$, so learning is
// $\beta^2$ times faster and curves collapse in $\tilde\tau = \beta^2 \tau$.
//
// **2. The mean-field 2×2 model** ($N \to \infty$, $g = 0$). With $W = U M U^\top/N$, $U = [m_A, m_B]$, $\phi = \mathrm{erf}(\sqrt\pi x/2)$
// and pattern coordinates $\kappa = U^\top x/N$, Stein's lemma closes the dynamics in two dimensions:
//
// $$\dot\kappa = -\kappa + M\,\kappa\, s(\lVert\kappa\rVert^2) + b(t),\qquad s(q) = (1 + \pi q/2)^{-1/2}.$$
//
// A fixed point is an eigenvector of $M$ with eigenvalue $\lambda > 1$ and norm $\sqrt{(2/\pi)(\lambda^2 - 1)}$; norm 1 needs
// $\lambda^* = \sqrt{1 + \pi/2} \approx 1.603$. A trial of cue $c$ sets $\kappa(0) = e_c$ (plus a small **leak** $\varepsilon$ on the other
// coordinate), and the loss on the window $t \ge 5$ of a trial of length 20 ($dt = 0.2$) is
//
// $$L_c = \tfrac12\,\tfrac{1}{|\mathcal T|}\sum_{t\in\mathcal T}\sum_{o\in\{A,B\}} (\kappa_{o,t} - \hat z_{o})^2,\qquad \hat z_c = 1,\ \hat z_{\text{other}} = 0\ \text{(constrained)}.$$
//
// Gradients are exact (adjoint method: one backward pass through the trial, as backpropagation through time;
// checked against finite differences in the tests); training is plain gradient
// descent on $M$ with lr 0.1, 1,500 steps of A then 1,500 of B, from $M = 0$. Interference is
// $I = [L_A(\text{after }B) - L_A(\text{after }A)] / [L_A(\text{initial}) - L_A(\text{after }A)]$: 0 means no forgetting, 1 back to naive.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '07-interference-reduced-models';
const S = lab.sequential.reducedScale();
const C = lab.sequential.claims.REDUCED_CRITERIA;
const started = Date.now();
console.log(
  `scale: ${lab.scale()}; linear network N = ${S.linear.size}, g ∈ {${S.linear.gains.join(', ')}}, ẑ ∈ {${S.linear.targets.join(', ')}}; mean field lr ${S.meanField.lr}, ${S.meanField.stepsA} + ${S.meanField.stepsB} steps`,
);

// %% [markdown]
// ## 1. The linear reference: the network follows its 2×2 reduction
//
// We train the full $N \times N$ network one exact steady-state gradient step per epoch (the inverse $(I-W)^{-1}$ is kept
// up to date by the Sherman–Morrison formula, which updates an inverse after a rank-one change in $O(N^2)$ instead of
// $O(N^3)$, and every step here is rank one), with lr $= \text{lr}_0 (1-g^2)^2$ and
// $\text{lr}_0 = 0.015, 0.009, 0.003$ for $\hat z = 0.5, 1, 2$. To make the reduction exact, $w$ is made orthogonal to $m$.
// At $g = 0$ the output then follows a 2×2 ODE exactly (README eq. 16), whose short-time behaviour is the
// **third-order series** $z(\tau) = \hat z\tau - \hat z\tau^2/2 + \hat z\tau^3(1 + 8\hat z^2)/6 + O(\tau^4)$ (eq. 17), in the
// learning time $\tau = \text{lr} \times \text{epochs}$.

// %%
const linear = lab.sequential.linearStudy(S.linear);
for (const r of linear.filter((r) => r.failure)) console.log(`g = ${r.gain}, ẑ = ${r.target}: ${r.failure}`);
const s0 = lab.sequential.summarizeS0(linear);
const base = linear.filter((r) => r.gain === 0 && r.run);
lab.show(
  lab.linePlot({
    title: 'z against learning time τ at g = 0: network (markers), 2×2 ODE (line), third-order series (dashed)',
    x: { title: 'τ = lr × epochs' },
    y: { title: 'output z' },
    series: base.flatMap(({ target, run }, i) => {
      const tau = Array.from(run!.z, (_, e) => e * run!.lr);
      const ode = lab.sequential.reducedCurveAtEpochs(target, run!.lr, run!.options.epochs);
      const every = (a: ArrayLike<number>) => Array.from(a).filter((_, e) => e % 8 === 0);
      return [
        {
          x: every(tau),
          y: every(run!.z),
          mode: 'markers' as const,
          name: `network, ẑ = ${target}`,
          color: lab.color(i),
          markerSize: 5,
        },
        { x: tau, y: ode, name: `ODE, ẑ = ${target}`, color: lab.color(i), showlegend: false },
        {
          x: tau.filter((t) => t <= 0.8),
          y: tau.filter((t) => t <= 0.8).map((t) => lab.sequential.linearSeries(target, t)),
          dash: 'dash' as const,
          color: lab.color(i),
          width: 1.5,
          showlegend: false,
        },
      ];
    }),
  }),
);
console.log(
  s0.simulationError.map((s) => `ẑ = ${s.target}: max |z_network − z_ODE| = ${s.error.toExponential(2)}`).join('\n'),
);
console.log(
  `|ODE − series| at τ = 0.1 (ẑ = 0.5): ${s0.seriesError.toExponential(2)}; at τ = 0.05: ${s0.seriesErrorHalf.toExponential(2)} (ratio ${s0.seriesScaling.toFixed(1)}; τ⁴ scaling gives 16)`,
);

// %% [markdown]
// The network sits on the ODE: the reduction is exact up to the discreteness of gradient steps. The series captures the
// start and departs once $\tau \gtrsim 0.5$, with an error that shrinks as $\tau^4$, as a third-order series must.
//
// ## 2. Random connectivity speeds learning up by β²
//
// With the learning rate scaled by $(1-g^2)^2 = 1/\beta^2$, the loss curves of different $g$ should fall on top of each other.
// In our full run ($N = 512$), for $g \le 0.6$ they agree over the first decade of loss and separate later; at $g = 0.9$ learning is
// far faster than $\beta^2$ predicts from the start. The table below shows why.

// %%
const target0 = S.linear.targets[0];
const byGain = linear.filter((r) => r.target === target0 && r.run);
const tauTildeAxis = (r: lab.sequential.LinearNetworkRun) => Array.from(r.z, (_, e) => e * r.lr * r.beta ** 2);
const odeTilde = lab.sequential.linearReducedCurve(
  target0,
  Math.max(...byGain.map(({ run }) => run!.lr * run!.beta ** 2 * run!.options.epochs)),
  1e-3,
);
lab.show(
  lab.linePlot({
    title: `Relative loss against epoch with lr = lr₀(1 − g²)² (ẑ = ${target0}): an exact β² speed-up would superpose the curves`,
    x: { title: 'epoch' },
    y: { title: 'L / L(0)', log: true, floor: { value: 1e-12, label: 'below 10⁻¹², drawn here' } },
    series: byGain.map(({ gain, run }) => ({
      x: Array.from(run!.loss, (_, e) => e),
      y: Array.from(run!.loss, (l) => l / run!.loss[0]),
      name: `g = ${gain} (β = ${run!.beta.toFixed(2)})`,
      color: lab.gainColor(gain),
    })),
  }),
);
lab.show(
  lab.linePlot({
    title: 'z against the rescaled learning time τ̃ = β² lr × epoch, with the 2×2 ODE of g = 0 (dotted)',
    x: { title: 'τ̃' },
    y: { title: 'output z' },
    series: [
      ...byGain.map(({ gain, run }) => ({
        x: tauTildeAxis(run!),
        y: run!.z,
        name: `g = ${gain}`,
        color: lab.gainColor(gain),
      })),
      { x: odeTilde.tau, y: odeTilde.z, color: '#000', dash: 'dot' as const, width: 1.5, name: '2×2 ODE' },
    ],
  }),
);
lab.showMarkdown(
  '| g | ẑ | β | ‖(I−gJ)⁻¹m‖²/N | ‖(I−gJ)⁻ᵀw‖²/N | first step / (lr (ẑ−z₀) β²) | τ̃ at 5 % loss | max Re λ(W) at the end |\n|---|---|---|---|---|---|---|---|\n' +
    linear
      .filter((r) => r.run)
      .map(({ gain, target, run }) => {
        const r = run!;
        const e5 = lab.sequential.learningTime(r.loss, C.S0.lossLevel);
        return `| ${gain} | ${target} | ${r.beta.toFixed(3)} | ${r.betaInput.toFixed(3)} | ${r.betaOutput.toFixed(3)} | ${((r.z[1] - r.z[0]) / (r.lr * (target - r.z[0]) * r.beta ** 2)).toFixed(3)} | ${(e5 * r.lr * r.beta ** 2).toFixed(3)} | ${r.maxRealEigenvalue.toFixed(3)} |`;
      })
      .join('\n'),
);

// %% [markdown]
// The first step is $\beta^2$ times larger, as predicted, because the measured input and output amplifications are both
// close to $\beta$ (the table; in our full run, $N = 512$, finite-$N$ fluctuations are a few per cent at $g \le 0.6$). At
// $g = 0.9$ ($\beta \approx 5.3$, full scale only) the two measured amplifications differ from $\beta$ by 20–30 %, and the later part of learning is faster than $\beta^2$ alone
// predicts: the collapse is a small-$g$, large-$N$ statement. The criterion below uses $g \in \{0.3, 0.6\}$, the values of the study's figure.
//
// ## 3. ΔW is rank one at leading order

// %%
lab.show(
  lab.linePlot({
    title: `Singular values of ΔW against τ̃ = β² lr × epochs (ẑ = ${target0}); dashed: σ₁ ≈ ẑβτ and σ₂ ≈ ẑ³τ̃³/12 (early-time predictions)`,
    x: { title: 'τ̃' },
    y: { title: 'singular value', log: true },
    series: byGain.flatMap(({ gain, run }) => {
      const r = run!;
      const tt = r.svEpochs.map((e) => e * r.lr * r.beta ** 2);
      const early = tt.filter((t) => t <= 1);
      return [
        { x: tt, y: r.sigma1, mode: 'lines+markers' as const, name: `σ₁, g = ${gain}`, color: lab.gainColor(gain) },
        {
          x: tt,
          y: r.sigma2,
          mode: 'lines+markers' as const,
          name: `σ₂, g = ${gain}`,
          color: lab.gainColor(gain),
          dash: 'dot' as const,
        },
        {
          x: early,
          y: early.map((t) => (target0 * r.beta * t) / r.beta ** 2),
          dash: 'dash' as const,
          color: lab.gainColor(gain),
          width: 1,
          showlegend: false,
        },
        {
          x: early,
          y: early.map((t) => (target0 ** 3 * t ** 3) / 12),
          dash: 'dash' as const,
          color: '#888',
          width: 1,
          showlegend: false,
        },
      ];
    }),
  }),
);

// %% [markdown]
// In our full run the change of the weights is dominated by one direction, two orders of magnitude above the second singular value,
// and $\lVert\Delta W\rVert$ falls with $g$: the random connectivity does part of the work.
//
// **Check S0** (README §6): ODE vs series below $10^{-4}$ at $\tau = 0.1$; network vs ODE at $g = 0$ within 0.02; first
// step over $\text{lr}(\hat z - z_0)\beta^2$ within 15 % of 1 and $\tilde\tau$ at 5 % loss within 30 % of its $g = 0$ value, for $g \in \{0.3, 0.6\}$.

// %%
lab.recordClaim(NOTEBOOK, lab.sequential.claims.S0(s0));

// %% [markdown]
// ## 4. The mean field, task A: learning an attractor from nothing
//
// Starting from $M = 0$, a pulse decays like $e^{-t}$ and is almost gone when the loss window opens at $t = 5$: the
// gradient is tiny until $M_{11}$ has grown enough to slow the decay. Then $M_{11}$ crosses 1, an attractor pair appears
// at $\pm\kappa^*$, and $M_{11}$ settles at $\lambda^* = 1.603$.

// %%
const mfNew = lab.sequential.meanFieldSequentialRun({ leak: 0 }, S.meanField);
const mfRot = lab.sequential.meanFieldSequentialRun({ leak: 0.01 }, S.meanField);
lab.show(
  lab.linePlot({
    title: 'Phase A: loss of task A (log scale) during gradient descent on M',
    x: { title: 'phase-A step' },
    y: { title: 'L_A', log: true, floor: { value: 1e-12, label: 'below 10⁻¹², drawn here' } },
    series: [{ x: Array.from(mfNew.record.lossAPhaseA, (_, i) => i), y: mfNew.record.lossAPhaseA, name: 'L_A' }],
  }),
);
console.log(
  `after phase A: M = [[${mfNew.MAfterA.slice(0, 2)
    .map((x) => x.toFixed(4))
    .join(', ')}], [${mfNew.MAfterA.slice(2)
    .map((x) => x.toFixed(4))
    .join(
      ', ',
    )}]] (λ* = ${lab.sequential.MEAN_FIELD_TARGET_EIGENVALUE.toFixed(4)}), L_A = ${mfNew.record.lossAAfterA.toExponential(2)}`,
);

// %% [markdown]
// ### Exercise 07.1: the eigenvalues of $M$
//
// Everything that follows reads $M$ through its eigenvalues: a fixed point needs an eigenvalue above 1, and after task
// A one eigenvalue sits at $\lambda^*$. For a $2 \times 2$ matrix with real eigenvalues they follow from the trace and the
// determinant: $\lambda_\pm = \tfrac{\mathrm{tr} M}{2} \pm \sqrt{(\mathrm{tr} M)^2/4 - \det M}$. Write it for
// `M = [m11, m12, m21, m22]` (row-major), returning `[λ₊, λ₋]`.

// %%
function myPatternEigenvalues(M: number[]): [number, number] {
  // @solution 07.1
  const tr = M[0] + M[3];
  const det = M[0] * M[3] - M[1] * M[2];
  const root = Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  return [tr / 2 + root, tr / 2 - root];
  // @end-solution
}

// %%
lab.checkExercise(lab.sequential.exercises.PATTERN_EIGENVALUES, myPatternEigenvalues);

// %% [markdown]
// **Think.** After task A, $M \approx \mathrm{diag}(\lambda^*, 0)$. Task B asks for a second attractor along $m_B$. Which
// entries of $M$ could gradient descent change to get it, and what would each choice do to the A attractor?

// %% [markdown]
// ## 5. Task B: two ways to learn it
//
// Phase B starts from the same $M$ in both runs below. The only difference is the leak $\varepsilon$ of the B pulse into the A
// coordinate: $\kappa(0) = (0, 1)$ or $(0.01, 1)$. Phase portraits show the flow of the learned dynamics in the
// $(\kappa_A, \kappa_B)$ plane (grey: trajectories from a ring; blue and vermillion: from the four cue pulses, a marker where each ends). With ε = 0, phase B
// leaves both eigenvalues of $M$ at $\lambda^*$, so $M \approx \lambda^* I$: every direction is held, and the grey
// trajectories stop wherever they start on the unit circle. New formation here adds $m_B$ to a continuum, not a second pair.

// %%
const cueStyle = [
  { name: '+A pulse', color: lab.HUES.blue, symbol: 'circle' as const, markerSize: 15 },
  { name: '+B pulse', color: lab.HUES.vermillion, symbol: 'circle' as const, markerSize: 8 },
  { name: '−A pulse', color: lab.HUES.blue, symbol: 'diamond' as const, markerSize: 15 },
  { name: '−B pulse', color: lab.HUES.vermillion, symbol: 'diamond' as const, markerSize: 8 },
];
// The portrait's series for a matrix M; `every` keeps every k-th point of each trajectory (for the slider figure).
const portraitSeries = (M: ArrayLike<number>, every = 1) => {
  const p = lab.sequential.meanFieldPortrait(M);
  const xy = (k: Float64Array) => {
    const kept = Array.from({ length: k.length / 2 }, (_, i) => i).filter(
      (i) => i % every === 0 || i === k.length / 2 - 1,
    );
    return { x: kept.map((i) => k[2 * i]), y: kept.map((i) => k[2 * i + 1]) };
  };
  return [
    ...p.ring.map((k) => ({ ...xy(k), color: lab.CONCEPT_COLORS.input, width: 1, showlegend: false })),
    ...p.cues.map((k, i) => ({ ...xy(k), color: cueStyle[i].color, width: 2.5, showlegend: false })),
    // The legend shows where each cue trajectory ends (a cue that starts on an attractor draws no visible line):
    // A ends larger and B smaller on top, so that two cues ending on the same attractor both stay visible.
    ...p.cues.map((k, i) => ({
      x: [k[k.length - 2]],
      y: [k[k.length - 1]],
      mode: 'markers' as const,
      name: `${cueStyle[i].name}: end point`,
      ...cueStyle[i],
    })),
  ];
};
const portrait = (M: ArrayLike<number>, title: string, ringOfFixedPoints = false) => {
  return lab.linePlot({
    title,
    x: { title: 'κ_A', range: [-1.8, 1.8] },
    y: { title: 'κ_B', range: [-1.8, 1.8] },
    equalAspect: true,
    height: 460,
    // M = λ*·I holds every point of the unit circle |κ| = 1 (dashed).
    shapes: ringOfFixedPoints
      ? [
          {
            type: 'circle',
            xref: 'x',
            yref: 'y',
            x0: -1,
            y0: -1,
            x1: 1,
            y1: 1,
            line: { color: lab.CONCEPT_COLORS.target, width: 1.5, dash: 'dash' },
          },
        ]
      : [],
    series: portraitSeries(M),
  });
};
lab.show(portrait(mfNew.MAfterA, 'After phase A: one attractor pair on m_A; the B pulse decays'));
lab.show(
  portrait(
    mfNew.MAfterB,
    'After phase B with ε = 0: M ≈ λ*·I, a ring of fixed points through m_A and m_B (new formation), A kept',
    true,
  ),
);
lab.show(
  portrait(mfRot.MAfterB, 'After phase B with ε = 0.01: the A pair has rotated onto m_B (rotation), A forgotten'),
);

// %% [markdown]
// **Interactive.** The rotation as it happens: the same portrait for $M$ at chosen steps of phase B with $\varepsilon = 0.01$
// (move the slider; it works in the exported page too). Watch the A pair turn towards $m_B$ and the A cue's end point
// follow it.

// %%
const rotationRecord = mfRot.record;
const rotationPicks = [0, 5, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300, 500, 1000, 1500]
  .map((step) => rotationRecord.recordSteps.indexOf(step))
  .filter((i) => i >= 0);
const rotationFrames = rotationPicks.map((i) => portraitSeries(rotationRecord.patternMatrices[i], 4));
lab.show(
  lab.linePlot({
    title: 'Phase B with ε = 0.01, step by step: the A attractor pair rotates onto m_B',
    x: { title: 'κ_A', range: [-1.8, 1.8] },
    y: { title: 'κ_B', range: [-1.8, 1.8] },
    equalAspect: true,
    height: 460,
    series: rotationFrames[rotationFrames.length - 1],
    slider: {
      title: 'phase-B step',
      steps: rotationPicks.map((i, k) => ({
        label: String(rotationRecord.recordSteps[i]),
        x: rotationFrames[k].map((s) => s.x),
        y: rotationFrames[k].map((s) => s.y),
      })),
    },
  }),
);

// %% [markdown]
// The eigen-parametrisation $M = V\,\mathrm{diag}(\lambda_+, \lambda_-)\,V^{-1}$, with eigenvector angles $\varphi_\pm$ measured from $m_A$,
// tracks the two routes during phase B: in new formation $\lambda_-$ (the $m_B$ eigenvalue) rises through 1 while the
// angles stay put; in rotation $\varphi_+$ swings from 0° to 90° while $\lambda_-$ stays below 1.

// %%
const eigenSeries = (run: lab.sequential.MeanFieldRun) => [
  {
    x: run.record.recordSteps,
    y: run.eigens.map((e) => e.lambdaPlus),
    name: `λ₊, ε = ${run.options.leak}`,
    color: lab.leakColor(run.options.leak),
  },
  {
    x: run.record.recordSteps,
    y: run.eigens.map((e) => e.lambdaMinus),
    name: `λ₋, ε = ${run.options.leak}`,
    color: lab.leakColor(run.options.leak),
    dash: 'dot' as const,
  },
];
const angleSeries = (run: lab.sequential.MeanFieldRun) => [
  {
    x: run.record.recordSteps,
    y: run.eigens.map((e) => Math.abs(e.phiPlus)),
    name: `|φ₊|, ε = ${run.options.leak}`,
    color: lab.leakColor(run.options.leak),
  },
  {
    x: run.record.recordSteps,
    y: run.eigens.map((e) => Math.abs(e.phiMinus)),
    name: `|φ₋|, ε = ${run.options.leak}`,
    color: lab.leakColor(run.options.leak),
    dash: 'dot' as const,
  },
];
const lambdaStar = lab.sequential.MEAN_FIELD_TARGET_EIGENVALUE;
// t_B is the curve length when L_B never reached 5 % of its start: "not learned", never a step count.
const learnedBy = (r: lab.sequential.MeanFieldRun) =>
  lab.stepOrNever(r.learningTime, [r.record.lossB.length], `not within ${r.record.lossB.length - 1} steps`);
lab.show(
  lab.stackedPanels({
    title: 'Phase B: eigenvalues and eigenvector angles of M, new formation (ε = 0) and rotation (ε = 0.01)',
    x: { title: 'phase-B step' },
    panels: [
      {
        title: 'eigenvalues',
        y: { title: 'λ' },
        series: [...eigenSeries(mfNew), ...eigenSeries(mfRot)],
        // λ = 1: a mode above it is self-sustained (an attractor pair); λ*: the value whose fixed point has norm 1.
        references: [
          { axis: 'y', value: 1, label: 'λ = 1' },
          { axis: 'y', value: lambdaStar, label: `λ* = ${lambdaStar.toFixed(3)}` },
        ],
      },
      {
        title: 'angles from m_A',
        y: { title: '|φ| (degrees)' },
        series: [...angleSeries(mfNew), ...angleSeries(mfRot)],
      },
      {
        title: 'losses',
        // L_A of the ε = 0 run falls to ~1e-30, exact zero within float64: the axis stops at 1e-12.
        y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'below 10⁻¹², drawn here' } },
        series: [mfNew, mfRot].flatMap((r) => [
          {
            x: Array.from(r.record.lossB, (_, s) => s),
            y: r.record.lossB,
            name: `L_B, ε = ${r.options.leak}`,
            color: lab.leakColor(r.options.leak),
          },
          {
            x: r.record.recordSteps,
            y: r.record.lossA,
            name: `L_A, ε = ${r.options.leak}`,
            color: lab.leakColor(r.options.leak),
            dash: 'dash' as const,
          },
        ]),
      },
    ],
  }),
);
lab.showMarkdown(
  '| leak ε | I | I (cued output only) | t_B | mode from M (§5.2) | end points of long trials (§5.3) | t_rot | t_nf |\n|---|---|---|---|---|---|---|---|\n' +
    [mfNew, mfRot]
      .map(
        (r) =>
          `| ${r.options.leak} | ${r.interference.toFixed(4)} | ${r.cuedInterference.toFixed(4)} | ${learnedBy(r)} | ${r.mode} | ${r.attractors.outcome} (θ_A = ${r.attractors.thetaA.toFixed(0)}°, θ_B = ${r.attractors.thetaB.toFixed(0)}°) | ${lab.stepOrNever(r.race.rotation)} | ${lab.stepOrNever(r.race.newFormation)} |`,
      )
      .join('\n'),
);

// %% [markdown]
// Without the leak, the symmetry $\kappa_A \to -\kappa_A$ keeps $M$ exactly diagonal and the only route is new formation: $I = 0$. A leak
// of 1 % breaks the symmetry, the A attractor captures the B trial, and gradient descent simply turns that attractor
// towards $m_B$: interference is total ($I \approx 2$ here because the constrained loss now also punishes the A trial's
// state for landing on $m_B$; the cued-output index is ≈ 1).
//
// @answer
// Two ways, the two modes of this notebook. Raising $M_{22}$ to $\lambda^*$ adds an eigenvalue along $m_B$ and leaves the A
// attractor as it is (new formation: $M$ stays diagonal, $I \approx 0$). Growing the off-diagonal entries instead turns the
// existing eigenvector from $m_A$ towards $m_B$ (rotation: $\varphi_+$ swings towards 90°) and takes the A attractor
// with it, so A is forgotten. Which one gradient descent takes depends on the leak, as the table shows.
// @end-answer
//
// ### Exercise 07.2: the interference index
//
// The table's $I$ is $[L_A(\text{after B}) - L_A(\text{after A})] / [L_A(\text{initial}) - L_A(\text{after A})]$: the fraction of
// what task A had learned that task B undid. Write it; the check includes a case where B *improves* A (a negative $I$).

// %%
function myInterferenceIndex(initial: number, afterA: number, afterB: number): number {
  // @solution 07.2
  return (afterB - afterA) / (initial - afterA);
  // @end-solution
}

// %%
lab.checkExercise(lab.sequential.exercises.INTERFERENCE_INDEX, myInterferenceIndex);

// %% [markdown]
// **Check S2**: $\varepsilon = 0$: $|M_{12}|, |M_{21}| < 10^{-9}$ throughout, $M_{22}$ within 2 % of $\lambda^*$, $I < 0.02$; $\varepsilon = 0.01$:
// $|\varphi_+| \ge 60°$ at the end and $I \ge 0.8$; the two classifications agree on both runs.

// %%
lab.recordClaim(NOTEBOOK, lab.sequential.claims.S2(mfNew, mfRot));

// %% [markdown]
// ## 6. Why rotation is fast: recurrent amplification vs a decaying transient
//
// New formation must grow $M_{22}$ from a signal that lives in the B trial's transient, which decays like $e^{-t}$ and
// has all but vanished by the time the loss window opens: a long plateau. Rotation feeds on the A mode, which
// *grows* at rate $\approx \lambda_A - 1$ from any leak and fills the loss window. The size of the leak sets how early the A mode
// takes over.

// %%
const leakRuns = S.meanField.leaks.map((leak) =>
  leak === 0 ? mfNew : leak === 0.01 ? mfRot : lab.sequential.meanFieldSequentialRun({ leak }, S.meanField),
);
lab.show(
  lab.linePlot({
    title: 'L_B during phase B for several leaks ε',
    x: { title: 'phase-B step' },
    y: { title: 'L_B', log: true, floor: { value: 1e-12, label: 'below 10⁻¹², drawn here' } },
    series: leakRuns.map((r) => ({
      x: Array.from(r.record.lossB, (_, s) => s),
      y: r.record.lossB,
      name: `ε = ${r.options.leak} (t_B: ${learnedBy(r)}, I = ${r.interference.toFixed(2)})`,
      color: lab.leakColor(r.options.leak),
    })),
  }),
);

// %% [markdown]
// The time-resolved gradient at the first phase-B step ($\varepsilon = 0.01$) splits $\partial L_B/\partial M$ into its contributions
// $dt\,\lambda_{t+1} f(\kappa_t)^\top$ from each moment of the trial. The new-formation entry $M_{22}$ collects its gradient almost
// entirely in the first time units, from the decaying B transient; the rotation entries $M_{12}, M_{21}$ are larger throughout
// and keep collecting through the whole trial, because the amplified A mode stays large: their time centroid (the
// contribution-weighted mean time, $\sum_t t\,c_t / \sum_t c_t$) is later.

// %%
const trg = lab.sequential.timeResolvedGradient(mfRot.MAfterA, mfRot.options);
lab.show(
  lab.linePlot({
    title: 'First phase-B gradient resolved in time (ε = 0.01): |contribution| per step',
    x: { title: 'time t in the trial' },
    y: { title: '|dt λ_{t+1} f(κ_t)ᵀ| entries', log: true },
    series: [
      {
        x: trg.time,
        y: trg.rotation.map((v) => Math.max(v, 1e-16)),
        name: `rotation path (M12, M21), centroid t = ${trg.rotationCentroid.toFixed(2)}`,
        color: lab.color(1),
      },
      {
        x: trg.time,
        y: trg.newFormation.map((v) => Math.max(v, 1e-16)),
        name: `new formation path (M22), centroid t = ${trg.newFormationCentroid.toFixed(2)}`,
        color: lab.color(0),
      },
    ],
  }),
);

// %% [markdown]
// The ε = 1e-4 run is a warning about the slow route: with a leak too small to rotate quickly but large enough to
// break the symmetry, gradient descent wanders into a complex-eigenvalue $M$ and never learns B (nor keeps A).
//
// **Check S3**: at $\varepsilon = 0$, $L_B > 0.8\,L_B(0)$ for the first 100 steps; $t_B(\varepsilon = 0.01) \le 0.5\,t_B(\varepsilon = 0)$; the rotation
// path's time centroid is later than the new-formation path's.

// %%
lab.recordClaim(NOTEBOOK, lab.sequential.claims.S3(mfNew, mfRot, trg));

// %% [markdown]
// ## 7. Input-driven emphasis (S4, mean-field part)
//
// If rotation needs recurrent amplification and new formation lives on input-driven dynamics, a task that leans on its
// input should interfere less. We add a sustained input $0.5\,e_c$ for $0 < t < T_{in}$, covering a fraction $f_{in}$ of the loss
// window ($T_{in} = 5 + 15 f_{in}$), to both tasks, and repeat A → B at $\varepsilon = 0.01$. At $f_{in} = 1$ the target can be met
// by the input alone, with a sub-threshold $M$.

// %%
const s4 = lab.sequential.inputEmphasisMeanField(S.meanField);
lab.show(
  lab.linePlot({
    title: 'Interference against input emphasis f_in (mean field, ε = 0.01, constrained)',
    x: { title: 'fraction of the loss window with input, f_in' },
    y: { title: 'interference I' },
    series: [{ x: s4.fractions, y: s4.interference, mode: 'lines+markers', name: 'I' }],
  }),
);
lab.showMarkdown(
  '| f_in | I | L_A after phase A |\n|---|---|---|\n' +
    s4.fractions
      .map((f, i) => `| ${f} | ${s4.interference[i].toFixed(4)} | ${s4.lossAAfterA[i].toExponential(2)} |`)
      .join('\n'),
);

// %% [markdown]
// The direction holds at the ends: with input covering the whole window, A and B are solved by input-driven
// dynamics with no attractor ($M \approx 0.8\,I$) and nothing is forgotten. But the dependence is a switch, not a trend: at
// $f_{in} = 0.25$ and $0.5$ interference is even *larger* than without input (the A attractor is still needed after the
// input ends, the input and the attractor cannot both deliver exactly 1, so phase A itself ends at $L_A \approx 0.05$, and
// phase B still rotates), and it drops to zero only from $f_{in} = 0.75$. With five points, that makes the rank correlation
// −0.6, short of the study's −0.7.
//
// **Check S4 (mean field)**: $I(f_{in} = 1) \le 0.5\,I(f_{in} = 0)$ and Spearman$(I, f_{in}) \le -0.7$.

// %%
lab.recordClaim(NOTEBOOK, lab.sequential.claims.S4MeanField(s4));

// %% [markdown]
// ## Summary
//
// - **S0** The linear input-driven task is learned exactly as its 2×2 reduction predicts, and random connectivity
//   speeds it up by $\beta^2$ (at $g \le 0.6$ and $N = 512$); the weight change is rank one at leading order.
// - **S2** In the mean field both modes exist: without a leak, B forms a new attractor and A is untouched; a 1 % leak
//   makes gradient descent rotate A's attractor instead, and A is forgotten.
// - **S3** Rotation wins whenever it is available because it is fed by a growing mode, while new formation must be
//   fed by a transient that has decayed by the time the loss counts.
// - **S4** Input that covers most of the loss window removes interference, but partial input makes it worse: the
//   mean field supports the direction of the claim only as a switch.
//
// Notebook 08 trains finite networks (2×2 and full rank) and asks what random connectivity $g$ does to interference.

// %% [markdown]
// ## Explore
//
// The leak decides the route. Re-run phase B below with other leaks: ε = 0.001 and 0.003 (is there a threshold, or does
// any leak lead to rotation in the end?), 0.1 (how fast does A go?). The mean field is cheap (a few seconds a run).

// %%
const exploreLeak = { leak: 0.003 };
const exploreRun = lab.sequential.meanFieldSequentialRun({ leak: exploreLeak.leak }, S.meanField);
const exploreSteps = exploreRun.record.recordSteps;
lab.show(
  lab.stackedPanels({
    title: `Explore: phase B with leak ε = ${exploreLeak.leak} (I = ${exploreRun.interference.toFixed(3)}, ${exploreRun.mode})`,
    x: { title: 'phase-B step' },
    panels: [
      {
        title: 'eigenvalues of M',
        y: { title: 'eigenvalue' },
        series: [
          { x: exploreSteps, y: exploreRun.eigens.map((e) => e.lambdaPlus), name: 'λ₊', color: lab.color(0) },
          { x: exploreSteps, y: exploreRun.eigens.map((e) => e.lambdaMinus), name: 'λ₋', color: lab.color(1) },
        ],
        references: [{ axis: 'y', value: 1, label: 'λ = 1: an attractor needs more' }],
      },
      {
        title: "angle of λ₊'s eigenvector from m_A",
        y: { title: '|φ₊| (degrees)', range: [0, 95] },
        series: [
          { x: exploreSteps, y: exploreRun.eigens.map((e) => Math.abs(e.phiPlus)), name: '|φ₊|', color: lab.color(2) },
        ],
        references: [{ axis: 'y', value: 90, label: 'rotated onto m_B' }],
      },
    ],
  }),
);

// %%
console.log(`notebook wall time: ${((Date.now() - started) / 1000).toFixed(1)} s`);
