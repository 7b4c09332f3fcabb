"""Where a Dense layer's and an nn.Linear's numbers live: Keras stores the kernel as
(inputs, units) and computes x @ kernel + bias; PyTorch stores the weight as
(out_features, in_features) and computes x @ weight.T + bias."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(1)  # no kernel entry that prints as 0.00

# --8<-- [start:shapes]
dense = keras.layers.Dense(units=4, bias_initializer="random_normal")  # a bias, not 0
dense.build((None, 3))  # 3 input features
kernel, bias = dense.get_weights()

linear = torch.nn.Linear(in_features=3, out_features=4)
weight = linear.weight.detach().numpy()

print(kernel.shape, bias.shape)  # (3, 4) (4,)
print(weight.shape)  # (4, 3)
# --8<-- [end:shapes]
assert kernel.shape == (3, 4) and bias.shape == (4,) and weight.shape == (4, 3)
assert tuple(linear.bias.shape) == bias.shape

# --8<-- [start:compute]
x = np.random.default_rng(0).normal(size=(2, 3)).astype("float32")
keras_output = np.asarray(dense(x))
np.testing.assert_allclose(x @ kernel + bias, keras_output, atol=1e-6)

with torch.no_grad():  # copy Keras' numbers into the PyTorch layer
    linear.weight.copy_(torch.from_numpy(kernel.T))
    linear.bias.copy_(torch.from_numpy(bias))
    torch_output = linear(torch.from_numpy(x)).numpy()
torch_weight = linear.weight.detach().numpy()
np.testing.assert_allclose(x @ torch_weight.T + bias, torch_output, atol=1e-6)
np.testing.assert_allclose(torch_output, keras_output, atol=1e-6)
# --8<-- [end:compute]
largest_difference = float(np.abs(torch_output - keras_output).max())
assert largest_difference < 1e-6

# The two layouts, read from the layers: Keras' kernel axes are (inputs, units), PyTorch's
# weight axes (out_features, in_features); each is the other transposed.
keras_axes = ("inputs", "units")
torch_axes = ("out_features", "in_features")
assert (kernel.shape[keras_axes.index("inputs")], kernel.shape[keras_axes.index("units")]) \
    == (linear.in_features, dense.units)
assert (weight.shape[torch_axes.index("out_features")],
        weight.shape[torch_axes.index("in_features")]) == (linear.out_features, linear.in_features)
np.testing.assert_array_equal(linear.weight.detach().numpy(), kernel.T)
