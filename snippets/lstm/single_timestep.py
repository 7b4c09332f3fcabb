"""At one timestep from the zero state, recurrent_kernel does not reach the output; an initial
state, stateful=True, a regulariser or weight decay each move it."""
import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, input_dim, units = 4, 5, 120

# --8<-- [start:gradient]
lstm = keras.layers.LSTM(units=units)
inputs = rng.normal(size=(batch, 1, input_dim)).astype("float32")  # one timestep
with tf.GradientTape() as tape:
    loss = keras.ops.sum(lstm(inputs) ** 2)
trainable = [weight.name for weight in lstm.trainable_weights]
assert trainable == ["kernel", "recurrent_kernel", "bias"]
kernel_gradient, recurrent_gradient, bias_gradient = (
    np.asarray(gradient) for gradient in tape.gradient(loss, lstm.trainable_weights)
)
assert np.all(recurrent_gradient == 0)
assert np.any(kernel_gradient != 0)
# --8<-- [end:gradient]
recurrent_gradient_max_abs = float(np.abs(recurrent_gradient).max())
kernel_gradient_max_abs = float(np.abs(kernel_gradient).max())
assert recurrent_gradient_max_abs == 0.0 and kernel_gradient_max_abs > 0.0

# --8<-- [start:replace]
before = np.asarray(lstm(inputs))
kernel, recurrent_kernel, bias = lstm.get_weights()
lstm.set_weights([kernel, rng.normal(size=recurrent_kernel.shape), bias])
after = np.asarray(lstm(inputs))
np.testing.assert_array_equal(after, before)  # bit for bit
# --8<-- [end:replace]
assert not np.array_equal(lstm.get_weights()[1], recurrent_kernel)

# --8<-- [start:conditions]
def recurrent_kernel_gradient(layer, initial_state=None):
    """The largest |gradient| reaching recurrent_kernel, regularisation included."""
    with tf.GradientTape() as tape:
        outputs = layer(inputs, initial_state=initial_state)
        loss = keras.ops.sum(outputs**2) + sum(layer.losses)
    return float(np.abs(tape.gradient(loss, layer.cell.recurrent_kernel)).max())


stateful = keras.layers.LSTM(units, stateful=True)
stateful(inputs)  # the first batch leaves a state behind
ones = np.ones((batch, units), dtype="float32")
gradient = {
    "defaults": recurrent_kernel_gradient(keras.layers.LSTM(units)),
    "initial_state": recurrent_kernel_gradient(keras.layers.LSTM(units), [ones, ones]),
    "stateful=True": recurrent_kernel_gradient(stateful),
    "recurrent_regularizer": recurrent_kernel_gradient(
        keras.layers.LSTM(units, recurrent_regularizer="l2")),
}
assert gradient["defaults"] == 0
assert all(value > 1e-3 for case, value in gradient.items() if case != "defaults")
# --8<-- [end:conditions]

# --8<-- [start:weight_decay]
def after_one_step(optimizer):
    """recurrent_kernel after one step of `optimizer` with its zero gradient."""
    variable = keras.Variable(recurrent_kernel)
    optimizer.apply_gradients([(recurrent_gradient, variable)])
    return np.asarray(variable)


np.testing.assert_array_equal(after_one_step(keras.optimizers.Adam()), recurrent_kernel)
decayed = after_one_step(keras.optimizers.AdamW(weight_decay=0.1))
assert np.abs(decayed - recurrent_kernel).max() > 1e-5  # weight decay moves it
# --8<-- [end:weight_decay]

# --8<-- [start:look_back_1]
look_back = 1
one_timestep = keras.Sequential(
    [keras.Input(shape=(1, look_back)), keras.layers.LSTM(units=4)]
)
one_feature = keras.Sequential(
    [keras.Input(shape=(look_back, 1)), keras.layers.LSTM(units=4)]
)
one_feature.set_weights(one_timestep.get_weights())
x = rng.normal(size=(batch, 1, 1)).astype("float32")
np.testing.assert_array_equal(one_feature(x), one_timestep(x))
# --8<-- [end:look_back_1]
input_shapes = [tuple(model.input_shape) for model in (one_timestep, one_feature)]
weight_shapes = [[w.shape for w in model.get_weights()] for model in (one_timestep, one_feature)]
assert input_shapes[0] == input_shapes[1] == (None, 1, 1)
assert weight_shapes[0] == weight_shapes[1] == [(1, 16), (4, 16), (16,)]
