"""A depthwise convolution is PyTorch's grouped convolution with groups=in_channels: its
kernel (kernel_height, kernel_width, in_channels, depth_multiplier) reshaped so that
output channel c * depth_multiplier + m is input channel c's m-th filter. A separable
convolution adds a 1 x 1 convolution after it."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(5)

# --8<-- [start:depthwise]
depthwise = keras.layers.DepthwiseConv2D(kernel_size=3, depth_multiplier=2)
depthwise.build((None, 8, 8, 3))
kernel, bias = depthwise.get_weights()  # kernel (3, 3, 3, 2): 2 filters per channel

grouped = torch.nn.Conv2d(3, 3 * 2, kernel_size=3, groups=3)  # weight (6, 1, 3, 3)
with torch.no_grad():
    grouped.weight.copy_(torch.from_numpy(
        kernel.reshape(3, 3, 1, 3 * 2).transpose(3, 2, 0, 1)))
    grouped.bias.copy_(torch.from_numpy(bias))

x = np.random.default_rng(0).normal(size=(2, 8, 8, 3)).astype("float32")
keras_output = np.asarray(depthwise(x))
with torch.no_grad():
    torch_output = grouped(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
np.testing.assert_allclose(torch_output.transpose(0, 2, 3, 1), keras_output, atol=1e-5)
# --8<-- [end:depthwise]
assert kernel.shape == (3, 3, 3, 2) and tuple(grouped.weight.shape) == (6, 1, 3, 3)
depthwise_difference = float(
    np.abs(torch_output.transpose(0, 2, 3, 1) - keras_output).max())

# --8<-- [start:separable]
separable = keras.layers.SeparableConv2D(filters=4, kernel_size=3, depth_multiplier=2)
separable.build((None, 8, 8, 3))
depth_kernel, point_kernel, point_bias = separable.get_weights()
print(depth_kernel.shape, point_kernel.shape)  # (3, 3, 3, 2) (1, 1, 6, 4)

pair = torch.nn.Sequential(
    torch.nn.Conv2d(3, 6, kernel_size=3, groups=3, bias=False),  # depthwise
    torch.nn.Conv2d(6, 4, kernel_size=1),  # pointwise
)
with torch.no_grad():
    pair[0].weight.copy_(torch.from_numpy(
        depth_kernel.reshape(3, 3, 1, 6).transpose(3, 2, 0, 1)))
    pair[1].weight.copy_(torch.from_numpy(point_kernel.transpose(3, 2, 0, 1)))
    pair[1].bias.copy_(torch.from_numpy(point_bias))
    pair_output = pair(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
np.testing.assert_allclose(pair_output.transpose(0, 2, 3, 1), np.asarray(separable(x)),
                           atol=1e-5)
# --8<-- [end:separable]
assert depth_kernel.shape == (3, 3, 3, 2) and point_kernel.shape == (1, 1, 6, 4)
separable_difference = float(
    np.abs(pair_output.transpose(0, 2, 3, 1) - np.asarray(separable(x))).max())

# The order of the output channels: channel c's m-th filter is output c * 2 + m. The
# other order (m * 3 + c) gives other outputs.
with torch.no_grad():
    grouped.weight.copy_(torch.from_numpy(
        kernel.transpose(0, 1, 3, 2).reshape(3, 3, 1, 6).transpose(3, 2, 0, 1)))
    other_order = grouped(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
assert np.abs(other_order.transpose(0, 2, 3, 1) - keras_output).max() > 0.1
