"""use_bias=False drops the bias: two arrays instead of three, and 4 * units fewer parameters."""
import keras

units, input_dim = 120, 5

# --8<-- [start:use_bias]
with_bias = keras.layers.LSTM(units=units)  # use_bias=True is the default
without_bias = keras.layers.LSTM(units=units, use_bias=False)
for lstm in (with_bias, without_bias):
    lstm.build((None, None, input_dim))
weights_with_bias = [(weight.name, tuple(weight.shape)) for weight in with_bias.weights]
weights_without_bias = [
    (weight.name, tuple(weight.shape)) for weight in without_bias.weights
]
# --8<-- [end:use_bias]
assert weights_with_bias == [
    ("kernel", (5, 480)), ("recurrent_kernel", (120, 480)), ("bias", (480,))
]
assert weights_without_bias == [("kernel", (5, 480)), ("recurrent_kernel", (120, 480))]
assert len(with_bias.get_weights()) == 3 and len(without_bias.get_weights()) == 2

# --8<-- [start:count]
parameters_with_bias = with_bias.count_params()
parameters_without_bias = without_bias.count_params()
assert parameters_with_bias - parameters_without_bias == 4 * units
# --8<-- [end:count]
assert (parameters_with_bias, parameters_without_bias) == (60480, 60000)
