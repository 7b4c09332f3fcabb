"""Which side gets the extra zero of padding="same": the end, in both libraries, read by
comparing each layer with explicit padding; and strided "same" in Keras, which pads by
the input's size, against PyTorch, which refuses it."""
import keras
import subprocess
import sys
import warnings

import numpy as np
import torch

keras.utils.set_random_seed(3)


def padded_valid(layer, x, before, after):
    """The layer's kernel run with padding="valid" on x padded by hand."""
    valid = keras.layers.Conv1D(layer.filters, layer.kernel_size, strides=layer.strides,
                                padding="valid")
    valid.build(layer.kernel.shape[:1] + x.shape[1:])
    valid.set_weights(layer.get_weights())
    return np.asarray(valid(np.pad(x, ((0, 0), (before, after), (0, 0)))))


# --8<-- [start:even]
conv = keras.layers.Conv1D(filters=1, kernel_size=4, padding="same")
x = np.random.default_rng(0).normal(size=(1, 10, 1)).astype("float32")
same = np.asarray(conv(x))  # 3 zeros in all: 1 before, 2 after
np.testing.assert_allclose(same, padded_valid(conv, x, 1, 2), atol=1e-6)
assert np.abs(same - padded_valid(conv, x, 2, 1)).max() > 0.1  # the other side: wrong
# --8<-- [end:even]
keras_pads = (1, 2)

# --8<-- [start:torch_even]
torch_conv = torch.nn.Conv1d(1, 1, kernel_size=4, padding="same")
t = torch.from_numpy(x.transpose(0, 2, 1))
with torch.no_grad(), warnings.catch_warnings():
    warnings.simplefilter("ignore")  # the first call in a process warns of the copy
    torch_same = torch_conv(t)  # pads unevenly by copying t
    by_hand = torch.nn.functional.conv1d(
        torch.nn.functional.pad(t, (1, 2)), torch_conv.weight, torch_conv.bias)
torch.testing.assert_close(torch_same, by_hand)
# --8<-- [end:torch_even]

# PyTorch warns once per process (TORCH_WARN_ONCE), so the warning is read in a fresh one:
# in this one an earlier even-kernel "same" convolution may already have spent it.
FIRST_CALL = """
import warnings, torch
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    torch.nn.Conv1d(1, 1, kernel_size=4, padding="same")(torch.zeros(1, 1, 10))
print(caught[0].message)
"""
first_warning = subprocess.run([sys.executable, "-c", FIRST_CALL], capture_output=True,
                               text=True, check=True).stdout
assert "zero-padded copy" in first_warning, first_warning
torch_pads = (1, 2)

# --8<-- [start:strided]
strided = keras.layers.Conv1D(filters=1, kernel_size=3, strides=2, padding="same")
x13 = np.random.default_rng(1).normal(size=(1, 13, 1)).astype("float32")
x14 = np.random.default_rng(2).normal(size=(1, 14, 1)).astype("float32")
out13, out14 = np.asarray(strided(x13)), np.asarray(strided(x14))
np.testing.assert_allclose(out13, padded_valid(strided, x13, 1, 1), atol=1e-6)
np.testing.assert_allclose(out14, padded_valid(strided, x14, 0, 1), atol=1e-6)
# --8<-- [end:strided]
strided_pads = {13: (1, 1), 14: (0, 1)}
assert out13.shape[1] == out14.shape[1] == 7  # ceil(size / stride) outputs

# The same strided layer in PyTorch.
try:
    torch.nn.Conv1d(1, 1, kernel_size=3, stride=2, padding="same")
except ValueError as error:
    strided_error = f"{type(error).__name__}: {error}"
else:
    raise AssertionError("PyTorch built a strided convolution with padding='same'")
