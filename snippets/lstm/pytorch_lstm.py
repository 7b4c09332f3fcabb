"""PyTorch's nn.LSTM stores the four gate blocks as rows of weight_ih_l0 and weight_hh_l0."""
import numpy as np
import torch

torch.manual_seed(0)
# --8<-- [start:split]
lstm = torch.nn.LSTM(input_size=5, hidden_size=120, batch_first=True)
weight_ih_l0 = lstm.weight_ih_l0.detach().numpy()  # (480, 5)
weight_hh_l0 = lstm.weight_hh_l0.detach().numpy()  # (480, 120)
bias = lstm.bias_ih_l0.detach().numpy() + lstm.bias_hh_l0.detach().numpy()  # (480,)
W_i, W_f, W_g, W_o = np.split(weight_ih_l0, 4, axis=0)
U_i, U_f, U_g, U_o = np.split(weight_hh_l0, 4, axis=0)
b_i, b_f, b_g, b_o = np.split(bias, 4)
# --8<-- [end:split]
shapes = {name: tuple(parameter.shape) for name, parameter in lstm.named_parameters()}
assert shapes == {
    "weight_ih_l0": (480, 5),
    "weight_hh_l0": (480, 120),
    "bias_ih_l0": (480,),
    "bias_hh_l0": (480,),
}
assert all(block.shape == (120, 5) for block in (W_i, W_f, W_g, W_o))
assert all(block.shape == (120, 120) for block in (U_i, U_f, U_g, U_o))
assert all(block.shape == (120,) for block in (b_i, b_f, b_g, b_o))
np.testing.assert_array_equal(W_f, weight_ih_l0[120:240])
