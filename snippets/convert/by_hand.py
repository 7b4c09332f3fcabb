"""The three rules by hand: transpose, reorder the GRU's blocks, split the bias."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 6, 5)).astype("float32")  # (batch, timesteps, features)


def random_weights(layer):
    """Random values for every array, the bias too, so no block looks like another."""
    layer.build((None, None, 5))
    layer.set_weights([rng.normal(size=w.shape) for w in layer.get_weights()])
    return np.asarray(layer(inputs))


# --8<-- [start:lstm]
keras_lstm = keras.layers.LSTM(units=4, return_sequences=True)
keras_output = random_weights(keras_lstm)
kernel, recurrent_kernel, bias = keras_lstm.get_weights()
torch_lstm = torch.nn.LSTM(input_size=5, hidden_size=4, batch_first=True)
with torch.no_grad():
    torch_lstm.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
    torch_lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
    torch_lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
    torch_lstm.bias_hh_l0.zero_()
    torch_output, _ = torch_lstm(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:lstm]
lstm_error = float(np.abs(torch_output.numpy() - keras_output).max())


# --8<-- [start:gru]
def z_r_h_to_r_z_h(array):
    z, r, h = np.split(array, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


keras_gru = keras.layers.GRU(units=4, return_sequences=True)  # reset_after=True
keras_output = random_weights(keras_gru)
kernel, recurrent_kernel, bias = keras_gru.get_weights()  # bias: (2, 12)
torch_gru = torch.nn.GRU(input_size=5, hidden_size=4, batch_first=True)
with torch.no_grad():
    torch_gru.weight_ih_l0.copy_(torch.from_numpy(z_r_h_to_r_z_h(kernel).T))
    torch_gru.weight_hh_l0.copy_(torch.from_numpy(z_r_h_to_r_z_h(recurrent_kernel).T))
    torch_gru.bias_ih_l0.copy_(torch.from_numpy(z_r_h_to_r_z_h(bias[0])))
    torch_gru.bias_hh_l0.copy_(torch.from_numpy(z_r_h_to_r_z_h(bias[1])))
    torch_output, _ = torch_gru(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:gru]
gru_error = float(np.abs(torch_output.numpy() - keras_output).max())

# --8<-- [start:simple_rnn]
keras_rnn = keras.layers.SimpleRNN(units=4, return_sequences=True)
keras_output = random_weights(keras_rnn)
kernel, recurrent_kernel, bias = keras_rnn.get_weights()
torch_rnn = torch.nn.RNN(input_size=5, hidden_size=4, batch_first=True)  # tanh
with torch.no_grad():
    torch_rnn.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
    torch_rnn.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
    torch_rnn.bias_ih_l0.copy_(torch.from_numpy(bias))
    torch_rnn.bias_hh_l0.zero_()
    torch_output, _ = torch_rnn(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:simple_rnn]
simple_rnn_error = float(np.abs(torch_output.numpy() - keras_output).max())
assert max(lstm_error, gru_error, simple_rnn_error) < 1e-6
