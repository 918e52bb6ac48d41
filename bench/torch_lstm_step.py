"""PyTorch peer for `npm run bench`: one training step of a gated network in the timescales study's LSTM set-up
(papers/timescales-curriculum-2024/README.md §4.2): nn.LSTM or nn.GRU (one layer, batch_first=False), one 2-class
Linear head on h_T, cross-entropy, backward, global-norm clipping at 2, Adam lr 1e-3. float32, inputs ±1.
Arguments: cell (lstm|gru), hidden, batch, steps, threads, repeats.
Prints one JSON line: {"torch": version, "threads": n, "blas": path, "ms": [per-step times]}.
"""
import sys

import torch

from torch_timescales_step import time_and_print


def main() -> None:
    cell = sys.argv[1]
    hidden, batch, steps, threads, reps = (int(v) for v in sys.argv[2:7])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    rnn = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(1, hidden)
    head = torch.nn.Linear(hidden, 2)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    x = torch.where(torch.rand(steps, batch, 1) < 0.5, -1.0, 1.0)
    y = torch.randint(0, 2, (batch,))

    def step() -> None:
        opt.zero_grad()
        out, _ = rnn(x)
        loss = torch.nn.functional.cross_entropy(head(out[-1]), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 2.0)
        opt.step()

    time_and_print(step, reps)


if __name__ == "__main__":
    main()
