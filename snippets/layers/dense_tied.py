"""Tied input and output embeddings: the output layer's weight is the embedding table.
PyTorch ties by assigning one Parameter to both modules, with no transpose
(nn.Linear(dim, vocab).weight and nn.Embedding(vocab, dim).weight are both (vocab, dim));
Keras has no tied Dense (its kernel would be (dim, vocab)), so a layer multiplies by the
table's transpose. One table, counted once, trained by both uses."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(6)
vocab, dim = 10, 4
tokens = np.array([[1, 4, 2, 9, 0, 3]])

# --8<-- [start:torch]
embedding = torch.nn.Embedding(vocab, dim)
head = torch.nn.Linear(dim, vocab, bias=False)
head.weight = embedding.weight  # the same Parameter: (vocab, dim) in both, no transpose
model = torch.nn.Sequential(embedding, head)
print(sum(p.numel() for p in model.parameters()))  # 40: counted once
print(list(model.state_dict()))  # ['0.weight', '1.weight']: saved under both keys
# --8<-- [end:torch]
assert sum(p.numel() for p in model.parameters()) == vocab * dim
assert list(model.state_dict()) == ["0.weight", "1.weight"]
assert head.weight.data_ptr() == embedding.weight.data_ptr()

# Trained by both uses: the tied gradient is the lookup's plus the output layer's.
# --8<-- [start:gradient]
ids = torch.from_numpy(tokens)
model(ids).square().sum().backward()
tied_gradient = embedding.weight.grad.clone()
with torch.no_grad():  # the same computation with two separate copies of the table
    lookup_table = embedding.weight.detach().clone().requires_grad_()
    output_table = embedding.weight.detach().clone().requires_grad_()
untied = torch.nn.functional.embedding(ids, lookup_table) @ output_table.T
untied.square().sum().backward()
torch.testing.assert_close(tied_gradient, lookup_table.grad + output_table.grad)
# --8<-- [end:gradient]
assert output_table.grad.abs().max() > 0.1 and lookup_table.grad.abs().max() > 0.1


# --8<-- [start:keras]
class TiedOutput(keras.layers.Layer):
    """Logits from an Embedding's own table: h @ table.T (a Dense kernel would be the
    transpose, (dim, vocab), and a second array)."""

    def __init__(self, embedding, **kwargs):
        super().__init__(**kwargs)
        self.embedding = embedding

    def call(self, h):
        return keras.ops.matmul(h, keras.ops.transpose(self.embedding.embeddings))


keras_embedding = keras.layers.Embedding(vocab, dim)
inputs = keras.Input((tokens.shape[1],), dtype="int32")
keras_model = keras.Model(inputs, TiedOutput(keras_embedding)(keras_embedding(inputs)))
print(keras_model.count_params())  # 40: one table
# --8<-- [end:keras]
assert keras_model.count_params() == vocab * dim

# --8<-- [start:copy]
table = keras_embedding.get_weights()[0]  # (vocab, dim), as nn.Embedding holds it
with torch.no_grad():
    embedding.weight.copy_(torch.from_numpy(table))  # head.weight is the same Parameter
    torch_logits = model(ids).numpy()
np.testing.assert_allclose(torch_logits, np.asarray(keras_model(tokens)), atol=1e-5)
# --8<-- [end:copy]
assert table.shape == (vocab, dim) == tuple(head.weight.shape)
