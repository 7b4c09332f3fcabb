"""What LSTM, GRU and SimpleRNN return for every return_sequences × return_state."""
import itertools

import keras
import numpy as np

keras.utils.set_random_seed(0)

# --8<-- [start:loop]
batch, timesteps, features, units = 2, 5, 3, 4
rng = np.random.default_rng(0)
inputs = rng.normal(size=(batch, timesteps, features)).astype("float32")
layer_classes = (keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN)
returned = {}
for layer_class, return_sequences, return_state in itertools.product(
    layer_classes, (False, True), (False, True)
):
    layer = layer_class(
        units, return_sequences=return_sequences, return_state=return_state)
    outputs = layer(inputs)  # one tensor, or several with return_state=True
    outputs = list(outputs) if return_state else [outputs]
    key = (layer_class.__name__, return_sequences, return_state)
    returned[key] = outputs
# --8<-- [end:loop]

# --8<-- [start:check]
n_states = {"LSTM": 2, "GRU": 1, "SimpleRNN": 1}  # LSTM: h and c; others: h
for (name, return_sequences, return_state), outputs in returned.items():
    output, *states = outputs
    if return_sequences:
        assert output.shape == (batch, timesteps, units)
    else:
        assert output.shape == (batch, units)
    assert len(states) == (n_states[name] if return_state else 0)
    assert all(state.shape == (batch, units) for state in states)
    if states:  # the first state is h: the output's last step, bit for bit
        last_output = output[:, -1] if return_sequences else output
        np.testing.assert_array_equal(states[0], last_output)
# --8<-- [end:check]

shapes = {key: [tuple(output.shape) for output in outputs]
          for key, outputs in returned.items()}
