"""How long a transposed convolution's output is in each library, and output_padding.

With padding="valid", Keras makes strides * T outputs when the kernel is shorter than the
stride; PyTorch makes (T - 1) * strides + kernel, fewer: output_padding adds the missing
ones at the end, and the outputs match. Keras' own output_padding is PyTorch's."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(6)
x = np.random.default_rng(2).normal(size=(2, 5, 4)).astype("float32")  # 5 steps


def copied(layer, module):
    """The module holding the Keras layer's kernel and bias, moved to PyTorch's axes."""
    kernel, bias = layer.get_weights()  # kernel (kernel_size, filters, in_channels)
    with torch.no_grad():
        module.weight.copy_(torch.from_numpy(kernel.transpose(2, 1, 0)))
        module.bias.copy_(torch.from_numpy(bias))
    return module


def run(module):
    with torch.no_grad():
        return module(torch.from_numpy(x.transpose(0, 2, 1))).numpy().transpose(0, 2, 1)


# --8<-- [start:short_kernel]
up = keras.layers.Conv1DTranspose(filters=3, kernel_size=2, strides=3)
keras_output = np.asarray(up(x))  # (2, 15, 3): 3 * 5 steps
short = copied(up, torch.nn.ConvTranspose1d(4, 3, kernel_size=2, stride=3))
assert run(short).shape == (2, 14, 3)  # (5 - 1) * 3 + 2 steps: one fewer
padded = copied(up, torch.nn.ConvTranspose1d(4, 3, kernel_size=2, stride=3,
                                             output_padding=1))
np.testing.assert_allclose(run(padded), keras_output, atol=1e-5)
np.testing.assert_allclose(keras_output[:, -1], np.broadcast_to(up.bias, (2, 3)))
# --8<-- [end:short_kernel]
keras_steps, torch_steps = keras_output.shape[1], run(short).shape[1]
short_difference = float(np.abs(run(padded) - keras_output).max())
# The missing step is the last one: without it, the outputs match the first 14 steps.
assert np.abs(run(short) - keras_output[:, :torch_steps]).max() < 1e-5

# --8<-- [start:keras_option]
wider = keras.layers.Conv1DTranspose(filters=3, kernel_size=3, strides=2,
                                     output_padding=1)
keras_wider = np.asarray(wider(x))  # (2, 12, 3): (5 - 1) * 2 + 3 + 1 steps
torch_wider = copied(wider, torch.nn.ConvTranspose1d(4, 3, kernel_size=3, stride=2,
                                                     output_padding=1))
np.testing.assert_allclose(run(torch_wider), keras_wider, atol=1e-5)
# --8<-- [end:keras_option]
wider_steps = keras_wider.shape[1]
wider_difference = float(np.abs(run(torch_wider) - keras_wider).max())
assert short_difference < 1e-5 and wider_difference < 1e-5
assert (keras_steps, torch_steps, wider_steps) == (15, 14, 12)
