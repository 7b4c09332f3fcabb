"""At one timestep h_{t-1} is the zero state, so recurrent_kernel never reaches the output."""
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
