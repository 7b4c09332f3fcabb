"""A whole Keras text classifier, Embedding(mask_zero=True) -> LSTM -> Dense, trained here
on sequences padded with 0, converted with one call: the PyTorch module skips the padding
as Keras' mask does (the LSTM reads packed sequences), and computes what Keras computes."""
import keras
import numpy as np
import torch

import weightatlas

keras.utils.set_random_seed(8)
rng = np.random.default_rng(8)


def padded_sequences(count):
    """Token ids 1-19, 1 to 9 of them, padded with 0 to 10; the label: does token 3 come
    before token 7? (the order matters, so the LSTM has to read it)."""
    tokens = np.zeros((count, 10), dtype="int32")
    labels = np.zeros(count, dtype="int32")
    for row in range(count):
        length = int(rng.integers(1, 10))
        tokens[row, :length] = rng.integers(1, 20, size=length)
        first = {int(t): i for i, t in reversed(list(enumerate(tokens[row, :length])))}
        labels[row] = first.get(3, 99) < first.get(7, 99)
    return tokens, labels


# --8<-- [start:train]
tokens, labels = padded_sequences(1000)
model = keras.Sequential([
    keras.Input((10,), dtype="int32"),
    keras.layers.Embedding(20, 8, mask_zero=True),  # 0 is padding: masked
    keras.layers.LSTM(16),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.compile("adam", "binary_crossentropy")
model.fit(tokens, labels, epochs=4, batch_size=32, verbose=0)
# --8<-- [end:train]

# --8<-- [start:convert]
module = weightatlas.keras_to_torch(model)
print(module)
test_tokens, _ = padded_sequences(200)
with torch.no_grad():
    torch_probabilities = module(torch.from_numpy(test_tokens)).numpy()
keras_probabilities = keras.ops.convert_to_numpy(model(test_tokens))
np.testing.assert_allclose(torch_probabilities, keras_probabilities, atol=1e-5)
# --8<-- [end:convert]
largest_difference = float(np.abs(torch_probabilities - keras_probabilities).max())
assert largest_difference < 1e-5 and module.mask_zero
module_classes = [type(part).__name__ for part in module]
assert module_classes == ["Embedding", "RecurrentLayer", "Sequential"]

# Without the mask the padding is read as data: other probabilities.
module.mask_zero = False
with torch.no_grad():
    unmasked = module(torch.from_numpy(test_tokens)).numpy()
module.mask_zero = True
unmasked_difference = float(np.abs(unmasked - keras_probabilities).max())
assert unmasked_difference > 1e-2
