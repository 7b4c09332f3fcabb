"""A hand-written GRU matches Keras only when bias row 1's h block sits inside
r * (...), for random weights and inputs from each of five seeds."""
import keras
import numpy as np

batch, timesteps, input_dim, units = 3, 6, 4, 5
PLACEMENTS = ("row 1 inside r", "rows summed", "rows swapped")


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# --8<-- [start:placements]
def gru_numpy(inputs, kernel, recurrent_kernel, bias, placement):
    W_z, W_r, W_h = np.split(kernel, 3, axis=1)
    U_z, U_r, U_h = np.split(recurrent_kernel, 3, axis=1)
    (bx_z, bx_r, bx_h), (bh_z, bh_r, bh_h) = (np.split(row, 3) for row in bias)
    h = np.zeros((inputs.shape[0], units))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        z = sigmoid(x @ W_z + bx_z + h @ U_z + bh_z)
        r = sigmoid(x @ W_r + bx_r + h @ U_r + bh_r)
        if placement == "row 1 inside r":
            h_tilde = np.tanh(x @ W_h + bx_h + r * (h @ U_h + bh_h))
        elif placement == "rows summed":  # one bias, as reset_after=False keeps
            h_tilde = np.tanh(x @ W_h + (bx_h + bh_h) + r * (h @ U_h))
        elif placement == "rows swapped":
            h_tilde = np.tanh(x @ W_h + bh_h + r * (h @ U_h + bx_h))
        h = z * h + (1 - z) * h_tilde
        all_h.append(h)
    return np.stack(all_h, axis=1)


def placement_errors(seed):
    """Each placement's largest difference from a default Keras GRU (reset_after=True)
    given random weights, on random inputs."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    gru = keras.layers.GRU(units=units, return_sequences=True)
    gru.build((None, None, input_dim))
    gru.set_weights([rng.normal(size=weight.shape) for weight in gru.weights])
    inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
    all_h = np.asarray(gru(inputs))
    return {placement: float(np.abs(
        gru_numpy(inputs, *gru.get_weights(), placement) - all_h).max())
        for placement in PLACEMENTS}


errors_by_seed = [placement_errors(seed) for seed in range(5)]
# --8<-- [end:placements]
for max_error in errors_by_seed:
    assert max_error["row 1 inside r"] < 1e-6
    assert max_error["rows summed"] > 1e-2 and max_error["rows swapped"] > 1e-2
