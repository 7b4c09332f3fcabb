"""nn.RNN(nonlinearity="relu") computes h = relu(x @ W_ih.T + b_ih + h @ W_hh.T + b_hh);
tanh is the default, "tanh" and "relu" are the two choices, and nn.LSTM and nn.GRU
take no nonlinearity."""
import numpy as np
import torch

torch.manual_seed(0)
timesteps, batch, input_size, hidden_size = 6, 3, 4, 5

# --8<-- [start:relu]
rnn = torch.nn.RNN(input_size, hidden_size, nonlinearity="relu")
inputs = torch.randn(timesteps, batch, input_size)
with torch.no_grad():
    _, h_n = rnn(inputs)
W_ih, W_hh, b_ih, b_hh = (p.detach().numpy() for p in rnn.parameters())
h = np.zeros((batch, hidden_size))
for x in inputs.numpy():
    h = np.maximum(0, x @ W_ih.T + b_ih + h @ W_hh.T + b_hh)  # relu, not tanh
np.testing.assert_allclose(h, h_n[0].numpy(), atol=1e-6)
# --8<-- [end:relu]
default = torch.nn.RNN(input_size, hidden_size)
assert default.nonlinearity == "tanh" and default.mode == "RNN_TANH"
assert rnn.mode == "RNN_RELU"

# --8<-- [start:refused]
try:
    torch.nn.RNN(input_size, hidden_size, nonlinearity="gelu")
except ValueError as error:
    rnn_error = str(error)
assert rnn_error == "Unknown nonlinearity 'gelu'. Select from 'tanh' or 'relu'."
refused = {}
for Layer in (torch.nn.LSTM, torch.nn.GRU):
    try:
        Layer(input_size, hidden_size, nonlinearity="relu")
    except TypeError as error:
        refused[Layer.__name__] = str(error)
assert set(refused) == {"LSTM", "GRU"}
assert "unexpected keyword argument 'nonlinearity'" in refused["GRU"]
# --8<-- [end:refused]
