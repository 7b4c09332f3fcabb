"""SimpleRNN(128) on MNIST read row by row: 28 timesteps of 28 pixels, and its parameters."""
import keras
import numpy as np

keras.utils.set_random_seed(0)

# --8<-- [start:model]
model = keras.Sequential([
    keras.Input(shape=(28, 28)),  # (timesteps, features): 28 rows of 28 pixels
    keras.layers.SimpleRNN(128),
    keras.layers.Dense(10, activation="softmax"),
])
simple_rnn = model.layers[0]
kernel, recurrent_kernel, bias = simple_rnn.get_weights()
# --8<-- [end:model]
assert (kernel.shape, recurrent_kernel.shape, bias.shape) == (
    (28, 128), (128, 128), (128,))
assert model.output_shape == (None, 10)

# --8<-- [start:count]
rows, pixels_per_row, units = 28, 28, 128
assert kernel.size == pixels_per_row * units  # each pixel of a row, to each unit
assert recurrent_kernel.size == units * units  # each unit of h_{t-1}, to each unit
assert bias.size == units
parameters = kernel.size + recurrent_kernel.size + bias.size
assert simple_rnn.count_params() == parameters
# --8<-- [end:count]

# Rows are the timesteps: the same images with their rows reversed give other outputs.
images = np.random.default_rng(0).random((2, rows, pixels_per_row)).astype("float32")
flipped = np.abs(simple_rnn(images[:, ::-1]) - simple_rnn(images)).max()
assert flipped > 1e-3
