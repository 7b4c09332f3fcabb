"""What TensorFlow's GradientTape returns for w mod m, and for round, floor and sign."""
import numpy as np
import tensorflow as tf

# --8<-- [start:floormod]
w = tf.Variable([2.5, -2.5, 0.3, 2.5])
m = tf.Variable([0.7, 0.7, 0.7, -0.7])
with tf.GradientTape(persistent=True) as tape:
    r = tf.math.floormod(w, m)  # the op behind w % m and keras.ops.mod(w, m)
    r_sum, percent_sum = tf.reduce_sum(r), tf.reduce_sum(w % m)
d_w, d_m = tape.gradient(r_sum, [w, m])
# --8<-- [end:floormod]
np.testing.assert_allclose(r, w - m * np.floor(w / m), atol=1e-6)  # r = w - m·floor(w/m)
np.testing.assert_array_equal(d_w, [1.0, 1.0, 1.0, 1.0])  # ∂r/∂w = 1
np.testing.assert_array_equal(d_m, -np.floor(w / m))  # ∂r/∂m = −floor(w/m)
np.testing.assert_array_equal(tape.gradient(percent_sum, m), d_m)

# --8<-- [start:truncatemod]
with tf.GradientTape() as tape:
    r_trunc = tf.truncatemod(w, m)  # C's fmod: the sign of w
try:
    tape.gradient(r_trunc, w)
except LookupError as error:
    truncatemod_error = str(error)
# --8<-- [end:truncatemod]
assert truncatemod_error == "gradient registry has no entry for: TruncateMod"
np.testing.assert_allclose(r_trunc, np.fmod(w, m), atol=1e-6)

# In a graph (TensorFlow 1's only mode, tf.gradients), the same gap has its other message.
with tf.Graph().as_default():
    graph_w = tf.constant([2.5])
    try:
        tf.gradients(tf.truncatemod(graph_w, 0.7), graph_w)
    except LookupError as error:
        graph_error = str(error)
graph_error_first_sentence = graph_error.split(". ")[0]
assert graph_error_first_sentence.startswith("No gradient defined for operation")
assert graph_error_first_sentence.endswith("(op type: TruncateMod)")

# --8<-- [start:steps]
x = tf.Variable([0.3, 1.7, -2.2])
with tf.GradientTape(persistent=True) as tape:
    outputs = {"round": tf.round(x), "floor": tf.floor(x), "sign": tf.sign(x)}
step_gradients = {name: tape.gradient(y, x) for name, y in outputs.items()}
# --8<-- [end:steps]
assert step_gradients["round"] is None and step_gradients["floor"] is None  # "no gradient"
np.testing.assert_array_equal(step_gradients["sign"], [0.0, 0.0, 0.0])
zero_filled = tape.gradient(outputs["round"], x, unconnected_gradients="zero")
np.testing.assert_array_equal(zero_filled, [0.0, 0.0, 0.0])

# --8<-- [start:straight_through]
with tf.GradientTape() as tape:
    rounded = x + tf.stop_gradient(tf.round(x) - x)  # forward: round(x); backward: x
straight_through = tape.gradient(rounded, x)
# --8<-- [end:straight_through]
np.testing.assert_array_equal(rounded, tf.round(x))
np.testing.assert_array_equal(straight_through, [1.0, 1.0, 1.0])
