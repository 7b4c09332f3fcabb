"""activation replaces both tanh's: the cell candidate's and the one in h_t = o * tanh(c_t)."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, timesteps, input_dim, units = 3, 5, 4, 6

# --8<-- [start:keras]
layer = keras.layers.LSTM(
    units=units, activation="relu", return_sequences=True, return_state=True
)
layer.build((None, None, input_dim))
layer.set_weights([
    rng.normal(size=(input_dim, 4 * units)),  # kernel
    rng.normal(size=(units, 4 * units)),      # recurrent_kernel
    rng.normal(size=(4 * units,)),            # bias
])
inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
all_h, last_h, last_c = (np.asarray(array) for array in layer(inputs))
kernel, recurrent_kernel, bias = layer.get_weights()
# --8<-- [end:keras]


# --8<-- [start:numpy]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0)


def lstm_numpy(
    inputs, kernel, recurrent_kernel, bias, candidate=np.tanh, output=np.tanh
):
    h = c = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        z = x @ kernel + h @ recurrent_kernel + bias
        z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
        c = sigmoid(z_f) * c + sigmoid(z_i) * candidate(z_c)
        h = sigmoid(z_o) * output(c)
        all_h.append(h)
    return np.stack(all_h, axis=1), h, c
# --8<-- [end:numpy]


# --8<-- [start:compare]
max_error = {}
for name, candidate, output in [
    ("both", relu, relu),
    ("candidate only", relu, np.tanh),
    ("output only", np.tanh, relu),
]:
    numpy_all_h, _, numpy_last_c = lstm_numpy(
        inputs, kernel, recurrent_kernel, bias, candidate, output
    )
    max_error[name] = float(
        max(np.abs(numpy_all_h - all_h).max(), np.abs(numpy_last_c - last_c).max())
    )
assert max_error["both"] < 1e-6
assert max_error["candidate only"] > 1e-2 and max_error["output only"] > 1e-2
# --8<-- [end:compare]

# --8<-- [start:readers]
readers_lstm = keras.layers.LSTM(units=120, activation="relu")
config = readers_lstm.get_config()
readers_activations = {
    key: config[key] for key in ("activation", "recurrent_activation")
}
assert readers_activations == {"activation": "relu", "recurrent_activation": "sigmoid"}
# --8<-- [end:readers]
