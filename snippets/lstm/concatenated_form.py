"""colah's W·[h, x] is Keras' x·kernel + h·recurrent_kernel with the two matrices stacked."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, input_dim, units = 3, 5, 120
lstm = keras.layers.LSTM(units=units)
lstm.build((None, None, input_dim))
kernel, recurrent_kernel, bias = lstm.get_weights()
x = rng.normal(size=(batch, input_dim))
h = rng.normal(size=(batch, units))

# --8<-- [start:stack]
separate = x @ kernel + h @ recurrent_kernel + bias
stacked_kernel = np.concatenate([recurrent_kernel, kernel], axis=0)  # (125, 480)
concatenated = np.concatenate([h, x], axis=1) @ stacked_kernel + bias
np.testing.assert_allclose(concatenated, separate, atol=1e-6)
# --8<-- [end:stack]
assert stacked_kernel.shape == (units + input_dim, 4 * units) == (125, 480)

# --8<-- [start:colah]
W_f = np.split(stacked_kernel, 4, axis=1)[1].T  # (120, 125), acts on the column [h; x]
b_f = np.split(bias, 4)[1]
h_and_x = np.concatenate([h[0], x[0]])  # one sample, as a vector
np.testing.assert_allclose(W_f @ h_and_x + b_f, separate[0, 120:240], atol=1e-6)
# --8<-- [end:colah]
assert W_f.shape == (units, units + input_dim)
