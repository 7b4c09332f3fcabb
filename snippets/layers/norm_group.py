"""GroupNormalization against nn.GroupNorm: both split the channels into consecutive
groups and normalise each sample's group with its biased variance; gamma and beta are
weight and bias, one per channel. Keras reads the channels at axis=-1 and defaults to 32
groups and epsilon 1e-3; PyTorch reads them at axis 1, takes num_groups without a
default and eps=1e-5."""
import inspect

import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:group]
x = rng.normal(1.0, 2.0, size=(2, 4, 4, 6)).astype("float32")  # channels last
group_norm = keras.layers.GroupNormalization(groups=3)  # axis=-1, epsilon=1e-3
group_norm.build(x.shape)
gamma, beta = rng.normal(size=(2, 6)).astype("float32")
group_norm.set_weights([gamma, beta])  # each (6,): one per channel

torch_norm = torch.nn.GroupNorm(num_groups=3, num_channels=6, eps=group_norm.epsilon)
torch_norm.load_state_dict({"weight": torch.from_numpy(gamma),
                            "bias": torch.from_numpy(beta)})
keras_output = np.asarray(group_norm(x))
with torch.no_grad():
    channels_first = torch.from_numpy(x).permute(0, 3, 1, 2)  # (2, 6, 4, 4)
    torch_output = torch_norm(channels_first).permute(0, 2, 3, 1).numpy()
np.testing.assert_allclose(torch_output, keras_output, atol=1e-5)

grouped = x.reshape(2, 4, 4, 3, 2)  # channels 0-1, 2-3, 4-5: consecutive groups
mean = grouped.mean(axis=(1, 2, 4), keepdims=True)
biased = grouped.var(axis=(1, 2, 4), keepdims=True)
by_hand = ((grouped - mean) / np.sqrt(biased + 1e-3)).reshape(x.shape) * gamma + beta
np.testing.assert_allclose(keras_output, by_hand, atol=1e-5)
# --8<-- [end:group]
group_difference = float(np.abs(torch_output - keras_output).max())
assert group_difference <= 1e-5
keras_arrays = {v.name: tuple(v.shape) for v in group_norm.weights}
torch_arrays = {name: tuple(p.shape) for name, p in torch_norm.named_parameters()}
assert keras_arrays == {"gamma": (6,), "beta": (6,)}
assert torch_arrays == {"weight": (6,), "bias": (6,)}
keras_defaults = keras.layers.GroupNormalization()
keras_groups = keras_defaults.groups
keras_epsilon, keras_axis = keras_defaults.epsilon, keras_defaults.axis
torch_options = inspect.signature(torch.nn.GroupNorm).parameters
torch_epsilon = torch_options["eps"].default
torch_groups_default = torch_options["num_groups"].default
assert (keras_groups, keras_epsilon, keras_axis) == (32, 1e-3, -1)
assert torch_epsilon == 1e-5 and torch_groups_default is inspect.Parameter.empty
# Groups of channels far apart (0, 3 / 1, 4 / 2, 5) give other outputs: the groups are
# consecutive in both libraries.
strided = x.reshape(2, 4, 4, 2, 3)
other = ((strided - strided.mean(axis=(1, 2, 3), keepdims=True))
         / np.sqrt(strided.var(axis=(1, 2, 3), keepdims=True) + 1e-3)).reshape(x.shape)
assert np.abs(other * gamma + beta - keras_output).max() > 0.1
