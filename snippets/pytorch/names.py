"""nn.RNN, nn.LSTM and nn.GRU name their arrays weight_ih_l{k}, weight_hh_l{k},
bias_ih_l{k}, bias_hh_l{k}, _reverse for the backward direction; cells drop the
suffix."""
import warnings

import torch

input_size, hidden_size = 4, 5


def shapes(module):
    return {name: tuple(p.shape) for name, p in module.named_parameters()}


# --8<-- [start:one_layer]
layers = {
    "RNN": torch.nn.RNN(input_size, hidden_size),
    "GRU": torch.nn.GRU(input_size, hidden_size),
    "LSTM": torch.nn.LSTM(input_size, hidden_size),
}
gate_blocks = {
    name: layer.weight_ih_l0.shape[0] // hidden_size
    for name, layer in layers.items()
}
# --8<-- [end:one_layer]
assert gate_blocks == {"RNN": 1, "GRU": 3, "LSTM": 4}
for name, layer in layers.items():
    rows = gate_blocks[name] * hidden_size
    assert shapes(layer) == {
        "weight_ih_l0": (rows, input_size), "weight_hh_l0": (rows, hidden_size),
        "bias_ih_l0": (rows,), "bias_hh_l0": (rows,),
    }

# --8<-- [start:suffixes]
deep = torch.nn.GRU(input_size, hidden_size, num_layers=2, bidirectional=True)
deep_shapes = shapes(deep)
assert list(deep_shapes)[:8] == [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
    "weight_ih_l0_reverse", "weight_hh_l0_reverse",
    "bias_ih_l0_reverse", "bias_hh_l0_reverse",
]
# Layer 1 reads both directions of layer 0: 2 * hidden_size features.
assert deep_shapes["weight_ih_l1"] == (3 * hidden_size, 2 * hidden_size)
# --8<-- [end:suffixes]
assert len(deep_shapes) == 16 and deep_shapes["weight_ih_l1_reverse"] == (15, 10)

# --8<-- [start:projected_stack]
projected_stack = torch.nn.LSTM(
    input_size, hidden_size, num_layers=2, bidirectional=True, proj_size=2
)
# layer 1 reads both directions of layer 0, each proj_size wide, not hidden_size
assert projected_stack.weight_ih_l1.shape == (4 * hidden_size, 2 * 2)
# --8<-- [end:projected_stack]

# --8<-- [start:cells]
cells = {
    "RNNCell": torch.nn.RNNCell(input_size, hidden_size),
    "GRUCell": torch.nn.GRUCell(input_size, hidden_size),
    "LSTMCell": torch.nn.LSTMCell(input_size, hidden_size),
}
cell_names = {name: list(shapes(cell)) for name, cell in cells.items()}
for names in cell_names.values():
    assert names == ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]
# --8<-- [end:cells]

# --8<-- [start:proj_size]
projected = torch.nn.LSTM(
    input_size, hidden_size, proj_size=2, batch_first=True
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # oneDNN builds warn: a slower path
    output, (h_n, c_n) = projected(torch.randn(3, 6, input_size))
projected_shapes = shapes(projected)
assert projected_shapes["weight_hr_l0"] == (2, hidden_size)
assert projected_shapes["weight_hh_l0"] == (4 * hidden_size, 2)  # projected h
assert (output.shape[-1], h_n.shape[-1], c_n.shape[-1]) == (2, 2, hidden_size)
# --8<-- [end:proj_size]

try:
    torch.nn.GRU(input_size, hidden_size, proj_size=2)
except ValueError as error:
    proj_size_error = str(error)
assert proj_size_error == (
    "proj_size argument is only supported for LSTM, not RNN or GRU"
)
