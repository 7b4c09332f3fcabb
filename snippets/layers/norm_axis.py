"""The channel axis. Keras' BatchNormalization normalises per entry of `axis`, -1 by
default (channels_last); PyTorch's BatchNorm1d, 2d and 3d read the channels at axis 1. A
Keras layer on channels_first data needs axis=1; with the default it takes the last
spatial axis for the channels."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:channels_first]
x = rng.normal(size=(8, 3, 5, 4)).astype("float32")  # (batch, channels, height, width)
batch_norm = keras.layers.BatchNormalization(axis=1)  # the channels' axis
keras_output = np.asarray(batch_norm(x, training=True))
torch_norm = torch.nn.BatchNorm2d(num_features=3, eps=batch_norm.epsilon)
with torch.no_grad():
    torch_output = torch_norm(torch.from_numpy(x)).numpy()  # no permute
np.testing.assert_allclose(torch_output, keras_output, atol=1e-5)
print(batch_norm.gamma.shape)  # (3,): one per channel

by_default = keras.layers.BatchNormalization()  # axis=-1
by_default.build(x.shape)
print(by_default.gamma.shape)  # (4,): one per column of the width
# --8<-- [end:channels_first]
channels_first_shape = x.shape
per_channel_shape = tuple(batch_norm.gamma.shape)
default_gamma_shape = tuple(by_default.gamma.shape)
assert per_channel_shape == (3,) and default_gamma_shape == (4,)
first_difference = float(np.abs(torch_output - keras_output).max())
assert first_difference < 1e-5
keras_channels_first_axis, default_axis = batch_norm.axis, by_default.axis
assert (keras_channels_first_axis, default_axis) == (1, -1)


def torch_module(rank):
    """The PyTorch module for inputs of `rank` axes (batch and channels included)."""
    return {2: torch.nn.BatchNorm1d, 3: torch.nn.BatchNorm1d, 4: torch.nn.BatchNorm2d,
            5: torch.nn.BatchNorm3d}[rank]


# --8<-- [start:ranks]
ranks = []
for shape in [(8, 3), (8, 6, 3), (8, 5, 5, 3), (8, 4, 4, 4, 3)]:  # channels last
    x = rng.normal(size=shape).astype("float32")
    batch_norm = keras.layers.BatchNormalization()
    keras_output = np.asarray(batch_norm(x, training=True))
    module = torch_module(len(shape))(num_features=3, eps=batch_norm.epsilon)
    to_first = (0, len(shape) - 1, *range(1, len(shape) - 1))  # channels to axis 1
    with torch.no_grad():
        torch_output = module(torch.from_numpy(x).permute(to_first)).numpy()
    back = np.argsort(to_first)  # and back to the end
    np.testing.assert_allclose(torch_output.transpose(back), keras_output, atol=1e-5)
    ranks.append((shape, type(module).__name__, torch_output.shape, to_first))
# --8<-- [end:ranks]
modules = [name for _, name, _, _ in ranks]
assert modules == ["BatchNorm1d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"]
assert all(first[1] == 3 and keras_shape[-1] == 3 for keras_shape, _, first, _ in ranks)
# The three modules keep the same parameters and buffers, one entry per channel.
kept = {name: list(torch_module(rank)(num_features=3).state_dict()) for rank, name in
        zip((2, 4, 5), ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"))}
assert all(keys == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
           for keys in kept.values())
