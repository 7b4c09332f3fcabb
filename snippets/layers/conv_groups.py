"""Grouped convolutions and the other ranks. With groups=g, each g-th of the filters reads
only its own g-th of the input channels: the kernel holds in_channels / groups input
channels per filter in both libraries, and the same axis move copies it. Conv1D and
Conv3D move their axes as Conv2D does: the last (filters) to the front, the input
channels after it, the spatial axes last in their order."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)

# --8<-- [start:groups]
conv = keras.layers.Conv2D(filters=6, kernel_size=3, groups=3)
x = rng.normal(size=(2, 8, 8, 9)).astype("float32")  # 9 input channels, 3 per group
output = np.asarray(conv(x))  # (2, 6, 6, 6)
kernel, bias = conv.get_weights()  # (3, 3, 3, 6): 9 / 3 input channels per filter
torch_conv = torch.nn.Conv2d(9, 6, kernel_size=3, groups=3)  # weight (6, 3, 3, 3)
with torch.no_grad():
    torch_conv.weight.copy_(torch.from_numpy(kernel.transpose(3, 2, 0, 1)))
    torch_conv.bias.copy_(torch.from_numpy(bias))
    torch_output = torch_conv(torch.from_numpy(x.transpose(0, 3, 1, 2))).numpy()
np.testing.assert_allclose(torch_output.transpose(0, 2, 3, 1), output, atol=1e-5)
# --8<-- [end:groups]
assert kernel.shape == (3, 3, 3, 6) and tuple(torch_conv.weight.shape) == (6, 3, 3, 3)
groups, in_channels, filters = conv.groups, x.shape[-1], conv.filters

# Group g: filters g*2, g*2+1 read input channels g*3 to g*3+2 and no others.
# --8<-- [start:group_by_group]
for g in range(3):
    part = keras.layers.Conv2D(filters=2, kernel_size=3)  # one group on its own
    part.build((None, 8, 8, 3))
    part.set_weights([kernel[..., 2 * g:2 * g + 2], bias[2 * g:2 * g + 2]])
    alone = np.asarray(part(x[..., 3 * g:3 * g + 3]))
    np.testing.assert_allclose(alone, output[..., 2 * g:2 * g + 2], atol=1e-5)
# --8<-- [end:group_by_group]
per_group = (in_channels // groups, filters // groups)
assert per_group == (3, 2)

# Every rank: the kernel's axes and the weight's, read from built layers.
# --8<-- [start:ranks]
SPATIAL_SIZE = 9  # steps, height, width, depth of the inputs
ranks = []
for rank, size in ((1, (5,)), (2, (5, 4)), (3, (5, 4, 3))):
    keras_rank = getattr(keras.layers, f"Conv{rank}D")(filters=6, kernel_size=size)
    data = rng.normal(size=(2, *[SPATIAL_SIZE] * rank, 2)).astype("float32")
    keras_output = np.asarray(keras_rank(data))
    torch_rank = getattr(torch.nn, f"Conv{rank}d")(2, 6, kernel_size=size)
    axes = (rank + 1, rank, *range(rank))  # filters, in_channels, then the spatial axes
    with torch.no_grad():
        moved = keras_rank.kernel.numpy().transpose(axes)
        torch_rank.weight.copy_(torch.from_numpy(moved))
        torch_rank.bias.copy_(torch.from_numpy(keras_rank.bias.numpy()))
        channels_first = torch.from_numpy(np.moveaxis(data, -1, 1))
        torch_output = np.moveaxis(torch_rank(channels_first).numpy(), 1, -1)
    np.testing.assert_allclose(torch_output, keras_output, atol=1e-5)
    shapes = (tuple(keras_rank.kernel.shape), tuple(torch_rank.weight.shape))
    ranks.append((rank, *shapes, axes))
# --8<-- [end:ranks]
assert [row[2] for row in ranks] == [(6, 2, 5), (6, 2, 5, 4), (6, 2, 5, 4, 3)]
