"""Invert a square Dense stack with bijective activations, layer by layer, Keras 3."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
n, batch = 4, 10

# --8<-- [start:model]
model = keras.Sequential([
    keras.Input(shape=(n,), dtype="float64"),
    keras.layers.Dense(n, activation="tanh", dtype="float64"),
    keras.layers.Dense(n, dtype="float64"),
    keras.layers.LeakyReLU(negative_slope=0.1, dtype="float64"),
    keras.layers.Dense(n, activation="sigmoid", dtype="float64"),
])
x = np.random.default_rng(0).normal(size=(batch, n))
y = model(x)
# --8<-- [end:model]

# --8<-- [start:invert]
inverse_activation = {
    keras.activations.tanh: keras.ops.arctanh,
    keras.activations.sigmoid: lambda z: keras.ops.log(z) - keras.ops.log1p(-z),
    keras.activations.linear: lambda z: z,
}


def invert(model, y):
    z = y
    for layer in reversed(model.layers):
        if isinstance(layer, keras.layers.Dense):
            z = inverse_activation[layer.activation](z)
            # Each row of z is x @ kernel + bias: kernel.T @ x.T == (z - bias).T
            kernel_t = keras.ops.transpose(layer.kernel)
            z = keras.ops.transpose(
                keras.ops.solve(kernel_t, keras.ops.transpose(z - layer.bias))
            )
        elif isinstance(layer, keras.layers.LeakyReLU):
            slope = np.float32(layer.negative_slope)  # as TensorFlow applies it
            z = keras.ops.where(z >= 0, z, z / slope)
        else:
            raise ValueError(f"{type(layer).__name__} has no inverse")
    return z
# --8<-- [end:invert]


# --8<-- [start:check]
x_recovered = keras.ops.convert_to_numpy(invert(model, y))
np.testing.assert_allclose(x_recovered, x, atol=1e-10, rtol=0)
# --8<-- [end:check]
float64_error = np.abs(x_recovered - x).max()

# --8<-- [start:float32_slope]
minus_one = np.array([-1.0])  # float64
applied_slope = -float(keras.ops.leaky_relu(minus_one, negative_slope=0.1)[0])
assert applied_slope == float(np.float32(0.1)) != 0.1
# --8<-- [end:float32_slope]
dense_layers = [l for l in model.layers if isinstance(l, keras.layers.Dense)]
assert [layer.activation for layer in dense_layers] == [
    keras.activations.tanh, keras.activations.linear, keras.activations.sigmoid,
]
