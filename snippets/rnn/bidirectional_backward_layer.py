"""Bidirectional(layer, backward_layer=other): the backward direction is `other` itself,
which may differ from `layer` (here a GRU of another width behind an LSTM) but must read
backwards; its arrays follow the forward layer's."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
input_dim, batch, timesteps = 4, 2, 6
inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")

# --8<-- [start:backward_layer]
forward = keras.layers.LSTM(units=3, return_sequences=True, name="lstm")
backward = keras.layers.GRU(
    units=2, return_sequences=True, go_backwards=True, name="backward_gru"
)
bidirectional = keras.layers.Bidirectional(
    forward, backward_layer=backward, name="bidirectional"
)
bidirectional.build((None, None, input_dim))
owners = [(w.path.split("/")[1], tuple(w.shape)) for w in bidirectional.weights]
output = np.asarray(bidirectional(inputs))
assert output.shape == (batch, timesteps, 3 + 2)  # both widths, side by side
# --8<-- [end:backward_layer]
assert owners == [
    ("forward_lstm", (4, 12)),
    ("forward_lstm", (3, 12)),
    ("forward_lstm", (12,)),
    ("backward_gru", (4, 6)),
    ("backward_gru", (2, 6)),
    ("backward_gru", (2, 6)),
]
assert bidirectional.backward_layer is backward  # the object given, not a copy
assert bidirectional.forward_layer is not forward  # rebuilt from its config
backward_alone = np.asarray(backward(inputs))
np.testing.assert_allclose(output[..., 3:], backward_alone[:, ::-1], atol=1e-6)

# --8<-- [start:go_backwards]
try:
    keras.layers.Bidirectional(
        keras.layers.LSTM(units=3), backward_layer=keras.layers.LSTM(units=3)
    )
except ValueError as error:
    same_direction_error = str(error)
assert same_direction_error.startswith(
    "Forward layer and backward layer should have different `go_backwards` value."
)
# --8<-- [end:go_backwards]
