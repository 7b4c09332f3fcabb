"""Where a Conv2D's and an nn.Conv2d's numbers live: Keras stores the kernel as
(kernel_height, kernel_width, in_channels, filters) whatever its data_format; PyTorch
stores the weight as (out_channels, in_channels, kernel_height, kernel_width) and reads
its input channels first. The copy moves the axes; nothing is flipped."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(2)

# --8<-- [start:shapes]
conv = keras.layers.Conv2D(filters=4, kernel_size=(3, 2))
conv.build((None, 9, 8, 3))  # (batch, height, width, channels): 3 input channels
kernel, bias = conv.get_weights()

torch_conv = torch.nn.Conv2d(in_channels=3, out_channels=4, kernel_size=(3, 2))
weight = torch_conv.weight.detach().numpy()

print(kernel.shape, bias.shape)  # (3, 2, 3, 4) (4,)
print(weight.shape)  # (4, 3, 3, 2)
# --8<-- [end:shapes]
assert kernel.shape == (3, 2, 3, 4) and bias.shape == (4,) and weight.shape == (4, 3, 3, 2)

# --8<-- [start:copy]
axes = (3, 2, 0, 1)  # (height, width, in, out) -> (out, in, height, width)
with torch.no_grad():
    torch_conv.weight.copy_(torch.from_numpy(kernel.transpose(axes)))
    torch_conv.bias.copy_(torch.from_numpy(bias))

x = np.random.default_rng(0).normal(size=(2, 9, 8, 3)).astype("float32")  # NHWC
keras_output = np.asarray(conv(x))  # (2, 7, 7, 4), channels last
with torch.no_grad():  # PyTorch reads NCHW: move the channels, not the kernel
    torch_output = torch_conv(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
np.testing.assert_allclose(torch_output.transpose(0, 2, 3, 1), keras_output, atol=1e-5)
# --8<-- [end:copy]
largest_difference = float(np.abs(torch_output.transpose(0, 2, 3, 1) - keras_output).max())
assert largest_difference < 1e-5

# The axes, named as the snippet's comment names them, against the layers' sizes.
keras_axes = ("kernel_height", "kernel_width", "in_channels", "filters")
torch_axes = ("out_channels", "in_channels", "kernel_height", "kernel_width")
sizes = {"kernel_height": 3, "kernel_width": 2, "in_channels": torch_conv.in_channels,
         "filters": conv.filters, "out_channels": torch_conv.out_channels}
assert kernel.shape == tuple(sizes[a] for a in keras_axes)
assert weight.shape == tuple(sizes[a] for a in torch_axes)
assert tuple(keras_axes[a] for a in axes) == ("filters", "in_channels", "kernel_height",
                                              "kernel_width")

# A kernel flipped in space (a textbook convolution) is wrong: both libraries correlate.
with torch.no_grad():
    torch_conv.weight.copy_(torch.from_numpy(kernel[::-1, ::-1].transpose(axes).copy()))
    flipped_output = torch_conv(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
flipped_difference = float(np.abs(flipped_output.transpose(0, 2, 3, 1) - keras_output).max())
assert flipped_difference > 0.1

# A channels_first Conv2D has the same kernel: the data format moves the data only.
first = keras.layers.Conv2D(filters=4, kernel_size=(3, 2), data_format="channels_first")
first.build((None, 3, 9, 8))
assert first.get_weights()[0].shape == kernel.shape
