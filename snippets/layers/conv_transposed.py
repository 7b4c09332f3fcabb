"""A transposed convolution's kernel: Keras stores (kernel_height, kernel_width, filters,
in_channels), PyTorch (in_channels, out_channels, kernel_height, kernel_width); the same
axis move as a convolution's copies it. Keras' padding="same" with kernel 4 and stride 2
is PyTorch's padding=1."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(4)

# --8<-- [start:transposed]
up = keras.layers.Conv2DTranspose(filters=2, kernel_size=4, strides=2, padding="same")
up.build((None, 5, 6, 3))  # 3 input channels
kernel, bias = up.get_weights()
torch_up = torch.nn.ConvTranspose2d(3, 2, kernel_size=4, stride=2, padding=1)
print(kernel.shape, torch_up.weight.shape)  # (4, 4, 2, 3) torch.Size([3, 2, 4, 4])

with torch.no_grad():
    torch_up.weight.copy_(torch.from_numpy(kernel.transpose(3, 2, 0, 1)))
    torch_up.bias.copy_(torch.from_numpy(bias))
x = np.random.default_rng(0).normal(size=(2, 5, 6, 3)).astype("float32")
keras_output = np.asarray(up(x))  # (2, 10, 12, 2): twice the height and width
with torch.no_grad():
    torch_output = torch_up(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
np.testing.assert_allclose(torch_output.transpose(0, 2, 3, 1), keras_output, atol=1e-5)
# --8<-- [end:transposed]
assert kernel.shape == (4, 4, 2, 3) and tuple(torch_up.weight.shape) == (3, 2, 4, 4)
assert keras_output.shape == (2, 10, 12, 2)
largest_difference = float(np.abs(torch_output.transpose(0, 2, 3, 1) - keras_output).max())
keras_axes = ("kernel_height", "kernel_width", "filters", "in_channels")
torch_axes = ("in_channels", "out_channels", "kernel_height", "kernel_width")
sizes = {"kernel_height": 4, "kernel_width": 4, "filters": up.filters, "in_channels": 3,
         "out_channels": torch_up.out_channels}
assert kernel.shape == tuple(sizes[a] for a in keras_axes)
assert tuple(torch_up.weight.shape) == tuple(sizes[a] for a in torch_axes)
