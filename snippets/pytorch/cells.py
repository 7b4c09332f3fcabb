"""A PyTorch cell with a layer's l0 arrays, stepped over a sequence, ends on its h_n."""
import torch

torch.manual_seed(0)
input_size, hidden_size = 4, 5
inputs = torch.randn(6, 3, input_size)  # (timesteps, batch, features)

# --8<-- [start:copy]
for Layer, Cell in (
    (torch.nn.RNN, torch.nn.RNNCell),
    (torch.nn.GRU, torch.nn.GRUCell),
    (torch.nn.LSTM, torch.nn.LSTMCell),
):
    layer, cell = Layer(input_size, hidden_size), Cell(input_size, hidden_size)
    with torch.no_grad():
        for name, parameter in cell.named_parameters():
            parameter.copy_(getattr(layer, f"{name}_l0"))  # weight_ih_l0, ...
        _, h_n = layer(inputs)
        state = torch.zeros(3, hidden_size)
        state = (state, state) if Cell is torch.nn.LSTMCell else state
        for x in inputs:
            state = cell(x, state)
    h = state[0] if Cell is torch.nn.LSTMCell else state
    h_n = h_n[0] if Layer is torch.nn.LSTM else h_n
    torch.testing.assert_close(h, h_n[0])
# --8<-- [end:copy]
