"""hard_sigmoid changed: Keras 2 (tf_keras) computes clip(0.2 x + 0.5, 0, 1), Keras 3
clip(x / 6 + 0.5, 0, 1). A Keras 2 LSTM with recurrent_activation="hard_sigmoid" needs the
old function passed by hand in Keras 3."""
import keras
import numpy as np
import tensorflow as tf
import tf_keras

# --8<-- [start:definitions]
x = np.linspace(-4, 4, 81).astype("float32")
keras2 = tf_keras.activations.hard_sigmoid(tf.constant(x)).numpy()
keras3 = np.asarray(keras.activations.hard_sigmoid(x))
np.testing.assert_allclose(keras2, np.clip(0.2 * x + 0.5, 0, 1), atol=1e-6)
np.testing.assert_allclose(keras3, np.clip(x / 6 + 0.5, 0, 1), atol=1e-6)
assert np.abs(keras2 - keras3).max() > 0.05  # the same name, another function
# --8<-- [end:definitions]
largest_difference = float(np.abs(keras2 - keras3).max())


# --8<-- [start:port]
def keras2_hard_sigmoid(x):
    return keras.ops.clip(0.2 * x + 0.5, 0.0, 1.0)


inputs = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
old = tf_keras.layers.LSTM(4, recurrent_activation="hard_sigmoid")
old_output = old(inputs).numpy()
ported = {}
for name, recurrent_activation in [("by hand", keras2_hard_sigmoid),
                                   ("by name", "hard_sigmoid")]:
    layer = keras.layers.LSTM(4, recurrent_activation=recurrent_activation)
    layer.build(inputs.shape)
    layer.set_weights(old.get_weights())
    ported[name] = float(np.abs(np.asarray(layer(inputs)) - old_output).max())
assert ported["by hand"] < 1e-6 and ported["by name"] > 1e-4
# --8<-- [end:port]
