"""A cell has no weights until it is built: build it with the input's feature size, then copy."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
units, input_dim = 5, 4
inputs = rng.normal(size=(3, 6, input_dim)).astype("float32")

gru = keras.layers.GRU(units=units)
gru.build((None, None, input_dim))
lstm = keras.layers.LSTM(units=units)
lstm.build((None, None, input_dim))

# --8<-- [start:build_then_copy]
gru_cell = keras.layers.GRUCell(units=units)
gru_cell.build((None, input_dim))  # (batch, features): a cell sees one timestep
gru_cell.set_weights(gru.get_weights())

lstm_cell = keras.layers.LSTMCell(units=units)
lstm_cell.build((None, input_dim))
lstm_cell.set_weights(lstm.get_weights())
# --8<-- [end:build_then_copy]
cell_shapes = [tuple(weight.shape) for weight in gru_cell.weights]
assert cell_shapes == [(4, 15), (5, 15), (2, 15)]
assert [tuple(w.shape) for w in lstm_cell.weights] == [(4, 20), (5, 20), (20,)]

# --8<-- [start:same_outputs]
for layer, cell in ((gru, gru_cell), (lstm, lstm_cell)):
    from_cell = keras.layers.RNN(cell)(inputs)
    np.testing.assert_allclose(from_cell, layer(inputs), atol=1e-6)
# --8<-- [end:same_outputs]
