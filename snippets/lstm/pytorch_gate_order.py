"""nn.LSTM in NumPy: transposed weights, two biases, gates in the order i, f, g, o and no other."""
import itertools

import numpy as np
import torch

torch.manual_seed(0)
lstm = torch.nn.LSTM(input_size=5, hidden_size=120, batch_first=True)
inputs, h_0, c_0 = torch.randn(3, 1, 5), torch.randn(1, 3, 120), torch.randn(1, 3, 120)
with torch.no_grad():
    _, (h_1, c_1) = lstm(inputs, (h_0, c_0))
weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0 = (
    parameter.detach().numpy() for parameter in lstm.parameters()
)
x, h, c = inputs[:, 0].numpy(), h_0[0].numpy(), c_0[0].numpy()


# --8<-- [start:step]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


z = x @ weight_ih_l0.T + h @ weight_hh_l0.T + bias_ih_l0 + bias_hh_l0
z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)
c = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_g)
h = sigmoid(z_o) * np.tanh(c)
np.testing.assert_allclose(h, h_1[0].numpy(), atol=1e-6)
np.testing.assert_allclose(c, c_1[0].numpy(), atol=1e-6)
# --8<-- [end:step]

# --8<-- [start:one_bias]
with torch.no_grad():
    lstm.bias_ih_l0 += lstm.bias_hh_l0
    lstm.bias_hh_l0.zero_()
    _, (h_1_one_bias, c_1_one_bias) = lstm(inputs, (h_0, c_0))
torch.testing.assert_close(h_1_one_bias, h_1)
torch.testing.assert_close(c_1_one_bias, c_1)
# --8<-- [end:one_bias]

# --8<-- [start:orders]
torch.manual_seed(0)
sequence_lstm = torch.nn.LSTM(input_size=4, hidden_size=5, batch_first=True)
with torch.no_grad():
    for parameter in sequence_lstm.parameters():
        parameter.normal_()
    sequence = torch.randn(3, 6, 4)  # (batch, timesteps, features)
    all_h, (last_h, last_c) = sequence_lstm(sequence)
weights = [parameter.detach().numpy() for parameter in sequence_lstm.parameters()]


def lstm_numpy(inputs, weight_ih, weight_hh, bias_ih, bias_hh, order="ifgo"):
    W = dict(zip(order, np.split(weight_ih, 4, axis=0)))
    U = dict(zip(order, np.split(weight_hh, 4, axis=0)))
    b = dict(zip(order, np.split(bias_ih + bias_hh, 4)))
    h = c = np.zeros((inputs.shape[0], weight_hh.shape[1]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        i, f, o = (sigmoid(x @ W[k].T + h @ U[k].T + b[k]) for k in "ifo")
        g = np.tanh(x @ W["g"].T + h @ U["g"].T + b["g"])
        c = f * c + i * g
        h = o * np.tanh(c)
        all_h.append(h)
    return np.stack(all_h, axis=1), c


max_error = {}
for order in map("".join, itertools.permutations("ifgo")):
    numpy_all_h, numpy_last_c = lstm_numpy(sequence.numpy(), *weights, order=order)
    max_error[order] = max(
        np.abs(numpy_all_h - all_h.numpy()).max(),
        np.abs(numpy_last_c - last_c[0].numpy()).max(),
    ).item()
matching = [order for order, error in max_error.items() if error < 1e-6]
assert len(max_error) == 24 and matching == ["ifgo"]
assert all(error > 1e-2 for order, error in max_error.items() if order != "ifgo")
# --8<-- [end:orders]

proven_order = tuple(matching[0])
