"""After Bidirectional(LSTM(units)) the next layer reads 2 * units features
(merge_mode="concat")."""
import keras

units, input_dim, next_units = 8, 4, 3

# --8<-- [start:model]
model = keras.Sequential([
    keras.Input(shape=(None, input_dim)),
    keras.layers.Bidirectional(
        keras.layers.LSTM(units=units, return_sequences=True)
    ),
    keras.layers.LSTM(units=next_units),
    keras.layers.Dense(units=1),
])
bidirectional, next_lstm, dense = model.layers
next_kernel, next_recurrent_kernel, next_bias = next_lstm.get_weights()
assert next_kernel.shape == (2 * units, 4 * next_units)  # 2 * units rows
# --8<-- [end:model]

# --8<-- [start:counts]
counts = [layer.count_params() for layer in model.layers]
assert counts == [
    2 * 4 * (units * (input_dim + units) + units),  # both directions
    4 * (next_units * (2 * units + next_units) + next_units),  # reads 2 * units
    next_units * 1 + 1,
]
# --8<-- [end:counts]
assert counts == [832, 240, 4]
