"""Keras 2 (the tf_keras package) names the argument units too: LSTM(unit=1) is a TypeError."""
import keras
import tf_keras

look_back = 3

# --8<-- [start:units]
try:
    tf_keras.layers.LSTM(unit=1)
except TypeError as error:
    unit_error = str(error)
assert unit_error == "LSTM.__init__() missing 1 required positional argument: 'units'"
# --8<-- [end:units]
try:
    keras.layers.LSTM(unit=1)
except TypeError as error:
    keras3_unit_error = str(error)
assert keras3_unit_error == unit_error

# --8<-- [start:input_shape]
model = tf_keras.Sequential([tf_keras.layers.LSTM(4, input_shape=(1, look_back))])
kernel, recurrent_kernel, bias = model.layers[0].get_weights()
# --8<-- [end:input_shape]
weights = [(weight.name.split("/", 1)[1], tuple(weight.shape)) for weight in model.weights]
assert kernel.shape == (look_back, 16) and model.layers[0].units == 4
assert weights == [
    ("lstm_cell/kernel:0", (3, 16)),
    ("lstm_cell/recurrent_kernel:0", (4, 16)),
    ("lstm_cell/bias:0", (16,)),
]
