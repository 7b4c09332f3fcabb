"""Zeroing the off-band weights once does not keep them zero: the next gradient step
brings them back. Weight decay alone would not: it scales a zero to zero."""
import torch
from torch import nn

torch.manual_seed(0)
mask = torch.ones(6, 8).triu().tril(2)
x, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))

# --8<-- [start:zero_once]
optimizers = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.1),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.01),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.01),
}
back_after_one_step = {}
for name, make_optimizer in optimizers.items():
    first = nn.Linear(8, 6)
    with torch.no_grad():
        first.weight *= mask  # zeroed once, at initialisation, and never again
    net = nn.Sequential(
        first, nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 3)
    )
    optimizer = make_optimizer(net.parameters())
    nn.functional.cross_entropy(net(x), labels).backward()
    optimizer.step()
    back_after_one_step[name] = int(first.weight[mask == 0].count_nonzero())
# --8<-- [end:zero_once]
off_band = int((mask == 0).sum())
assert off_band == 30
assert back_after_one_step == {"SGD": off_band, "Adam": off_band, "AdamW": off_band}

# --8<-- [start:decay_alone]
layer = nn.Linear(8, 6, bias=False)
with torch.no_grad():
    layer.weight *= mask
layer.weight.grad = torch.randn(6, 8) * mask  # zero off the band, as masked
weight_before = layer.weight.detach().clone()
torch.optim.AdamW(layer.parameters(), lr=0.01, weight_decay=0.1).step()
assert torch.all(layer.weight[mask == 0] == 0)  # decay: 0 * (1 - lr * 0.1)
assert torch.all(layer.weight[mask == 1] != weight_before[mask == 1])
# --8<-- [end:decay_alone]
decay_alone_nonzero = int(layer.weight[mask == 0].count_nonzero())
assert decay_alone_nonzero == 0

# --8<-- [start:no_grad]
layer = nn.Linear(8, 6)
with torch.no_grad():
    layer.weight[0, 3:].requires_grad_(False)  # no error, and no effect
assert layer.weight.requires_grad
nn.functional.cross_entropy(layer(x)[:, :3], labels).backward()
assert torch.all(layer.weight.grad[0, 3:] != 0)  # still trained
# --8<-- [end:no_grad]
