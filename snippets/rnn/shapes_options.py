"""go_backwards, initial_state and unroll on a Keras LSTM, each checked against the plain
layer with the same weights."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, timesteps, features, units = 2, 5, 3, 4
inputs = rng.normal(size=(batch, timesteps, features)).astype("float32")
lstm = keras.layers.LSTM(units, return_sequences=True)
all_h = np.asarray(lstm(inputs))  # (batch, timesteps, units)


def same_weights(**options):
    """An LSTM like `lstm`, with `options`, holding `lstm`'s weights."""
    layer = keras.layers.LSTM(units, return_sequences=True, **options)
    layer.build(inputs.shape)
    layer.set_weights(lstm.get_weights())
    return layer


# --8<-- [start:go_backwards]
backwards = same_weights(go_backwards=True)
reversed_in_time = inputs[:, ::-1]  # the last timestep first
np.testing.assert_allclose(backwards(inputs), lstm(reversed_in_time), atol=1e-6)
# --8<-- [end:go_backwards]
assert np.abs(np.asarray(backwards(inputs)) - all_h[:, ::-1]).max() > 1e-3

# --8<-- [start:initial_state]
h_0, c_0 = rng.normal(size=(2, batch, units)).astype("float32")  # each (batch, units)
from_state = np.asarray(lstm(inputs, initial_state=[h_0, c_0]))
h, c = h_0, c_0
for t in range(timesteps):  # the cell, step by step, from the same state
    output, (h, c) = lstm.cell(inputs[:, t], [h, c])
    np.testing.assert_allclose(from_state[:, t], output, atol=1e-6)
assert np.abs(from_state - all_h).max() > 1e-2  # not the zero state
# --8<-- [end:initial_state]

# --8<-- [start:unroll]
unrolled = same_weights(unroll=True)
np.testing.assert_allclose(unrolled(inputs), all_h, atol=1e-6)
# --8<-- [end:unroll]
