"""An LSTM has 4 * (units * (input_dim + units) + units) parameters."""
import keras

# --8<-- [start:count]
def lstm_parameter_count(units, input_dim):
    return 4 * (units * (input_dim + units) + units)


for units, input_dim in [(120, 5), (1, 1), (2, 1), (3, 1), (4, 3)]:
    lstm = keras.layers.LSTM(units=units)
    lstm.build((None, None, input_dim))
    assert lstm.count_params() == lstm_parameter_count(units, input_dim)
# --8<-- [end:count]
assert lstm_parameter_count(units=120, input_dim=5) == 60480
