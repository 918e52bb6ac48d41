import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { escapeMarkdown, recordClaim, claimRecord, scale, byScale, cachedJson, cacheFile, writeFileAtomic, toJson, fromJson, projectRoot, createRnn, saveRnn, loadRnn, ParameterError } from '../../lib/src/index.js';

function withEnv<T>(vars: Record<string, string | undefined>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    return f();
  } finally {
    for (const [k, v] of Object.entries(saved)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

test('scale comes from RNNLAB_SCALE, full by default, and bad values are named', () => {
  withEnv({ RNNLAB_SCALE: undefined }, () => assert.equal(scale(), 'full'));
  withEnv({ RNNLAB_SCALE: 'quick' }, () => assert.equal(byScale({ quick: 1, full: 2 }), 1));
  withEnv({ RNNLAB_SCALE: 'medium' }, () => assert.throws(() => scale(), /RNNLAB_SCALE: must be one of 'quick', 'full'/));
});

test('recordClaim writes one entry per id to $RNNLAB_RESULTS/claims/<notebook>.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claims-'));
  const claim = { id: 'I9', paper: 'intro' as const, statement: 's', criterion: 'c', value: 1, passed: false };
  withEnv({ RNNLAB_RESULTS: dir, RNNLAB_SCALE: 'quick' }, () => {
    const log = console.log;
    console.log = () => {};
    try {
      recordClaim('nb', claim);
      recordClaim('nb', { ...claim, passed: true });
    } finally {
      console.log = log;
    }
  });
  const stored = JSON.parse(readFileSync(join(dir, 'claims', 'nb.json'), 'utf8'));
  assert.equal(stored.length, 1);
  assert.equal(stored[0].verdict, 'reproduced');
  assert.equal(stored[0].scale, 'quick');
  assert.equal(claimRecord('nb', claim).verdict, 'not reproduced');
  assert.throws(() => claimRecord('nb', { ...claim, id: 'first' }), /id: expected an id like B1/);
});

test('a variant run (RNNLAB_VARIANT) stores its claims beside the main run, the variant added to the part', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claims-'));
  const claim = { id: 'T4', paper: 'timescales-curriculum-2024' as const, statement: 's', criterion: 'c', value: 1, passed: true };
  const log = console.log;
  console.log = () => {};
  try {
    withEnv({ RNNLAB_RESULTS: dir, RNNLAB_SCALE: 'full', RNNLAB_VARIANT: undefined }, () => recordClaim('nb', claim));
    withEnv({ RNNLAB_RESULTS: dir, RNNLAB_SCALE: 'full', RNNLAB_VARIANT: 'n = 100' }, () => {
      recordClaim('nb', claim);
      recordClaim('nb', { ...claim, part: 'on N-DMS' });
    });
  } finally {
    console.log = log;
  }
  assert.deepEqual(readdirSync(join(dir, 'claims')).sort(), ['nb--n100.json', 'nb.json']);
  const main = JSON.parse(readFileSync(join(dir, 'claims', 'nb.json'), 'utf8'));
  const variant = JSON.parse(readFileSync(join(dir, 'claims', 'nb--n100.json'), 'utf8'));
  assert.equal(main[0].part, undefined);
  assert.deepEqual(variant.map((c: { part: string; variant: string }) => [c.part, c.variant]), [['n = 100', 'n = 100'], ['on N-DMS, n = 100', 'n = 100']]);
});

test('cachedJson computes once, round-trips typed arrays, and refreshes on request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-'));
  let calls = 0;
  const compute = () => ({ calls: ++calls, x: new Float64Array([1.5, 2]), i: new Int32Array([3]) });
  const a = cachedJson('t', { seed: 1 }, compute, { dir });
  const b = cachedJson('t', { seed: 1 }, compute, { dir });
  assert.equal(b.calls, 1);
  assert.ok(b.x instanceof Float64Array && b.i instanceof Int32Array);
  assert.deepEqual(b, a);
  assert.equal(cachedJson('t', { seed: 2 }, compute, { dir }).calls, 2);
  assert.equal(cachedJson('t', { seed: 1 }, compute, { dir, refresh: true }).calls, 3);
  assert.ok(readdirSync(dir).every((f) => !f.includes('.tmp-')), 'no temporary files left behind');
  assert.deepEqual(fromJson(toJson({ f: new Float32Array([0.5]) })), { f: new Float32Array([0.5]) });
  // Typed arrays as the base64 of their bytes, exact (subnormals, -0, NaN and ±Infinity included), read back into
  // aligned arrays whatever the offset of the view they were written from; the decimal form of older files still reads.
  const awkward = Float64Array.of(Math.PI, -0, 5e-324, Number.NaN, -Infinity, 1 / 3);
  const view = new Float64Array(new Float64Array([9, ...awkward]).buffer, 8, awkward.length);
  const back = fromJson<{ a: Float64Array; b: Float32Array; c: Int32Array }>(toJson({ a: view, b: Float32Array.of(0.1, -2.5e-40), c: Int32Array.of(-7, 2 ** 31 - 1) }));
  assert.ok(back.a instanceof Float64Array && back.a.length === 6);
  for (let i = 0; i < 6; i++) assert.ok(Object.is(back.a[i], awkward[i]), `entry ${i}`);
  assert.deepEqual(back.b, Float32Array.of(0.1, -2.5e-40));
  assert.deepEqual(back.c, Int32Array.of(-7, 2 ** 31 - 1));
  assert.match(toJson(Float32Array.of(1)), /"base64":"AACAPw=="/);
  assert.equal(toJson(Float32Array.of(1, 0.5), 'decimal'), '{"__typed":"Float32Array","values":[1,0.5]}');
  assert.deepEqual(fromJson('{"__typed":"Float32Array","values":[1,0.5]}'), Float32Array.of(1, 0.5));
  assert.throws(() => fromJson('{"__typed":"Float64Array","base64":"AAAA"}'), /3 bytes, not a whole number/);
  // The size that motivated it: 10⁶ float32 entries take 5.3 MB as base64, against ~19 MB as decimal text.
  const big = new Float32Array(1_000_000).map((_, i) => Math.sin(i));
  assert.ok(toJson(big).length < 5.4e6, `base64: ${toJson(big).length}`);
  assert.ok(toJson(big, 'decimal').length > 1.5e7, `decimal: ${toJson(big, 'decimal').length}`);
});

test('writeFileAtomic replaces the whole file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'atomic-')), 'sub', 'f.json');
  writeFileAtomic(file, 'one');
  writeFileAtomic(file, 'two');
  assert.equal(readFileSync(file, 'utf8'), 'two');
});

test('the committed notebooks are built from their percent scripts', () => {
  const root = projectRoot();
  assert.ok(existsSync(join(root, 'notebooks', 'src')));
  execFileSync(process.execPath, [join(root, 'scripts', 'nbgen.mjs'), '--check'], { stdio: 'pipe' });
});

test('every notebook uses the tslab kernelspec', () => {
  const nbDir = join(projectRoot(), 'notebooks');
  const books = readdirSync(nbDir).filter((f) => f.endsWith('.ipynb'));
  assert.ok(books.length >= 1);
  for (const f of books) assert.equal(JSON.parse(readFileSync(join(nbDir, f), 'utf8')).metadata.kernelspec.name, 'tslab', f);
});

test('no Math.random in the library', () => {
  const grep = spawnSync('grep', ['-rln', '--include=*.ts', 'Math\\.random', join(projectRoot(), 'lib', 'src')], { encoding: 'utf8' });
  assert.equal(grep.status, 1, `grep found Math.random in: ${grep.stdout}`); // grep exits 1 when nothing matches
});

test('a truncated, empty, edited or old-format cache file is moved aside, reported with its path, and recomputed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-corrupt-'));
  let calls = 0;
  const compute = () => ({ calls: ++calls, x: Float64Array.from([1.5, 2.5]) });
  const file = cacheFile('c', { seed: 1 }, dir);
  const damages: [string, (text: string) => string, RegExp][] = [
    ['truncated', (t) => t.slice(0, t.length - 5), /header says/],
    ['empty', () => '', /the file is empty/],
    ['edited', (t) => t.replace(/"calls":[0-8]/, '"calls":9'), /does not match its checksum/], // same length, other content
    ['old format (plain JSON)', (t) => t.slice(t.indexOf('\n') + 1), /no header line/],
    ['format 1 (non-finite numbers written as null)', (t) => t.replace('rnnlab-verified-json/2', 'rnnlab-verified-json/1'), /unknown format/],
  ];
  cachedJson('c', { seed: 1 }, compute, { dir });
  for (const [name, damage, reason] of damages) {
    writeFileAtomic(file, damage(readFileSync(file, 'utf8')));
    const before = calls;
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    let result;
    try {
      result = cachedJson('c', { seed: 1 }, compute, { dir });
    } finally {
      process.stdout.write = original;
    }
    assert.equal(result.calls, before + 1, `${name}: recomputed`);
    assert.deepEqual(Array.from(result.x), [1.5, 2.5]);
    assert.ok(existsSync(`${file}.corrupt`), `${name}: moved aside`);
    assert.match(written.join(''), reason, name);
    assert.ok(written.join('').includes(file), `${name}: the message names the file`);
    assert.equal(cachedJson('c', { seed: 1 }, compute, { dir }).calls, before + 1, `${name}: the rewritten file verifies`);
  }
});

test('a cached result reads back as computed: NaN and ±Infinity survive, and what JSON would change is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-json-'));
  const value = { a: Number.NaN, b: [Number.POSITIVE_INFINITY, -Infinity, 1], c: Float64Array.from([Number.NaN, 2]), d: { e: 0.1 } };
  const first = cachedJson('nan', {}, () => value, { dir });
  const again = cachedJson('nan', {}, () => assert.fail('recomputed'), { dir });
  for (const r of [first, again]) {
    assert.ok(Number.isNaN(r.a));
    assert.deepEqual(r.b, [Infinity, -Infinity, 1]);
    assert.ok(r.c instanceof Float64Array && Number.isNaN(r.c[0]) && r.c[1] === 2);
    assert.equal(r.d.e, 0.1);
  }
  const refused: [string, unknown, RegExp][] = [
    ['undefined', undefined, /the result of cache 'bad' cannot be stored as JSON: the value is undefined/],
    ['a function deep inside', { runs: [{ f: () => 1 }] }, /\.runs\[0\]\.f is function/],
    ['undefined in an array', [1, undefined], /\[1\] is undefined/],
    ['a Map', { m: new Map([[1, 2]]) }, /\.m is a Map, not a plain object/],
    ['a Uint8Array', { u: new Uint8Array(2) }, /\.u is a Uint8Array/],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(), /\.self refers back to itself/],
  ];
  for (const [name, result, message] of refused) {
    assert.throws(() => cachedJson('bad', { name }, () => result, { dir }), (e: unknown) => e instanceof ParameterError && message.test(e.message), name);
  }
  assert.equal(toJson({ x: [1, 2] }), '{"x":[1,2]}');
  assert.ok(Number.isNaN(fromJson<number[]>(toJson([Number.NaN]))[0]));
});

test('loadRnn names the path when the file is missing or is not a saved model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rnnlab-load-'));
  const file = join(dir, 'model.json');
  assert.throws(() => loadRnn(file), (e: unknown) => e instanceof ParameterError && e.message.includes(file) && /cannot read/.test(e.message));
  writeFileAtomic(file, '{"format": "something else"}');
  assert.throws(() => loadRnn(file), (e: unknown) => e instanceof ParameterError && e.message.includes(file) && /not a saved model \(format: expected 'rnnlab-rnn\/1'/.test(e.message));
  saveRnn(createRnn({ size: 4 }, { seed: 1 }), file);
  assert.equal(loadRnn(file).config.size, 4);
});

test('claim text is shown verbatim: Markdown characters in criteria and notes are escaped', () => {
  assert.equal(escapeMarkdown('|z_end - v| < 0.05 for N* in [2, N* − 1], *not* `code` # <b>'), '\\|z\\_end - v\\| \\< 0.05 for N\\* in \\[2, N\\* − 1\\], \\*not\\* \\`code\\` \\# \\<b\\>');
});

test('table numbers: a missing value or a "never" sentinel is written as words', async () => {
  const { fixed, stepOrNever } = await import('../../lib/src/index.js');
  assert.equal(fixed(0.12345, 3), '0.123');
  assert.equal(fixed(Number.NaN, 3), 'n/a');
  assert.equal(fixed(Number.POSITIVE_INFINITY, 2, 'diverged'), 'diverged');
  assert.equal(stepOrNever(-1), 'never');
  assert.equal(stepOrNever(43), '43');
  assert.equal(stepOrNever(501, [501], 'not learned'), 'not learned');
});

test('the notebook sources are formatted (npm run format), so that code cells fit the page', async () => {
  const prettier = await import('prettier');
  const { readdirSync, readFileSync } = await import('node:fs');
  const dir = new URL('../../notebooks/src/', import.meta.url);
  const options = { ...(await prettier.resolveConfig(new URL('x.nb.ts', dir).pathname)), parser: 'typescript' as const };
  const unformatted = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.nb.ts'))) {
    if (!(await prettier.check(readFileSync(new URL(f, dir), 'utf8'), options))) unformatted.push(f);
  }
  assert.deepEqual(unformatted, [], 'run npm run format');
});
