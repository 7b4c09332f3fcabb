"""nn.LSTM's forget gate is rows hidden_size:2 * hidden_size of each bias; the biases
add."""
import copy

import torch

torch.manual_seed(0)
hidden_size = 5
base = torch.nn.LSTM(input_size=4, hidden_size=hidden_size, batch_first=True)
inputs = torch.randn(3, 6, 4)


def run(lstm):
    with torch.no_grad():
        return lstm(inputs)[0]


def with_forget_bias(ih, hh):
    lstm = copy.deepcopy(base)
    with torch.no_grad():
        lstm.bias_ih_l0[hidden_size:2 * hidden_size] = ih
        lstm.bias_hh_l0[hidden_size:2 * hidden_size] = hh
    return lstm


# --8<-- [start:set]
lstm = copy.deepcopy(base)
forget = slice(hidden_size, 2 * hidden_size)  # block 1 of i, f, g, o
with torch.no_grad():
    lstm.bias_ih_l0[forget] = 1.0
    lstm.bias_hh_l0[forget] = 0.0  # the two biases add: zero one of them
# --8<-- [end:set]
effective_forget_bias = (lstm.bias_ih_l0 + lstm.bias_hh_l0)[forget].tolist()
assert effective_forget_bias == [1.0] * hidden_size
torch.testing.assert_close(run(lstm), run(with_forget_bias(0.0, 1.0)))

# --8<-- [start:recipe]
both = copy.deepcopy(base)
with torch.no_grad():
    for name, parameter in both.named_parameters():
        if name.startswith("bias"):
            parameter[forget] = 1.0  # sets bias_ih_l0 and bias_hh_l0
torch.testing.assert_close(run(both), run(with_forget_bias(2.0, 0.0)))
assert not torch.allclose(run(both), run(lstm), atol=1e-5)
# --8<-- [end:recipe]
