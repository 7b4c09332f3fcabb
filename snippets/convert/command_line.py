"""The command line, run from Python: `python -m weightatlas inspect` on a saved PyTorch
state_dict lists each array, its shape and its gate blocks, rows end-exclusive; one GRU
step computed from the rows it names matches nn.GRU's."""
import io
import json
import tempfile
from pathlib import Path

import numpy as np
import torch

from weightatlas.cli import main

torch.manual_seed(0)
folder = Path(tempfile.mkdtemp())

# --8<-- [start:inspect]
torch_gru = torch.nn.GRU(input_size=3, hidden_size=2, batch_first=True)
torch.save(torch_gru.state_dict(), folder / "gru.pt")
report = io.StringIO()  # python -m weightatlas inspect gru.pt --format json
status = main(["inspect", str(folder / "gru.pt"), "--format", "json"], out=report)
[layer] = json.loads(report.getvalue())["layers"]
weight_ih = layer["arrays"][0]  # its name, its shape, a range of rows per gate
rows = {b["gate"]: slice(b["start"], b["stop"]) for b in weight_ih["blocks"]}
# --8<-- [end:inspect]
assert status == 0 and weight_ih["name"] == "weight_ih_l0"
state_dict = torch_gru.state_dict()
assert [array["name"] for array in layer["arrays"]] == list(state_dict)
for array in layer["arrays"]:  # each array and its shape
    assert tuple(array["shape"]) == tuple(state_dict[array["name"]].shape)
# One step from a zero state, computed with the rows inspect gives each gate.
W, b_i, b_h = torch_gru.weight_ih_l0, torch_gru.bias_ih_l0, torch_gru.bias_hh_l0
x = torch.randn(1, 1, 3)
with torch.no_grad():
    def inside(gate):
        return x[0, 0] @ W[rows[gate]].T + b_i[rows[gate]]
    r = torch.sigmoid(inside("r") + b_h[rows["r"]])
    z = torch.sigmoid(inside("z") + b_h[rows["z"]])
    n = torch.tanh(inside("n") + r * b_h[rows["n"]])
    output, _ = torch_gru(x)
np.testing.assert_allclose((1 - z).numpy() * n.numpy(), output[0, 0].numpy(), atol=1e-6)
