"""Keras 3 on TensorFlow: a channels_first convolution whose last spatial size equals its
number of filters adds its bias along that spatial axis, not per channel. keras.ops.add
runs x + bias.reshape(1, filters, 1, ...) as TensorFlow's bias_add, and picks
channels-last whenever x's last axis has as many entries as the bias."""
import keras
import numpy as np

keras.utils.set_random_seed(6)

# --8<-- [start:bug]
conv = keras.layers.Conv3D(filters=4, kernel_size=2, data_format="channels_first")
conv.build((None, 3, 6, 6, 5))  # outputs (batch, 4, 5, 5, 4): 4 filters, last size 4
kernel, _ = conv.get_weights()
bias = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
conv.set_weights([kernel, bias])

x = np.random.default_rng(0).normal(size=(1, 3, 6, 6, 5)).astype("float32")
without_bias = keras.ops.conv(x, kernel, data_format="channels_first")
added = np.asarray(conv(x)) - np.asarray(without_bias)
print(added[0, :, 0, 0, 0].round(3))  # [1. 1. 1. 1.]: bias[0] for every channel
print(added[0, 0, 0, 0, :].round(3))  # [1. 2. 3. 4.]: the bias along the last axis
# --8<-- [end:bug]
per_channel = np.broadcast_to(bias[:, None, None, None], added.shape[1:])
along_last = np.broadcast_to(bias, added.shape[1:])
if keras.backend.backend() == "tensorflow":
    np.testing.assert_allclose(added[0], along_last, atol=1e-5)
else:
    np.testing.assert_allclose(added[0], per_channel, atol=1e-5)
affected = keras.backend.backend() == "tensorflow"
