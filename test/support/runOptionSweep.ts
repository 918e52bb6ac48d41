// Runs every OPTION_TARGETS case in child processes, a case at most `caseSeconds` long; a child that goes silent is
// killed, its case recorded as a hang, and a new child resumes after it. Used by the bad-input test and by hand
// (`npx tsx test/support/runOptionSweep.ts` prints the table by class).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { casesFor, OPTION_TARGETS, type CaseOutcome, type OptionCase } from './optionSweep.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

export interface SweptCase extends OptionCase {
  outcome: CaseOutcome | { kind: 'hang'; message: string };
}

function runFrom(component: string, from: number, caseSeconds: number): Promise<{ results: Map<number, CaseOutcome>; hungAt: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'optionSweep.ts'), component, String(from)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const results = new Map<number, CaseOutcome>();
    let started: number | null = null;
    let buffer = '';
    let stderr = '';
    let timer = setTimeout(() => child.kill('SIGKILL'), caseSeconds * 4000); // the first case also pays the import
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        if (line.start) {
          started = line.index;
          clearTimeout(timer);
          timer = setTimeout(() => child.kill('SIGKILL'), caseSeconds * 1000);
        } else {
          results.set(line.index, { kind: line.kind, message: line.message });
          started = null;
        }
      }
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ results, hungAt: started ?? from });
      else if (code !== 0) reject(new Error(`${component}: the sweep child exited with ${code}: ${stderr.slice(-2000)}`));
      else resolve({ results, hungAt: null });
    });
  });
}

export async function sweepTarget(component: string, caseSeconds = 10): Promise<SweptCase[]> {
  const target = OPTION_TARGETS.find((t) => t.component === component)!;
  const cases = casesFor(target);
  const out: SweptCase[] = [];
  let from = 0;
  while (from < cases.length) {
    const { results, hungAt } = await runFrom(component, from, caseSeconds);
    const end = hungAt ?? cases.length;
    for (let i = from; i < end; i++) out.push({ ...cases[i], outcome: results.get(i)! });
    if (hungAt === null) break;
    out.push({ ...cases[hungAt], outcome: { kind: 'hang', message: `no answer within ${caseSeconds} s` } });
    from = hungAt + 1;
  }
  return out;
}

if (process.argv[1]?.endsWith('runOptionSweep.ts')) {
  const only = process.argv.slice(2);
  const all: SweptCase[] = [];
  for (const t of OPTION_TARGETS) {
    if (only.length && !only.includes(t.component)) continue;
    const r = await sweepTarget(t.component);
    all.push(...r);
    for (const c of r) if (c.outcome.kind !== 'named') console.log(`${c.target}.${c.key ?? '(options)'} [${c.badClass}] = ${JSON.stringify(c.value)}: ${c.outcome.kind} ${c.outcome.message.slice(0, 160)}`);
  }
  const table = new Map<string, Record<string, number>>();
  for (const c of all) {
    const row = table.get(c.badClass) ?? {};
    row[c.outcome.kind] = (row[c.outcome.kind] ?? 0) + 1;
    table.set(c.badClass, row);
  }
  console.log(`\n${all.length} cases`);
  for (const [k, v] of table) console.log(`${k.padEnd(16)} ${JSON.stringify(v)}`);
}
