"""The network from the question, run as written: Conv1d(1, 6, 3), Linear(6, 6),
Linear(6, 3), then a softmax without dim."""
import warnings

import torch
from torch import nn

torch.manual_seed(0)

# --8<-- [start:network]
readers_net = nn.Sequential(
    nn.Conv1d(in_channels=1, out_channels=6, kernel_size=3), nn.ReLU(),
    nn.Linear(in_features=6, out_features=6), nn.ReLU(),
    nn.Linear(in_features=6, out_features=3),
    nn.Softmax(),  # no dim, as in the question
)
x = torch.randn(64, 1, 8)  # (batch, channels, length)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    probabilities = readers_net(x)
# --8<-- [end:network]
assert probabilities.shape == (64, 6, 3)
[softmax_warning] = caught
assert softmax_warning.category is UserWarning
assert str(softmax_warning.message) == (
    "Implicit dimension choice for softmax has been deprecated. "
    "Change the call to include dim=X as an argument."
)

# --8<-- [start:axes]
conv_output = readers_net[0](x)  # (batch, out_channels, positions)
filters, positions = conv_output.shape[1:]
sums_over_batch = probabilities.sum(dim=0)  # (6, 3): every entry is 1
sums_over_classes = probabilities.sum(dim=-1)  # (64, 6): not 1
torch.testing.assert_close(sums_over_batch, torch.ones(6, 3))
assert not torch.allclose(sums_over_classes, torch.ones(64, 6))
# --8<-- [end:axes]
assert conv_output.shape == (64, 6, 6) and (filters, positions) == (6, 6)


def axes_summing_to_one(tensor):
    one = torch.tensor(1.0)
    return [dim for dim in range(tensor.dim()) if torch.allclose(tensor.sum(dim), one)]


softmax_axis = axes_summing_to_one(probabilities)
assert softmax_axis == [0]  # the batch axis

# On a (64, 3) output the same missing dim picks dim=1, the classes (and still warns).
with warnings.catch_warnings(record=True) as caught_2d:
    warnings.simplefilter("always")
    softmax_axis_2d = axes_summing_to_one(nn.Softmax()(torch.randn(64, 3)))
assert softmax_axis_2d == [1] and len(caught_2d) == 1

# Linear acts on the last axis: the positions of each filter, one weight matrix for all.
after_linear = readers_net[2](conv_output)
torch.testing.assert_close(after_linear[:, 4], readers_net[2](conv_output[:, 4]))

# Each (filter, position) pair is a neuron that sees 3 consecutive inputs: 36 of them.
jacobian = torch.autograd.functional.jacobian(
    lambda v: readers_net[0](v.view(1, 1, 8)), x[0, 0]
)
sees = (jacobian.view(filters, positions, 8) != 0).sum(-1)
assert torch.all(sees == 3) and sees.numel() == 36
parameter_count = sum(p.numel() for p in readers_net.parameters())
conv_parameter_count = sum(p.numel() for p in readers_net[0].parameters())
assert (conv_parameter_count, parameter_count) == (24, 87)
