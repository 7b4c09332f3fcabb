"""A Keras 3 LocallyConnected1D: the job of Keras 2's layer, with its kernel and bias
shapes, so weights saved from tf_keras load unchanged."""
import keras
import numpy as np
import tf_keras

keras.utils.set_random_seed(0)


# --8<-- [start:layer]
@keras.saving.register_keras_serializable(package="weight_atlas")
class LocallyConnected1D(keras.layers.Layer):
    """Output step j: the input's window j, kernel_size steps flattened,
    @ kernel[j] + bias[j]."""

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(**kwargs)
        self.filters, self.kernel_size = filters, kernel_size

    def build(self, input_shape):  # (batch, steps, channels)
        _, steps, channels = input_shape
        self.output_length = steps - self.kernel_size + 1
        length, flat = self.output_length, self.kernel_size * channels
        self.kernel = self.add_weight(
            shape=(length, flat, self.filters),
            initializer="glorot_uniform", name="kernel",
        )
        self.bias = self.add_weight(
            shape=(length, self.filters), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        size, flat = self.kernel_size, self.kernel.shape[1]
        windows = keras.ops.stack([
            keras.ops.reshape(inputs[:, j:j + size, :], (-1, flat))
            for j in range(self.output_length)
        ], axis=1)  # (batch, output_length, kernel_size * channels)
        outputs = keras.ops.einsum("bjk,jkf->bjf", windows, self.kernel)
        return outputs + self.bias

    def get_config(self):
        config = {"filters": self.filters, "kernel_size": self.kernel_size}
        return {**super().get_config(), **config}
# --8<-- [end:layer]


# --8<-- [start:model]
keras_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Reshape((8, 1)),  # 8 steps of 1 channel
    LocallyConnected1D(filters=1, kernel_size=3),  # (6, 1): 6 neurons
    keras.layers.Flatten(),
    keras.layers.Dense(6, activation="relu"),
    keras.layers.Dense(3, activation="softmax"),
])
x = np.random.default_rng(0).normal(size=(64, 8)).astype("float32")
probabilities = keras.ops.convert_to_numpy(keras_model(x))  # (64, 3)
# --8<-- [end:model]
assert probabilities.shape == (64, 3) and keras_model.count_params() == 87
np.testing.assert_allclose(probabilities.sum(axis=1), np.ones(64), atol=1e-6)
assert [tuple(w.shape) for w in keras_model.layers[1].weights] == [(6, 3, 1), (6, 1)]

# --8<-- [start:same_as_keras_2]
rng = np.random.default_rng(1)
steps = rng.normal(size=(16, 8, 2)).astype("float32")  # batch, steps, channels
legacy = tf_keras.layers.LocallyConnected1D(filters=4, kernel_size=3)
legacy.build((None, 8, 2))
legacy.set_weights([rng.normal(size=w.shape) for w in legacy.get_weights()])
ported = LocallyConnected1D(filters=4, kernel_size=3)
ported.build((None, 8, 2))
ported.set_weights(legacy.get_weights())  # the same arrays, unchanged
np.testing.assert_allclose(ported(steps), legacy(steps), rtol=1e-6, atol=1e-6)
# --8<-- [end:same_as_keras_2]
assert [tuple(w.shape) for w in ported.weights] == [(6, 6, 4), (6, 4)]
restored = keras.layers.deserialize(keras.layers.serialize(ported))
assert (restored.filters, restored.kernel_size) == (4, 3)
