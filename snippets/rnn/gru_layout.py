"""A Keras GRU keeps kernel, recurrent_kernel and bias; reset_after decides the bias."""
import re

import keras

units, input_dim = 5, 4

# --8<-- [start:layout]
default_gru = keras.layers.GRU(units=units)
reset_before_gru = keras.layers.GRU(units=units, reset_after=False)
for gru in (default_gru, reset_before_gru):
    gru.build((None, None, input_dim))  # (batch, timesteps, features)
layout = {
    gru.reset_after: [(w.name, tuple(w.shape)) for w in gru.weights]
    for gru in (default_gru, reset_before_gru)
}
# --8<-- [end:layout]
assert layout == {
    True: [("kernel", (4, 15)), ("recurrent_kernel", (5, 15)), ("bias", (2, 15))],
    False: [("kernel", (4, 15)), ("recurrent_kernel", (5, 15)), ("bias", (15,))],
}
assert default_gru.reset_after is True

# --8<-- [start:docstring]
docstring = " ".join(keras.layers.GRU.__doc__.split())
variants_say = re.search(r"The default one is .*? multiplication\.", docstring)
variants_say = variants_say[0]
argument_says = re.search(r"reset_after: (.*?cuDNN compatible\)\.)", docstring)
argument_says = argument_says[1]
default_reset_after = keras.layers.GRU(units=1).get_config()["reset_after"]
assert "hidden state before matrix multiplication" in variants_say
assert '`True` is `"after"` (default' in argument_says
assert default_reset_after is True  # "after": the argument list is right
# --8<-- [end:docstring]
assert layout[default_reset_after][2][1] == (2, 3 * units)  # the "after" variant's bias
