"""With return_state=True a Bidirectional layer returns its output(s), then the forward
states, then the backward states: how many depends on the layer and on merge_mode."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
units, input_dim = 3, 4
inputs = rng.normal(size=(2, 6, input_dim)).astype("float32")

# --8<-- [start:states]
bidirectional_lstm = keras.layers.Bidirectional(
    keras.layers.LSTM(units=units, return_state=True)
)
returned = bidirectional_lstm(inputs)
output, forward_h, forward_c, backward_h, backward_c = returned
np.testing.assert_allclose(output[:, :units], forward_h, atol=1e-6)
np.testing.assert_allclose(output[:, units:], backward_h, atol=1e-6)
# --8<-- [end:states]
n_returned = len(returned)
assert n_returned == 5 and output.shape == (2, 2 * units)
assert forward_c.shape == backward_c.shape == (2, units)

# --8<-- [start:naive]
try:
    output, h, c = bidirectional_lstm(inputs)  # what works for one LSTM
except ValueError as error:
    naive_error = str(error)
assert naive_error == "too many values to unpack (expected 3)"
# --8<-- [end:naive]

# --8<-- [start:merge_mode_none]
separate = keras.layers.Bidirectional(
    keras.layers.LSTM(units=units, return_state=True), merge_mode=None
)
separate.build((None, None, input_dim))
separate.set_weights(bidirectional_lstm.get_weights())
returned = [np.asarray(array) for array in separate(inputs)]
output, *states = returned  # naive: the "first state" is the backward output
np.testing.assert_allclose(states[0], backward_h, atol=1e-6)
# --8<-- [end:merge_mode_none]
assert len(returned) == 6

# --8<-- [start:split]
def split_bidirectional(returned, merge_mode):
    n_outputs = 2 if merge_mode is None else 1
    outputs, states = returned[:n_outputs], returned[n_outputs:]
    half = len(states) // 2
    return outputs, states[:half], states[half:]  # outputs, forward, backward


outputs, forward_states, backward_states = split_bidirectional(returned, None)
for ours, theirs in zip([*forward_states, *backward_states],
                        [forward_h, forward_c, backward_h, backward_c]):
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
# --8<-- [end:split]
assert len(outputs) == 2 and len(forward_states) == len(backward_states) == 2
