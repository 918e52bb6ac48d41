import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOptimizer, clipGradientNorm, ParameterError, type Rnn } from '../../lib/src/index.js';

// Reference values printed by PyTorch 1.13 (torch.optim.SGD / Adam, clip_grad_norm_) in float64 for the same
// start point and gradient sequence: they pin "exactly as PyTorch defines them".
const GRADS = [[0.3, -0.2, 1.5], [-0.1, 0.4, 0.25], [0.05, 0.05, -2.0]];

function run(options: Parameters<typeof createOptimizer>[0]): number[] {
  const model = { params: { b: new Float64Array([0.5, -1.0, 2.0]) } } as unknown as Rnn;
  const opt = createOptimizer(options);
  for (const g of GRADS) opt.step(model, { b: new Float64Array(g) });
  return Array.from(model.params.b!);
}

function close(actual: number[], expected: number[], tol = 1e-14): void {
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < tol, `entry ${i}: ${v} vs PyTorch ${expected[i]}`));
}

test('SGD with Nesterov momentum equals torch.optim.SGD(lr=0.05, momentum=0.1, nesterov=True)', () => {
  close(run({ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true }), [0.486135, -1.0138399999999999, 2.0128]);
});

test('SGD with heavy-ball momentum equals torch.optim.SGD(lr=0.05, momentum=0.9)', () => {
  close(run({ kind: 'sgd', lr: 0.05, momentum: 0.9, nesterov: false }), [0.46635, -1.0133999999999999, 1.873]);
});

test('Adam equals torch.optim.Adam(lr=0.01)', () => {
  close(run({ kind: 'adam', lr: 0.01 }), [0.4819435609772368, -0.9971836960178584, 1.983591082195964]);
});

test('global-norm clipping equals torch.nn.utils.clip_grad_norm_(max_norm=2)', () => {
  const grads = { W: new Float64Array([3, 4]), b: new Float64Array([12]) };
  const norm = clipGradientNorm(grads, 2);
  assert.equal(norm, 13);
  close([...grads.W, ...grads.b], [0.46153842603550577, 0.615384568047341, 1.846153704142023]);
  const small = { b: new Float64Array([0.3]) };
  clipGradientNorm(small, 2);
  assert.equal(small.b[0], 0.3);
});

test('optimiser options are validated by name', () => {
  assert.throws(() => createOptimizer({ lr: -1 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'optimizer.lr');
  assert.throws(() => createOptimizer({ momentum: 0, nesterov: true }), (e: unknown) => e instanceof ParameterError && e.parameter === 'optimizer.nesterov');
  assert.throws(() => createOptimizer({ kind: 'rmsprop' as never }), (e: unknown) => e instanceof ParameterError && e.parameter === 'optimizer.kind');
});

test('an optimiser restored from its saved state (through JSON) continues exactly as the original', () => {
  for (const options of [{ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true }, { kind: 'adam', lr: 0.01 }] as const) {
    const model = () => ({ params: { b: new Float64Array([0.5, -1.0, 2.0]), W: new Float64Array([0.1, 0.2]) } }) as unknown as Rnn;
    const grads = (k: number) => ({ b: new Float64Array([0.3 * k, -0.2, 1.5 / k]), W: new Float64Array([k, -k]) });
    const straight = model();
    const one = createOptimizer(options);
    for (let k = 1; k <= 6; k++) one.step(straight, grads(k));
    const resumed = model();
    const first = createOptimizer(options);
    for (let k = 1; k <= 3; k++) first.step(resumed, grads(k));
    const second = createOptimizer(options, JSON.parse(JSON.stringify(first.state())));
    for (let k = 4; k <= 6; k++) second.step(resumed, grads(k));
    assert.deepEqual(Array.from(resumed.params.b!), Array.from(straight.params.b!), options.kind);
    assert.deepEqual(Array.from(resumed.params.W!), Array.from(straight.params.W!), options.kind);
  }
  assert.throws(() => createOptimizer({}, { steps: { b: 1 }, buffers: { nonsense: [1] } }), (e: unknown) => e instanceof ParameterError && e.parameter === 'optimizer state.buffers.nonsense');
});
