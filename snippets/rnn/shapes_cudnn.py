"""use_cudnn: what a machine without a GPU can check about Keras' cuDNN path."""
import re

import keras
import numpy as np
import tensorflow as tf

has_gpu = bool(tf.config.list_logical_devices("GPU"))
rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 5, 3)).astype("float32")


# --8<-- [start:forced]
def cudnn_refusal(layer_class, **options):
    """The error a layer forced onto cuDNN raises when called, or None."""
    try:
        layer_class(4, use_cudnn=True, **options)(inputs)
    except ValueError as error:
        # Keras prints the message in bold, among the call's arguments.
        return re.search("\x1b\\[1m(.*)\x1b\\[0m", str(error), re.DOTALL)[1]
    return None


LSTM, GRU = keras.layers.LSTM, keras.layers.GRU
refused = {
    "activation": cudnn_refusal(LSTM, activation="relu"),
    "recurrent_dropout": cudnn_refusal(LSTM, recurrent_dropout=0.2),
    "reset_after": cudnn_refusal(GRU, reset_after=False),
}
refusal = "use_cudnn=True was specified, but cuDNN is not supported"
assert all(message.startswith(refusal) for message in refused.values())
# --8<-- [end:forced]

# --8<-- [start:default]
default_refusal = cudnn_refusal(LSTM)  # tanh, sigmoid, no recurrent_dropout
assert (default_refusal is None) == has_gpu  # refused only for want of a GPU
# --8<-- [end:default]

# --8<-- [start:auto]
auto = LSTM(4, activation="relu")  # use_cudnn="auto", the default
auto_output = auto(inputs)  # no error, no warning: the generic loop, silently
generic = LSTM(4, activation="relu", use_cudnn=False)
generic.build(inputs.shape)
generic.set_weights(auto.get_weights())
np.testing.assert_allclose(auto_output, generic(inputs), atol=1e-6)
# --8<-- [end:auto]
