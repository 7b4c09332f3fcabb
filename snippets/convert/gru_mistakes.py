"""GRU conversions that are close but wrong, measured on the predictions of the trained
model and of four more trained from other seeds."""
import itertools

import numpy as np
import torch

from snippets.convert.recurrent import KERAS_BLOCKS, keras_to_torch_arrays
from snippets.convert.trained_model import TorchModel, losses, model, trained_model, x_new

names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]


def largest_error(convert, model, x_new, keras_predictions):
    """How far the PyTorch copy's predictions on `x_new` are from Keras' when `convert`
    maps each GRU layer's Keras arrays to PyTorch's."""
    torch_model = TorchModel(model).eval()
    state = {}
    for index, layer in enumerate(model.layers[:2]):
        for name, array in zip(names, convert(*layer.get_weights())):
            state[f"{name}_l{index}"] = torch.tensor(array)
    torch_model.gru.load_state_dict(state)
    with torch.no_grad():
        predictions = torch_model(torch.from_numpy(x_new)).numpy()
    return float(np.abs(predictions - keras_predictions).max())


# --8<-- [start:models]
models = [(model, x_new)]  # the trained model above, and more trained from other seeds
losses_by_seed = [losses]
for seed in range(1, 5):
    other_model, other_losses = trained_model(seed)
    other_x = np.random.default_rng(100 + seed).normal(size=x_new.shape)
    models.append((other_model, other_x.astype("float32")))
    losses_by_seed.append(other_losses)
assert all(fall[-1] < fall[0] / 2 for fall in losses_by_seed)  # each model learned
models = [(m, x, np.asarray(m(x))) for m, x in models]  # with Keras' predictions
# --8<-- [end:models]


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
error = {convert.__name__: [largest_error(convert, *model_x_y) for model_x_y in models]
         for convert in conversions}  # one largest error per model
assert max(error["right"]) < 1e-5
assert all(min(error[convert.__name__]) > 0.01 for convert in conversions[:3])
# --8<-- [end:mistakes]

# --8<-- [start:orders]
units = model.layers[0].units
order_error = {}
for order in itertools.permutations(range(3)):  # which Keras block goes where
    picked = np.concatenate([np.arange(k * units, (k + 1) * units) for k in order])
    letters = "".join(KERAS_BLOCKS["GRU"][k] for k in order)
    order_error[letters] = [largest_error(lambda kernel, recurrent_kernel, bias: (
        kernel[:, picked].T, recurrent_kernel[:, picked].T, bias[0, picked],
        bias[1, picked]), *model_x_y) for model_x_y in models]
matching = [letters for letters, errors in order_error.items() if max(errors) < 1e-5]
assert len(order_error) == 6 and len(matching) == 1
# --8<-- [end:orders]
proven_torch_order = tuple(matching[0])  # Keras' blocks, in PyTorch's order
assert all(min(errors) > 0.01
           for letters, errors in order_error.items() if letters not in matching)
prediction_scales = [float(np.abs(predictions).max()) for _m, _x, predictions in models]
assert min(prediction_scales) > 0.1
