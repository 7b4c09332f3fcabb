"""Keras' GRU gate order is z, r, h in both reset_after variants: no other order matches."""
import itertools

import keras
import numpy as np

# --8<-- [start:keras]
batch, timesteps, input_dim, units = 3, 6, 4, 5


def keras_grus(seed):
    """Random inputs and, for each variant, a Keras GRU with random weights
    (random biases too, so that the blocks differ): its hidden states and weights."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
    all_h, weights = {}, {}
    for reset_after in (True, False):
        gru = keras.layers.GRU(
            units=units, return_sequences=True, reset_after=reset_after
        )
        gru.build((None, None, input_dim))
        gru.set_weights([rng.normal(size=weight.shape) for weight in gru.weights])
        all_h[reset_after] = keras.ops.convert_to_numpy(gru(inputs))
        weights[reset_after] = gru.get_weights()  # kernel, recurrent_kernel, bias
    return inputs, all_h, weights


inputs, all_h, weights = keras_grus(seed=0)
# --8<-- [end:keras]


# --8<-- [start:numpy]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gru_numpy(inputs, kernel, recurrent_kernel, bias, order="zrh",
              reset_after=True):
    W = dict(zip(order, np.split(kernel, 3, axis=1)))
    U = dict(zip(order, np.split(recurrent_kernel, 3, axis=1)))
    if reset_after:
        bias_x, bias_h = bias  # row 0 joins x @ W, row 1 joins h @ U
    else:
        bias_x, bias_h = bias, np.zeros_like(bias)  # one bias, joined to x @ W
    bx = dict(zip(order, np.split(bias_x, 3)))
    bh = dict(zip(order, np.split(bias_h, 3)))
    h = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):  # one timestep at a time
        z = sigmoid(x @ W["z"] + bx["z"] + h @ U["z"] + bh["z"])
        r = sigmoid(x @ W["r"] + bx["r"] + h @ U["r"] + bh["r"])
        if reset_after:  # r multiplies h @ U_h, bias row 1 included
            h_tilde = np.tanh(x @ W["h"] + bx["h"] + r * (h @ U["h"] + bh["h"]))
        else:  # r multiplies h before U_h
            h_tilde = np.tanh(x @ W["h"] + bx["h"] + (r * h) @ U["h"])
        h = z * h + (1 - z) * h_tilde
        all_h.append(h)
    return np.stack(all_h, axis=1)
# --8<-- [end:numpy]


# --8<-- [start:compare]
for reset_after in (True, False):
    kernel, recurrent_kernel, bias = weights[reset_after]
    numpy_all_h = gru_numpy(
        inputs, kernel, recurrent_kernel, bias, reset_after=reset_after
    )
    np.testing.assert_allclose(numpy_all_h, all_h[reset_after], atol=1e-6)
# --8<-- [end:compare]

# --8<-- [start:wrong_orders]
def order_errors(seed):
    """{reset_after: {order: largest difference from Keras}}, for every order of the
    three blocks, on one seed's layers and inputs."""
    inputs, all_h, weights = keras_grus(seed)
    max_error = {True: {}, False: {}}
    for reset_after, order in itertools.product(
        (True, False), map("".join, itertools.permutations("zrh"))
    ):
        numpy_all_h = gru_numpy(inputs, *weights[reset_after], order, reset_after)
        error = np.abs(numpy_all_h - all_h[reset_after]).max()
        max_error[reset_after][order] = float(error)
    return max_error


errors_by_seed = [order_errors(seed) for seed in range(5)]
for errors_of_seed in errors_by_seed:
    matching = {
        reset_after: [order for order, error in errors.items() if error < 1e-6]
        for reset_after, errors in errors_of_seed.items()
    }
    assert matching == {True: ["zrh"], False: ["zrh"]}
    assert all(error > 1e-2 for errors in errors_of_seed.values()
               for order, error in errors.items() if order != "zrh")
# --8<-- [end:wrong_orders]

# What facts and figures index by: seed 0's differences, the one order the proof accepts.
max_error = errors_by_seed[0]
proven_order = tuple(matching[True][0])
assert matching[False] == ["".join(proven_order)]
