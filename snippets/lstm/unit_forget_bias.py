"""unit_forget_bias=True sets the bias's forget slice to 1; bias_initializer fills the rest."""
import re

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
default_lstm = keras.layers.LSTM(units=120)
default_lstm.build((None, None, 5))
bias_blocks_unique = [np.unique(b).tolist() for b in np.split(default_lstm.get_weights()[2], 4)]
assert bias_blocks_unique == [[0.0], [1.0], [0.0], [0.0]]

# --8<-- [start:constant]
constant_bias_blocks_unique = {}
for unit_forget_bias in (True, False):
    lstm = keras.layers.LSTM(
        units=120,
        bias_initializer=keras.initializers.Constant(0.5),
        unit_forget_bias=unit_forget_bias,
    )
    lstm.build((None, None, 5))
    blocks = np.split(lstm.get_weights()[2], 4)  # i, f, c, o
    unique_values = [np.unique(block).tolist() for block in blocks]
    constant_bias_blocks_unique[unit_forget_bias] = unique_values
assert constant_bias_blocks_unique[True] == [[0.5], [1.0], [0.5], [0.5]]  # 1.0, not 1.5
assert constant_bias_blocks_unique[False] == [[0.5], [0.5], [0.5], [0.5]]
# --8<-- [end:constant]

# --8<-- [start:docstring]
entry = re.search(r"unit_forget_bias:(.*?)\n\s*\w+: ", keras.layers.LSTM.__doc__, re.DOTALL)
docstring_entry = " ".join(entry.group(1).split())
sentences = re.split(r"(?<=\.)\s+", docstring_entry)
docstring_says = " ".join(sentence for sentence in sentences if "bias" in sentence)
assert "add 1 to the bias of the forget gate" in docstring_says
assert 'force `bias_initializer="zeros"`' in docstring_says
assert constant_bias_blocks_unique[True][1] != [0.5 + 1]  # not added: set
assert constant_bias_blocks_unique[True][0] != [0.0]  # not forced to zeros
# --8<-- [end:docstring]
