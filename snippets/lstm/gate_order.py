"""Keras' gate order is [i, f, c, o]: a NumPy LSTM matches keras.layers.LSTM in no other order."""
import itertools

import keras
import numpy as np

# --8<-- [start:keras]
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, timesteps, input_dim, units = 3, 6, 4, 5
layer = keras.layers.LSTM(units=units, return_sequences=True, return_state=True)
layer.build((None, None, input_dim))
layer.set_weights([
    rng.normal(size=(input_dim, 4 * units)),  # kernel
    rng.normal(size=(units, 4 * units)),      # recurrent_kernel
    rng.normal(size=(4 * units,)),            # bias
])
inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
all_h, last_h, last_c = (keras.ops.convert_to_numpy(array) for array in layer(inputs))
kernel, recurrent_kernel, bias = layer.get_weights()
# --8<-- [end:keras]


# --8<-- [start:numpy]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_numpy(inputs, kernel, recurrent_kernel, bias, order="ifco"):
    W = dict(zip(order, np.split(kernel, 4, axis=1)))
    U = dict(zip(order, np.split(recurrent_kernel, 4, axis=1)))
    b = dict(zip(order, np.split(bias, 4)))
    h = c = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):  # one timestep at a time
        i = sigmoid(x @ W["i"] + h @ U["i"] + b["i"])
        f = sigmoid(x @ W["f"] + h @ U["f"] + b["f"])
        c_tilde = np.tanh(x @ W["c"] + h @ U["c"] + b["c"])
        o = sigmoid(x @ W["o"] + h @ U["o"] + b["o"])
        c = f * c + i * c_tilde
        h = o * np.tanh(c)
        all_h.append(h)
    return np.stack(all_h, axis=1), h, c
# --8<-- [end:numpy]


# --8<-- [start:compare]
numpy_all_h, numpy_last_h, numpy_last_c = lstm_numpy(
    inputs, kernel, recurrent_kernel, bias
)
np.testing.assert_allclose(numpy_all_h, all_h, atol=1e-6)
np.testing.assert_allclose(numpy_last_h, last_h, atol=1e-6)
np.testing.assert_allclose(numpy_last_c, last_c, atol=1e-6)
# --8<-- [end:compare]

# --8<-- [start:wrong_orders]
max_error = {}
for order in map("".join, itertools.permutations("ifco")):
    numpy_all_h, _, numpy_last_c = lstm_numpy(
        inputs, kernel, recurrent_kernel, bias, order
    )
    max_error[order] = max(
        np.abs(numpy_all_h - all_h).max(), np.abs(numpy_last_c - last_c).max()
    )
matching = [order for order, error in max_error.items() if error < 1e-6]
assert len(max_error) == 24 and matching == ["ifco"]
assert all(error > 1e-2 for order, error in max_error.items() if order != "ifco")
# --8<-- [end:wrong_orders]

# What figures and generated tables index by: the one order the proof above accepts.
proven_order = tuple(matching[0])
