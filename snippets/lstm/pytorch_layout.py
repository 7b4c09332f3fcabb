"""nn.LSTM's names and shapes: batch_first, proj_size, num_layers and bidirectional."""
import torch

torch.manual_seed(0)
input_size, hidden_size, proj_size = 5, 120, 30
batch, timesteps = 3, 7


def shapes(lstm):
    return {name: tuple(parameter.shape) for name, parameter in lstm.named_parameters()}


# --8<-- [start:batch_first]
time_major = torch.nn.LSTM(input_size, hidden_size)  # batch_first=False
batch_major = torch.nn.LSTM(input_size, hidden_size, batch_first=True)
with torch.no_grad():
    time_major_output, _ = time_major(torch.randn(timesteps, batch, input_size))
    batch_major_output, _ = batch_major(torch.randn(batch, timesteps, input_size))
# --8<-- [end:batch_first]
output_shapes = {
    "batch_first=False": tuple(time_major_output.shape),
    "batch_first=True": tuple(batch_major_output.shape),
}
assert output_shapes == {"batch_first=False": (7, 3, 120), "batch_first=True": (3, 7, 120)}
assert time_major.batch_first is False
single_layer = shapes(time_major)
assert single_layer == shapes(batch_major) == {
    "weight_ih_l0": (480, 5),
    "weight_hh_l0": (480, 120),
    "bias_ih_l0": (480,),
    "bias_hh_l0": (480,),
}

# --8<-- [start:proj_size]
projected = shapes(torch.nn.LSTM(input_size, hidden_size, proj_size=proj_size))
assert projected["weight_hh_l0"] == (4 * hidden_size, proj_size)
assert projected["weight_hr_l0"] == (proj_size, hidden_size)
# --8<-- [end:proj_size]

# --8<-- [start:num_layers]
two_layers = shapes(torch.nn.LSTM(input_size, hidden_size, num_layers=2))
assert two_layers["weight_ih_l0"] == (4 * hidden_size, input_size)
assert two_layers["weight_ih_l1"] == (4 * hidden_size, hidden_size)
# --8<-- [end:num_layers]

# --8<-- [start:bidirectional]
bidirectional = shapes(
    torch.nn.LSTM(input_size, hidden_size, num_layers=2, bidirectional=True)
)
assert bidirectional["weight_ih_l0_reverse"] == (4 * hidden_size, input_size)
assert bidirectional["weight_ih_l1"] == (4 * hidden_size, 2 * hidden_size)
assert bidirectional["weight_ih_l1_reverse"] == (4 * hidden_size, 2 * hidden_size)
# --8<-- [end:bidirectional]
assert list(projected) == [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"
]
assert len(two_layers) == 8 and len(bidirectional) == 16
