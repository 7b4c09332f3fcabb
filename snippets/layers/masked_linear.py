"""Locally connected as nn.Linear(8, 6) with a fixed band mask: neuron j sees inputs
j, j + 1, j + 2 through weights of its own, and the masked weights get zero gradient."""
# --8<-- [start:imports]
import torch
from torch import nn
from torch.nn.utils import parametrize

# --8<-- [end:imports]
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


mask = torch.ones(6, 8).triu().tril(2)  # row j: ones at columns j, j + 1, j + 2
local = nn.Linear(8, 6)
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


# --8<-- [start:masked_forward]
class MaskedLinear(nn.Linear):
    """nn.Linear that multiplies its weight by a fixed mask in every forward."""

    def __init__(self, mask):
        out_features, in_features = mask.shape
        super().__init__(in_features, out_features)
        self.register_buffer("mask", mask)
        with torch.no_grad():
            self.weight *= mask  # store zeros too, for a clean state_dict

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


torch.manual_seed(1)
x, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))

# --8<-- [start:gradient]
nn.functional.cross_entropy(model(x), labels).backward()
gradient = local.parametrizations.weight.original.grad  # stored weight's
assert torch.all(gradient[mask == 0] == 0)  # exactly zero, not small
assert torch.all(gradient[mask == 1] != 0)
# --8<-- [end:gradient]
masked_gradient_max = float(gradient[mask == 0].abs().max())
assert masked_gradient_max == 0.0

# --8<-- [start:optimizers]
optimizers = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9,
                                     weight_decay=0.01),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.01),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.01),
}
training_steps = 20
stays_zero = {}
for name, make_optimizer in optimizers.items():
    parametrized = nn.Linear(8, 6)
    parametrize.register_parametrization(parametrized, "weight", BandMask(mask))
    for first in (MaskedLinear(mask), parametrized):
        net = nn.Sequential(
            first, nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 3)
        )
        optimizer = make_optimizer(net.parameters())
        before = stored_weight(first).detach().clone()
        for step in range(training_steps):
            optimizer.zero_grad()
            nn.functional.cross_entropy(net(x), labels).backward()
            optimizer.step()
        stored, effective = stored_weight(first), effective_weight(first)
        assert torch.all(stored[mask == 1] != before[mask == 1])  # band trained
        off_band = torch.cat([stored[mask == 0], effective[mask == 0]])
        stays_zero[name, type(first).__name__] = bool(torch.all(off_band == 0))
assert all(stays_zero.values()) and len(stays_zero) == 6
# --8<-- [end:optimizers]

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
