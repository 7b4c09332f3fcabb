"""nn.LSTM's output already is h_t = o_t * tanh(c_t), as Keras' is: add no tanh to it."""
import keras
import numpy as np
import torch

from snippets.convert.recurrent import TORCH_BLOCKS, keras_to_torch

keras.utils.set_random_seed(0)

# --8<-- [start:compare]
largest_differences, extra_tanh_errors = [], []
for seed in range(5):  # random weights and inputs from each seed
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(3, 7, 4)).astype("float32")  # batch, timesteps, features
    keras_lstm = keras.layers.LSTM(units=5, return_sequences=True, return_state=True)
    keras_lstm.build((None, None, 4))
    keras_lstm.set_weights([rng.normal(size=w.shape) for w in keras_lstm.weights])
    keras_output, keras_h, keras_c = (np.asarray(a) for a in keras_lstm(inputs))
    torch_lstm = keras_to_torch(keras_lstm)
    with torch.no_grad():
        torch_output, (h_n, c_n) = torch_lstm(torch.from_numpy(inputs))
    np.testing.assert_allclose(c_n[0].numpy(), keras_c, atol=1e-6)
    as_it_comes = np.abs(torch_output.numpy() - keras_output).max()
    one_more_tanh = np.abs(np.tanh(torch_output.numpy()) - keras_output).max()
    largest_differences.append(float(as_it_comes))
    extra_tanh_errors.append(float(one_more_tanh))
assert max(largest_differences) < 1e-6 and min(extra_tanh_errors) > 0.01
# --8<-- [end:compare]

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
