"""A padded batch in Keras: with a mask, an LSTM returns each sequence's h at its last real
step, and passes the mask on only with return_sequences=True."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
lengths, features, units = (5, 3), 3, 4

# --8<-- [start:padded]
sequences = [rng.normal(size=(n, features)).astype("float32") for n in lengths]
padded = keras.utils.pad_sequences(sequences, padding="post", dtype="float32")
inputs = keras.Input(shape=(None, features))
lstm = keras.layers.LSTM(units)
model = keras.Model(inputs, lstm(keras.layers.Masking(mask_value=0.0)(inputs)))
last_h = np.asarray(model(padded))  # (batch, units)
for row, sequence in enumerate(sequences):  # each sequence alone, without padding
    np.testing.assert_allclose(last_h[row], lstm(sequence[None])[0], atol=1e-6)
read_the_padding = np.asarray(lstm(padded))  # no mask: the zeros are steps too
assert np.abs(read_the_padding[1] - last_h[1]).max() > 1e-3
# --8<-- [end:padded]
assert padded.shape == (len(lengths), max(lengths), features)

# --8<-- [start:propagation]
mask = keras.layers.Masking(mask_value=0.0).compute_mask(padded)  # (batch, timesteps)
sequence_lstm = keras.layers.LSTM(units, return_sequences=True)
all_h = np.asarray(sequence_lstm(padded, mask=mask))
np.testing.assert_array_equal(sequence_lstm.compute_mask(padded, mask), mask)
assert lstm.compute_mask(padded, mask) is None  # the last h only: no mask goes on
last_real = lengths[1] - 1
for t in range(lengths[1], max(lengths)):  # a padded step repeats the last real h
    np.testing.assert_array_equal(all_h[1, t], all_h[1, last_real])
# --8<-- [end:propagation]
