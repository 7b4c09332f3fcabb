"""Locally connected as nn.Linear(8, 6) with a fixed band mask: neuron j sees inputs
j, j + 1, j + 2 through weights of its own, and the masked weights get zero gradient."""
import inspect
import itertools

# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn.utils import parametrize

# --8<-- [end:imports]
torch.set_num_threads(1)  # layers this small train many times faster on one thread
torch.manual_seed(136)  # a start whose band weights all differ clearly from zero


# --8<-- [start:answer]
class BandMask(nn.Module):
    """Multiplies a weight by a fixed 0/1 mask each time the weight is read."""

    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)

    def forward(self, weight):
        return weight * self.mask

    def right_inverse(self, weight):  # what gets stored: masked as well
        return weight * self.mask


def init_for_mask(linear, mask):
    """nn.Linear's uniform start, for the inputs each neuron really sees."""
    bound = mask.sum(dim=1) ** -0.5  # 1 / sqrt(true fan-in), not 1 / sqrt(in_features)
    with torch.no_grad():
        linear.weight.uniform_(-1, 1).mul_(bound[:, None] * mask)
        linear.bias.uniform_(-1, 1).mul_(bound)
    return linear


mask = torch.ones(6, 8).triu().tril(2)  # row j: ones at columns j, j + 1, j + 2
local = init_for_mask(nn.Linear(8, 6), mask)  # each neuron sees 3 inputs, not 8
parametrize.register_parametrization(local, "weight", BandMask(mask))

model = nn.Sequential(
    local, nn.ReLU(),
    nn.Linear(6, 6), nn.ReLU(),
    nn.Linear(6, 3),  # logits; nn.CrossEntropyLoss applies the softmax
)
logits = model(torch.randn(64, 8))  # (64, 3)
probabilities = logits.softmax(dim=1)
# --8<-- [end:answer]
assert logits.shape == probabilities.shape == (64, 3)
torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(64))

# --8<-- [start:topology]
jacobian = torch.autograd.functional.jacobian(local, torch.randn(8))  # (6, 8)
assert torch.equal(jacobian != 0, mask.bool())  # inputs j..j+2 and no others
# --8<-- [end:topology]
band_columns = [row.nonzero().flatten().tolist() for row in mask]
assert band_columns == [[j, j + 1, j + 2] for j in range(6)]

# --8<-- [start:fan_in]
fan_in = int(mask[0].sum())  # the inputs each neuron sees
linear_bound = {  # the widest weight nn.Linear draws, per number of inputs
    n: float(nn.Linear(n, 100_000).weight.detach().abs().max()) for n in (fan_in, 8)
}
for n, widest in linear_bound.items():
    assert n ** -0.5 * 0.999 < widest <= n ** -0.5  # nn.Linear: 1 / sqrt(inputs)
band = local.weight[mask == 1]
assert band.abs().max() <= fan_in ** -0.5  # within the bound for 3 inputs
assert local.bias.abs().max() <= fan_in ** -0.5  # the bias too
assert band.abs().max() > linear_bound[8]  # beyond nn.Linear(8, 6)'s bound
# --8<-- [end:fan_in]


# --8<-- [start:masked_forward]
class MaskedLinear(nn.Linear):
    """nn.Linear that multiplies its weight by a fixed mask in every forward."""

    def __init__(self, mask):
        out_features, in_features = mask.shape
        super().__init__(in_features, out_features)
        self.register_buffer("mask", mask)
        init_for_mask(self, mask)  # stores zeros off the band: a clean state_dict

    def forward(self, x):
        return nn.functional.linear(x, self.weight * self.mask, self.bias)
# --8<-- [end:masked_forward]


masked = MaskedLinear(mask)
with torch.no_grad():
    masked.weight.copy_(local.weight)
    masked.bias.copy_(local.bias)
inputs = torch.randn(64, 8)
torch.testing.assert_close(masked(inputs), local(inputs), rtol=0, atol=1e-6)


def stored_weight(layer):
    """The Parameter an optimizer updates."""
    if parametrize.is_parametrized(layer, "weight"):
        return layer.parametrizations.weight.original
    return layer.weight


def effective_weight(layer):
    """The weight the forward pass multiplies by."""
    if isinstance(layer, MaskedLinear):
        return layer.weight * layer.mask
    return layer.weight


def band_masked(mask):
    """An nn.Linear masked as the answer masks it: by a parametrization."""
    out_features, in_features = mask.shape
    linear = init_for_mask(nn.Linear(in_features, out_features), mask)
    parametrize.register_parametrization(linear, "weight", BandMask(mask))
    return linear


torch.manual_seed(1)
x, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))
training_steps = 5

# --8<-- [start:gradient]
nn.functional.cross_entropy(model(x), labels).backward()
gradient = local.parametrizations.weight.original.grad  # stored weight's
assert torch.all(gradient[mask == 0] == 0)  # exactly zero, not small
assert torch.all(gradient[mask == 1] != 0)
# --8<-- [end:gradient]
masked_gradient_max = float(gradient[mask == 0].abs().max())
assert masked_gradient_max == 0.0

# --8<-- [start:every_optimizer]
family = sorted(  # every optimizer class torch.optim exports, read from the module
    name for name, value in vars(torch.optim).items()
    if isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
    and value is not torch.optim.Optimizer
)


def settings(name):  # weight decay and momentum wherever the optimizer takes them
    takes = inspect.signature(getattr(torch.optim, name)).parameters
    wanted = {"lr": 0.01, "weight_decay": 0.01, "momentum": 0.9}
    chosen = {key: value for key, value in wanted.items() if key in takes}
    if "decoupled_weight_decay" in takes:  # Adam, NAdam, RAdam: both kinds of decay
        return [chosen, {**chosen, "decoupled_weight_decay": True}]
    return [chosen]


moved_off_band, used_off_band, cannot_train = {}, {}, {}
runs = [(name, options) for name in family for options in settings(name)]
for (name, options), way in itertools.product(runs, (MaskedLinear, band_masked)):
    first = way(mask)  # masked in forward, or parametrized
    net = nn.Sequential(first, nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 3))
    trained = [p for p in net.parameters() if name != "Muon" or p.ndim == 2]
    optimizer = getattr(torch.optim, name)(trained, **options)  # Muon: 2-D alone

    def closure():  # every step() takes one; LBFGS calls it several times a step
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(net(x), labels)
        loss.backward()
        return loss

    before = stored_weight(first).detach().clone()
    try:
        for step in range(training_steps):
            optimizer.step(closure)
    except RuntimeError as error:  # SparseAdam takes sparse gradients alone
        cannot_train[name] = str(error)
    stored, used = stored_weight(first), effective_weight(first)
    assert torch.all(used[mask == 0] == 0)  # what the layer uses: zero, always
    used_off_band.setdefault(name, []).append(used[mask == 0].detach())
    if name not in cannot_train:
        assert torch.all(stored[mask == 1] != before[mask == 1])  # the band trained
        moved = int(stored[mask == 0].count_nonzero())
        moved_off_band[name] = max(moved, moved_off_band.get(name, 0))
# --8<-- [end:every_optimizer]
stored_moved = sorted(name for name, moved in moved_off_band.items() if moved)
assert stored_moved == ["Muon"] and moved_off_band["Muon"] == int((mask == 0).sum())
assert sorted(cannot_train) == ["SparseAdam"]
assert "does not support dense gradients" in cannot_train["SparseAdam"]
assert sorted([*moved_off_band, *cannot_train]) == family and len(family) >= 15

# --8<-- [start:muon_update]
layer = nn.Linear(8, 6, bias=False)
with torch.no_grad():
    layer.weight *= mask
layer.weight.grad = torch.randn(6, 8) * mask  # zero off the band, as masked
torch.optim.Muon([layer.weight], lr=0.01, weight_decay=0).step()  # no decay
muon_moved = int(layer.weight[mask == 0].count_nonzero())
assert muon_moved == int((mask == 0).sum())  # the update itself fills the zeros
# --8<-- [end:muon_update]

# --8<-- [start:stored]
stored_parameters = sum(p.numel() for p in local.parameters())  # weight, bias
free_parameters = int(mask.sum()) + local.bias.numel()  # band weights, bias
# --8<-- [end:stored]
assert (stored_parameters, free_parameters) == (54, 24)
assert sorted(local.state_dict()) == [
    "bias", "parametrizations.weight.0.mask", "parametrizations.weight.original"
]
assert sorted(masked.state_dict()) == ["bias", "mask", "weight"]
model_stored_parameters = sum(p.numel() for p in model.parameters())
model_free_parameters = model_stored_parameters - int((mask == 0).sum())
assert (model_stored_parameters, model_free_parameters) == (117, 87)
