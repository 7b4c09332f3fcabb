"""Zeroing the off-band weights once does not keep them zero: one step of any optimizer in
torch.optim that can train the layer brings them back. Weight decay alone would not: it
scales a zero to zero."""
import torch
from torch import nn

torch.set_num_threads(1)  # layers this small train many times faster on one thread
torch.manual_seed(0)
mask = torch.ones(6, 8).triu().tril(2)
x, labels = torch.randn(64, 8), torch.randint(0, 3, (64,))

# --8<-- [start:zero_once]
family = sorted(  # every optimizer class torch.optim exports, read from the module
    name for name, value in vars(torch.optim).items()
    if isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
    and value is not torch.optim.Optimizer
)
back_after_one_step, cannot_train = {}, []
for name in family:
    first = nn.Linear(8, 6)
    with torch.no_grad():
        first.weight *= mask  # zeroed once, at initialisation, and never again
    net = nn.Sequential(first, nn.ReLU(), nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 3))
    trained = [p for p in net.parameters() if name != "Muon" or p.ndim == 2]
    optimizer = getattr(torch.optim, name)(trained, lr=0.01)  # Muon: 2-D alone

    def closure():  # LBFGS needs one; the others accept it
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(net(x), labels)
        loss.backward()
        return loss

    try:
        optimizer.step(closure)  # one step
    except RuntimeError:  # SparseAdam takes sparse gradients alone
        cannot_train.append(name)
        continue
    back_after_one_step[name] = int(first.weight[mask == 0].count_nonzero())
# --8<-- [end:zero_once]
off_band = int((mask == 0).sum())
assert off_band == 30
assert set(back_after_one_step.values()) == {off_band} and cannot_train == ["SparseAdam"]
assert sorted([*back_after_one_step, *cannot_train]) == family

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
