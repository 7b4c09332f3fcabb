"""Dense layers whose kernel or bias goes through `mod`, variants that each remove one
of its three causes, and replacements that bound a weight smoothly or by a
constraint."""
import keras
import numpy as np
import tensorflow as tf
from keras import ops


# --8<-- [start:layers]
class ModDense(keras.layers.Layer):
    """y = x·kernel + bias, where effective() says what kernel and bias are made of.
    copies=n gives each weight a first axis of n independent copies (one per seed)."""

    m_like = None  # the shape of m: that of "w" or of "b"; None: no m
    m_trains = True

    def __init__(self, units, activation=None, copies=None, **kwargs):
        super().__init__(**kwargs)
        self.units, self.activation = units, keras.activations.get(activation)
        self.copies = () if copies is None else (copies,)

    def build(self, input_shape):
        shape = {"w": (*self.copies, input_shape[-1], self.units),
                 "b": (*self.copies, self.units)}
        glorot = "glorot_uniform"  # Keras' default for a Dense kernel; our choice for m
        self.w = self.add_weight(shape=shape["w"], initializer=glorot, name="w")
        self.b = self.add_weight(shape=shape["b"], initializer="zeros", name="b")
        if self.m_like:
            self.m = self.add_weight(shape=shape[self.m_like], initializer=glorot,
                                     name="m", trainable=self.m_trains)

    def effective(self):  # y = x·w + b, as keras.layers.Dense
        return self.w, self.b

    def call(self, x):
        kernel, bias = self.effective()  # one bias row per copy
        return self.activation(ops.matmul(x, kernel) + ops.expand_dims(bias, -2))


class KernelModDense(ModDense):  # y = x·(w mod m) + b
    m_like = "w"

    def effective(self):
        return ops.mod(self.w, self.m), self.b


class BiasModDense(ModDense):  # y = x·w + (b mod m)
    m_like = "b"

    def effective(self):
        return self.w, ops.mod(self.b, self.m)
# --8<-- [end:layers]


# --8<-- [start:replacements]
class StraightThroughModDense(KernelModDense):  # forward w mod m; backward: as if w
    m_trains = False  # m would get no gradient: it is not trained

    def effective(self):
        return self.w + ops.stop_gradient(ops.mod(self.w, self.m) - self.w), self.b


class SigmoidDense(KernelModDense):  # m·sigmoid(w): between 0 and m, smooth
    def effective(self):
        return self.m * ops.sigmoid(self.w), self.b
# --8<-- [end:replacements]


# --8<-- [start:causes]
class CentredModDense(KernelModDense):  # either sign: between -m/2 and m/2, jumps by m
    def effective(self):
        return ops.mod(self.w + self.m / 2, self.m) - self.m / 2, self.b


class FoldedModDense(KernelModDense):  # between 0 and m, folds back: no jumps
    def effective(self):
        turns = ops.mod(self.w / self.m, 2)  # a triangle wave with period 2m
        return self.m * (1 - ops.abs(turns - 1)), self.b
# --8<-- [end:causes]


# --8<-- [start:constraint]
class Clip(keras.constraints.Constraint):
    """The optimizer sets the weight to Clip(weight) after each of its steps."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, w):
        return ops.clip(w, -self.limit, self.limit)


class ClippedDense(ModDense):  # y = x·w + b, each w kept within Glorot's range
    def build(self, input_shape):
        super().build(input_shape)
        self.w.constraint = Clip((6 / (input_shape[-1] + self.units)) ** 0.5)


bounded = keras.layers.Dense(64, kernel_constraint=Clip(0.2))  # Clip on a Dense
# --8<-- [end:constraint]


class NoBiasDense(ModDense):  # y = x·w: the bias stays zero
    def build(self, input_shape):
        super().build(input_shape)
        self.b.trainable = False


# The experiment's variants: Dense, Dense without bias, the two of the question, the
# three with one cause removed (straight through: m not trained, so no heavy tail) and
# two replacements that bound the kernel.
VARIANTS = {
    "dense": ModDense,
    "no_bias": NoBiasDense,
    "kernel_mod": KernelModDense,
    "bias_mod": BiasModDense,
    "straight_through": StraightThroughModDense,
    "centred": CentredModDense,
    "folded": FoldedModDense,
    "sigmoid": SigmoidDense,
    "clipped": ClippedDense,
}
LABELS = {
    "dense": "x·w + b (Dense)",
    "no_bias": "x·w (Dense, no bias)",
    "kernel_mod": "x·(w mod m) + b",
    "bias_mod": "x·w + (b mod m)",
    "straight_through": "x·(w mod m) + b, m not trained",
    "centred": "x·((w + m/2) mod m − m/2) + b",
    "folded": "x·(w mod m, folded) + b",
    "sigmoid": "x·(m·sigmoid(w)) + b",
    "clipped": "x·w + b, w clipped to Glorot's range",
}
assert set(LABELS) == set(VARIANTS)

# Each layer computes what its formula says, and its gradients are the ones the page
# derives.
keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
layers, gradients = {}, {}
for name, layer_class in VARIANTS.items():
    layers[name] = layer = layer_class(3)
    with tf.GradientTape() as tape:
        y = layer(x)
    gradients[name] = dict(zip(
        [weight.name for weight in layer.trainable_weights],
        [g.numpy() for g in tape.gradient(y, layer.trainable_weights)],
    ))
    w, b = layer.w.numpy(), layer.b.numpy()
    m = layer.m.numpy() if layer.m_like else None
    kernel, bias = (np.asarray(part) for part in layer.effective())
    formulas = {  # (kernel, bias), for the layers with an m
        "kernel_mod": lambda: (w - m * np.floor(w / m), b),
        "bias_mod": lambda: (w, b - m * np.floor(b / m)),
        "straight_through": lambda: (w - m * np.floor(w / m), b),
        "centred": lambda: (w - m * np.floor(w / m + 0.5), b),
        "folded": lambda: (m * np.abs(w / m - 2 * np.round(w / m / 2)),  # m·|u − 2k|
                           b),
        "sigmoid": lambda: (m / (1 + np.exp(-w)), b),
    }
    expected = formulas[name]() if layer.m_like else (w, b)
    np.testing.assert_allclose(kernel, expected[0], atol=1e-6)
    np.testing.assert_allclose(bias, expected[1], atol=1e-6)
    np.testing.assert_allclose(y, x @ kernel + bias, atol=1e-5)

# ModDense is keras.layers.Dense (and NoBiasDense a Dense without bias) given the same
# weights.
for name, use_bias in (("dense", True), ("no_bias", False)):
    reference = keras.layers.Dense(3, use_bias=use_bias)
    reference.build((None, 8))
    reference.kernel.assign(layers[name].w)
    np.testing.assert_allclose(reference(x), layers[name](x), atol=1e-6)
assert set(gradients["no_bias"]) == {"w"}  # the bias is not trained

# d(sum y)/dw is the column sums of x, times what each variant passes back to w: one
# for w mod m, whose derivative in w is one, so the straight-through estimator changes
# only m.
column_sums = np.broadcast_to(x.sum(axis=0)[:, None], (8, 3))
for name in ("dense", "no_bias", "kernel_mod", "bias_mod", "straight_through",
             "centred"):
    np.testing.assert_allclose(gradients[name]["w"], column_sums, atol=1e-5)
w, m = layers["kernel_mod"].w.numpy(), layers["kernel_mod"].m.numpy()
np.testing.assert_allclose(gradients["kernel_mod"]["m"], -np.floor(w / m) * column_sums,
                           atol=1e-5)
assert "m" not in gradients["straight_through"]  # m is not trained: no heavy tail
assert gradients["bias_mod"]["m"].tolist() == [0.0, 0.0, 0.0]  # b = 0: floor(0 / m) = 0

# Centred and folded keep the heavy tail: m's gradient grows like w/m, as for w mod m.
w, m = layers["centred"].w.numpy(), layers["centred"].m.numpy()
np.testing.assert_allclose(gradients["centred"]["m"],
                           -np.floor(w / m + 0.5) * column_sums, atol=1e-5)
w, m = layers["folded"].w.numpy(), layers["folded"].m.numpy()
turns = np.mod(w / m, 2)
np.testing.assert_allclose(gradients["folded"]["w"], -np.sign(turns - 1) * column_sums,
                           atol=1e-5)
np.testing.assert_allclose(  # d/dm of m·(1 − |u mod 2 − 1|), u = w/m
    gradients["folded"]["m"],
    (1 - np.abs(turns - 1) + np.sign(turns - 1) * w / m) * column_sums,
    atol=1e-5)

# Along w, for m = ±0.3: w mod m and centred jump by m, folded moves no more than w
# does; w mod m and folded keep the sign of m and stay within it, centred takes either
# sign.
along = np.linspace(-1.5, 1.5, 30001, dtype="float32")[:, None]  # one kernel column
spacing = float(along[1, 0] - along[0, 0])
for m_value in (0.3, -0.3):
    values = {}
    for name in ("kernel_mod", "centred", "folded"):
        layer = VARIANTS[name](1)
        layer.build((None, len(along)))
        layer.w.assign(along)
        layer.m.assign(np.full_like(along, m_value))
        values[name] = np.asarray(layer.effective()[0]).ravel()
    steps = {name: np.abs(np.diff(value)).max() for name, value in values.items()}
    assert (steps["kernel_mod"] > abs(m_value) / 2
            and steps["centred"] > abs(m_value) / 2)
    assert steps["folded"] <= 1.01 * spacing  # continuous: slope one, then minus one
    for name in ("kernel_mod", "folded"):
        assert np.all(values[name] * np.sign(m_value) >= 0)  # the sign of m
        assert np.all(np.abs(values[name]) <= abs(m_value))
    assert values["centred"].min() < 0 < values["centred"].max()

# Clip bounds the weight after each optimizer step, whatever the step; Glorot's range is
# the one Keras draws a Dense kernel from.
bounded.build((None, 64))
keras.optimizers.SGD(learning_rate=1.0).apply([ops.full((64, 64), -5.0), ops.zeros(64)],
                                             bounded.trainable_weights)
np.testing.assert_array_equal(bounded.kernel.numpy(), np.full((64, 64), 0.2, "float32"))
clipped = ClippedDense(64)
clipped.build((None, 64))
limit = clipped.w.constraint.limit
drawn = keras.initializers.GlorotUniform(seed=0)((64, 64)).numpy()
assert np.abs(drawn).max() <= limit and np.abs(drawn).max() > 0.99 * limit
