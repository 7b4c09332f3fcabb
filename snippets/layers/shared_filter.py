"""Weight sharing: one filter of 3 weights slid along the 8 inputs, then flattened."""
import torch
from torch import nn

torch.manual_seed(5)  # a filter whose three weights differ clearly: easy to tell apart

# --8<-- [start:model]
shared_filter_net = nn.Sequential(
    nn.Unflatten(1, (1, 8)),  # (64, 8) -> (64, 1, 8): one channel
    nn.Conv1d(in_channels=1, out_channels=1, kernel_size=3),  # (64, 1, 6)
    nn.Flatten(),  # (64, 6): six neurons, one per position
    nn.ReLU(),
    nn.Linear(6, 6), nn.ReLU(),
    nn.Linear(6, 3),  # logits; nn.CrossEntropyLoss applies the softmax
)
logits = shared_filter_net(torch.randn(64, 8))
# --8<-- [end:model]
assert logits.shape == (64, 3)
parameter_count = sum(p.numel() for p in shared_filter_net.parameters())
first_layer_parameter_count = sum(p.numel() for p in shared_filter_net[1].parameters())
assert (first_layer_parameter_count, parameter_count) == (4, 67)

# --8<-- [start:topology]
first_layer = shared_filter_net[:3]  # Unflatten, Conv1d, Flatten
jacobian = torch.autograd.functional.jacobian(  # (6, 8): d neuron / d input
    lambda v: first_layer(v.view(1, 8)).view(6), torch.randn(8)
)
filter_weights = shared_filter_net[1].weight.detach().view(3)
for j in range(6):
    torch.testing.assert_close(jacobian[j, j:j + 3], filter_weights)  # same 3
    assert jacobian[j].count_nonzero() == 3  # and nothing else
# --8<-- [end:topology]
band = (jacobian != 0).int().tolist()
assert band[0] == [1, 1, 1, 0, 0, 0, 0, 0] and band[5] == [0, 0, 0, 0, 0, 1, 1, 1]

# --8<-- [start:shift]
conv = shared_filter_net[1]
signal = torch.randn(1, 1, 8)
shift = 1  # places to the right; the last input wraps round to the front
shifted = torch.roll(signal, shifts=shift, dims=-1)
with torch.no_grad():
    moved = torch.roll(conv(signal), shifts=shift, dims=-1)  # the output, moved
    same = torch.isclose(conv(shifted), moved, rtol=0, atol=1e-6).flatten()
assert same.tolist() == [False] * shift + [True] * (6 - shift)  # not at the edge
# --8<-- [end:shift]
# The edge output's window holds the input that wrapped round: no output saw it there.
wrapped_window = torch.cat([signal[..., -shift:], signal[..., :3 - shift]], dim=-1)
with torch.no_grad():
    torch.testing.assert_close(conv(shifted)[..., :1], conv(wrapped_window))
edge_outputs, moved_outputs = int((~same).sum()), int(same.sum())
assert (edge_outputs, moved_outputs) == (1, 5)
