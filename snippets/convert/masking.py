"""A masked Keras layer, converted: the nn.LSTM matches it when fed a packed sequence
(pack_padded_sequence), at every real step and in its final state, not when fed the
padded batch as it is; weightatlas.masked_forward packs the batch and pads the output as
Keras does."""
import keras
import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from weightatlas import keras_to_torch, masked_forward

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:masked]
lengths = torch.tensor([6, 4, 2])  # real timesteps of each sequence
padded = rng.normal(size=(3, 6, 5)).astype("float32")  # (batch, timesteps, features)
for row, length in enumerate(lengths):
    padded[row, length:] = 0.0  # padding after the real steps
inputs = keras.Input(shape=(None, 5))
lstm = keras.layers.LSTM(units=4, return_sequences=True, return_state=True)
masked = keras.layers.Masking(mask_value=0.0)(inputs)  # 0.0 marks the padding
keras_model = keras.Model(inputs, lstm(masked))  # output, final h, final c
keras_output, keras_h, keras_c = (np.asarray(a) for a in keras_model(padded))

torch_lstm = keras_to_torch(lstm, allow_mask=True)  # it will read packed sequences
packed = pack_padded_sequence(torch.from_numpy(padded), lengths, batch_first=True,
                              enforce_sorted=False)
with torch.no_grad():
    packed_output, (h_n, c_n) = torch_lstm(packed)
output, _ = pad_packed_sequence(packed_output, batch_first=True, total_length=6)
np.testing.assert_allclose(h_n[-1].numpy(), keras_h, atol=1e-6)  # final states
np.testing.assert_allclose(c_n[-1].numpy(), keras_c, atol=1e-6)
for row, length in enumerate(lengths):  # the real steps agree, the padding does not:
    np.testing.assert_allclose(output[row, :length], keras_output[row, :length],
                               atol=1e-6)
    assert not output[row, length:].any()  # PyTorch pads its output with zeros,
    last = keras_output[row, length - 1]  # Keras repeats the last real step's output
    assert (keras_output[row, length:] == last).all()
# --8<-- [end:masked]

# --8<-- [start:masked_forward]
mask = np.any(padded != 0.0, axis=-1)  # (batch, timesteps): True at the real steps
with torch.no_grad():
    helped, (helped_h, helped_c) = masked_forward(torch_lstm, padded, mask)
np.testing.assert_allclose(helped, keras_output, atol=1e-6)  # the padding too
np.testing.assert_allclose(helped_h[-1], keras_h, atol=1e-6)
np.testing.assert_allclose(helped_c[-1], keras_c, atol=1e-6)
# --8<-- [end:masked_forward]
keras_mask = keras.layers.Masking(mask_value=0.0).compute_mask(padded)
np.testing.assert_array_equal(keras.ops.convert_to_numpy(keras_mask), mask)
assert (mask.sum(axis=1) == lengths.numpy()).all()

# --8<-- [start:last_real_step]
last_real_step = output[torch.arange(len(lengths)), lengths - 1]  # one row per sequence
np.testing.assert_allclose(last_real_step, h_n[-1], atol=1e-6)
np.testing.assert_allclose(last_real_step, keras_h, atol=1e-6)
# --8<-- [end:last_real_step]

# --8<-- [start:unpacked]
with torch.no_grad():  # the padded batch as it is: the zeros are read as data
    _, (h_unpacked, _) = torch_lstm(torch.from_numpy(padded))
padding_error = np.abs(h_unpacked[-1].numpy() - keras_h).max(axis=1)
assert padding_error[0] < 1e-6  # the sequence without padding agrees
assert (padding_error[1:] > 1e-2).all()  # the padded ones do not
# --8<-- [end:unpacked]

# --8<-- [start:bidirectional]
bidirectional = keras.layers.Bidirectional(
    keras.layers.LSTM(units=4, return_sequences=True)
)
keras_both = np.asarray(keras.Sequential([
    keras.Input(shape=(None, 5)), keras.layers.Masking(mask_value=0.0), bidirectional,
])(padded))
with torch.no_grad():
    packed_both, _ = keras_to_torch(bidirectional, allow_mask=True)(packed)
both, _ = pad_packed_sequence(packed_both, batch_first=True, total_length=6)
for row, length in enumerate(lengths):  # both directions, at the real steps
    np.testing.assert_allclose(both[row, :length], keras_both[row, :length], atol=1e-6)
# --8<-- [end:bidirectional]
