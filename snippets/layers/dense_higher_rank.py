"""Dense and nn.Linear on an input of rank 3: both multiply the last axis only, with the
same kernel at every timestep, so the weights do not grow with the sequence."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)

# --8<-- [start:rank3]
rng = np.random.default_rng(1)
x = rng.normal(size=(2, 5, 3)).astype("float32")  # (batch, timesteps, features)
dense = keras.layers.Dense(units=4)
output = np.asarray(dense(x))  # (2, 5, 4)
kernel, bias = dense.get_weights()  # (3, 4) and (4,): no axis for the 5 steps

for t in range(x.shape[1]):  # one kernel, shared by every timestep
    np.testing.assert_allclose(output[:, t], x[:, t] @ kernel + bias, atol=1e-6)
# --8<-- [end:rank3]
assert output.shape == (2, 5, 4) and kernel.shape == (3, 4) and bias.shape == (4,)

# --8<-- [start:linear_rank3]
linear = torch.nn.Linear(in_features=3, out_features=4)
with torch.no_grad():
    linear.weight.copy_(torch.from_numpy(kernel.T))
    linear.bias.copy_(torch.from_numpy(bias))
    torch_output = linear(torch.from_numpy(x)).numpy()  # also (2, 5, 4)
np.testing.assert_allclose(torch_output, output, atol=1e-6)
# --8<-- [end:linear_rank3]
assert torch_output.shape == output.shape

# The count does not depend on the number of steps: the same layer on 50 steps.
longer = np.random.default_rng(2).normal(size=(2, 50, 3)).astype("float32")
assert np.asarray(dense(longer)).shape == (2, 50, 4)
steps_of_input = (x.shape[1], longer.shape[1])
parameter_count = dense.count_params()
assert parameter_count == kernel.size + bias.size == sum(p.numel() for p in linear.parameters())
