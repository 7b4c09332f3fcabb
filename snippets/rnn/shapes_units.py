"""units is the size of h and c: one LSTM cell, one set of weights, used at every timestep."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:cell_loop]
batch, timesteps, features, units = 2, 6, 3, 4
inputs = rng.normal(size=(batch, timesteps, features)).astype("float32")
lstm = keras.layers.LSTM(units, return_sequences=True)
all_h = np.asarray(lstm(inputs))  # (batch, timesteps, units): every h_t

h = c = np.zeros((batch, units), dtype="float32")  # the initial state
for t in range(timesteps):
    h, (h, c) = lstm.cell(inputs[:, t], [h, c])  # the layer's one cell
    np.testing.assert_allclose(h, all_h[:, t], atol=1e-6)
# --8<-- [end:cell_loop]
assert all_h.shape == (batch, timesteps, units) and units != features
assert [tuple(weight.shape) for weight in lstm.weights] == [
    (features, 4 * units), (units, 4 * units), (4 * units,)
]

# --8<-- [start:dense]
dense = keras.layers.Dense(units)
changed = inputs.copy()
changed[:, 0] += 1.0  # change the first timestep only
lstm_moved = np.abs(lstm(changed)[:, -1] - all_h[:, -1]).max()
dense_moved = np.abs(dense(changed)[:, -1] - dense(inputs)[:, -1]).max()
assert dense(inputs).shape == lstm(inputs).shape == (batch, timesteps, units)
assert dense_moved == 0.0 and lstm_moved > 1e-3  # only the LSTM remembers
# --8<-- [end:dense]
