// The generated bad-input suite: every option of every component with a DEFAULTS object, replaced in turn by a value
// of each bad class (test/support/optionSweep.ts), run in child processes with a 20 s limit a case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALWAYS_INVALID, OPTION_TARGETS } from '../support/optionSweep.js';
import { sweepTarget, type SweptCase } from '../support/runOptionSweep.js';

test('every option of every component: a bad value is a ParameterError naming it; nothing hangs or fails obscurely', async (t) => {
  const all: SweptCase[] = [];
  for (const target of OPTION_TARGETS) all.push(...(await sweepTarget(target.component, 20)));
  const show = (c: SweptCase) => `${c.target}.${c.key ?? '(options)'} = ${JSON.stringify(c.value)} [${c.badClass}]: ${c.outcome.kind} ${c.outcome.message}`;
  // Never valid: must name the option.
  const unnamed = all.filter((c) => ALWAYS_INVALID.includes(c.badClass) && c.outcome.kind !== 'named');
  assert.deepEqual(unnamed.map(show), []);
  // Possibly valid (negative, zero, huge, empty): may run, or be refused with a ParameterError (a huge count may be
  // refused under the parameter that carries the cost); never a hang or another kind of error.
  const broken = all.filter((c) => c.outcome.kind === 'hang' || c.outcome.kind === 'other error');
  assert.deepEqual(broken.map(show), []);
  const byClass = new Map<string, Record<string, number>>();
  for (const c of all) {
    const row = byClass.get(c.badClass) ?? {};
    row[c.outcome.kind] = (row[c.outcome.kind] ?? 0) + 1;
    byClass.set(c.badClass, row);
  }
  t.diagnostic(`${all.length} cases over ${OPTION_TARGETS.length} components`);
  for (const [k, v] of byClass) t.diagnostic(`${k}: ${JSON.stringify(v)}`);
  assert.ok(all.length > 800, `expected the sweep to generate its cases, got ${all.length}`);
});
