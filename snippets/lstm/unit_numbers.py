"""Unit j owns columns j, units + j, 2 * units + j and 3 * units + j of all three arrays."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
batch, input_dim, units, j = 4, 2, 3, 1


# --8<-- [start:columns]
def unit_columns(units, j):
    return [j, units + j, 2 * units + j, 3 * units + j]  # its i, f, c, o


lstm = keras.layers.LSTM(units=units, return_state=True)
lstm.build((None, None, input_dim))
kernel, recurrent_kernel, bias = lstm.get_weights()
columns = unit_columns(units, j)
kernel_j = kernel[:, columns]  # (input_dim, 4)
recurrent_kernel_j = recurrent_kernel[:, columns]  # (units, 4)
bias_j = bias[columns]  # (4,)
# --8<-- [end:columns]
columns_of_unit_j = columns
gathered_shapes = [kernel_j.shape, recurrent_kernel_j.shape, bias_j.shape]
assert columns_of_unit_j == [1, 4, 7, 10]
assert gathered_shapes == [(input_dim, 4), (units, 4), (4,)] == [(2, 4), (3, 4), (4,)]
assert unit_columns(units=120, j=0) == [0, 120, 240, 360]

# --8<-- [start:prove]
inputs = rng.normal(size=(batch, 1, input_dim)).astype("float32")  # one timestep
h_0, c_0 = rng.normal(size=(2, batch, units)).astype("float32")
_, h, c = (np.asarray(array) for array in lstm(inputs, initial_state=[h_0, c_0]))

others = [column for column in range(4 * units) if column not in columns]
for weight in (kernel, recurrent_kernel, bias):
    weight[..., others] = rng.normal(size=weight[..., others].shape)
lstm.set_weights([kernel, recurrent_kernel, bias])
_, h_others, c_others = (np.asarray(a) for a in lstm(inputs, initial_state=[h_0, c_0]))
np.testing.assert_array_equal(h_others[:, j], h[:, j])
np.testing.assert_array_equal(c_others[:, j], c[:, j])

for weight in (kernel, recurrent_kernel, bias):
    weight[..., columns] = rng.normal(size=weight[..., columns].shape)
lstm.set_weights([kernel, recurrent_kernel, bias])
_, h_own, c_own = (np.asarray(a) for a in lstm(inputs, initial_state=[h_0, c_0]))
assert np.abs(h_own[:, j] - h[:, j]).max() > 1e-2
# --8<-- [end:prove]
assert np.abs(h_others - h).max() > 1e-2  # the other units did change
