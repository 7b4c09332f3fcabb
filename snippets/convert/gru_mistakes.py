"""GRU conversions that are close but wrong, measured on the trained model's predictions."""
import itertools

import numpy as np
import torch

from snippets.convert.recurrent import KERAS_BLOCKS, keras_to_torch_arrays
from snippets.convert.trained_model import TorchModel, keras_predictions, model, x_new

names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]


def largest_error(convert):
    """How far the PyTorch model's predictions are from Keras' when `convert` maps
    each GRU layer's Keras arrays to PyTorch's."""
    torch_model = TorchModel(model).eval()
    state = {}
    for index, layer in enumerate(model.layers[:2]):
        for name, array in zip(names, convert(*layer.get_weights())):
            state[f"{name}_l{index}"] = torch.tensor(array)
    torch_model.gru.load_state_dict(state)
    with torch.no_grad():
        predictions = torch_model(torch.from_numpy(x_new)).numpy()
    return float(np.abs(predictions - keras_predictions).max())


# --8<-- [start:mistakes]
def not_reordered(kernel, recurrent_kernel, bias):  # the LSTM's recipe
    return kernel.T, recurrent_kernel.T, bias[0], bias[1]


def bias_rows_swapped(kernel, recurrent_kernel, bias):
    weight_ih, weight_hh, bias_ih, bias_hh = keras_to_torch_arrays(
        "GRU", kernel, recurrent_kernel, bias)
    return weight_ih, weight_hh, bias_hh, bias_ih


def bias_rows_added(kernel, recurrent_kernel, bias):  # the LSTM's bias rule
    weight_ih, weight_hh, bias_ih, bias_hh = keras_to_torch_arrays(
        "GRU", kernel, recurrent_kernel, bias)
    return weight_ih, weight_hh, bias_ih + bias_hh, np.zeros_like(bias_hh)


def right(kernel, recurrent_kernel, bias):
    return keras_to_torch_arrays("GRU", kernel, recurrent_kernel, bias)


conversions = [not_reordered, bias_rows_swapped, bias_rows_added, right]
error = {convert.__name__: largest_error(convert) for convert in conversions}
assert error["right"] < 1e-5
assert all(error[convert.__name__] > 0.01 for convert in conversions[:3])
# --8<-- [end:mistakes]

# --8<-- [start:orders]
units = model.layers[0].units
order_error = {}
for order in itertools.permutations(range(3)):  # which Keras block goes where
    picked = np.concatenate([np.arange(k * units, (k + 1) * units) for k in order])
    letters = "".join(KERAS_BLOCKS["GRU"][k] for k in order)
    order_error[letters] = largest_error(lambda kernel, recurrent_kernel, bias: (
        kernel[:, picked].T, recurrent_kernel[:, picked].T, bias[0, picked],
        bias[1, picked]))
matching = [letters for letters, largest in order_error.items() if largest < 1e-5]
assert len(order_error) == 6 and len(matching) == 1
# --8<-- [end:orders]
proven_torch_order = tuple(matching[0])  # Keras' blocks, in the order PyTorch stores them
assert all(largest > 0.01 for letters, largest in order_error.items() if letters not in matching)
