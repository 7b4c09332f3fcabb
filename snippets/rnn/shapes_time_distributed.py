"""On a sequence, Dense is TimeDistributed(Dense): the same weights, the same numbers, in
Keras 3 as in Keras 2 (tf_keras)."""
import keras
import numpy as np
import tf_keras

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:same]
# An LSTM's return_sequences=True output: (batch, timesteps, units).
sequence = rng.normal(size=(2, 5, 8)).astype("float32")
dense = keras.layers.Dense(3)
distributed = keras.layers.TimeDistributed(keras.layers.Dense(3))
dense_output = np.asarray(dense(sequence))  # (2, 5, 3)
distributed.build(sequence.shape)
dense_shapes = [weight.shape for weight in dense.get_weights()]
assert [w.shape for w in distributed.get_weights()] == dense_shapes
distributed.set_weights(dense.get_weights())
np.testing.assert_allclose(distributed(sequence), dense_output, atol=1e-6)
for t in range(sequence.shape[1]):  # one (8, 3) kernel, each timestep alone
    np.testing.assert_allclose(
        dense(sequence[:, t]), dense_output[:, t], atol=1e-6)
# --8<-- [end:same]

# --8<-- [start:keras2]
keras2_dense = tf_keras.layers.Dense(3)  # Keras 2: the tf_keras package
keras2_dense.build(sequence.shape)
keras2_dense.set_weights(dense.get_weights())
np.testing.assert_allclose(keras2_dense(sequence), dense_output, atol=1e-6)
# --8<-- [end:keras2]

# --8<-- [start:differ]
frames = rng.normal(size=(2, 5, 4, 4)).astype("float32")  # 5 frames of 4×4
flatten = keras.layers.Flatten()
per_timestep = keras.layers.TimeDistributed(flatten)(frames)
whole_input = flatten(frames)
assert per_timestep.shape == (2, 5, 16)  # each frame flattened, 5 timesteps
assert whole_input.shape == (2, 80)      # all frames in one: no timesteps
# --8<-- [end:differ]
