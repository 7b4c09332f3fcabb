"""weightatlas in use: a layer, a stack, Bidirectional, PyTorch to Keras, arrays."""
import keras
import numpy as np
import torch

from weightatlas import keras_to_torch, keras_to_torch_arrays, torch_to_keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 6, 5)).astype("float32")  # (batch, timesteps, features)

# --8<-- [start:one_layer]
keras_lstm = keras.layers.LSTM(units=4, return_sequences=True)
keras_output = keras_lstm(inputs)  # builds the layer: it has weights now
torch_lstm = keras_to_torch(keras_lstm)  # nn.LSTM(5, 4, batch_first=True)
with torch.no_grad():
    torch_output, (h_n, c_n) = torch_lstm(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:one_layer]
assert (torch_lstm.input_size, torch_lstm.hidden_size, torch_lstm.batch_first) == (5, 4, True)

# --8<-- [start:stack]
keras_layers = [
    keras.layers.Bidirectional(keras.layers.GRU(units=4, return_sequences=True)),
    keras.layers.Bidirectional(keras.layers.GRU(units=4, return_sequences=True)),
]
keras_output = keras.Sequential(keras_layers)(inputs)
torch_gru = keras_to_torch(keras_layers)  # num_layers=2, bidirectional=True
with torch.no_grad():
    torch_output, h_n = torch_gru(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:stack]
assert (torch_gru.num_layers, torch_gru.bidirectional) == (2, True)
assert tuple(torch_output.shape) == (2, 6, 8) and tuple(h_n.shape) == (4, 2, 4)

# --8<-- [start:torch_to_keras]
torch_rnn = torch.nn.RNN(input_size=5, hidden_size=4, num_layers=2, nonlinearity="relu",
                         bias=False)  # batch_first=False: (timesteps, batch, features)
keras_layers = torch_to_keras(torch_rnn)  # [SimpleRNN, SimpleRNN]
keras_model = keras.Sequential([keras.Input(shape=(None, 5)), *keras_layers])
with torch.no_grad():
    torch_output, h_n = torch_rnn(torch.from_numpy(inputs).transpose(0, 1))
keras_output = keras_model(inputs)  # (batch, timesteps, features)
np.testing.assert_allclose(keras_output, torch_output.transpose(0, 1), atol=1e-6)
# --8<-- [end:torch_to_keras]
assert [type(layer).__name__ for layer in keras_layers] == ["SimpleRNN", "SimpleRNN"]
assert [layer.activation.__name__ for layer in keras_layers] == ["relu", "relu"]
assert [len(layer.get_weights()) for layer in keras_layers] == [2, 2]  # no bias

# --8<-- [start:last_step]
last_step_errors = []
for seed in range(5):  # Keras' initial weights and random inputs from each seed
    keras.utils.set_random_seed(seed)
    x = np.random.default_rng(seed).normal(size=(2, 6, 5)).astype("float32")
    keras_bidirectional = keras.layers.Bidirectional(
        keras.layers.LSTM(units=4)
    )  # last step only
    keras_last = np.asarray(keras_bidirectional(x))
    torch_bidirectional = keras_to_torch(keras_bidirectional)
    with torch.no_grad():
        output, (h_n, c_n) = torch_bidirectional(torch.from_numpy(x))
    last = torch.cat([h_n[-2], h_n[-1]], dim=1)  # each direction's final state
    np.testing.assert_allclose(last.numpy(), keras_last, atol=1e-6)
    np.testing.assert_array_equal(output[:, -1, :4], last[:, :4])  # forward: the same
    last_step_errors.append(float(np.abs(output[:, -1].numpy() - keras_last).max()))
assert min(last_step_errors) > 1e-2  # output[:, -1]: the backward half's first step
# --8<-- [end:last_step]

# --8<-- [start:arrays]
keras_gru = keras.layers.GRU(units=4, return_sequences=True)
keras_output = keras_gru(inputs)
kernel, recurrent_kernel, bias = keras_gru.get_weights()
arrays = keras_to_torch_arrays("GRU", kernel, recurrent_kernel, bias)
names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
torch_gru = torch.nn.GRU(input_size=5, hidden_size=4, batch_first=True)
torch_gru.load_state_dict({name: torch.tensor(a) for name, a in zip(names, arrays)})
with torch.no_grad():
    torch_output, h_n = torch_gru(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:arrays]
assert arrays[0].shape == (12, 5) and bias.shape == (2, 12)
