"""One unit on one feature: SimpleRNN has 3 parameters, nn.RNN 4. The extra one is a second bias
that only adds to the first."""
import keras
import numpy as np
import torch

keras.utils.set_random_seed(0)
torch.manual_seed(0)

# --8<-- [start:counts]
simple_rnn = keras.layers.SimpleRNN(units=1)
simple_rnn.build((None, None, 1))
rnn = torch.nn.RNN(input_size=1, hidden_size=1, batch_first=True)
keras_count = simple_rnn.count_params()
torch_count = sum(parameter.numel() for parameter in rnn.parameters())
torch_names = [name for name, _ in rnn.named_parameters()]
# --8<-- [end:counts]
assert (keras_count, torch_count) == (3, 4)
assert torch_names == [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"
]

# --8<-- [start:same_numbers]
kernel, recurrent_kernel, bias = simple_rnn.get_weights()
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.from_numpy(kernel.T))
    rnn.weight_hh_l0.copy_(torch.from_numpy(recurrent_kernel.T))
    rnn.bias_ih_l0.fill_(0.25)
    rnn.bias_hh_l0.copy_(torch.from_numpy(bias) - 0.25)  # only the sum counts
    inputs = torch.randn(2, 5, 1)
    torch_h_n = rnn(inputs)[1][0].numpy()
np.testing.assert_allclose(torch_h_n, simple_rnn(inputs.numpy()), atol=1e-6)
# --8<-- [end:same_numbers]
