"""Convert recurrent layers between Keras 3 and PyTorch 2: the weightatlas package.

    pip install -e .          # in a clone of the site's repository, or the built wheel
    from weightatlas import keras_to_torch, torch_to_keras, plan_for

    torch_module = keras_to_torch(keras_layer)  # or a list of layers: a stack
    keras_layers = torch_to_keras(torch_module)  # a list, one per PyTorch layer

This file holds what the site's pages and figures read from the package: each kind's
gate blocks in storage order, as lists, and the three rules written out as index maps,
checked against the package's own conversion.
"""
import keras
import numpy as np
import torch

from weightatlas import (keras_to_torch, keras_to_torch_arrays, torch_to_keras,
                         torch_to_keras_arrays)
from weightatlas.families import family_for_torch

__all__ = [
    "keras_to_torch", "torch_to_keras", "keras_to_torch_arrays", "torch_to_keras_arrays"
]

MODULE_NAMES = {"SimpleRNN": "RNN", "LSTM": "LSTM", "GRU": "GRU"}
TORCH_MODULES = {kind: getattr(torch.nn, name) for kind, name in MODULE_NAMES.items()}
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

# --8<-- [start:rules]
# The gate blocks in storage order, each named by the Keras letter of its gate
# (PyTorch calls the LSTM's c g, and the GRU's h n), read from the package's families.
FAMILIES = {kind: family_for_torch(name) for kind, name in MODULE_NAMES.items()}
KERAS_BLOCKS = {kind: list(family.keras_order) for kind, family in FAMILIES.items()}
TORCH_BLOCKS = {kind: list(family.torch_order) for kind, family in FAMILIES.items()}


def torch_rows(kind, units):
    """Row k of a PyTorch weight is column torch_rows(kind, units)[k] of Keras'."""
    blocks = [KERAS_BLOCKS[kind].index(gate) for gate in TORCH_BLOCKS[kind]]
    return np.concatenate([np.arange(b * units, (b + 1) * units) for b in blocks])


def three_rules(kind, kernel, recurrent_kernel, bias):
    """Keras kernel, recurrent_kernel, bias -> PyTorch weight_ih, weight_hh, bias_ih,
    bias_hh: reorder the blocks, transpose, split the bias."""
    rows = torch_rows(kind, recurrent_kernel.shape[0])
    weight_ih, weight_hh = kernel[:, rows].T, recurrent_kernel[:, rows].T
    if FAMILIES[kind].bias_rule == "rows":  # GRU: row 0 joins x @ kernel, row 1 h @ U
        return weight_ih, weight_hh, bias[0, rows], bias[1, rows]
    return weight_ih, weight_hh, bias[rows], np.zeros_like(bias)  # only the sum counts
# --8<-- [end:rules]


# --8<-- [start:check]
def largest_difference(seed=0):
    """A small GRU converted both ways: the largest difference in its outputs."""
    rng = np.random.default_rng(seed)
    gru = keras.layers.GRU(units=3, return_sequences=True)
    gru.build((None, None, 2))
    gru.set_weights([rng.normal(size=w.shape) for w in gru.get_weights()])
    inputs = rng.normal(size=(2, 4, 2)).astype("float32")  # batch, timesteps, features
    with torch.no_grad():
        torch_output, _ = keras_to_torch(gru)(torch.from_numpy(inputs))
    [back] = torch_to_keras(keras_to_torch(gru))
    for original, round_trip in zip(gru.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(round_trip, original)
    keras_output = keras.ops.convert_to_numpy(gru(inputs))
    return float(np.abs(torch_output.numpy() - keras_output).max())


for kind in KERAS_BLOCKS:  # the rules above are what the package does, array by array
    layer = getattr(keras.layers, kind)(units=3)
    layer.build((None, None, 2))
    weights = [np.random.default_rng(1).normal(size=w.shape) for w in layer.weights]
    for by_rule, by_package in zip(three_rules(kind, *weights),
                                   keras_to_torch_arrays(kind, *weights)):
        np.testing.assert_array_equal(by_package, by_rule)
np.testing.assert_allclose(largest_difference(), 0.0, atol=1e-5)
# --8<-- [end:check]
