"""Which first layer learns best from how much data: each design fitted to noisy outputs
of a hidden layer whose 6 neurons see 3 inputs each, with a filter per neuron or one."""
import torch
from torch import nn
from torch.nn.utils import prune

torch.manual_seed(0)
generator = torch.Generator().manual_seed(0)
mask = torch.ones(6, 8).triu().tril(2)


# --8<-- [start:designs]
def make_first_layer(design):
    if design == "shared filter":  # Conv1d(1, 1, 3): 4 parameters
        conv = nn.Conv1d(1, 1, 3)
        return nn.Sequential(nn.Unflatten(1, (1, 8)), conv, nn.Flatten())
    if design == "locally connected":  # Linear(8, 6), masked in forward: 24
        return prune.custom_from_mask(nn.Linear(8, 6), "weight", mask)
    return nn.Linear(8, 6)  # fully connected: 54


def hidden_layer(x, filters):  # neuron j = x[:, j:j + 3] @ filters[j]
    return (x.unfold(-1, 3, 1) * filters).sum(-1)


truths = {
    "a filter per neuron": torch.randn(6, 3, generator=generator),
    "one filter for all": torch.randn(1, 3, generator=generator).expand(6, 3),
}
# --8<-- [end:designs]
designs = ("shared filter", "locally connected", "fully connected")


def free_parameter_count(layer):
    """Parameters minus the weights a pruning mask holds at zero."""
    masks = [b for name, b in layer.named_buffers() if name.endswith("_mask")]
    masked_out = sum(int((b == 0).sum()) for b in masks)
    return sum(p.numel() for p in layer.parameters()) - masked_out


free_parameters = {d: free_parameter_count(make_first_layer(d)) for d in designs}
assert free_parameters == {
    "shared filter": 4, "locally connected": 24, "fully connected": 54
}


# --8<-- [start:fit]
def fit(design, x, y):
    layer = make_first_layer(design)
    optimizer = torch.optim.LBFGS(
        layer.parameters(), max_iter=50, line_search_fn="strong_wolfe"
    )

    def closure():
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(layer(x), y)
        loss.backward()
        return loss

    optimizer.step(closure)
    return layer


x_test = torch.randn(4096, 8, generator=generator)
relative_mse = {}  # test mean squared error / target variance: 0 is perfect
for truth, filters in truths.items():
    for samples in (12, 48, 768):
        x = torch.randn(samples, 8, generator=generator)
        noise = torch.randn(samples, 6, generator=generator)
        y = hidden_layer(x, filters) + noise
        y_test = hidden_layer(x_test, filters)
        for design in designs:
            with torch.no_grad():
                prediction = fit(design, x, y)(x_test)
            relative_mse[truth, samples, design] = float(
                nn.functional.mse_loss(prediction, y_test) / y_test.var()
            )
# --8<-- [end:fit]
truths_names = list(truths)
assert truths_names == ["a filter per neuron", "one filter for all"]

# A filter per neuron: one shared filter cannot fit it, whatever the amount of data;
# the locally connected layer needs the fewest samples; with many, fully connected
# catches up.
per_neuron = {k[1:]: v for k, v in relative_mse.items() if k[0] == truths_names[0]}
assert all(per_neuron[samples, "shared filter"] > 0.5 for samples in (12, 48, 768))
for samples in (12, 48):
    local = per_neuron[samples, "locally connected"]
    assert local < per_neuron[samples, "fully connected"] / 2
assert per_neuron[768, "fully connected"] < 0.05
assert per_neuron[768, "locally connected"] < 0.05
# One filter for all: the shared filter wins, and needs the least data.
for_all = {k[1:]: v for k, v in relative_mse.items() if k[0] == truths_names[1]}
for samples in (12, 48, 768):
    assert for_all[samples, "shared filter"] < for_all[samples, "locally connected"] / 2
    assert for_all[samples, "locally connected"] < for_all[samples, "fully connected"]
# With the fewest samples the fully connected layer does worse than predicting the mean.
assert for_all[12, "fully connected"] > 1
