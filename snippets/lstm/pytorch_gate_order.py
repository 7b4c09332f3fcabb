"""One step of nn.LSTM in NumPy: transposed weights, gates in the order i, f, g, o, two biases."""
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
