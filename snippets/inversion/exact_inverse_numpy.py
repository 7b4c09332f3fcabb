"""Invert a square dense stack with bijective activations, layer by layer, in NumPy."""
import numpy as np

rng = np.random.default_rng(0)
n, batch = 4, 10


# --8<-- [start:model]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def leaky_relu(z, negative_slope=0.1):
    return np.where(z >= 0, z, negative_slope * z)


weights = [rng.normal(size=(n, n)) / np.sqrt(n) for _ in range(3)]
biases = [rng.normal(size=n) / np.sqrt(n) for _ in range(3)]
activations = [np.tanh, leaky_relu, sigmoid]


def forward(x):
    for W, b, activation in zip(weights, biases, activations):
        x = activation(x @ W + b)  # rows are samples, as in Keras
    return x


x = rng.normal(size=(batch, n))
y = forward(x)
# --8<-- [end:model]

# --8<-- [start:invert]
inverse_of = {
    np.tanh: np.arctanh,
    leaky_relu: lambda z, slope=0.1: np.where(z >= 0, z, z / slope),
    sigmoid: lambda z: np.log(z) - np.log1p(-z),
}


def invert(y):
    z = y
    for W, b, activation in reversed(list(zip(weights, biases, activations))):
        z = inverse_of[activation](z)
        z = np.linalg.solve(W.T, (z - b).T).T  # z @ W == pre-activation - b
    return z
# --8<-- [end:invert]


# --8<-- [start:check]
x_recovered = invert(y)
np.testing.assert_allclose(x_recovered, x, atol=1e-10, rtol=0)
# --8<-- [end:check]
float64_error = np.abs(x_recovered - x).max()
