"""nn.LSTM with proj_size: h_0 and h_n hold proj_size entries, c_0 and c_n hidden_size;
weight_hr_l0 projects o * tanh(c) down without a bias; proj_size must stay below
hidden_size."""
import warnings

import numpy as np
import torch

# oneDNN builds run an LSTM with proj_size on their default path, and say so
warnings.filterwarnings("ignore", "LSTM with projections is not supported with oneDNN")
torch.manual_seed(0)
batch, input_size, hidden_size, proj_size = 3, 4, 5, 2

# --8<-- [start:states]
lstm = torch.nn.LSTM(input_size, hidden_size, proj_size=proj_size)
h_0 = torch.randn(1, batch, proj_size)  # proj_size entries
c_0 = torch.randn(1, batch, hidden_size)  # hidden_size entries
x = torch.randn(1, batch, input_size)  # one time step
with torch.no_grad():
    output, (h_1, c_1) = lstm(x, (h_0, c_0))
try:
    lstm(x, (torch.zeros(1, batch, hidden_size), c_0))  # h_0 as wide as c_0
except RuntimeError as error:
    h_0_error = str(error)
assert h_0_error == "Expected hidden[0] size (1, 3, 2), got [1, 3, 5]"
# --8<-- [end:states]
assert [name for name, _ in lstm.named_parameters()] == [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"]

# --8<-- [start:projection]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


W = {name: p.detach().numpy() for name, p in lstm.named_parameters()}
z = (x[0].numpy() @ W["weight_ih_l0"].T + W["bias_ih_l0"]
     + h_0[0].numpy() @ W["weight_hh_l0"].T + W["bias_hh_l0"])
z_i, z_f, z_g, z_o = np.split(z, 4, axis=1)  # nn.LSTM's order: i, f, g, o
c = sigmoid(z_f) * c_0[0].numpy() + sigmoid(z_i) * np.tanh(z_g)
h = (sigmoid(z_o) * np.tanh(c)) @ W["weight_hr_l0"].T  # the projection: no bias
np.testing.assert_allclose(h, h_1[0].numpy(), atol=1e-6)
np.testing.assert_allclose(c, c_1[0].numpy(), atol=1e-6)
# --8<-- [end:projection]

# --8<-- [start:smaller]
try:
    torch.nn.LSTM(input_size, hidden_size, proj_size=hidden_size)
except ValueError as error:
    too_wide_error = str(error)
assert too_wide_error == "proj_size has to be smaller than hidden_size"
# --8<-- [end:smaller]
