/**
 * Exercises in the notebooks (the teaching edition): a student writes one small function, and a check cell compares
 * it with the library's own implementation on a few cases, saying which case is wrong and by how much.
 *
 * The notebook sources mark a solution with `// @solution ID` … `// @end-solution`; the instructor edition keeps the
 * code, the student edition (notebooks/student/) replaces it with `return lab.notWritten('ID')`, which throws
 * ExerciseNotWritten with a message that says what to do. scripts/nbgen.mjs writes both editions.
 */
import { ParameterError } from '../numerics/validate.js';
import { showMarkdown } from '../plotting/show.js';

/** Thrown by an exercise the student has not written yet (the student edition's stub). */
export class ExerciseNotWritten extends Error {
  constructor(readonly exercise: string) {
    super(`exercise ${exercise}: not written yet. Replace the line \`return lab.notWritten('${exercise}')\` with your code, run that cell, then run the check cell below it.`);
    this.name = 'ExerciseNotWritten';
  }
}

/** The student edition's stub: `return lab.notWritten('01.2');` in place of the solution. */
export function notWritten(exercise: string): never {
  throw new ExerciseNotWritten(exercise);
}

/** Thrown by a check cell when the student's function gives a wrong answer; the message lists the failing cases. */
export class ExerciseCheckFailed extends Error {
  constructor(
    readonly exercise: string,
    readonly failures: string[],
  ) {
    super(`exercise ${exercise}: ${failures.length} case(s) wrong\n${failures.map((f) => `  - ${f}`).join('\n')}`);
    this.name = 'ExerciseCheckFailed';
  }
}

export interface ExerciseCase<F> {
  /** What the case tests, in words ("a zero error leaves w unchanged"). */
  name: string;
  /** Calls the student's function; returns what is compared with `expected` (a number or an array of numbers). */
  run: (fn: F) => number | ArrayLike<number>;
  expected: number | ArrayLike<number>;
}

export interface Exercise<F> {
  /** Notebook number and exercise number: '01.2'. */
  id: string;
  title: string;
  /** Relative tolerance of the comparison (absolute below 1). */
  tolerance: number;
  cases: ExerciseCase<F>[];
}

const describe = (v: number | ArrayLike<number>): string =>
  typeof v === 'number' ? String(Number(v.toPrecision(6))) : `[${Array.from(v, (x) => Number(x.toPrecision(6))).join(', ')}]${v.length > 6 ? ` (${v.length} entries)` : ''}`;

/** The failures of `fn` on the exercise's cases (empty when it is right); ExerciseNotWritten passes through. */
export function exerciseFailures<F>(exercise: Exercise<F>, fn: F): string[] {
  if (typeof fn !== 'function') throw new ParameterError('fn', `exercise ${exercise.id} needs your function, got ${typeof fn}`);
  const failures: string[] = [];
  for (const c of exercise.cases) {
    let got: number | ArrayLike<number>;
    try {
      got = c.run(fn);
    } catch (e) {
      if (e instanceof ExerciseNotWritten) throw e;
      failures.push(`${c.name}: your function threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      continue;
    }
    const exp = c.expected;
    const a = typeof got === 'number' ? [got] : Array.from(got ?? []);
    const b = typeof exp === 'number' ? [exp] : Array.from(exp);
    if (typeof got !== typeof exp && !(typeof exp !== 'number' && got && typeof got === 'object')) {
      failures.push(`${c.name}: expected ${typeof exp === 'number' ? 'a number' : `${b.length} numbers`}, got ${typeof got}`);
    } else if (a.length !== b.length) {
      failures.push(`${c.name}: expected ${b.length} numbers, got ${a.length}`);
    } else {
      const worst = a.reduce((m, x, i) => Math.max(m, Number.isFinite(x) ? Math.abs(x - b[i]) / Math.max(1, Math.abs(b[i])) : Infinity), 0);
      if (!(worst <= exercise.tolerance)) failures.push(`${c.name}: expected ${describe(exp)}, got ${describe(got)}`);
    }
  }
  return failures;
}

/** The check cell: prints a line per passed exercise, or throws ExerciseCheckFailed naming every wrong case. */
export function checkExercise<F>(exercise: Exercise<F>, fn: F): void {
  const failures = exerciseFailures(exercise, fn);
  if (failures.length) throw new ExerciseCheckFailed(exercise.id, failures);
  showMarkdown(`✓ **Exercise ${exercise.id}** (${exercise.title}): all ${exercise.cases.length} cases agree with the library.`);
}
