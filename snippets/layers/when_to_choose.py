"""Which first layer learns best from how much data: each design fitted to noisy outputs
of a hidden layer whose 6 neurons see 3 inputs each, with a filter per neuron or one,
over ten seeds (each seed draws the filters, the data, the noise and the start)."""
import torch
from torch import nn
from torch.nn.utils import prune

torch.set_num_threads(1)  # layers this small run many times faster on one thread
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


def make_truths(generator):
    return {
        "a filter per neuron": torch.randn(6, 3, generator=generator),
        "one filter for all": torch.randn(1, 3, generator=generator).expand(6, 3),
    }
# --8<-- [end:designs]


designs = ("shared filter", "locally connected", "fully connected")
sizes = (12, 48, 768)


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


def relative_errors(seed, test_inputs=4096):  # test MSE / target variance: 0 is perfect
    torch.manual_seed(seed)  # the designs' initial weights
    generator = torch.Generator().manual_seed(seed)  # filters, inputs, noise
    truths = make_truths(generator)
    x_test = torch.randn(test_inputs, 8, generator=generator)
    errors = {}
    for truth, filters in truths.items():
        for samples in sizes:
            x = torch.randn(samples, 8, generator=generator)
            y = hidden_layer(x, filters) + torch.randn(samples, 6, generator=generator)
            y_test = hidden_layer(x_test, filters)
            for design in designs:
                with torch.no_grad():
                    prediction = fit(design, x, y)(x_test)
                mse = nn.functional.mse_loss(prediction, y_test)
                errors[truth, samples, design] = float(mse / y_test.var())
    return errors
# --8<-- [end:fit]


# --8<-- [start:seeds]
seeds = range(10)
runs = {seed: relative_errors(seed) for seed in seeds}
per_neuron, for_all = make_truths(torch.Generator())
for errors in runs.values():  # each claim below holds in every seed
    for samples in sizes:  # one shared filter cannot fit a filter per neuron
        assert errors[per_neuron, samples, "shared filter"] > 0.5
    for samples in sizes[:2]:  # with few samples, locally connected learns it best
        local = errors[per_neuron, samples, "locally connected"]
        assert local < errors[per_neuron, samples, "fully connected"] / 2
        assert local < errors[per_neuron, samples, "shared filter"]
    for samples in sizes:  # one filter for all: the shared filter wins, then local
        shared = errors[for_all, samples, "shared filter"]
        local = errors[for_all, samples, "locally connected"]
        fully = errors[for_all, samples, "fully connected"]
        assert shared < local / 2 and local < fully
worse_than_mean = [  # fully connected, fewest samples: worse than the target's mean
    seed for seed, errors in runs.items()
    if errors[for_all, sizes[0], "fully connected"] > 1
]
# --8<-- [end:seeds]
truth_names = (per_neuron, for_all)
assert truth_names == ("a filter per neuron", "one filter for all")
assert 0 < len(worse_than_mean) < len(seeds)  # in some seeds, not in all
# With many samples both layers with a weight per connection learn a filter per neuron.
for result in runs.values():
    assert result[per_neuron, sizes[-1], "fully connected"] < 0.05
    assert result[per_neuron, sizes[-1], "locally connected"] < 0.05
