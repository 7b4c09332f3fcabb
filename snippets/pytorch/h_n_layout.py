"""A bidirectional nn.GRU: output[..., :H] is the forward direction, output[..., H:] the
backward one, both in time order; h_n holds layer by layer, forward then backward, so
h_n[-1] is the last layer's backward direction, which ends at the first time step."""
import torch

torch.manual_seed(0)
timesteps, batch, input_size, hidden_size, num_layers = 6, 3, 4, 5, 2
inputs = torch.randn(timesteps, batch, input_size)

# --8<-- [start:reverse]
one_layer = torch.nn.GRU(input_size, hidden_size, bidirectional=True)
alone = {"": torch.nn.GRU(input_size, hidden_size),  # the forward arrays
         "_reverse": torch.nn.GRU(input_size, hidden_size)}  # the backward arrays
with torch.no_grad():
    for suffix, single in alone.items():
        for name, parameter in single.named_parameters():
            parameter.copy_(getattr(one_layer, f"{name}{suffix}"))
    both, _ = one_layer(inputs)
    forward_alone, _ = alone[""](inputs)
    backward_alone, _ = alone["_reverse"](inputs.flip(0))  # from the last step
torch.testing.assert_close(both[..., :hidden_size], forward_alone)
# the backward half is in time order: its run from the end, flipped back
torch.testing.assert_close(both[..., hidden_size:], backward_alone.flip(0))
# --8<-- [end:reverse]

# --8<-- [start:halves]
gru = torch.nn.GRU(
    input_size, hidden_size, num_layers=num_layers, bidirectional=True
)
with torch.no_grad():
    output, h_n = gru(inputs)
forward, backward = output[..., :hidden_size], output[..., hidden_size:]
by_layer = h_n.view(num_layers, 2, batch, hidden_size)  # (layer, direction, N, H)
torch.testing.assert_close(by_layer[-1, 0], forward[-1])  # forward ends at the last
torch.testing.assert_close(by_layer[-1, 1], backward[0])  # backward ends at the first
torch.testing.assert_close(h_n[-1], backward[0])  # h_n[-1]: the last layer, backward
# --8<-- [end:halves]
assert output.shape == (timesteps, batch, 2 * hidden_size)
assert h_n.shape == (num_layers * 2, batch, hidden_size)

# --8<-- [start:both_directions]
last_hidden = torch.cat([h_n[-2], h_n[-1]], dim=-1)  # the last layer, both directions
torch.testing.assert_close(last_hidden, torch.cat([forward[-1], backward[0]], dim=-1))
assert (last_hidden - output[-1]).abs().max() > 1e-2  # output[-1] is not it
# --8<-- [end:both_directions]
