"""Bounding a weight in PyTorch: clamp it after each step, or parametrize it; and w mod m."""
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn
from torch.nn.utils import parametrize

digits = load_digits()  # the Keras experiment's images and split
x_train, x_test, y_train, y_test = (torch.as_tensor(part) for part in train_test_split(
    (digits.data / 16).astype("float32"), digits.target, test_size=0.25, random_state=0,
    stratify=digits.target))
LIMIT = 0.15  # each weight stays within ±LIMIT


def mlp(linear=nn.Linear):
    return nn.Sequential(linear(64, 64), nn.ReLU(), linear(64, 64), nn.ReLU(), linear(64, 10))


# --8<-- [start:clamp]
def clamp_weights(model):  # call it after each optimizer.step()
    with torch.no_grad():  # an in-place edit that autograd does not record
        for layer in model[::2]:
            layer.weight.clamp_(-LIMIT, LIMIT)
# --8<-- [end:clamp]


# --8<-- [start:parametrize]
class Bounded(nn.Module):
    """weight = LIMIT·tanh(v / LIMIT): within ±LIMIT, smooth, about v near 0."""

    def forward(self, v):
        return LIMIT * torch.tanh(v / LIMIT)

    def right_inverse(self, weight):  # the v that gives the layer's initial weight
        return LIMIT * torch.atanh(weight / LIMIT)


def bounded_mlp():
    model = mlp()
    for layer in model[::2]:
        parametrize.register_parametrization(layer, "weight", Bounded())
    return model
# --8<-- [end:parametrize]


# --8<-- [start:remainder]
class RemainderLinear(nn.Linear):  # weight = w mod m, with m trained too
    def __init__(self, *sizes):
        super().__init__(*sizes)
        self.m = nn.Parameter(torch.empty_like(self.weight))
        nn.init.kaiming_uniform_(self.m, a=5 ** 0.5)  # drawn as nn.Linear draws w

    def forward(self, x):
        return nn.functional.linear(x, torch.remainder(self.weight, self.m), self.bias)
# --8<-- [end:remainder]


def train(build, seed, after_step=lambda model: None, epochs=5):
    """An MLP trained with Adam on the digits from torch.manual_seed(seed): its test accuracy
    and the model."""
    torch.manual_seed(seed)
    model = build()
    optimizer = torch.optim.Adam(model.parameters())
    for epoch in range(epochs):
        for batch in torch.randperm(len(x_train)).split(64):
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x_train[batch]), y_train[batch]).backward()
            optimizer.step()
            after_step(model)
    with torch.no_grad():
        return float((model(x_test).argmax(-1) == y_test).float().mean()), model


LEARNED = 0.6  # test accuracy that only an MLP that learns reaches here (chance: 0.1)
SEEDS = range(5)
threads = torch.get_num_threads()
torch.set_num_threads(1)  # tiny layers: one thread is faster
try:
    runs = {
        "clamp": [train(mlp, seed, clamp_weights) for seed in SEEDS],
        "parametrize": [train(bounded_mlp, seed) for seed in SEEDS],
        "remainder": [train(lambda: mlp(RemainderLinear), seed) for seed in SEEDS],
    }
finally:
    torch.set_num_threads(threads)
accuracies = {name: [accuracy for accuracy, _ in found] for name, found in runs.items()}
assert all(a > LEARNED for name in ("clamp", "parametrize") for a in accuracies[name])
assert all(a < LEARNED for a in accuracies["remainder"])

# The bounds hold, and the clamp binds: after training, part of the weights sit at ±LIMIT.
at_bound = []
for _, model in runs["clamp"]:
    weights = torch.cat([layer.weight.detach().ravel() for layer in model[::2]])
    assert torch.all((-LIMIT <= weights) & (weights <= LIMIT))
    at_bound.append(float((weights.abs() == LIMIT).float().mean()))
assert all(share > 0 for share in at_bound)
for _, model in runs["parametrize"]:
    for layer in model[::2]:
        weight = layer.weight  # computed from v at each access
        assert torch.all((-LIMIT < weight) & (weight < LIMIT))
        assert isinstance(layer.parametrizations.weight.original, nn.Parameter)  # v
        torch.testing.assert_close(layer.weight, Bounded()(layer.parametrizations.weight.original),
                                   atol=0, rtol=0)

# nn.Linear draws its weight uniformly within ±1/sqrt(fan_in), and RemainderLinear m alike.
torch.manual_seed(0)
layer = RemainderLinear(400, 300)
for drawn in (layer.weight, layer.m):
    assert 0.99 / 400 ** 0.5 < drawn.abs().max() <= 1 / 400 ** 0.5
