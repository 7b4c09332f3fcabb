"""Keras 1 saved an LSTM as a W, U and b per gate, in the order i, c, f, o: tf_keras' legacy
HDF5 loader still turns those twelve arrays into kernel, recurrent_kernel and bias."""
import keras
import numpy as np
import tf_keras
from tf_keras.src.saving.legacy import hdf5_format

units, input_dim = 2, 3

# --8<-- [start:convert]
lstm = tf_keras.layers.LSTM(units)
lstm.build((None, None, input_dim))
keras1_arrays = []  # each gate's W, U and b, the gate at position k filled with k
for k in range(4):
    keras1_arrays += [
        np.full((input_dim, units), k), np.full((units, units), k), np.full(units, k)
    ]
kernel, recurrent_kernel, bias = hdf5_format.preprocess_weights_for_loading(
    lstm, keras1_arrays, original_keras_version="1"
)
came_from = [int(block[0, 0]) for block in np.split(kernel, 4, axis=1)]
keras1_order = "".join("ifco"[came_from.index(k)] for k in range(4))
assert keras1_order == "icfo"
# --8<-- [end:convert]
for array in (recurrent_kernel, bias):
    assert [int(block.flat[0]) for block in np.split(array, 4, axis=-1)] == came_from

# tf_keras' layout is Keras 3's, whose order the gate-order proof checks: the same weights
# give the same outputs.
keras3_lstm = keras.layers.LSTM(units)
keras3_lstm.build((None, None, input_dim))
random_weights = [np.random.default_rng(0).normal(size=w.shape) for w in lstm.get_weights()]
lstm.set_weights(random_weights)
keras3_lstm.set_weights(random_weights)
inputs = np.random.default_rng(1).normal(size=(2, 4, input_dim)).astype("float32")
np.testing.assert_allclose(keras3_lstm(inputs), lstm(inputs), atol=1e-6)
