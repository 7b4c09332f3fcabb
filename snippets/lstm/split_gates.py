"""Split the weights of the readers' LSTM(units=120) on 5 features into its four gates."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
# --8<-- [start:layer]
lstm = keras.layers.LSTM(units=120)
lstm.build((None, None, 5))  # (1)!
kernel, recurrent_kernel, bias = lstm.get_weights()
# --8<-- [end:layer]

# --8<-- [start:split]
W_i, W_f, W_c, W_o = np.split(kernel, 4, axis=1)
U_i, U_f, U_c, U_o = np.split(recurrent_kernel, 4, axis=1)
b_i, b_f, b_c, b_o = np.split(bias, 4)
# --8<-- [end:split]
assert all(block.shape == (5, 120) for block in (W_i, W_f, W_c, W_o))
assert all(block.shape == (120, 120) for block in (U_i, U_f, U_c, U_o))
assert all(block.shape == (120,) for block in (b_i, b_f, b_c, b_o))

# --8<-- [start:slices]
np.testing.assert_array_equal(kernel[:, 0:120], W_i)  # input gate
np.testing.assert_array_equal(kernel[:, 120:240], W_f)  # forget gate
np.testing.assert_array_equal(kernel[:, 240:360], W_c)  # cell candidate
np.testing.assert_array_equal(kernel[:, 360:480], W_o)  # output gate
np.testing.assert_array_equal(recurrent_kernel[:, 120:240], U_f)
np.testing.assert_array_equal(bias[120:240], b_f)
# --8<-- [end:slices]
gate_blocks = zip((W_i, W_f, W_c, W_o), (U_i, U_f, U_c, U_o), (b_i, b_f, b_c, b_o))
for gate, (W, U, b) in enumerate(gate_blocks):
    columns = slice(gate * 120, (gate + 1) * 120)
    np.testing.assert_array_equal(kernel[:, columns], W)
    np.testing.assert_array_equal(recurrent_kernel[:, columns], U)
    np.testing.assert_array_equal(bias[columns], b)
