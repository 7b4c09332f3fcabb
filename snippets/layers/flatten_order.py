"""The order in which Flatten lists a feature map's values: Keras flattens
(height, width, channels), PyTorch's nn.Flatten (channels, height, width). The same
numbers come out in another order, and a Dense copied after them needs its kernel's rows
in PyTorch's order."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(4)

# --8<-- [start:order]
h, w, c = 2, 3, 4
feature_map = np.arange(h * w * c, dtype="float32").reshape(1, h, w, c)  # value = index
keras_flat = np.asarray(keras.layers.Flatten()(feature_map))[0]
nchw = torch.from_numpy(feature_map.transpose(0, 3, 1, 2))  # what PyTorch's layers hold
torch_flat = torch.nn.Flatten()(nchw)[0].numpy()
print(keras_flat[:6])  # [0. 1. 2. 3. 4. 5.]
print(torch_flat[:6])  # [ 0.  4.  8. 12. 16. 20.]
# --8<-- [end:order]
assert keras_flat[:6].tolist() == [0, 1, 2, 3, 4, 5]
assert torch_flat[:6].tolist() == [0, 4, 8, 12, 16, 20]
assert sorted(torch_flat) == sorted(keras_flat)  # the same values, in another order

# --8<-- [start:permutation]
order = np.arange(h * w * c).reshape(h, w, c).transpose(2, 0, 1).reshape(-1)
np.testing.assert_array_equal(torch_flat, keras_flat[order])  # i-th: Keras' order[i]-th
# --8<-- [end:permutation]

# --8<-- [start:dense]
dense = keras.layers.Dense(5)
dense.build((None, h * w * c))
kernel, bias = dense.get_weights()  # kernel: (h * w * c, 5), rows in Keras' order
AXES = (3, 2, 0, 1)  # (h, w, c, units) -> (units, c, h, w)
weight = kernel.reshape(h, w, c, 5).transpose(AXES).reshape(5, h * w * c)
np.testing.assert_array_equal(weight, kernel[order].T)  # the same rows, moved
linear = torch.nn.Linear(h * w * c, 5)
with torch.no_grad():
    linear.weight.copy_(torch.from_numpy(weight))
    linear.bias.copy_(torch.from_numpy(bias))
    torch_out = linear(torch.from_numpy(torch_flat)).numpy()
np.testing.assert_allclose(torch_out, np.asarray(dense(keras_flat[None]))[0], atol=1e-5)
# --8<-- [end:dense]
with torch.no_grad():
    linear.weight.copy_(torch.from_numpy(kernel.T.copy()))  # transposed only: wrong
    transposed_only = linear(torch.from_numpy(torch_flat)).numpy()
keras_out = np.asarray(dense(keras_flat[None]))[0]
transposed_only_difference = float(np.abs(transposed_only - keras_out).max())
assert transposed_only_difference > 0.1

# channels_first Keras tensors: Flatten(data_format="channels_first") moves the channels
# last before it flattens, so it lists (h, w, c) as a channels_last model does; Flatten with
# data_format="channels_last" on the same tensor lists (c, h, w), as PyTorch does.
# --8<-- [start:channels_first]
first = feature_map.transpose(0, 3, 1, 2)  # the same map, channels first
as_keras = np.asarray(keras.layers.Flatten(data_format="channels_first")(first))[0]
as_torch = np.asarray(keras.layers.Flatten(data_format="channels_last")(first))[0]
np.testing.assert_array_equal(as_keras, keras_flat)  # (h, w, c): needs the permutation
np.testing.assert_array_equal(as_torch, torch_flat)  # (c, h, w): PyTorch's order
# --8<-- [end:channels_first]

# Global average pooling keeps one value per channel: no spatial order to lose.
# --8<-- [start:pooling]
keras_pooled = np.asarray(keras.layers.GlobalAveragePooling2D()(feature_map))[0]
torch_pooled = torch.nn.AdaptiveAvgPool2d(1)(nchw).flatten(1)[0].numpy()
np.testing.assert_allclose(torch_pooled, keras_pooled, atol=1e-6)  # (c,) in both
# --8<-- [end:pooling]
assert keras_pooled.shape == (c,)
