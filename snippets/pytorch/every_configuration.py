"""Every recurrent layer in torch.nn, with and without bias, one or two directions, with
and without proj_size, one to three layers: its arrays, its output and its h_n follow
from its options, and batch_first moves the batch axis of the input and output, not of
the states."""
import itertools
import warnings

import torch

# oneDNN builds run an LSTM with proj_size on their default path, and say so
warnings.filterwarnings("ignore", "LSTM with projections is not supported with oneDNN")

torch.manual_seed(0)
input_size, hidden_size, proj_size, batch, timesteps = 7, 5, 3, 2, 6  # all distinct
gate_blocks = {"RNN": 1, "GRU": 3, "LSTM": 4}  # row blocks: names.py, one_layer


# --8<-- [start:expected]
def expected(kind, num_layers, bidirectional, bias, proj_size):
    directions = 2 if bidirectional else 1
    h_out = proj_size or hidden_size  # what h, the output and h_n hold
    rows = gate_blocks[kind] * hidden_size
    arrays = {}
    suffixes = ("", "_reverse")[:directions]
    for k, suffix in itertools.product(range(num_layers), suffixes):
        reads = input_size if k == 0 else directions * h_out  # the layer below's output
        arrays[f"weight_ih_l{k}{suffix}"] = (rows, reads)
        arrays[f"weight_hh_l{k}{suffix}"] = (rows, h_out)
        if bias:
            arrays[f"bias_ih_l{k}{suffix}"] = arrays[f"bias_hh_l{k}{suffix}"] = (rows,)
        if proj_size:
            arrays[f"weight_hr_l{k}{suffix}"] = (proj_size, hidden_size)  # no bias
    output = (timesteps, batch, directions * h_out)
    h_n = (directions * num_layers, batch, h_out)
    return arrays, output, h_n
# --8<-- [end:expected]


# --8<-- [start:every]
kinds = [layer for layer in vars(torch.nn).values() if isinstance(layer, type)
         and issubclass(layer, torch.nn.RNNBase) and layer is not torch.nn.RNNBase]
checked = []
for kind, num_layers, bidirectional, bias, proj in itertools.product(
        kinds, (1, 2, 3), (False, True), (False, True), (0, proj_size)):
    options = dict(num_layers=num_layers, bidirectional=bidirectional, bias=bias)
    projection = {"proj_size": proj} if proj else {}  # nn.GRU refuses even proj_size=0
    try:
        layer = kind(input_size, hidden_size, **options, **projection)
    except ValueError:  # nn.RNN and nn.GRU refuse proj_size
        assert proj and kind is not torch.nn.LSTM
        continue
    arrays, output_shape, h_n_shape = expected(kind.__name__, proj_size=proj, **options)
    built = [(name, tuple(p.shape)) for name, p in layer.named_parameters()]
    assert built == list(arrays.items())  # names, order and shapes
    inputs = torch.randn(timesteps, batch, input_size)
    with torch.no_grad():
        output, state = layer(inputs)
        layer.batch_first = True  # the same layer, batch first: the states stay put
        output_batch_first, state_batch_first = layer(inputs.transpose(0, 1))
    torch.testing.assert_close(output_batch_first, output.transpose(0, 1))
    torch.testing.assert_close(state_batch_first, state)
    h_n, c_n = state if kind is torch.nn.LSTM else (state, None)
    assert output.shape == output_shape and h_n.shape == h_n_shape
    assert c_n is None or c_n.shape == (h_n_shape[0], batch, hidden_size)
    h_out = h_n.shape[-1]
    last = h_n.view(num_layers, 1 + bidirectional, batch, h_out)[-1]  # the last layer
    torch.testing.assert_close(output[-1, :, :h_out], last[0])  # forward: the last step
    if bidirectional:
        torch.testing.assert_close(output[0, :, h_out:], last[1])  # backward: the first
    checked.append((kind.__name__, num_layers, bidirectional, bias, proj))
# --8<-- [end:every]
assert sorted({kind for kind, *_ in checked}) == ["GRU", "LSTM", "RNN"]
assert len(checked) == 3 * 3 * 2 * 2 + 3 * 2 * 2  # nn.LSTM with proj_size too
