"""Dense layers whose kernel or bias goes through `mod`, and two replacements."""
import functools

import keras
import numpy as np
import tensorflow as tf
from keras import ops


# --8<-- [start:layers]
class ModDense(keras.layers.Layer):
    """y = x·kernel + bias, where effective() says what kernel and bias are made of."""

    m_like = "w"  # m has the shape of w (or of b, in BiasModDense)

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.activation = units, keras.activations.get(activation)

    def build(self, input_shape):
        shape = {"w": (input_shape[-1], self.units), "b": (self.units,)}
        glorot = "glorot_uniform"  # Keras' default for a Dense kernel
        self.w = self.add_weight(shape=shape["w"], initializer=glorot, name="w")
        self.b = self.add_weight(shape=shape["b"], initializer="zeros", name="b")
        self.m = self.add_weight(shape=shape[self.m_like], initializer=glorot, name="m")

    def call(self, x):
        kernel, bias = self.effective()
        return self.activation(ops.matmul(x, kernel) + bias)


class KernelModDense(ModDense):  # y = x·(w mod m) + b
    def effective(self):
        return ops.mod(self.w, self.m), self.b


class BiasModDense(ModDense):  # y = x·w + (b mod m)
    m_like = "b"

    def effective(self):
        return self.w, ops.mod(self.b, self.m)
# --8<-- [end:layers]


# --8<-- [start:replacements]
class StraightThroughModDense(ModDense):  # forward w mod m; backward: as if kernel = w
    def effective(self):
        return self.w + ops.stop_gradient(ops.mod(self.w, self.m) - self.w), self.b


class SigmoidDense(ModDense):  # kernel = m·sigmoid(w): between 0 and m, and smooth
    def effective(self):
        return self.m * ops.sigmoid(self.w), self.b
# --8<-- [end:replacements]


# The experiment's variants: a plain Dense, one without bias, the two of the question and
# two replacements.
VARIANTS = {
    "dense": keras.layers.Dense,
    "no_bias": functools.partial(keras.layers.Dense, use_bias=False),
    "kernel_mod": KernelModDense,
    "bias_mod": BiasModDense,
    "straight_through": StraightThroughModDense,
    "sigmoid": SigmoidDense,
}
LABELS = {
    "dense": "x·w + b (Dense)",
    "no_bias": "x·w (Dense, no bias)",
    "kernel_mod": "x·(w mod m) + b",
    "bias_mod": "x·w + (b mod m)",
    "straight_through": "x·(w mod m) + b, straight-through",
    "sigmoid": "x·(m·sigmoid(w)) + b",
}

# Each layer computes what its formula says, and its gradients are the ones the page derives.
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
gradients = {}
for name, layer_class in VARIANTS.items():
    layer = layer_class(3)
    with tf.GradientTape() as tape:
        y = layer(x)
    gradients[name] = dict(zip(
        [weight.name for weight in layer.weights],
        [None if g is None else g.numpy() for g in tape.gradient(y, layer.weights)],
    ))
    if name in ("dense", "no_bias"):
        continue
    w, b, m = (weight.numpy() for weight in (layer.w, layer.b, layer.m))
    kernel, bias = (np.asarray(part) for part in layer.effective())
    expected = {
        "kernel_mod": (w - m * np.floor(w / m), b),
        "bias_mod": (w, b - m * np.floor(b / m)),
        "straight_through": (w - m * np.floor(w / m), b),
        "sigmoid": (m / (1 + np.exp(-w)), b),
    }[name]
    np.testing.assert_allclose(kernel, expected[0], atol=1e-6)
    np.testing.assert_allclose(bias, expected[1], atol=1e-6)
    np.testing.assert_allclose(y, x @ kernel + bias, atol=1e-5)

# d(sum y)/dw is the column sums of x, times what each variant passes back to w.
column_sums = np.broadcast_to(x.sum(axis=0)[:, None], (8, 3))
for name in ("dense", "no_bias", "kernel_mod", "bias_mod", "straight_through"):
    np.testing.assert_allclose(gradients[name][next(iter(gradients[name]))], column_sums, atol=1e-5)
kernel_layer = KernelModDense(3)
kernel_layer.build((None, 8))
floor_ratio = np.floor(kernel_layer.w.numpy() / kernel_layer.m.numpy())
with tf.GradientTape() as tape:
    y = kernel_layer(x)
np.testing.assert_allclose(tape.gradient(y, kernel_layer.m), -floor_ratio * column_sums, atol=1e-5)
assert gradients["straight_through"]["m"] is None  # m never learns
assert gradients["bias_mod"]["m"].tolist() == [0.0, 0.0, 0.0]  # b = 0: floor(0 / m) = 0
