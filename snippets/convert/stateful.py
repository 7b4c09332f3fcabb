"""A stateful Keras LSTM is refused; a copy with stateful=False converts, and the
PyTorch module matches the stateful layer batch after batch when each call is given the
state the last one returned."""
import keras
import numpy as np
import torch

from weightatlas import UnsupportedOption, keras_to_torch

keras.utils.set_random_seed(0)
batches = np.random.default_rng(0).normal(size=(3, 2, 6, 5)).astype("float32")

# --8<-- [start:carry]
stateful = keras.layers.LSTM(units=4, stateful=True, return_sequences=True)
keras_model = keras.Sequential([keras.Input(batch_shape=(2, 6, 5)), stateful])
keras_outputs = [np.asarray(keras_model(batch)) for batch in batches]  # state carried

copy = keras.layers.LSTM(units=4, return_sequences=True)  # stateful=False
copy.build((None, None, 5))
copy.set_weights(stateful.get_weights())
torch_lstm = keras_to_torch(copy)
state = None  # zeros, as the stateful layer starts
for batch, keras_output in zip(batches, keras_outputs):
    with torch.no_grad():
        output, state = torch_lstm(torch.from_numpy(batch), state)  # carry it
    np.testing.assert_allclose(output.numpy(), keras_output, atol=1e-6)
# --8<-- [end:carry]
with torch.no_grad():  # without the state, the second batch starts from zeros again
    fresh, _ = torch_lstm(torch.from_numpy(batches[1]))
assert np.abs(fresh.numpy() - keras_outputs[1]).max() > 1e-2
try:
    keras_to_torch(stateful)
except UnsupportedOption as error:
    refusal = str(error)
assert "has stateful=True" in refusal and "output, state = module(x, state)" in refusal
