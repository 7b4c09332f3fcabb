"""RMS normalisation. Keras' LayerNormalization(rms_scaling=True) is deprecated (it
warns) and keeps gamma alone; it divides by the root of the variance, not by the root
mean square, so it differs from torch.nn.RMSNorm on inputs whose mean is not zero.
keras.layers.RMSNormalization computes what nn.RMSNorm computes: its `scale` is the
module's `weight`, once the epsilons agree."""
import warnings

import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
x = rng.normal(1.0, 2.0, size=(2, 7, 6)).astype("float32")  # (batch, steps, features)
mean_square = np.mean(x**2, axis=-1, keepdims=True)
variance = x.var(axis=-1, keepdims=True)

# --8<-- [start:rms_scaling]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    rms_scaled = keras.layers.LayerNormalization(rms_scaling=True)
    scaled_output = np.asarray(rms_scaled(x))  # warns again at each call
print(caught[0].message)  # You passed `rms_scaling=True`, which is deprecated. ...
print([variable.name for variable in rms_scaled.weights])  # ['gamma']: no beta

by_variance = x / np.sqrt(variance + rms_scaled.epsilon)  # not the root mean square
np.testing.assert_allclose(scaled_output, by_variance, atol=1e-5)
rms_norm = torch.nn.RMSNorm(6, eps=rms_scaled.epsilon)  # weight: ones, as gamma
with torch.no_grad():
    rms_output = rms_norm(torch.from_numpy(x)).numpy()
np.testing.assert_allclose(rms_output, x / np.sqrt(mean_square + 1e-3), atol=1e-5)
assert np.abs(rms_output - scaled_output).max() > 0.1

centred = x - x.mean(axis=-1, keepdims=True)  # a mean of 0: variance = mean square
with warnings.catch_warnings(record=True):
    warnings.simplefilter("always")
    centred_output = np.asarray(rms_scaled(centred))
with torch.no_grad():
    centred_rms = rms_norm(torch.from_numpy(centred)).numpy()
np.testing.assert_allclose(centred_rms, centred_output, atol=1e-5)
# --8<-- [end:rms_scaling]
warning_text = str(caught[0].message)
assert "deprecated" in warning_text and "RMSNormalization" in warning_text
rms_scaling_arrays = [variable.name for variable in rms_scaled.weights]
assert rms_scaling_arrays == ["gamma"]
rms_scaling_difference = float(np.abs(rms_output - scaled_output).max())
smallest_mean = float(np.abs(x.mean(axis=-1)).min())  # of any row of x: none is 0
assert smallest_mean > 1e-3

# --8<-- [start:rms_layer]
rms_layer = keras.layers.RMSNormalization()  # epsilon=1e-6
rms_layer.build(x.shape)
rms_layer.set_weights([rng.normal(size=6).astype("float32")])
(scale,) = rms_layer.get_weights()  # (6,): its only array

rms_norm = torch.nn.RMSNorm(6, eps=rms_layer.epsilon)  # eps=None by default
rms_norm.load_state_dict({"weight": torch.from_numpy(scale)})
with torch.no_grad():
    rms_output = rms_norm(torch.from_numpy(x)).numpy()
keras_output = np.asarray(rms_layer(x))
np.testing.assert_allclose(rms_output, keras_output, atol=1e-5)
by_hand = x / np.sqrt(mean_square + 1e-6) * scale  # the root mean square
np.testing.assert_allclose(keras_output, by_hand, atol=1e-5)
# --8<-- [end:rms_layer]
rms_layer_arrays = [variable.name for variable in rms_layer.weights]
assert rms_layer_arrays == ["scale"] and scale.shape == (6,)
rms_layer_difference = float(np.abs(rms_output - keras_output).max())
keras_rms_epsilon = keras.layers.RMSNormalization().epsilon
torch_rms_epsilon = torch.nn.RMSNorm(6).eps
assert keras_rms_epsilon == 1e-6 and torch_rms_epsilon is None
# PyTorch's eps=None adds float32's machine epsilon: seen on inputs small enough for
# the epsilon to matter.
tiny = (x * 1e-4).astype("float32")
tiny_square = np.mean(tiny.astype("float64") ** 2, axis=-1, keepdims=True)
machine_epsilon = float(np.finfo(np.float32).eps)
with torch.no_grad():
    default_rms = torch.nn.RMSNorm(6)(torch.from_numpy(tiny)).numpy()
np.testing.assert_allclose(default_rms, tiny / np.sqrt(tiny_square + machine_epsilon),
                           atol=1e-5)
assert np.abs(default_rms - tiny / np.sqrt(tiny_square + 1e-6)).max() > 0.1
