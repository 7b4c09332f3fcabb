"""Keras 3 has no LocallyConnected1D or LocallyConnected2D; Keras 2's, in the tf_keras
package, store one kernel slice per output position."""
import keras
import numpy as np
import tf_keras

tf_keras.utils.set_random_seed(0)

# --8<-- [start:gone]
missing = {}
for name in ("LocallyConnected1D", "LocallyConnected2D"):
    try:
        getattr(keras.layers, name)
    except AttributeError as error:
        missing[name] = str(error)
# --8<-- [end:gone]
assert missing == {
    "LocallyConnected1D": "module 'keras.layers' has no attribute 'LocallyConnected1D'",
    "LocallyConnected2D": "module 'keras.layers' has no attribute 'LocallyConnected2D'",
}

# --8<-- [start:one_d]
legacy_1d = tf_keras.layers.LocallyConnected1D(filters=1, kernel_size=3)
legacy_1d.build((None, 8, 1))  # (batch, steps, channels)
shapes_1d = [tuple(w.shape) for w in legacy_1d.weights]  # kernel, bias
# --8<-- [end:one_d]
assert shapes_1d == [(6, 3, 1), (6, 1)] and legacy_1d.count_params() == 24

# --8<-- [start:implementation]
count_by_implementation = {}
for implementation in (1, 2, 3):
    layer = tf_keras.layers.LocallyConnected1D(
        filters=1, kernel_size=3, implementation=implementation
    )
    layer.build((None, 8, 1))
    count_by_implementation[implementation] = layer.count_params()
# --8<-- [end:implementation]
assert count_by_implementation == {1: 24, 2: 54, 3: 24}

# --8<-- [start:implementation_mask]
dense = tf_keras.layers.LocallyConnected1D(
    filters=1, kernel_size=3, implementation=2
)
dense.build((None, 8, 1))
kernel_mask = np.asarray(dense.kernel_mask)  # (steps, channels, positions, filters)
band = kernel_mask[:, 0, :, 0].T.astype("float32")  # (6, 8): a row per position
np.testing.assert_array_equal(band, np.tril(np.triu(np.ones((6, 8))), 2))
# --8<-- [end:implementation_mask]
assert tuple(dense.kernel.shape) == (8, 1, 6, 1) and int(kernel_mask.sum()) == 18

# --8<-- [start:two_d]
legacy_model = tf_keras.Sequential([
    tf_keras.Input(shape=(10, 10, 3)),  # (height, width, channels)
    tf_keras.layers.Conv2D(filters=8, kernel_size=3),  # (8, 8, 8)
    tf_keras.layers.LocallyConnected2D(filters=5, kernel_size=3),  # (6, 6, 5)
])
kernel, bias = legacy_model.layers[1].get_weights()
# --8<-- [end:two_d]
assert legacy_model.layers[0].output_shape == (None, 8, 8, 8)
assert legacy_model.output_shape == (None, 6, 6, 5)
assert kernel.shape == (6 * 6, 3 * 3 * 8, 5) == (36, 72, 5)
assert bias.shape == (6, 6, 5)
assert legacy_model.layers[1].count_params() == 13140

# --8<-- [start:patch_order]
rng = np.random.default_rng(0)
kernel = rng.normal(size=kernel.shape).astype("float32")
bias = rng.normal(size=bias.shape).astype("float32")
legacy_model.layers[1].set_weights([kernel, bias])
images = rng.normal(size=(2, 10, 10, 3)).astype("float32")
features = legacy_model.layers[0](images).numpy()  # LocallyConnected2D's input
expected = np.empty((2, 6, 6, 5), dtype="float32")
for row in range(6):
    for column in range(6):
        patch = features[:, row:row + 3, column:column + 3, :]  # (2, 3, 3, 8)
        weights = kernel[row * 6 + column]  # (72, 5): this position's filters
        output = patch.reshape(2, 72) @ weights  # row, column, channel order
        expected[:, row, column] = output + bias[row, column]
np.testing.assert_allclose(legacy_model(images).numpy(), expected, atol=1e-5)
# --8<-- [end:patch_order]
