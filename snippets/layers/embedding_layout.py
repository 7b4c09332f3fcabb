"""An Embedding's table and nn.Embedding's weight are the same array, one row per token
id; mask_zero (Keras) and padding_idx (PyTorch) do different things with the padding."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
torch.manual_seed(0)

# --8<-- [start:table]
embedding = keras.layers.Embedding(input_dim=10, output_dim=4)  # 10 token ids
embedding.build((None,))
(table,) = embedding.get_weights()  # (10, 4): row k is token k's vector

torch_embedding = torch.nn.Embedding(num_embeddings=10, embedding_dim=4)
with torch.no_grad():
    torch_embedding.weight.copy_(torch.from_numpy(table))  # no transpose

tokens = np.array([[1, 5, 0, 0]])  # one padded sequence
np.testing.assert_array_equal(np.asarray(embedding(tokens)), table[tokens])
with torch.no_grad():
    looked_up = torch_embedding(torch.from_numpy(tokens)).numpy()
np.testing.assert_array_equal(looked_up, table[tokens])
# --8<-- [end:table]
assert table.shape == (10, 4) == tuple(torch_embedding.weight.shape)
assert looked_up.shape == (1, 4, 4)

# --8<-- [start:mask_zero]
masked = keras.layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)
vectors = np.asarray(masked(tokens))
mask = np.asarray(masked.compute_mask(tokens))
(masked_table,) = masked.get_weights()

np.testing.assert_array_equal(vectors[0, 2], masked_table[0])  # row 0, as usual
np.testing.assert_array_equal(mask, tokens != 0)  # the layers after it skip these steps
# --8<-- [end:mask_zero]
assert masked_table[0].any()  # row 0 is an ordinary trained row
mask_values = mask.tolist()

# --8<-- [start:padding_idx]
padded = torch.nn.Embedding(num_embeddings=10, embedding_dim=4, padding_idx=0)
assert not padded.weight[0].any()  # row 0 starts at zero

padded(torch.from_numpy(tokens)).sum().backward()
assert not padded.weight.grad[0].any()  # and gets no gradient: it stays zero
assert padded.weight.grad[1].any() and padded.weight.grad[5].any()
# --8<-- [end:padding_idx]
padding_output = padded(torch.from_numpy(tokens)).detach().numpy()
assert not padding_output[0, 2:].any()  # the padded steps read zeros; no mask is made
