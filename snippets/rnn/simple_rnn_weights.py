"""SimpleRNN: kernel, recurrent_kernel, bias, and h_t = tanh(x_t W + h_{t-1} U + b)."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, timesteps, input_dim, units = 3, 6, 4, 5

# --8<-- [start:layer]
simple_rnn = keras.layers.SimpleRNN(units=units, return_sequences=True)
simple_rnn.build((None, None, input_dim))  # (batch, timesteps, features)
arrays = [(weight.name, tuple(weight.shape)) for weight in simple_rnn.weights]
# --8<-- [end:layer]
assert arrays == [
    ("kernel", (4, 5)), ("recurrent_kernel", (5, 5)), ("bias", (5,))
]


# --8<-- [start:numpy]
simple_rnn.set_weights([rng.normal(size=w.shape) for w in simple_rnn.weights])
inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
all_h = np.asarray(simple_rnn(inputs))  # every h_t: return_sequences=True


def simple_rnn_numpy(inputs, kernel, recurrent_kernel, bias):
    h = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        h = np.tanh(x @ kernel + h @ recurrent_kernel + bias)
        all_h.append(h)
    return np.stack(all_h, axis=1)


kernel, recurrent_kernel, bias = simple_rnn.get_weights()
np.testing.assert_allclose(
    simple_rnn_numpy(inputs, kernel, recurrent_kernel, bias), all_h, atol=1e-6
)
# --8<-- [end:numpy]


# --8<-- [start:count]
def simple_rnn_parameter_count(units, input_dim):
    # kernel + recurrent_kernel + bias
    return units * input_dim + units * units + units


for sizes in [(5, 4), (1, 1), (32, 10)]:  # (units, input_dim)
    layer = keras.layers.SimpleRNN(units=sizes[0])
    layer.build((None, None, sizes[1]))
    assert layer.count_params() == simple_rnn_parameter_count(*sizes)
# --8<-- [end:count]
assert simple_rnn_parameter_count(units=1, input_dim=1) == 3
