"""Helper of pytorchInterchange.test.ts: loads a cell file written by the library into torch.nn.LSTM / nn.GRU by the
recipe of lib/src/dynamics/gated/pytorchLayout.ts, runs it on the inputs given (T × B × I, float64) and prints its
outputs h_1 … h_T; then writes a freshly initialised PyTorch module of the same kind to `out` by the reverse recipe,
with its outputs on the same inputs. Arguments: cell_file, inputs_file, out_file."""
import json
import sys

import torch

cell_file, inputs_file, out_file = sys.argv[1:4]
d = json.load(open(cell_file))
m = getattr(torch.nn, d["module"].split(".")[-1])(d["input_size"], d["hidden_size"]).double()
m.load_state_dict({k: torch.tensor(v, dtype=torch.float64) for k, v in d["state_dict"].items()})
x = torch.tensor(json.load(open(inputs_file)), dtype=torch.float64)
with torch.no_grad():
    ours, _ = m(x)
torch.manual_seed(7)
fresh = getattr(torch.nn, d["module"].split(".")[-1])(d["input_size"], d["hidden_size"]).double()
with torch.no_grad():
    theirs, _ = fresh(x)
json.dump({"module": d["module"], "input_size": d["input_size"], "hidden_size": d["hidden_size"],
           "state_dict": {k: v.tolist() for k, v in fresh.state_dict().items()}}, open(out_file, "w"))
print(json.dumps({"loaded_outputs": ours.tolist(), "fresh_outputs": theirs.tolist()}))
