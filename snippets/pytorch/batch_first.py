"""batch_first=True moves the batch axis of the input and the output, not of the states:
h_n and c_n keep their layer-and-direction axis first."""
import re

import torch

torch.manual_seed(0)
batch, timesteps, input_size, hidden_size, num_layers = 3, 6, 4, 5, 2

# --8<-- [start:shapes]
lstm = torch.nn.LSTM(
    input_size, hidden_size, num_layers=num_layers, batch_first=True
)
inputs = torch.randn(batch, timesteps, input_size)  # batch first
with torch.no_grad():
    output, (h_n, c_n) = lstm(inputs)
assert output.shape == (batch, timesteps, hidden_size)  # batch first
assert h_n.shape == c_n.shape == (num_layers, batch, hidden_size)  # layer first
torch.testing.assert_close(h_n[-1], output[:, -1])  # the last layer's last step
with torch.no_grad():
    lstm(inputs, (h_n, c_n))  # h_n is laid out as the initial state h_0 is
# --8<-- [end:shapes]

# --8<-- [start:docstring]
docstring = " ".join(torch.nn.LSTM.__doc__.split())
batch_first_says = re.search(r"batch_first: (.*?states\.)", docstring)[1]
assert "this does not apply to hidden or cell states" in batch_first_says
# --8<-- [end:docstring]

# --8<-- [start:initial_state]
h_0 = torch.zeros(batch, num_layers, hidden_size)  # batch first: wrong
try:
    lstm(inputs, (h_0, h_0))
except RuntimeError as error:
    state_error = str(error)
assert state_error == "Expected hidden[0] size (2, 3, 5), got [3, 2, 5]"
# --8<-- [end:initial_state]
