// %% [markdown]
// # 03 · Training leaky RNNs by backpropagation through time
//
// Terms used here are defined in the [glossary](../GLOSSARY.md).
//
// *Documentation:* the model, its equations and the checks are written up in [the README of `papers/intro`](../lib/src/papers/intro/README.md); the
// § and equation numbers in this notebook refer to it.
//
// **You will learn** how the collection's training engine computes exact gradients through time (the adjoint
// equations), how such code is checked against finite differences and against a second, faster implementation, and
// what a trained network looks like on the parity task. **Time:** about 45 minutes: 30 to read and run, 15 for the
// exercises. **Exercises:** 03.1 (one step of the timescales RNN) and 03.2 (the central finite difference), each with a
// check cell; one *think* question; an *explore* cell at the end.
//
// **Question.** Two of the studies in this collection train recurrent networks by gradient descent: the
// sequential-interference study trains a rate network's weights, and the timescales study also trains a time
// constant per neuron. How do we compute the exact gradient of a loss through $T$ steps of such a network, and
// how do we *know* it is right before we trust any result built on it?
//
// **Model.** One family covers both studies. With state $s_t$, rate $r_t = \phi(s_t)$ and recurrent drive
//
// $$z_t = W r_{t-1} + b + b_{in} + W_{in} u_t, \qquad a = 1 - \frac{dt}{\tau'}, \quad c = \frac{dt}{\tau'}, \quad \tau' = \max(\tau, 1),$$
//
// the update is either
//
// $$\textbf{leak inside:}\; s_t = f(a \odot s_{t-1} + c \odot z_t) \qquad\text{or}\qquad \textbf{leak outside:}\; s_t = a \odot s_{t-1} + c \odot f(z_t).$$
//
// The timescales RNN (Khajehabdollahi et al. 2024) is *leak inside* with $f$ = LeakyReLU(0.01), $\phi$ = identity,
// $dt = 1$, a trainable $\tau$ per neuron and no self-connections; its readout heads see the last state. The Euler
// rate network of the sequential-interference study is *leak outside* with $f$ = identity, $\phi = \mathrm{erf}(\sqrt{\pi}x/2)$
// and $dt = 0.2$, read out at every step.
//
// **Adjoint equations.** Write $\lambda_t = \partial L / \partial s_t$ (through all later steps) and $\bar e_t$ for the
// readout's direct contribution. For *leak inside*, going backwards from $\lambda_T = \bar e_T$:
//
// $$\delta p_t = \lambda_t \odot f'(p_t), \quad \delta z_t = c \odot \delta p_t, \quad
// \lambda_{t-1} = a \odot \delta p_t + \phi'(s_{t-1}) \odot W^\top \delta z_t + \bar e_{t-1},$$
//
// $$\frac{\partial L}{\partial W} = \sum_t \delta z_t\, r_{t-1}^\top, \qquad \frac{\partial L}{\partial b} = \sum_t \delta z_t, \qquad
// \frac{\partial L}{\partial \tau'} = \sum_t \delta p_t \odot (s_{t-1} - z_t)\,\frac{dt}{\tau'^2},$$
//
// and $\partial L/\partial\tau = 0$ wherever $\tau < 1$ (the clamp). *Leak outside* and the low-rank form
// $W = W_0 + U M U^\top/N$, with $\partial L/\partial M = U^\top (\partial L/\partial W)\, U / N$, follow the same pattern; all
// of them are written out in `lib/src/dynamics/rnn/bptt.ts`.

// %%
import * as lab from '@rnnlab/lib';
// lab.setScale('quick'); // uncomment to run this notebook at the test scale (minutes); otherwise RNNLAB_SCALE, default 'full'

const NOTEBOOK = '03-bptt-leaky-rnn';
const S = lab.intro.engineDemoScale();
const fast = lab.fastKernels();
console.log(
  `scale: ${lab.scale()}  (N = ${S.hidden}, batch ${S.batch}, ${S.trainSteps} training steps on ${S.task.N}-${S.task.task})`,
);
console.log(`fast kernels: ${fast.name}`);

// %% [markdown]
// ## 1. The forward pass on a parity sequence
//
// We build the timescales RNN and feed it one batch of the **N-parity** task: each sequence is a stream of random
// bits, and the label is the parity of the last $N$ bits, read from the final state by a two-class head. The plot
// shows the input bits and six units of the untrained network for one sequence.

// %%
const model0 = lab.createRnn(
  { size: S.hidden, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } },
  { seed: 1 },
);
const demoBatch = lab.bitTaskBatch(
  { task: 'parity', Ns: [S.task.N], batchSize: 4, hiddenSize: S.hidden, steps: 30 },
  lab.Rng.stream(1, 'demo'),
);
const ws0 = new lab.BpttWorkspace(model0, lab.referenceKernels('float32'), 4, 30);
const first = ws0.forward(demoBatch);
const states = ws0.stateHistory(30);
const steps = Array.from({ length: 31 }, (_, t) => t);
// Each sequence draws its own bit rate, so some are nearly all zeros: show the one with the most 1s.
const bitsOf = (k: number) => steps.slice(1).map((t) => demoBatch.inputs[(t - 1) * 4 + k]);
const shown = [0, 1, 2, 3].reduce((best, k) => (lab.arrayMean(bitsOf(k)) > lab.arrayMean(bitsOf(best)) ? k : best), 0);
lab.show(
  lab.stackedPanels({
    title: 'One parity sequence: input bits and six units of the untrained network',
    x: { title: 'step t' },
    panels: [
      {
        title: 'input x_t',
        y: { title: 'bit', range: [-0.1, 1.1] },
        series: [{ x: steps.slice(1), y: bitsOf(shown), mode: 'lines+markers' }],
      },
      {
        title: 'states h_t',
        y: { title: 'h' },
        series: [0, 1, 2, 3, 4, 5].map((i) => ({
          x: steps,
          y: steps.map((t) => states[(t * 4 + shown) * S.hidden + i]),
          width: 1.5,
        })),
      },
    ],
  }),
);
console.log(
  `cross-entropy of the untrained head on this batch: ${first.loss.toFixed(3)} (chance: ln 2 = ${Math.LN2.toFixed(3)})`,
);

// %% [markdown]
// The units low-pass filter the bits with their own time constants $\tau'_i \in [1, 2]$: the leak term
// $(1 - 1/\tau')\,h_{t-1}$ keeps a fading trace of the past, which is all the memory the untrained network has.
//
// ### Exercise 03.1: one step of the timescales RNN
//
// Write the *leak inside* step with $dt = 1$ and $f$ = LeakyReLU(0.01): $s_t = f\big((1 - 1/\tau') \odot s_{t-1} + (1/\tau') \odot z_t\big)$,
// given the previous state, the drive $z_t$ and $\tau'$ per unit. LeakyReLU is $x$ for $x > 0$ and $0.01\,x$ otherwise.

// %%
function myLeakInsideStep(previous: Float64Array, drive: Float64Array, tauPrime: Float64Array): Float64Array {
  // @solution 03.1
  return previous.map((s, i) => {
    const p = (1 - 1 / tauPrime[i]) * s + drive[i] / tauPrime[i];
    return p > 0 ? p : 0.01 * p;
  });
  // @end-solution
}

// %%
lab.checkExercise(lab.intro.exercises.LEAK_INSIDE_STEP, myLeakInsideStep);

// %% [markdown]
// ## 2. Checking the gradients against finite differences
//
// The adjoint code is only trustworthy once it agrees with the definition of a derivative. For small random
// networks of every variant we compare each trainable parameter's BPTT gradient with the central difference
// $[L(\theta + h) - L(\theta - h)]/2h$, $h = 10^{-6}$, in float64, entry by entry.
//
// ### Exercise 03.2: the central finite difference
//
// The check below rests on one small function. Write it: the gradient of a scalar function `f` at `x` by central
// differences, $[f(x + h e_i) - f(x - h e_i)]/2h$ for every coordinate $i$ (leave `x` unchanged when you return).
//
// **Think.** Why central rather than forward differences $[f(x + h e_i) - f(x)]/h$, and why not make $h$ as small as
// possible, say $10^{-12}$?

// %%
function myCentralDifference(f: (x: Float64Array) => number, x: Float64Array, h: number): Float64Array {
  // @solution 03.2
  const gradient = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const plus = Float64Array.from(x);
    const minus = Float64Array.from(x);
    plus[i] += h;
    minus[i] -= h;
    gradient[i] = (f(plus) - f(minus)) / (2 * h);
  }
  return gradient;
  // @end-solution
}

// %%
lab.checkExercise(lab.intro.exercises.CENTRAL_DIFFERENCE, myCentralDifference);

// %% [markdown]
// **Check E1**: for every variant and every trainable parameter the largest error, relative to the largest gradient
// entry, is below $10^{-5}$.

// %%
const rows = lab.intro.gradientCheckTable();
lab.showMarkdown(
  '| variant | parameter | entries | max \\|∂L/∂θ\\| | relative error |\n|---|---|---|---|---|\n' +
    rows
      .map(
        (r) =>
          `| ${r.variant} | ${r.parameter} | ${r.entries} | ${r.maxGradient.toExponential(2)} | ${r.relativeError.toExponential(1)} |`,
      )
      .join('\n'),
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.E1(rows));

// %% [markdown]
// The errors sit around $10^{-9}$, the size the finite differences themselves can resolve ($h^2$ truncation plus
// rounding of order $\epsilon/h$). Every parameter is covered, including $\tau$ (drawn above its clamp here; that a $\tau$
// below the clamp gets exactly zero gradient, eq. (25) of the engine's README, is a unit test) and $M$ through the
// low-rank factorisation.
//
// @answer
// A forward difference errs by $O(h)$ (the second-derivative term does not cancel), a central one by $O(h^2)$. And the
// subtraction $f(x + h) - f(x - h)$ loses digits: its rounding error is about $\epsilon\,|f| / h$ with
// $\epsilon \approx 10^{-16}$, which grows as $h$ shrinks. The total error $\sim h^2 + \epsilon/h$ is smallest near
// $h \approx \epsilon^{1/3} \approx 10^{-5}$; at $h = 10^{-12}$ rounding would swamp the result.
// @end-answer

// %% [markdown]
// ## 3. The fast kernels compute the same gradients
//
// Training runs in float32 through the kernel layer: the matrix products of the forward and backward passes run
// either in plain TypeScript (the reference) or in WebAssembly SIMD, whose products go to an AVX2 addon where setup
// could build one (the name printed above ends in `+avx2` then). On one training batch we compare the fast
// backend's gradients with the reference's, parameter by parameter.
//
// **Check E2**: the gradients agree to $10^{-4}$ relative (different summation orders over a whole BPTT pass; the
// kernels themselves agree to $10^{-5}$ in the unit tests).

// %%
const agreementBatch = lab.bitTaskBatch(
  { task: 'parity', Ns: [S.task.N], batchSize: S.batch, hiddenSize: S.hidden, steps: 50 },
  lab.Rng.stream(2, 'agree'),
);
const agreement = lab.intro.kernelAgreement(model0, agreementBatch, fast);
lab.showMarkdown(
  `| parameter | max relative difference (${fast.name} vs reference) |\n|---|---|\n` +
    agreement.map((a) => `| ${a.parameter} | ${a.relativeDifference.toExponential(1)} |`).join('\n'),
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.E2(agreement, fast.name));

// %% [markdown]
// Rounding depends on the order of the sums, so "agree to $10^{-4}$" is the most two *different* orders can promise.
// The AVX2 addon is built to promise more: each entry of a product $C = AB$ is
// $\big(\cdots((0 + a_{i1}b_{1j}) + a_{i2}b_{2j}) + \cdots\big)$ over blocks of 128 terms, every product and every
// sum rounded to float32 on its own, exactly as in the WebAssembly kernel; it only computes eight entries at once
// where WebAssembly computes four. Entries are computed independently, so the width changes no bit.
//
// **Check E5**: the gradients of the same batch with the WebAssembly kernels alone and with the AVX2 products are
// identical bit for bit (0 differing entries). That is why runs cached on a machine with the addon are valid on one
// without it.

// %%
const identity = lab.intro.engineIdentity(model0, agreementBatch);
lab.showMarkdown(
  `| backends | gradient entries | entries whose bits differ |\n|---|---|---|\n| ${identity.backends.join(' vs ')} | ${identity.entries} | ${identity.differing} |`,
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.E5(identity));

// %% [markdown]
// ## 4. Training on parity
//
// Now we train: each step draws a fresh batch (sequence length uniform in $\{N+2, \dots, 4N+1\}$), computes the
// gradients, clips their global norm at 2 and takes an optimiser step. We train the same network twice: with Adam
// (learning rate 0.01) and with the timescales study's own optimiser, SGD with Nesterov momentum (lr 0.05, μ = 0.1).
//
// **Check E3**: the cross-entropy on a fixed test set of 1,024 sequences drops at least tenfold.

// %%
const bar = lab.progress('training', S.trainSteps);
const run = lab.intro.trainParityDemo(S, fast, (info) =>
  bar.update(info.step + 1, `Adam, loss ${info.loss.toFixed(3)}`),
);
const sgd = lab.intro.trainParityDemo(
  S,
  fast,
  (info) => bar.update(info.step + 1, `SGD, loss ${info.loss.toFixed(3)}`),
  { kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true },
);
bar.finish();
const stepAxis = Array.from(run.loss, (_, i) => i + 1);
lab.show(
  lab.stackedPanels({
    title: `Training a ${S.hidden}-unit timescales RNN on ${S.task.N}-parity`,
    x: { title: 'training step' },
    panels: [
      {
        title: 'training loss (cross-entropy, 20-step mean)',
        y: { title: 'loss', log: true },
        references: [{ axis: 'y', value: Math.LN2, label: 'ln 2: guessing' }],
        series: [
          { x: stepAxis, y: lab.movingAverage(run.loss, 20), name: 'Adam', color: lab.color(0) },
          { x: stepAxis, y: lab.movingAverage(sgd.loss, 20), name: 'SGD + Nesterov', color: lab.color(1) },
        ],
      },
      {
        title: 'training-batch accuracy (20-step mean)',
        y: { title: 'accuracy', range: [0.4, 1.02] },
        references: [{ axis: 'y', value: 0.5, label: 'chance' }],
        series: [
          { x: stepAxis, y: lab.movingAverage(run.accuracy, 20), name: 'Adam', color: lab.color(0), showlegend: false },
          {
            x: stepAxis,
            y: lab.movingAverage(sgd.accuracy, 20),
            name: 'SGD + Nesterov',
            color: lab.color(1),
            showlegend: false,
          },
        ],
      },
    ],
  }),
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.E3(run, S.task.N));
console.log(`${run.msPerStep.toFixed(2)} ms per training step with the ${fast.name} kernels`);
console.log(
  `SGD + Nesterov: test loss ${sgd.testBefore.loss.toFixed(3)} -> ${sgd.testAfter.loss.toFixed(3)}, accuracy ${sgd.testAfter.accuracy.toFixed(3)}`,
);

// %% [markdown]
// The loss stays near $\ln 2$ while the network has not yet found the parity rule (parity is not linearly readable
// from a fading trace of the bits), then falls steeply. In our full run (3-parity, 1,500 steps) Adam gets there within a few
// hundred steps; plain SGD with the study's small momentum is much slower on this toy problem, which is why the study
// trains for up to 600,000 steps (the test losses printed above are this run's). Did the time constants move? The plot
// compares each neuron's $\tau'$ before and after training.

// %%
lab.show(
  lab.linePlot({
    title: 'Time constants τ′ per neuron, before and after training',
    x: { title: 'τ′ before training (steps)' },
    y: { title: 'τ′ after training (steps)' },
    series: [
      { x: run.tauBefore, y: run.tauAfter, mode: 'markers', name: 'neurons' },
      { x: [1, 2], y: [1, 2], mode: 'lines', dash: 'dash', name: 'unchanged', color: lab.CONCEPT_COLORS.target },
    ],
    references: [{ axis: 'y', value: 1, label: 'clamp: τ′ = max(τ, 1) = 1' }],
  }),
);
const tauChange = lab.intro.tauChangeSummary(run.tauBefore, run.tauAfter);
lab.showMarkdown(
  `Of ${tauChange.neurons} neurons, ${tauChange.atClamp} ended at the clamp τ′ = 1, ${tauChange.longer} lengthened and ` +
    `${tauChange.shorterAboveClamp} shortened without reaching the clamp (median change ${lab.fixed(tauChange.medianChange, 2)} steps).`,
);

// %% [markdown]
// Short parity ($N \le 3$) needs little memory, and what training does to $\tau'$ says so: the count above is
// computed for the run you are looking at. A neuron whose $\tau$ is pushed below 1 sits on the clamp line, where
// $\partial L/\partial\tau = 0$: its leak term is gone ($a = 0$, so $s_t = f(z_t)$), it keeps no trace of its own past beyond
// what the recurrent weights carry, and no gradient brings it back.
// Parity of a few bits is computed from the current input and the previous state, so the network gains nothing from
// long time constants and loses nothing by shedding them; whether and how time constants grow with $N$, and how that
// depends on the curriculum, is the subject of the timescales notebooks.
//
// ## 5. Saving and loading
//
// A trained model saves to JSON (configuration, parameters, fixed arrays; atomic write) and loads back exactly.

// %%
const path = `${lab.cacheDir()}/03-parity-model.json`;
lab.saveRnn(run.model, path);
const reloaded = lab.loadRnn(path);
const testBatch = lab.bitTaskBatch(
  { task: 'parity', Ns: [S.task.N], batchSize: 64, hiddenSize: S.hidden },
  lab.Rng.stream(3, 'reload'),
);
const before = lab.evaluateRnn(run.model, [testBatch]).loss;
const after = lab.evaluateRnn(reloaded, [testBatch]).loss;
console.log(`loss of the trained model ${before.toExponential(6)}, of the reloaded model ${after.toExponential(6)}`);

// %% [markdown]
// ## 6. Two threads for one run
//
// A laptop has at least two cores. When there are several training runs (seeds, curricula), the notebooks give each
// its own core. When there is one, its batches can be split instead: the loss of the timescales model is a mean over
// the batch, so with the batch cut into $C$ equal chunks of $B/C$ sequences
//
// $$L = \frac{1}{C}\sum_{c=1}^{C} L_c, \qquad \frac{\partial L}{\partial \theta} = \frac{1}{C}\sum_{c=1}^{C} \frac{\partial L_c}{\partial \theta},$$
//
// and each chunk's BPTT can run on its own thread. Only the rounding changes: the sums over samples are taken in
// another order. The engine adds the chunks' gradients in a fixed order (chunk 1, 2, …) whichever thread computed
// them, so the number of **chunks** is part of a run's definition and the number of **threads** is not. Below, one
// training run three ways, at the shape of the timescales study's curricula.
//
// **Check E4**: the run in 2 chunks gives bitwise the same network on 1 thread and on 2 threads.

// %%
const T6 = lab.intro.threadDemoScale();
const threads = lab.intro.threadComparison(T6);
lab.show(
  lab.linePlot({
    title: `One training run three ways: wall time against training step (n = ${T6.hidden}, batch ${T6.batch}, ${T6.N}-parity)`,
    x: { title: 'training step' },
    y: { title: 'wall time since the first timed step (ms)' },
    series: threads.runs.map((r, i) => ({
      x: Array.from(r.elapsedMs, (_, k) => k + 1),
      y: r.elapsedMs,
      name: `${r.label}: ${r.msPerStep.toFixed(2)} ms per step`,
      color: lab.color(i),
    })),
  }),
);
lab.recordClaim(NOTEBOOK, lab.intro.claims.E4(threads));
console.log(
  `2 chunks on 2 threads vs on 1 thread: ${threads.sameBits ? 'bitwise equal' : 'DIFFERENT'}; ` +
    `2 chunks vs the whole batch: largest change of W ${threads.chunkedVsWhole.toExponential(1)} of its largest entry; ` +
    `speed-up on 2 threads ${threads.speedup.toFixed(2)}x`,
);

// %% [markdown]
// The slope of each line is the time per step. Splitting alone (orange) costs little: two half-size products instead
// of one, and the chunks' gradients added. Spread over two threads (green), a step took 0.7–1.1 of the one-thread
// time in six runs on an otherwise idle two-core machine at this size (speed-ups 0.92–1.47; 1.9–2.8 ms against
// 2.3–3.8 ms, 2026-12-03; single timings on that virtual machine vary by tens of per cent): far from half, because
// every step hands the chunks over and back between the threads and half a batch uses the matrix kernels less well.
// When the other core is busy, as in the reproduce job where another notebook trains at the same time, the threads
// wait for each other and two can be slower than one: the printed speed-up is this run's. The 2-chunk network
// differs from the whole-batch one only by float32 rounding, a relative $10^{-5}$ or less after these
// steps; over a long run such differences grow as in any chaotic computation, which is why `chunks` is part of a
// run's cache key (`lab.timescales.curriculumJobs(runs, { threadsPerRun: 2 })` with runs of `chunks: 2`). The study's own runs use one
// chunk and one core each: with six or more runs to train, running them side by side keeps both cores busier than
// splitting each.

// %% [markdown]
// ## Explore
//
// Train your own network: the cell trains the model of section 4 with the settings below (seconds at these sizes) and
// plots the training loss. Worth trying: a larger `N` with the same `hidden` (when does the loss stop leaving
// ln 2?), a smaller `hidden`, Adam's learning rate `lr` from 0.001 to 0.1, and `task: 'dms'`.

// %%
const exploreTrain = { hidden: 32, N: 4, trainSteps: 400, lr: 0.01, task: 'parity' as 'parity' | 'dms' };
const exploreResult = lab.intro.trainParityDemo(
  {
    hidden: exploreTrain.hidden,
    batch: 32,
    trainSteps: exploreTrain.trainSteps,
    task: { task: exploreTrain.task, N: exploreTrain.N },
  },
  fast,
  undefined,
  { kind: 'adam', lr: exploreTrain.lr },
);
lab.show(
  lab.linePlot({
    title: `Explore: training loss, ${exploreTrain.hidden} units on ${exploreTrain.N}-${exploreTrain.task} (Adam, lr ${exploreTrain.lr})`,
    x: { title: 'training step' },
    y: { title: 'cross-entropy (20-step mean)', log: true },
    references: [{ axis: 'y', value: Math.LN2, label: 'ln 2: guessing' }],
    series: [
      {
        x: Array.from(exploreResult.loss, (_, i) => i + 1),
        y: lab.movingAverage(exploreResult.loss, 20),
        name: 'training loss',
        color: lab.color(0),
      },
    ],
  }),
);
