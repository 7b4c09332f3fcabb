"""LSTM(return_state=True) returns [output, h, c]: output is h; c is the cell state."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 6, 3)).astype("float32")  # (batch, timesteps, features)

# --8<-- [start:output_is_h]
lstm = keras.layers.LSTM(4, return_state=True)
output, h, c = (np.asarray(tensor) for tensor in lstm(inputs))
np.testing.assert_array_equal(output, h)  # output is the last h

# The same layer (same weights), returning every step:
every_step = keras.layers.LSTM(4, return_sequences=True, return_state=True)
every_step.build(inputs.shape)
every_step.set_weights(lstm.get_weights())
all_h, last_h, last_c = (np.asarray(x) for x in every_step(inputs))
np.testing.assert_array_equal(all_h[:, -1], h)  # the sequence's last row is h
np.testing.assert_array_equal(last_c, c)
# --8<-- [end:output_is_h]


# --8<-- [start:c_is_the_cell_state]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


kernel, recurrent_kernel, bias = lstm.get_weights()
W_o, U_o, b_o = (np.split(weights, 4, axis=-1)[3]  # block 3: the output gate
                 for weights in (kernel, recurrent_kernel, bias))
x_last, h_before_last = inputs[:, -1], all_h[:, -2]
o = sigmoid(x_last @ W_o + h_before_last @ U_o + b_o)  # the last output gate
np.testing.assert_allclose(h, o * np.tanh(c), atol=1e-6)  # h_t = o_t ⊙ tanh(c_t)
# --8<-- [end:c_is_the_cell_state]

# --8<-- [start:resume]
first_half, second_half = inputs[:, :3], inputs[:, 3:]
_, h_mid, c_mid = lstm(first_half)
resumed, _, _ = lstm(second_half, initial_state=[h_mid, c_mid])
np.testing.assert_allclose(resumed, h, atol=1e-6)  # as if run in one piece
# --8<-- [end:resume]
