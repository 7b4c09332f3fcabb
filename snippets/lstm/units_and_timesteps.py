"""units is the size of h and c; the weights do not depend on the number of timesteps, and
the layer holds one LSTMCell object of that many units."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
# --8<-- [start:units]
lstm = keras.layers.LSTM(units=4, return_sequences=True, return_state=True)
for timesteps in (1, 20, 300):
    inputs = np.ones((2, timesteps, 3), dtype="float32")  # (batch, timesteps, features)
    all_h, last_h, last_c = lstm(inputs)
    assert all_h.shape == (2, timesteps, 4)
    assert last_h.shape == last_c.shape == (2, 4)
assert [tuple(weight.shape) for weight in lstm.weights] == [(3, 16), (4, 16), (16,)]
assert isinstance(lstm.cell, keras.layers.LSTMCell) and lstm.cell.units == 4
# --8<-- [end:units]
