"""Keras' GRU gate order is z, r, h in both reset_after variants: no other order matches."""
import itertools

import keras
import numpy as np

# --8<-- [start:keras]
keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, timesteps, input_dim, units = 3, 6, 4, 5
inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
all_h, weights = {}, {}
for reset_after in (True, False):
    gru = keras.layers.GRU(
        units=units, return_sequences=True, reset_after=reset_after
    )
    gru.build((None, None, input_dim))
    gru.set_weights([rng.normal(size=weight.shape) for weight in gru.weights])
    all_h[reset_after] = np.asarray(gru(inputs))
    weights[reset_after] = gru.get_weights()  # kernel, recurrent_kernel, bias
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
max_error = {True: {}, False: {}}
for reset_after, order in itertools.product(
    (True, False), map("".join, itertools.permutations("zrh"))
):
    numpy_all_h = gru_numpy(inputs, *weights[reset_after], order, reset_after)
    error = np.abs(numpy_all_h - all_h[reset_after]).max()
    max_error[reset_after][order] = float(error)
matching = {
    reset_after: [order for order, error in errors.items() if error < 1e-6]
    for reset_after, errors in max_error.items()
}
assert matching == {True: ["zrh"], False: ["zrh"]}
assert all(error > 1e-2 for errors in max_error.values()
           for order, error in errors.items() if order != "zrh")
# --8<-- [end:wrong_orders]

# What facts and figures index by: the one order the proof accepts.
proven_order = tuple(matching[True][0])
assert matching[False] == ["".join(proven_order)]
