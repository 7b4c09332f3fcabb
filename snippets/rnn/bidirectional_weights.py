"""Bidirectional(GRU) holds two GRUs' arrays: the forward layer's three, then the
backward's. The backward half is a GRU with go_backwards=True: its last output as it
is, its sequence reversed in time (Bidirectional flips it back into time order)."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
units, input_dim = 3, 4
inputs = rng.normal(size=(2, 6, input_dim)).astype("float32")

# --8<-- [start:weights]
bidirectional = keras.layers.Bidirectional(
    keras.layers.GRU(units=units, name="gru"), name="bidirectional"
)
bidirectional.build((None, None, input_dim))
weight_list = [(w.path, tuple(w.shape)) for w in bidirectional.weights]
# --8<-- [end:weights]
assert weight_list == [
    ("bidirectional/forward_gru/gru_cell/kernel", (4, 9)),
    ("bidirectional/forward_gru/gru_cell/recurrent_kernel", (3, 9)),
    ("bidirectional/forward_gru/gru_cell/bias", (2, 9)),
    ("bidirectional/backward_gru/gru_cell/kernel", (4, 9)),
    ("bidirectional/backward_gru/gru_cell/recurrent_kernel", (3, 9)),
    ("bidirectional/backward_gru/gru_cell/bias", (2, 9)),
]

# --8<-- [start:prove]
bidirectional.set_weights([rng.normal(size=shape) for _, shape in weight_list])
weights = bidirectional.get_weights()
forward_gru = keras.layers.GRU(units=units)
backward_gru = keras.layers.GRU(units=units, go_backwards=True)
for gru, arrays in ((forward_gru, weights[:3]), (backward_gru, weights[3:])):
    gru.build((None, None, input_dim))
    gru.set_weights(arrays)
output = np.asarray(bidirectional(inputs))  # merge_mode="concat"
np.testing.assert_allclose(output[:, :units], forward_gru(inputs), atol=1e-6)
np.testing.assert_allclose(output[:, units:], backward_gru(inputs), atol=1e-6)
# --8<-- [end:prove]
assert bidirectional.backward_layer.go_backwards
assert not bidirectional.forward_layer.go_backwards
single = keras.layers.GRU(units=units)
single.build((None, None, input_dim))
assert bidirectional.count_params() == 2 * single.count_params()

# --8<-- [start:sequences]
sequences = keras.layers.Bidirectional(
    keras.layers.GRU(units=units, return_sequences=True)
)
backward_sequences = keras.layers.GRU(
    units=units, go_backwards=True, return_sequences=True
)
for layer, arrays in ((sequences, weights), (backward_sequences, weights[3:])):
    layer.build((None, None, input_dim))
    layer.set_weights(arrays)
backward_half = np.asarray(sequences(inputs))[:, :, units:]
backward_output = np.asarray(backward_sequences(inputs))  # last time step first
np.testing.assert_allclose(backward_half, backward_output[:, ::-1], atol=1e-6)
assert np.abs(backward_half - backward_output).max() > 1e-2  # not as it is
# --8<-- [end:sequences]
