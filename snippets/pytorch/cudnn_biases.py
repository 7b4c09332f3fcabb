"""The old CuDNNLSTM and CuDNNGRU kept cuDNN's two biases: 4 * units (3 * units) more
than LSTM and GRU with one bias, and exactly PyTorch's count."""
import keras
import tf_keras
# The TF1 API: what tf.compat.v1.keras is when TF_USE_LEGACY_KERAS=1.
import tf_keras.api._v1.keras as tf_keras_v1
import torch

units, input_dim = 5, 4

# --8<-- [start:counts]
legacy = {
    "CuDNNLSTM": tf_keras_v1.layers.CuDNNLSTM(units),
    "LSTM": tf_keras_v1.layers.LSTM(units),
    "CuDNNGRU": tf_keras_v1.layers.CuDNNGRU(units),
    "GRU": tf_keras_v1.layers.GRU(units),  # the TF1 API: reset_after=False
}
for layer in legacy.values():
    layer.build((None, None, input_dim))  # no GPU needed; calling needs one
counts = {name: layer.count_params() for name, layer in legacy.items()}
assert counts["CuDNNLSTM"] - counts["LSTM"] == 4 * units
assert counts["CuDNNGRU"] - counts["GRU"] == 3 * units
# --8<-- [end:counts]
# Only the TF1 API has them: neither Keras 3 nor tf_keras' TF2 API exports them.
for name in ("CuDNNLSTM", "CuDNNGRU"):
    assert not hasattr(keras.layers, name) and not hasattr(tf_keras.layers, name)

bidirectional_extra = {}
for cudnn, plain, gates in (("CuDNNLSTM", "LSTM", 4), ("CuDNNGRU", "GRU", 3)):
    pair = []
    for name in (cudnn, plain):
        layer = tf_keras_v1.layers.Bidirectional(getattr(tf_keras_v1.layers, name)(units))
        layer.build((None, None, input_dim))
        pair.append(layer.count_params())
    bidirectional_extra[cudnn] = pair[0] - pair[1]
    assert bidirectional_extra[cudnn] == 2 * gates * units  # per direction
assert legacy["GRU"].reset_after is False
bias_shapes = {name: tuple(lay.weights[2].shape) for name, lay in legacy.items()}
assert bias_shapes == {
    "CuDNNLSTM": (40,), "LSTM": (20,), "CuDNNGRU": (30,), "GRU": (15,)
}

# --8<-- [start:same_as_pytorch]
def numel(module):
    return sum(parameter.numel() for parameter in module.parameters())


assert counts["CuDNNLSTM"] == numel(torch.nn.LSTM(input_dim, units))
assert counts["CuDNNGRU"] == numel(torch.nn.GRU(input_dim, units))
keras_gru = keras.layers.GRU(units)  # reset_after=True: bias (2, 3 * units)
keras_gru.build((None, None, input_dim))
assert counts["CuDNNGRU"] == keras_gru.count_params()
# --8<-- [end:same_as_pytorch]
