"""Which GRU Keras hands to cuDNN: its TensorFlow backend's own test, run here on a
CPU over every activation pair Keras names and every unroll, use_bias, reset_after."""
import inspect
import itertools

import keras
from keras.src.backend.tensorflow.rnn import _do_gru_arguments_support_cudnn, cudnn_ok

# --8<-- [start:cudnn]
not_activations = ("get", "serialize", "deserialize")
names = [name for name in dir(keras.activations)
         if not name.startswith("_") and name not in not_activations]
accepted = [
    (activation, recurrent_activation, unroll, use_bias, reset_after)
    for activation, recurrent_activation in itertools.product(names, repeat=2)
    for unroll, use_bias, reset_after in itertools.product((False, True), repeat=3)
    if _do_gru_arguments_support_cudnn(
        activation=keras.activations.get(activation),
        recurrent_activation=keras.activations.get(recurrent_activation),
        unroll=unroll, use_bias=use_bias, reset_after=reset_after,
    )
]
assert accepted == [("tanh", "sigmoid", False, True, True)]
default = keras.layers.GRU(units=4)  # its arguments: the one combination accepted
assert (default.cell.activation.__name__, default.cell.recurrent_activation.__name__,
        default.unroll, default.use_bias, default.reset_after) == accepted[0]
# The arguments are not enough: cudnn_ok also asks for a GPU, which this machine lacks.
assert "args_supported and _is_gpu_available()" in inspect.getsource(cudnn_ok)
assert not cudnn_ok(*accepted[0][:4], reset_after=True)
# --8<-- [end:cudnn]
n_activations = len(names)
