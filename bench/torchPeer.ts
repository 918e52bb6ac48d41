/** Runs a PyTorch peer script of bench/ on `threads` threads (default 1) and returns its median ms per step, or why it could not run. */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** `script` is a file of bench/ printing {"ms": [...], "blas": ...} as its last line; `args` its arguments. */
export function torchPeer(script: string, args: (string | number)[], threads = 1): { ms: number; blas: string } | string {
  const path = join(dirname(fileURLToPath(import.meta.url)), script);
  const t = String(threads);
  const env = { ...process.env, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t, OPENBLAS_NUM_THREADS: t };
  let why = 'python3 not found';
  // Debian's python3-torch is installed for /usr/bin/python3, which may not be the first python3 on PATH.
  for (const python of ['/usr/bin/python3', 'python3']) {
    const run = spawnSync(python, [path, ...args.map(String)], { encoding: 'utf8', env });
    if (run.status === 0) {
      const out = JSON.parse(run.stdout.trim().split('\n').pop()!);
      return { ms: median(out.ms), blas: out.blas };
    }
    if (run.stderr) why = run.stderr.includes('No module named') ? 'python3 cannot import torch' : run.stderr.trim().split('\n').pop()!;
  }
  return `PyTorch not available (${why}); install Debian's python3-torch to compare`;
}
