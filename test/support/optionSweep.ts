// The generated half of the bad-input suite: every public component that takes an options object (one DEFAULTS
// object each) is called with each option replaced in turn by a value of each bad class. The test runs the cases in
// child processes with a time limit (a case that hangs is a failure, not a stuck suite); this module lists them and
// runs one target's cases when executed as a script.
import * as lab from '../../lib/src/index.js';
import { clampedCycle, clampedFixedPoint, testMemory, testPattern, trainMemoryClosedLoop, trainPatternClosedLoop, CLAMPED_CYCLE_DEFAULTS, CLAMPED_FIXED_POINT_DEFAULTS, CLOSED_LOOP_DEFAULTS, MEMORY_TEST_DEFAULTS, PATTERN_LOOP_DEFAULTS, PATTERN_TEST_DEFAULTS } from '../../lib/src/papers/beer-barak-2019/index.js';
import { createPatternNetwork, PatternNetworkLearner, trainLinearNetwork, trainSequential, LEARNER_DEFAULTS, LINEAR_NETWORK_DEFAULTS, PATTERN_NETWORK_DEFAULTS, SEQUENTIAL_DEFAULTS } from '../../lib/src/papers/sequential-interference-2x2/index.js';
import { streamAccuracy, trainCurriculum, CURRICULUM_DEFAULTS, STREAM_DEFAULTS } from '../../lib/src/papers/timescales-curriculum-2024/index.js';

const { Rng, ParameterError } = lab;

export interface OptionTarget {
  /** The component name its errors carry ("simulate", "bitTask"). */
  component: string;
  defaults: object;
  /** Calls the public function with these options and small valid other arguments. */
  call: (options: Record<string, unknown>) => unknown;
  /** Keys whose value is a function, a nested object or data, swept by hand-written cases instead. */
  skip?: readonly string[];
}

const smallNet = () => lab.createRateNetwork({ n: 6, nInputs: 1, feedback: true, g: 1.2, dt: 0.05 });
const tinyModel = () => lab.createRnn({ size: 4, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } });
const flow = () => lab.rateNetworkFlow({ rows: 2, cols: 2, data: Float64Array.from([0.1, 0, 0, 0.1]) });
const small = { rows: 1, cols: 2, data: Float64Array.from([0.3, -0.2]) };

/** Small sizes for the call; the swept key overrides them. */
const over = (base: Record<string, unknown>, o: Record<string, unknown>): never => (o === null || typeof o !== 'object' || Array.isArray(o) ? o : { ...base, ...o }) as never;

export const OPTION_TARGETS: OptionTarget[] = [
  { component: 'createRateNetwork', defaults: lab.RATE_NETWORK_DEFAULTS, call: (o) => lab.createRateNetwork(over({ n: 8 }, o)) },
  { component: 'simulate', defaults: lab.SIMULATE_DEFAULTS, call: (o) => lab.simulate(lab.createRateNetwork({ n: 8 }), over({ steps: 20 }, o)), skip: ['x0', 'input', 'readout', 'recordUnits'] },
  { component: 'chaosDiagnostics', defaults: lab.CHAOS_DIAGNOSTICS_DEFAULTS, call: (o) => lab.chaosDiagnostics(lab.createRateNetwork({ n: 8 }), over({ transientSteps: 10, measureSteps: 20 }, o)) },
  { component: 'chaosSweep', defaults: lab.CHAOS_SWEEP_DEFAULTS, call: (o) => lab.chaosSweep(over({ n: 8, gValues: [1], networkSeeds: [1], transientSteps: 10, measureSteps: 20 }, o)), skip: ['onProgress'] },
  { component: 'findFixedPoints', defaults: lab.FIXED_POINT_FINDER_DEFAULTS, call: (o) => lab.findFixedPoints(flow(), small, o) },
  { component: 'minimiseSpeed', defaults: lab.FIXED_POINT_FINDER_DEFAULTS, call: (o) => lab.minimiseSpeed(flow(), Float64Array.from([0.3, -0.2]), o) },
  { component: 'memoryTrials', defaults: lab.MEMORY_TASK_DEFAULTS, call: (o) => lab.memoryTrials(5, o) },
  { component: 'patternTrials', defaults: lab.PATTERN_TASK_DEFAULTS, call: (o) => lab.patternTrials(5, o) },
  { component: 'fixedPointTask', defaults: lab.FIXED_POINT_TASK_DEFAULTS, call: (o) => lab.fixedPointTrial(0, o) },
  { component: 'bitTask', defaults: lab.BIT_TASK_DEFAULTS, call: (o) => lab.bitTaskBatch(over({ batchSize: 4, hiddenSize: 4 }, o), Rng.stream(1, 'sweep')), skip: ['heads', 'Ns'] },
  { component: 'optimizer', defaults: lab.OPTIMIZER_DEFAULTS, call: (o) => lab.createOptimizer(o) },
  {
    component: 'train',
    defaults: lab.TRAIN_DEFAULTS,
    call: (o) => lab.trainRnn(tinyModel(), over({ steps: 2, batch: (_step: number, rng: InstanceType<typeof Rng>) => lab.bitTaskBatch({ batchSize: 2, hiddenSize: 4, Ns: [2] }, rng) }, o)),
    skip: ['batch', 'optimizer', 'kernels', 'onStep', 'continueWith'],
  },
  { component: 'createOnlineRule', defaults: lab.ONLINE_RULE_DEFAULTS, call: (o) => lab.createOnlineRule(over({ n: 4 }, o)) },
  { component: 'rnn', defaults: lab.RNN_DEFAULTS, call: (o) => lab.createRnn(over({ size: 4 }, o)), skip: ['readout', 'trainable'] },
  { component: 'clampedFixedPoint', defaults: CLAMPED_FIXED_POINT_DEFAULTS, call: (o) => clampedFixedPoint(smallNet(), 1, null, over({ relaxTime: 5 }, o)) },
  { component: 'clampedCycle', defaults: CLAMPED_CYCLE_DEFAULTS, call: (o) => clampedCycle(smallNet(), 0.5, null, o) },
  {
    component: 'trainMemoryClosedLoop',
    defaults: CLOSED_LOOP_DEFAULTS,
    call: (o) => {
      const net = smallNet();
      return trainMemoryClosedLoop(net, lab.createOnlineRule({ rule: 'lms', n: 6 }), lab.memoryTrials(2), { fineValues: Float64Array.from([1, 2]), fineRates: { rows: 2, cols: 6, data: new Float64Array(12) }, evalValues: Float64Array.from([1, 2]), evalRates: { rows: 2, cols: 6, data: new Float64Array(12) } }, o);
    },
  },
  { component: 'testMemory', defaults: MEMORY_TEST_DEFAULTS, call: (o) => testMemory(smallNet(), new Float64Array(6), new Float64Array(6), [1], o) },
  {
    component: 'trainPatternClosedLoop',
    defaults: PATTERN_LOOP_DEFAULTS,
    call: (o) => {
      const net = smallNet();
      return trainPatternClosedLoop(net, lab.createOnlineRule({ rule: 'rls', n: 6 }), lab.patternTrials(2, { periods: 2 }), [clampedCycle(net, 0.5)], o);
    },
  },
  { component: 'testPattern', defaults: PATTERN_TEST_DEFAULTS, call: (o) => testPattern(smallNet(), new Float64Array(6), new Float64Array(6), [0.5], o) },
  { component: 'patternNetwork', defaults: PATTERN_NETWORK_DEFAULTS, call: (o) => createPatternNetwork(over({ size: 8 }, o)) },
  {
    component: 'learner',
    defaults: LEARNER_DEFAULTS,
    call: (o) => {
      const net = createPatternNetwork({ size: 8 });
      return new PatternNetworkLearner(net, [lab.fixedPointTrial(0, { duration: 6 }), lab.fixedPointTrial(1, { duration: 6 })], o);
    },
  },
  { component: 'linearNetwork', defaults: LINEAR_NETWORK_DEFAULTS, call: (o) => trainLinearNetwork(over({ size: 8, epochs: 2 }, o)) },
  {
    component: 'sequential',
    defaults: SEQUENTIAL_DEFAULTS,
    call: (o) => {
      const net = createPatternNetwork({ size: 8 });
      const learner = new PatternNetworkLearner(net, [lab.fixedPointTrial(0, { duration: 6 }), lab.fixedPointTrial(1, { duration: 6 })]);
      return trainSequential(learner, over({ stepsA: 2, stepsB: 2 }, o));
    },
    skip: ['afterPhaseA'],
  },
  { component: 'curriculum', defaults: CURRICULUM_DEFAULTS, call: (o) => trainCurriculum(over({ size: 4, batchSize: 2, stepsPerEpoch: 1, testBatches: 1, heads: 3, maxSteps: 2, targetN: 3 }, o), lab.referenceKernels('float32')) },
  { component: 'stream', defaults: STREAM_DEFAULTS, call: (o) => streamAccuracy(tinyModel(), over({ streams: 1, length: 20, warmup: 5 }, o)) },
];

export type BadClass = 'not an object' | 'unknown key' | 'wrong type' | 'NaN' | 'Infinity' | 'negative' | 'zero' | 'huge' | 'empty' | 'unknown choice';

/** Classes for which the call must throw a ParameterError naming the option: no value of these is ever valid. */
export const ALWAYS_INVALID: readonly BadClass[] = ['not an object', 'unknown key', 'wrong type', 'NaN', 'Infinity', 'unknown choice'];

export interface OptionCase {
  target: string;
  key: string | null;
  badClass: BadClass;
  value: unknown;
}

export function casesFor(t: OptionTarget): OptionCase[] {
  const cases: OptionCase[] = [
    { target: t.component, key: null, badClass: 'not an object', value: 'fast' },
    { target: t.component, key: 'bogusOption', badClass: 'unknown key', value: 1 },
  ];
  for (const [key, d] of Object.entries(t.defaults)) {
    if (t.skip?.includes(key)) continue;
    const add = (badClass: BadClass, value: unknown) => cases.push({ target: t.component, key, badClass, value });
    if (/seed/i.test(key)) {
      // A seed is an integer or a string: only non-integers and other types are bad.
      add('wrong type', true);
      add('NaN', Number.NaN);
      add('Infinity', Number.POSITIVE_INFINITY);
    } else if (typeof d === 'number' || (d === null && /steps|fixedTau|workers/i.test(key))) {
      add('wrong type', '1');
      add('NaN', Number.NaN);
      add('Infinity', Number.POSITIVE_INFINITY);
      add('negative', -1);
      add('zero', 0);
      add('huge', 1e15);
    } else if (typeof d === 'string') {
      add('unknown choice', 'bogus');
      add('wrong type', true);
    } else if (typeof d === 'boolean') {
      add('wrong type', 'yes');
    } else if (Array.isArray(d)) {
      add('wrong type', 'x');
      add('NaN', [Number.NaN]);
      add('empty', []);
    }
  }
  return cases;
}

/** What a case did: the error's class and message, or that it returned. */
export interface CaseOutcome {
  kind: 'named' | 'other parameter' | 'other error' | 'returned';
  message: string;
}

export function runCase(t: OptionTarget, c: OptionCase): CaseOutcome {
  const options: Record<string, unknown> = c.key === null ? (c.value as never) : { [c.key]: c.value };
  try {
    if (c.key === null) t.call(c.value as never);
    else t.call(options);
    return { kind: 'returned', message: '' };
  } catch (e) {
    const err = e as Error;
    if (e instanceof ParameterError) {
      const p = e.parameter;
      const names = c.key === null ? p === t.component : p === c.key || p.endsWith(`.${c.key}`) || p.startsWith(`${c.key}[`) || p.includes(`.${c.key}[`);
      return { kind: names ? 'named' : 'other parameter', message: err.message };
    }
    return { kind: 'other error', message: `${err.name}: ${err.message}` };
  }
}

// As a script: `optionSweep.ts <component>` runs that target's cases and prints one JSON line per case as it ends
// (the parent knows which case hung from the last line it saw).
if (process.argv[1]?.endsWith('optionSweep.ts') && process.argv[2]) {
  const t = OPTION_TARGETS.find((x) => x.component === process.argv[2]);
  if (!t) throw new Error(`unknown target ${process.argv[2]}`);
  const from = Number(process.argv[3] ?? 0);
  const cases = casesFor(t);
  for (let i = from; i < cases.length; i++) {
    process.stdout.write(`${JSON.stringify({ index: i, start: true })}\n`);
    const outcome = runCase(t, cases[i]);
    process.stdout.write(`${JSON.stringify({ index: i, ...outcome })}\n`);
  }
}
