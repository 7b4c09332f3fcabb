"""SimpleRNN(activation="relu") and nn.RNN(nonlinearity="relu") compute the same thing:
the same weights, copied as for tanh, give the same outputs."""
import keras
import numpy as np
import torch

batch, timesteps, input_dim, units = 3, 6, 4, 5

# --8<-- [start:relu]
def relu_outputs(seed):
    """A Keras SimpleRNN with relu (its initial weights, a random bias), the same
    weights in nn.RNN with relu, and both outputs on random inputs."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    simple_rnn = keras.layers.SimpleRNN(units, activation="relu", return_sequences=True)
    simple_rnn.build((None, None, input_dim))
    kernel, recurrent_kernel, _ = simple_rnn.get_weights()
    bias = rng.normal(size=units).astype("float32")
    simple_rnn.set_weights([kernel, recurrent_kernel, bias])
    rnn = torch.nn.RNN(input_dim, units, nonlinearity="relu", batch_first=True)
    rnn.load_state_dict({
        "weight_ih_l0": torch.from_numpy(kernel.T),
        "weight_hh_l0": torch.from_numpy(recurrent_kernel.T),
        "bias_ih_l0": torch.from_numpy(bias), "bias_hh_l0": torch.zeros(units),
    })
    inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
    with torch.no_grad():
        torch_output, _ = rnn(torch.from_numpy(inputs))
    return np.asarray(simple_rnn(inputs)), torch_output.numpy()


relu_differences = []
for seed in range(5):  # random inputs and biases from each seed
    keras_output, torch_output = relu_outputs(seed)
    assert (keras_output == 0).any() and keras_output.max() > 1  # relu, not tanh
    relu_differences.append(float(np.abs(keras_output - torch_output).max()))
assert max(relu_differences) < 1e-6
# --8<-- [end:relu]
