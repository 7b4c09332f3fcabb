"""A Keras 2 (tf_keras) GRU keeps the same arrays: keras_to_torch_arrays converts them."""
import numpy as np
import tf_keras
import torch

from weightatlas import keras_to_torch, keras_to_torch_arrays

rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 6, 5)).astype("float32")

# --8<-- [start:arrays]
keras2_gru = tf_keras.layers.GRU(units=4, return_sequences=True)  # reset_after=True
keras2_gru.build((None, None, 5))
keras2_gru.set_weights([rng.normal(size=w.shape) for w in keras2_gru.get_weights()])
arrays = keras_to_torch_arrays("GRU", *keras2_gru.get_weights())
names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"]
torch_gru = torch.nn.GRU(input_size=5, hidden_size=4, batch_first=True)
torch_gru.load_state_dict({name: torch.tensor(a) for name, a in zip(names, arrays)})
with torch.no_grad():
    torch_output, _ = torch_gru(torch.from_numpy(inputs))
np.testing.assert_allclose(torch_output, keras2_gru(inputs).numpy(), atol=1e-6)
# --8<-- [end:arrays]
assert [array.shape for array in arrays] == [(12, 5), (12, 4), (12,), (12,)]
try:
    keras_to_torch(keras2_gru)
except TypeError as error:
    refusal = str(error)
assert "is a Keras 2 layer" in refusal and "keras_to_torch_arrays('GRU'" in refusal
