"""unit_forget_bias=True (the default) starts the forget slice of the bias at 1, the rest at 0."""
import keras
import numpy as np

# --8<-- [start:bias]
for unit_forget_bias in (True, False):
    lstm = keras.layers.LSTM(units=120, unit_forget_bias=unit_forget_bias)
    lstm.build((None, None, 5))
    kernel, recurrent_kernel, bias = lstm.get_weights()
    b_i, b_f, b_c, b_o = np.split(bias, 4)
    assert np.all(b_i == 0) and np.all(b_c == 0) and np.all(b_o == 0)
    assert np.all(b_f == (1.0 if unit_forget_bias else 0.0))
# --8<-- [end:bias]
