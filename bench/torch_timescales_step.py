"""PyTorch peer for `npm run bench`: one full training step of the timescales RNN (papers/timescales-curriculum-2024/README.md §3.1, §3.4).

Same equations as the TypeScript engine's 'leak-inside' model: h_t = LeakyReLU((1 - 1/tau') h_{t-1}
+ (W h_{t-1} + b + W_in x_t + b_in) / tau'), tau' = max(tau, 1), W's diagonal zeroed, one 2-class head
read at the last step, cross-entropy, backward, global-norm clipping at 2, SGD(lr 0.05, momentum 0.1,
Nesterov). float32. Prints one JSON line: {"torch": version, "threads": n, "ms": [per-step times]}.
"""
import glob
import json
import os
import sys
import time

import torch


def blas_library() -> str:
    """Which BLAS Debian's torch links through libblas.so.3 (reference BLAS is ~8x slower than OpenBLAS)."""
    for path in glob.glob("/usr/lib/*/libblas.so.3"):
        return os.path.realpath(path)
    return "unknown"


def time_and_print(step, reps: int) -> None:
    """Two warm-up steps, then `reps` timed steps; prints the JSON line `npm run bench` reads."""
    for _ in range(2):
        step()
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "ms": times}))


def main() -> None:
    n, batch, steps, threads, reps = (int(v) for v in sys.argv[1:6])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    bound = 1 / n ** 0.5
    W = torch.empty(n, n).uniform_(-bound, bound).requires_grad_()
    b = torch.empty(n).uniform_(-bound, bound).requires_grad_()
    w_in = torch.empty(n, 1).uniform_(-1, 1).requires_grad_()
    b_in = torch.empty(n).uniform_(-1, 1).requires_grad_()
    tau = (1 + torch.rand(n)).requires_grad_()
    V = torch.empty(2, n).uniform_(-bound, bound).requires_grad_()
    c = torch.empty(2).uniform_(-bound, bound).requires_grad_()
    params = [W, b, w_in, b_in, tau, V, c]
    opt = torch.optim.SGD(params, lr=0.05, momentum=0.1, nesterov=True)
    x = (torch.rand(steps, batch, 1) < 0.5).float()
    y = torch.randint(0, 2, (batch,))
    h0 = 0.1 * torch.rand(batch, n)
    eye = torch.eye(n, dtype=torch.bool)
    act = torch.nn.LeakyReLU(0.01)

    def step() -> None:
        opt.zero_grad()
        Wz = W.masked_fill(eye, 0.0)
        tp = torch.clamp(tau, min=1.0)
        a = 1 - 1 / tp
        h = h0
        for t in range(steps):
            u = x[t] @ w_in.T + b_in
            h = act(a * h + (h @ Wz.T + b + u) / tp)
        loss = torch.nn.functional.cross_entropy(h @ V.T + c, y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 2.0)
        opt.step()

    time_and_print(step, reps)


if __name__ == "__main__":
    main()
