"""A Keras 3 LocallyConnected2D: the job of Keras 2's layer, with its kernel and bias
shapes, so weights saved from tf_keras load unchanged."""
import keras
import numpy as np
import tf_keras

keras.utils.set_random_seed(0)


# --8<-- [start:layer]
@keras.saving.register_keras_serializable(package="weight_atlas")
class LocallyConnected2D(keras.layers.Layer):
    """Output (r, c): the kernel_size x kernel_size patch at (r, c), flattened row,
    column, channel, @ kernel[r * columns + c] + bias[r, c]. Stride 1, no padding."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = filters, kernel_size

    def build(self, input_shape):  # (batch, height, width, channels)
        _, height, width, channels = input_shape
        size = self.kernel_size
        self.output_size = rows, columns = height - size + 1, width - size + 1
        self.kernel = self.add_weight(
            shape=(rows * columns, size * size * channels, self.filters),
            initializer="glorot_uniform", name="kernel",
        )
        self.bias = self.add_weight(
            shape=(rows, columns, self.filters), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        size, (rows, columns) = self.kernel_size, self.output_size
        flat = self.kernel.shape[1]
        patches = keras.ops.stack([
            keras.ops.reshape(inputs[:, r:r + size, c:c + size, :], (-1, flat))
            for r in range(rows) for c in range(columns)
        ], axis=1)  # (batch, rows * columns, flat): positions row by row
        outputs = keras.ops.einsum("bpk,pkf->bpf", patches, self.kernel)
        outputs = keras.ops.reshape(outputs, (-1, rows, columns, self.filters))
        return outputs + self.bias

    def get_config(self):
        config = {"filters": self.filters, "kernel_size": self.kernel_size}
        return {**super().get_config(), **config}
# --8<-- [end:layer]


# --8<-- [start:same_as_keras_2]
rng = np.random.default_rng(2)
images = rng.normal(size=(4, 8, 7, 3)).astype("float32")  # batch, rows, columns, chan.
legacy = tf_keras.layers.LocallyConnected2D(filters=5, kernel_size=3)
legacy.build((None, 8, 7, 3))
legacy.set_weights([rng.normal(size=w.shape) for w in legacy.get_weights()])
ported = LocallyConnected2D(filters=5, kernel_size=3)
ported.build((None, 8, 7, 3))
ported.set_weights(legacy.get_weights())  # the same arrays, unchanged
np.testing.assert_allclose(ported(images), legacy(images), rtol=1e-6, atol=1e-6)
counts = {"ported": ported.count_params(), "legacy": legacy.count_params()}
assert counts["ported"] == counts["legacy"]
# --8<-- [end:same_as_keras_2]
assert [tuple(w.shape) for w in ported.weights] == [(30, 27, 5), (6, 5, 5)]
assert counts == {"ported": 4200, "legacy": 4200}
assert tuple(ported(images).shape) == (4, 6, 5, 5)
restored = keras.layers.deserialize(keras.layers.serialize(ported))
assert (restored.filters, restored.kernel_size) == (5, 3)
largest_2d_difference = float(np.abs(ported(images) - legacy(images)).max())
assert largest_2d_difference <= 1e-6

# --8<-- [start:model]
keras_model_2d = keras.Sequential([
    keras.Input(shape=(10, 10, 3)),  # (height, width, channels)
    keras.layers.Conv2D(filters=8, kernel_size=3),  # (8, 8, 8)
    LocallyConnected2D(filters=5, kernel_size=3),  # (6, 6, 5)
])
kernel, bias = keras_model_2d.layers[1].get_weights()
# --8<-- [end:model]
assert keras_model_2d.output_shape == (None, 6, 6, 5)
assert (kernel.shape, bias.shape) == ((36, 72, 5), (6, 6, 5))
assert keras_model_2d.layers[1].count_params() == 13140
