"""LayerNormalization against nn.LayerNorm: both normalise each sample over its last
axes with the biased variance and keep gamma/beta (Keras) or weight/bias (PyTorch) of
the normalised shape; epsilon defaults to 1e-3 in Keras and 1e-5 in PyTorch, and the
outputs agree once it is the same. Over several axes, Keras' gamma follows the
channels_last layout and nn.LayerNorm's weight the channels_first one."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:layer]
x = rng.normal(1.0, 2.0, size=(2, 7, 6)).astype("float32")  # (batch, steps, features)
layer_norm = keras.layers.LayerNormalization()  # axis=-1, epsilon=1e-3
layer_norm.build(x.shape)
gamma, beta = rng.normal(size=(2, 6)).astype("float32")
layer_norm.set_weights([gamma, beta])  # each (6,)

torch_norm = torch.nn.LayerNorm(6, eps=layer_norm.epsilon)  # eps=1e-5 by default
torch_norm.load_state_dict({"weight": torch.from_numpy(gamma),
                            "bias": torch.from_numpy(beta)})
keras_output = np.asarray(layer_norm(x))
with torch.no_grad():
    torch_output = torch_norm(torch.from_numpy(x)).numpy()
np.testing.assert_allclose(torch_output, keras_output, atol=1e-5)

biased = x.var(axis=-1, keepdims=True)  # divided by the 6 features
by_hand = (x - x.mean(-1, keepdims=True)) / np.sqrt(biased + 1e-3) * gamma + beta
np.testing.assert_allclose(keras_output, by_hand, atol=1e-5)
# --8<-- [end:layer]
layer_difference = float(np.abs(torch_output - keras_output).max())
assert layer_difference <= 1e-5
keras_arrays = {v.name: tuple(v.shape) for v in layer_norm.weights}
torch_arrays = {name: tuple(p.shape) for name, p in torch_norm.named_parameters()}
assert keras_arrays == {"gamma": (6,), "beta": (6,)}
assert torch_arrays == {"weight": (6,), "bias": (6,)}
keras_epsilon = keras.layers.LayerNormalization().epsilon
torch_epsilon = torch.nn.LayerNorm(6).eps
assert (keras_epsilon, torch_epsilon) == (1e-3, 1e-5)
with torch.no_grad():
    default_output = torch.nn.LayerNorm(6)(torch.from_numpy(x)).numpy() * gamma + beta
assert np.abs(default_output - keras_output).max() > 1e-4

# --8<-- [start:axes]
images = rng.normal(size=(2, 4, 5, 3)).astype("float32")  # (batch, h, w, channels)
over_image = keras.layers.LayerNormalization(axis=[1, 2, 3])
over_image.build(images.shape)
gamma, beta = rng.normal(size=(2, 4, 5, 3)).astype("float32")
over_image.set_weights([gamma, beta])  # each (4, 5, 3): height, width, channels

torch_image = torch.nn.LayerNorm([3, 4, 5], eps=over_image.epsilon)  # (C, H, W)
torch_image.load_state_dict({"weight": torch.from_numpy(gamma.transpose(2, 0, 1)),
                             "bias": torch.from_numpy(beta.transpose(2, 0, 1))})
with torch.no_grad():
    channels_first = torch.from_numpy(images).permute(0, 3, 1, 2)
    torch_output = torch_image(channels_first).permute(0, 2, 3, 1).numpy()
np.testing.assert_allclose(torch_output, np.asarray(over_image(images)), atol=1e-5)
# --8<-- [end:axes]
image_gamma_shape = tuple(over_image.gamma.shape)
image_weight_shape = tuple(torch_image.weight.shape)
assert image_gamma_shape == (4, 5, 3) and image_weight_shape == (3, 4, 5)
