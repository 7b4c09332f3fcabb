"""Stacked recurrent layers: every one but the last returns its whole sequence."""
import keras
import numpy as np

keras.utils.set_random_seed(0)

# --8<-- [start:fixed]
model = keras.Sequential([
    keras.Input(shape=(10, 3)),                    # (timesteps, features)
    keras.layers.LSTM(32, return_sequences=True),  # (batch, 10, 32)
    keras.layers.LSTM(16, return_sequences=True),  # (batch, 10, 16)
    keras.layers.LSTM(8),                          # (batch, 8): last h only
    keras.layers.Dense(1),
])
# --8<-- [end:fixed]
layer_output_shapes = [tuple(layer.output.shape) for layer in model.layers]
assert layer_output_shapes == [(None, 10, 32), (None, 10, 16), (None, 8), (None, 1)]
assert model.predict(np.zeros((2, 10, 3)), verbose=0).shape == (2, 1)
