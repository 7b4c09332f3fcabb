"""Copying a kernel without transposing it: refused when the layer is not square, wrong
without a word when it is."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)

# --8<-- [start:square]
square = keras.layers.Dense(units=3)
square.build((None, 3))  # 3 inputs, 3 units: kernel and weight have the same shape
kernel, bias = square.get_weights()

untransposed = torch.nn.Linear(in_features=3, out_features=3)
untransposed.load_state_dict({
    "weight": torch.from_numpy(kernel),  # .T forgotten: loads without a word
    "bias": torch.from_numpy(bias),
})

x = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
with torch.no_grad():
    wrong = untransposed(torch.from_numpy(x)).numpy()
error = np.abs(wrong - np.asarray(square(x))).max()
assert error > 0.1
# --8<-- [end:square]
square_error = float(error)

# Transposed, it matches: the error above is the missing .T alone.
with torch.no_grad():
    untransposed.weight.copy_(torch.from_numpy(kernel.T))
    right = untransposed(torch.from_numpy(x)).numpy()
np.testing.assert_allclose(right, np.asarray(square(x)), atol=1e-6)
