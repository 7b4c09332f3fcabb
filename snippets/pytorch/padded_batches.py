"""A batch padded at the end: pack_padded_sequence stops nn.GRU at each sequence's last
real step (h_n is that step, the padded output zeros), and Keras' mask does the same
for the state while it repeats the last real output over the padding."""
import keras
import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)
keras.utils.set_random_seed(0)
lengths, input_size, hidden_size = [5, 3, 2], 4, 3
x = np.random.default_rng(0).normal(size=(3, 5, input_size)).astype("float32")
real = np.arange(5) < np.array(lengths)[:, None]  # (batch, T): True on a real step
x[~real] = 0.0  # padding

# --8<-- [start:pytorch]
gru = torch.nn.GRU(input_size, hidden_size, batch_first=True)
packed = pack_padded_sequence(
    torch.from_numpy(x), torch.tensor(lengths), batch_first=True, enforce_sorted=False
)
with torch.no_grad():
    packed_output, h_n = gru(packed)
    output, _ = pad_packed_sequence(packed_output, batch_first=True)
    for i, n in enumerate(lengths):
        _, alone = gru(torch.from_numpy(x[i:i + 1, :n]))  # no padding at all
        torch.testing.assert_close(h_n[0, i], alone[0, 0])
        torch.testing.assert_close(output[i, n - 1], h_n[0, i])  # the last real step
        assert not output[i, n:].any()  # zeros after it
    _, h_n_unpacked = gru(torch.from_numpy(x))  # not packed: it runs over the padding
assert (h_n_unpacked[0, 1:] - h_n[0, 1:]).abs().max() > 1e-2
# --8<-- [end:pytorch]

# --8<-- [start:keras]
mask = keras.layers.Masking(mask_value=0.0).compute_mask(x)  # what Masking() passes on
np.testing.assert_array_equal(mask, real)
layer = keras.layers.GRU(hidden_size, return_sequences=True, return_state=True)
sequence, state = (np.asarray(a) for a in layer(x, mask=mask))
for i, n in enumerate(lengths):
    alone = np.asarray(layer(x[i:i + 1, :n])[1])  # no padding at all
    np.testing.assert_allclose(state[i], alone[0], atol=1e-6)  # the last real step
    repeated = np.repeat(sequence[i, n - 1:n], 5 - n, axis=0)
    np.testing.assert_allclose(sequence[i, n:], repeated, atol=1e-6)  # not zeros
# --8<-- [end:keras]
