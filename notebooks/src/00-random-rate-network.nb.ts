// %% [markdown]
// # 00 · The random rate network and the transition to chaos
//
// *Documentation:* the model, its equations and the checks are written up in [the README of `papers/intro`](../lib/src/papers/intro/README.md); the
// § and equation numbers in this notebook refer to it.
//
// **You will learn** how a random rate network behaves as its connections get stronger: the circular law for the
// eigenvalues of $J$, why the quiet state loses stability at $g = 1$, and how a Lyapunov exponent tells chaos apart
// from a quiet or oscillating network; and the tools of the collection (seeded streams, figures, recorded claims).
// **Time:** about 45 minutes: 20 to read and run, 25 for the exercises. **Exercises:** 00.1 (one Euler step of the
// network) and 00.2 (one step of the tangent vector), each with a check cell; one *think* question; an *explore* cell
// at the end. Terms are defined in the [glossary](../GLOSSARY.md).
//
// **Question.** What does a large network of randomly connected rate units do on its own, and how does that
// depend on the strength of the connections? This is the starting point of all three studies in this collection:
// each of them trains a network of this kind, and what the network does *before* training (quiet, or
// chaotic) shapes what learning can do.
//
// **Model** (Sompolinsky, Crisanti & Sommers 1988). $N$ units with synaptic currents $x_i$ and rates $\phi(x_i)$:
//
// $$\tau \frac{dx}{dt} = -x + J\,\phi(x), \qquad \phi = \tanh, \qquad J_{ij} \sim \mathcal{N}\!\left(0, \frac{g^2}{N}\right).$$
//
// The single parameter $g$ sets the strength of the random connectivity. Mean-field theory ($N \to \infty$) predicts a
// sharp transition at $g = 1$: below it every trajectory decays to the quiet state $x = 0$; above it the activity is
// chaotic. Time is measured in units of $\tau$ and we integrate with Euler steps $dt = 0.1\,\tau$.
//
// This notebook also introduces the tools every later notebook uses: the library `@rnnlab/lib`, seeded random
// streams (same seed, same numbers), figures with `show`, and `recordClaim`, which records each checked claim with
// its numeric criterion for the reproduction report. The run's scale (`quick` for tests, `full` for the
// reproduction) comes from the environment variable `RNNLAB_SCALE`; unset, it is `full`.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '00-random-rate-network';
const S = lab.intro.introScale();
console.log(`scale: ${lab.scale()}  (traces N = ${S.nTraces}, eigenvalues N = ${S.nEigen}, sweep N = ${S.sweep.n})`);

// %% [markdown]
// ## 1. Activity at three gains
//
// We build one network per gain, $g \in \{0.5, 1.0, 1.5\}$, from the *same* standard-normal draws (the random stream
// `'J'` of seed 1), so the three matrices differ only by the factor $g$. Each starts from $x_i(0) \sim 0.5\,\mathcal{N}(0,1)$;
// we plot the rates $\phi(x_i)$ of six units over $200\,\tau$.

// %%
const gains = [0.5, 1.0, 1.5];
const traces = gains.map((g) => {
  const net = lab.createRateNetwork({ n: S.nTraces, g, seed: 1 });
  return { g, sim: lab.simulate(net, { steps: 2000, recordUnits: [0, 1, 2, 3, 4, 5], recordEvery: 2 }) };
});
lab.show(
  lab.stackedPanels({
    title: 'Rates φ(x_i) of six units for three gains',
    x: { title: 'time (τ)' },
    panels: traces.map(({ g, sim }) => ({
      title: `g = ${g}`,
      y: { title: 'φ(x)', range: [-1, 1] },
      series: sim.recordUnits.map((_, k) => ({ x: sim.t, y: lab.column(sim.rates, k), width: 1.5 })),
    })),
  }),
);

// %% [markdown]
// ### Exercise 00.1: one Euler step
//
// Everything in this notebook integrates the network with Euler steps of eq. (3),
// $x_{k+1} = x_k + dt\,\big(-x_k + J \tanh(x_k)\big)$ with $\tau = 1$. Write that step for a dense $J$ (an $N \times N$ `Mat`,
// row-major: $J_{ij}$ is `J.data[i * N + j]`), returning the new state without changing `x`. The check cell compares
// your step with the library's on three small networks.

// %%
function myEulerStep(x: Float64Array, J: lab.Mat, dt: number): Float64Array {
  // @solution 00.1
  const n = x.length;
  const next = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let drive = 0;
    for (let j = 0; j < n; j++) drive += J.data[i * n + j] * Math.tanh(x[j]);
    next[i] = x[i] + dt * (-x[i] + drive);
  }
  return next;
  // @end-solution
}

// %%
lab.checkExercise(lab.intro.exercises.EULER_STEP, myEulerStep);

// %% [markdown]
// At $g = 0.5$ the activity dies out within a few $\tau$. At $g = 1$ it still decays, but slowly: the network sits at
// the edge of stability. At $g = 1.5$ the units fluctuate irregularly and never settle: this is the chaotic state.

// %% [markdown]
// ## 2. The eigenvalues of $J$ fill a disc of radius $g$
//
// Linearising around $x = 0$ gives $\tau\,\dot{\delta x} = (-I + J)\,\delta x$, so the quiet state is stable as long as
// every eigenvalue $\lambda$ of $J$ has $\mathrm{Re}\,\lambda < 1$. By the circular law, the eigenvalues of a large
// random matrix with entries of variance $g^2/N$ are spread uniformly over the disc $|\lambda| \le g$ in the complex
// plane. So the quiet state loses stability when the disc crosses $\mathrm{Re}\,\lambda = 1$, i.e. at $g = 1$.
//
// **Check I1**: at $N = 500$ the spectral radius lies within 5 % of $g$ (finite-size theory puts the edge about 2 %
// outside the circle, with fluctuations from matrix to matrix).

// %%
const gEigen = 1.5;
const eigNet = lab.createRateNetwork({ n: S.nEigen, g: gEigen, seed: 1 });
const eig = lab.eigenvalues(lab.connectivityToDense(eigNet.J));
const rho = lab.spectralRadius(eig);
lab.show(
  lab.eigenvaluePlot({
    title: `Eigenvalues of J (N = ${S.nEigen}, g = ${gEigen}) and the circle of radius g`,
    re: eig.re,
    im: eig.im,
    radius: gEigen,
    circleLabel: `|λ| = g = ${gEigen}`,
    // dx/dt = −x + J tanh(x): the quiet state x = 0 is unstable once an eigenvalue of J has Re λ > 1.
    references: [{ axis: 'x', value: 1, label: 'Re λ = 1' }],
  }),
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.I1({ spectralRadius: rho, g: gEigen, n: S.nEigen }));

// %% [markdown]
// The eigenvalues fill the disc evenly, with a few real eigenvalues on the horizontal axis (a real matrix has
// real or conjugate-pair eigenvalues). The eigenvalues right of the dashed line Re λ = 1 are the directions in which
// the quiet state x = 0 grows: at g = 1.5 there are many. For this matrix the quiet state becomes unstable at
// $g^* = 1/\max \mathrm{Re}\,\lambda(J/g)$, computed below: close to 1, but not exactly 1 at finite $N$.

// %%
const maxRe = lab.maxRealPart(eig) / gEigen;
const gStar = 1 / maxRe;
console.log(`max Re λ(J/g) = ${maxRe.toFixed(4)}  ->  quiet state unstable for g > g* = ${gStar.toFixed(4)}`);

// %% [markdown]
// ## 3. The transition to chaos
//
// Two measures tell the regimes apart, each averaged over a few random networks:
//
// - the **mean-square activity** $\Delta_0 = \langle x_i^2 \rangle$ after transients: zero in the quiet state, positive
//   once $x = 0$ is unstable;
// - the **largest Lyapunov exponent** $\lambda_1$: the average exponential growth rate of a small perturbation. We
//   propagate a tangent vector with the Jacobian of the Euler map, $v \leftarrow v + \tfrac{dt}{\tau}\left(-v + J\,(\phi'(x) \odot v)\right)$,
//   and renormalise it every 10 steps (Benettin's method). $\lambda_1 < 0$: activity settles on a fixed point;
//   $\lambda_1 = 0$: a limit cycle; $\lambda_1 > 0$: chaos.
//
// ### Exercise 00.2: one step of the tangent vector
//
// Write the tangent step above (eq. 10, $\tau = 1$): $v \leftarrow v + dt\,\big(-v + J\,(\phi'(x) \odot v)\big)$ with
// $\phi'(x) = 1 - \tanh^2 x$ and $\odot$ the elementwise product; return the new $v$. It is the Euler step of the
// linearised network, so it reuses most of your 00.1.

// %%
function myTangentStep(v: Float64Array, x: Float64Array, J: lab.Mat, dt: number): Float64Array {
  // @solution 00.2
  const n = v.length;
  const next = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let drive = 0;
    for (let j = 0; j < n; j++) drive += J.data[i * n + j] * (1 - Math.tanh(x[j]) ** 2) * v[j];
    next[i] = v[i] + dt * (-v[i] + drive);
  }
  return next;
  // @end-solution
}

// %%
lab.checkExercise(lab.intro.exercises.TANGENT_STEP, myTangentStep);

// %% [markdown]
// **Think.** Before you run the sweep: mean-field theory puts the transition at $g = 1$. At which $g$ do you expect
// $\Delta_0$ to become positive in networks of a few hundred units, and will $\lambda_1$ cross zero at the same $g$?
//
// The sweep below is the most expensive cell of this notebook (a progress line shows how far it is).

// %%
const bar = lab.progress('g sweep', S.sweep.gValues.length * S.sweep.networkSeeds.length);
const sweep = lab.chaosSweep({ ...S.sweep, onProgress: (done) => bar.update(done) });
bar.finish();
const onsets = lab.intro.chaosOnsets(sweep);
console.log(
  `activity onset g = ${onsets.activityOnset.toFixed(3)}, chaos onset (mean λ1 = 0) g = ${onsets.chaosOnset.toFixed(3)}`,
);

// %%
const G = sweep.g.length;
const perSeed = (m: Float64Array, s: number) => m.subarray(s * G, (s + 1) * G);
const seedSeries = (m: Float64Array) =>
  sweep.networkSeeds.map((seed, s) => ({
    x: sweep.g,
    y: perSeed(m, s),
    mode: 'lines+markers' as const,
    color: '#bbbbbb',
    width: 1,
    markerSize: 4,
  }));
lab.show(
  lab.stackedPanels({
    title: `Transition to chaos (N = ${S.sweep.n}; grey: ${sweep.networkSeeds.length} networks, colour: their mean)`,
    x: { title: 'gain g' },
    panelHeight: 240,
    panels: [
      {
        title: 'largest Lyapunov exponent λ1 (1/τ)',
        y: { title: 'λ1 (1/τ)', zeroLine: true },
        references: [{ axis: 'x', value: 1, label: 'g = 1: mean-field transition' }],
        series: [
          ...seedSeries(sweep.lyapunov),
          {
            x: sweep.g,
            y: sweep.meanLyapunov,
            mode: 'lines+markers',
            color: lab.color(0),
            width: 3,
            name: 'mean λ1 over networks',
          },
        ],
      },
      {
        title: 'mean-square activity Δ0 = ⟨x²⟩',
        y: { title: 'Δ0 = ⟨x²⟩' },
        references: [{ axis: 'x', value: 1, label: '' }],
        series: [
          ...seedSeries(sweep.meanSquareActivity),
          {
            x: sweep.g,
            y: sweep.meanMeanSquareActivity,
            mode: 'lines+markers',
            color: lab.color(1),
            width: 3,
            name: 'mean Δ0 over networks',
          },
        ],
      },
    ],
  }),
);

// %% [markdown]
// The activity switches on sharply: $\Delta_0$ is zero up to $g \approx 1$ and grows roughly linearly beyond, as
// mean-field theory predicts. The Lyapunov exponent tells a more nuanced finite-size story. In our full run, between
// $g \approx 1$ and $g \approx 1.3$ it hovers at or just below zero: these networks of a few hundred units first settle on non-zero
// fixed points or limit cycles (one network at $g = 1.2$ may be quiet-but-active while another already oscillates),
// and only at larger $g$ does every network become chaotic. The chaotic region starts above $g = 1$ and approaches
// it as $N$ grows (the crossing printed above; in our full run, 5 networks of $N = 500$, it is at $g \approx 1.33$, and an
// exploratory run at $N = 200$ put it at $g \approx 1.46$).
//
// @answer
// $\Delta_0$ follows the eigenvalues: it switches on where the quiet state loses stability, at $g^*$ of eq. (6),
// close to 1 (printed in section 2). $\lambda_1$ does not cross zero there: just above $g^*$ a finite network first
// settles on a non-zero fixed point or a limit cycle ($\lambda_1 \le 0$), and only at a larger $g$ does it become
// chaotic. The two onsets coincide only as $N \to \infty$.
// @end-answer
//
// **Check I2**: the quiet state loses stability near $g = 1$: the mean-square activity first exceeds $10^{-3}$
// within 0.1 of $g = 1$.
// **Check I3**: chaos ($\lambda_1 > 0$ on average) sets in above, but near, $g = 1$: $1 < g_\text{chaos} \le 1.5$ at $N = 500$.

// %%
lab.recordClaim(NOTEBOOK, lab.intro.claims.I2({ onsets: onsets, gStar: gStar, n: S.sweep.n }));
lab.recordClaim(NOTEBOOK, lab.intro.claims.I3({ onsets: onsets, networks: sweep.networkSeeds.length, n: S.sweep.n }));

// %% [markdown]
// ## What carries over
//
// - The rate network with optional inputs and output feedback (`createRateNetwork`, `simulate`) is the model of the
//   FORCE/LMS study (Beer & Barak 2019), where $g = 1.2$ puts the untrained network just past the transition.
// - Every random draw comes from a named, seeded stream (`Rng.stream(seed, label)`): re-running gives the same
//   numbers, and the connectivity does not change when an unrelated draw is added.
// - Figures are plain plotly objects built by `lab.linePlot`, `lab.stackedPanels`, `lab.heatmap`, ... and shown with
//   `lab.show`; checks are recorded with `lab.recordClaim` and collected in `results/REPORT.md` by `npm run reproduce`.

// %% [markdown]
// ## Explore
//
// Change the gain and the size below and re-run the cell. Worth trying: $g$ = 0.9, 1.05, 1.2, 2 (where does the
// activity stop dying out, and how irregular does it get?), and the same $g$ at $N$ = 50 and 1000 (finite-size
// effects: near $g = 1$ small networks vary most from seed to seed; change `seed` to see it).

// %%
const explore = { g: 1.2, n: 200, seed: 3 };
const exploreRun = lab.simulate(lab.createRateNetwork({ n: explore.n, g: explore.g, seed: explore.seed }), {
  steps: 3000,
  recordUnits: [0, 1, 2],
  recordEvery: 2,
});
lab.show(
  lab.linePlot({
    title: `Explore: rates of three units, N = ${explore.n}, g = ${explore.g}, seed ${explore.seed}`,
    x: { title: 'time (τ)' },
    y: { title: 'φ(x)', range: [-1, 1] },
    series: exploreRun.recordUnits.map((unit, k) => ({
      x: exploreRun.t,
      y: lab.column(exploreRun.rates, k),
      name: `unit ${unit}`,
      color: lab.color(k),
      width: 1.5,
    })),
  }),
);
