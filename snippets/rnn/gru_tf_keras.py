"""GRU(5) on 4 features: 165 parameters in Keras 3 and tf_keras, 150 in the TF1 API's GRU."""
import keras
import tf_keras
# The TF1 API: what tf.compat.v1.keras is when TF_USE_LEGACY_KERAS=1.
import tf_keras.api._v1.keras as tf_keras_v1

units, input_dim = 5, 4

# --8<-- [start:defaults]
grus = {
    "keras.layers.GRU": keras.layers.GRU(units),
    "tf_keras.layers.GRU": tf_keras.layers.GRU(units),
    "tf.compat.v1.keras.layers.GRU": tf_keras_v1.layers.GRU(units),
}
for gru in grus.values():
    gru.build((None, None, input_dim))
defaults = {
    name: (gru.reset_after, gru.count_params()) for name, gru in grus.items()
}
# --8<-- [end:defaults]
assert defaults == {
    "keras.layers.GRU": (True, 165),
    "tf_keras.layers.GRU": (True, 165),
    "tf.compat.v1.keras.layers.GRU": (False, 150),
}
tf1_gru = grus["tf.compat.v1.keras.layers.GRU"]
assert [tuple(w.shape) for w in tf1_gru.weights][2] == (15,)

# --8<-- [start:same_count]
reset_before = keras.layers.GRU(units, reset_after=False)
reset_before.build((None, None, input_dim))
tf1_reset_after, tf1_count = defaults["tf.compat.v1.keras.layers.GRU"]
assert reset_before.count_params() == tf1_count
# --8<-- [end:same_count]
