"""Keras' GRU(reset_after=False) is refused: forced into an nn.GRU, its outputs are off."""
import keras
import numpy as np
import torch

from weightatlas import keras_to_torch, keras_to_torch_arrays

names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]

# --8<-- [start:forced]
reset_after_errors, output_scales = [], []
for seed in range(5):  # Keras' initial weights and random inputs from each seed
    keras.utils.set_random_seed(seed)
    inputs = np.random.default_rng(seed).normal(size=(4, 10, 3)).astype("float32")
    old_gru = keras.layers.GRU(units=8, reset_after=False, return_sequences=True)
    old_output = np.asarray(old_gru(inputs))
    kernel, recurrent_kernel, bias = old_gru.get_weights()  # bias: one row, (24,)
    two_rows = np.stack([bias, np.zeros_like(bias)])  # nothing added to h @ U
    arrays = keras_to_torch_arrays("GRU", kernel, recurrent_kernel, two_rows)
    forced = torch.nn.GRU(input_size=3, hidden_size=8, batch_first=True)
    forced.load_state_dict({n: torch.tensor(a) for n, a in zip(names, arrays)})
    with torch.no_grad():
        forced_output, _ = forced(torch.from_numpy(inputs))
    reset_after_errors.append(float(np.abs(forced_output.numpy() - old_output).max()))
    output_scales.append(float(np.abs(old_output).max()))
assert min(reset_after_errors) > 0.01
# --8<-- [end:forced]

# --8<-- [start:same_weights]
new_gru = keras.layers.GRU(units=8, reset_after=True, return_sequences=True)
new_gru.build((None, None, 3))
new_gru.set_weights([kernel, recurrent_kernel, two_rows])
np.testing.assert_allclose(forced_output, new_gru(inputs), atol=1e-6)
# --8<-- [end:same_weights]
assert bias.shape == (24,) and two_rows.shape == (2, 24)
try:
    keras_to_torch(old_gru)
except ValueError as error:
    refusal = str(error)
assert refusal.startswith("GRU(reset_after=False) cannot be converted")
