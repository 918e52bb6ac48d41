"""NumPy peer of bench/closedLoopRls.ts: the same closed-loop Euler step with an RLS update every step.

Prints one JSON line: {"ms_per_step": median over repeats, "numpy": version, "threads": ...}.
Usage: python3 closed_loop_rls_numpy.py N STEPS REPEATS
"""
import json
import os
import sys
import time

import numpy as np

n, steps, repeats = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(1)
J = rng.normal(0.0, 1.2 / np.sqrt(n), (n, n))
w_fb = rng.uniform(-1, 1, n)
x = 0.5 * rng.normal(size=n)
w = np.zeros(n)
P = np.eye(n)
dt, f = 0.05, 1.0


def step(x, w, P):
    r = np.tanh(x)
    z = w @ r
    k = P @ r
    c = 1.0 / (1.0 + r @ k)
    P -= c * np.outer(k, k)
    w -= c * (z - f) * k
    x += dt * (-x + J @ r + w_fb * z)


for _ in range(200):  # warm-up
    step(x, w, P)
timings = []
for _ in range(repeats):
    t0 = time.perf_counter()
    for _ in range(steps):
        step(x, w, P)
    timings.append(1000 * (time.perf_counter() - t0) / steps)
print(json.dumps({"ms_per_step": sorted(timings)[repeats // 2], "numpy": np.__version__, "threads": os.environ.get("OPENBLAS_NUM_THREADS", "default")}))
