"""EinsumDense: a dense layer whose kernel has the axes its equation names. The
projection "abc,cde->abde" (attention's per-head projection) has a kernel
(features, heads, head_size); nn.Linear(features, heads * head_size) computes it with the
kernel flattened to two axes and transposed, and its output unflattened."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(5)
rng = np.random.default_rng(5)

# --8<-- [start:einsum]
layer = keras.layers.EinsumDense("abc,cde->abde", output_shape=(None, 2, 3),
                                 bias_axes="de")
x = rng.normal(size=(2, 5, 4)).astype("float32")  # (batch, steps, features)
output = np.asarray(layer(x))  # (2, 5, 2, 3): (batch, steps, heads, head_size)
kernel, bias = layer.get_weights()  # (4, 2, 3) and (2, 3)
by_hand = np.einsum("abc,cde->abde", x, kernel) + bias
np.testing.assert_allclose(output, by_hand, atol=1e-5)
# --8<-- [end:einsum]
assert output.shape == (2, 5, 2, 3) and kernel.shape == (4, 2, 3) and bias.shape == (2, 3)
features, heads, head_size = kernel.shape

# --8<-- [start:linear]
linear = torch.nn.Linear(4, 2 * 3)  # features -> heads * head_size
with torch.no_grad():
    linear.weight.copy_(torch.from_numpy(kernel.reshape(4, 2 * 3).T))  # (6, 4)
    linear.bias.copy_(torch.from_numpy(bias.reshape(2 * 3)))
    torch_output = linear(torch.from_numpy(x)).unflatten(-1, (2, 3)).numpy()
np.testing.assert_allclose(torch_output, output, atol=1e-5)
# --8<-- [end:linear]
assert tuple(linear.weight.shape) == (heads * head_size, features)

# The kernel's axes are the equation's: the flattened columns run head by head, so a
# reshape to (4, 3, 2) (heads and head_size swapped) reads other numbers.
swapped = kernel.transpose(0, 2, 1).reshape(features, heads * head_size)
assert np.abs(swapped - kernel.reshape(features, heads * head_size)).max() > 0.1

# "abc,cd->abd" is Dense itself: same kernel shape, same output.
as_dense = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d")
dense = keras.layers.Dense(3)
dense_output = np.asarray(dense(x))
as_dense.build(x.shape)
as_dense.set_weights(dense.get_weights())
np.testing.assert_allclose(np.asarray(as_dense(x)), dense_output, atol=1e-6)
dense_kernel_shape = as_dense.get_weights()[0].shape
assert dense_kernel_shape == dense.get_weights()[0].shape == (features, 3)
