"""nn.GRU stores its gate blocks in the order r, z, n: a NumPy GRU matches in no other
order."""
import itertools

import numpy as np
import torch

# --8<-- [start:torch]
batch, timesteps, input_size, hidden_size = 3, 6, 4, 5


def random_gru(seed):
    """An nn.GRU with random weights, biases included, so that no gate block looks like
    another, run over random inputs."""
    torch.manual_seed(seed)
    gru = torch.nn.GRU(input_size, hidden_size, batch_first=True)
    with torch.no_grad():
        for parameter in gru.parameters():
            parameter.normal_()
        inputs = torch.randn(batch, timesteps, input_size)
        all_h, _ = gru(inputs)
    return inputs, [parameter.detach().numpy() for parameter in gru.parameters()], all_h


inputs, arrays, all_h = random_gru(seed=0)
weight_ih, weight_hh, bias_ih, bias_hh = arrays
# --8<-- [end:torch]


# --8<-- [start:numpy]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def gru_numpy(inputs, weight_ih, weight_hh, bias_ih, bias_hh, order="rzn"):
    W = dict(zip(order, np.split(weight_ih, 3)))  # row blocks
    U = dict(zip(order, np.split(weight_hh, 3)))
    b_i = dict(zip(order, np.split(bias_ih, 3)))
    b_h = dict(zip(order, np.split(bias_hh, 3)))
    h = np.zeros((inputs.shape[0], weight_hh.shape[1]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        r = sigmoid(x @ W["r"].T + b_i["r"] + h @ U["r"].T + b_h["r"])
        z = sigmoid(x @ W["z"].T + b_i["z"] + h @ U["z"].T + b_h["z"])
        n = np.tanh(x @ W["n"].T + b_i["n"] + r * (h @ U["n"].T + b_h["n"]))
        h = (1 - z) * n + z * h
        all_h.append(h)
    return np.stack(all_h, axis=1)
# --8<-- [end:numpy]


# --8<-- [start:orders]
def order_errors(inputs, arrays, all_h):
    """The largest difference from nn.GRU of a NumPy GRU in each order of r, z, n."""
    return {order: float(np.abs(gru_numpy(inputs.numpy(), *arrays, order)
                                - all_h.numpy()).max())
            for order in map("".join, itertools.permutations("rzn"))}


max_error = order_errors(inputs, arrays, all_h)
matching = [order for order, error in max_error.items() if error < 1e-6]
assert matching == ["rzn"]
assert all(error > 1e-2 for order, error in max_error.items() if order != "rzn")
# --8<-- [end:orders]

proven_order = tuple(matching[0])
