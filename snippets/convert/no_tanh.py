"""nn.LSTM's output already is h_t = o_t * tanh(c_t), as Keras' is: add no tanh to it."""
import keras
import numpy as np
import torch

from snippets.convert.recurrent import TORCH_BLOCKS, keras_to_torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
inputs = rng.normal(size=(3, 7, 4)).astype("float32")  # (batch, timesteps, features)
keras_lstm = keras.layers.LSTM(units=5, return_sequences=True, return_state=True)
keras_lstm.build((None, None, 4))
keras_lstm.set_weights([rng.normal(size=w.shape) for w in keras_lstm.get_weights()])

# --8<-- [start:compare]
keras_output, keras_h, keras_c = (np.asarray(array) for array in keras_lstm(inputs))
torch_lstm = keras_to_torch(keras_lstm)
with torch.no_grad():
    torch_output, (h_n, c_n) = torch_lstm(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)  # as it comes
np.testing.assert_allclose(c_n[0].numpy(), keras_c, atol=1e-6)
extra_tanh_error = float(np.abs(np.tanh(torch_output.numpy()) - keras_output).max())
assert extra_tanh_error > 0.01
# --8<-- [end:compare]
largest_difference = float(np.abs(torch_output.numpy() - keras_output).max())
assert largest_difference < 1e-6

# --8<-- [start:inside]
weight_ih = torch_lstm.weight_ih_l0.detach()
weight_hh = torch_lstm.weight_hh_l0.detach()
bias = (torch_lstm.bias_ih_l0 + torch_lstm.bias_hh_l0).detach()
output_gate = TORCH_BLOCKS["LSTM"].index("o")
W_o, U_o, b_o = (array.chunk(4)[output_gate] for array in (weight_ih, weight_hh, bias))
x_last, h_before_last = torch.from_numpy(inputs[:, -1]), torch_output[:, -2]
o = torch.sigmoid(x_last @ W_o.T + h_before_last @ U_o.T + b_o)
torch.testing.assert_close(torch_output[:, -1], o * torch.tanh(c_n[0]))
# --8<-- [end:inside]
