"""Invert a square Linear stack with bijective activations, layer by layer, PyTorch."""
import copy

import torch

n, batch = 4, 10


# --8<-- [start:model]
def build(seed):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(n, n), torch.nn.Tanh(),
        torch.nn.Linear(n, n), torch.nn.LeakyReLU(negative_slope=0.1),
        torch.nn.Linear(n, n), torch.nn.Sigmoid(),
    ).to(torch.float64)
    x = torch.randn(batch, n, dtype=torch.float64)
    return model, x


model, x = build(seed=0)
with torch.no_grad():
    y = model(x)
# --8<-- [end:model]


# --8<-- [start:invert]
def invert(model, y):
    z = y
    for layer in reversed(model):
        if isinstance(layer, torch.nn.Linear):
            # Each row of z is weight @ x + bias: solve for all rows at once.
            z = torch.linalg.solve(layer.weight, (z - layer.bias).T).T
        elif isinstance(layer, torch.nn.Tanh):
            z = torch.atanh(z)
        elif isinstance(layer, torch.nn.Sigmoid):
            z = torch.logit(z)
        elif isinstance(layer, torch.nn.LeakyReLU):
            z = torch.where(z >= 0, z, z / layer.negative_slope)
        else:
            raise ValueError(f"{type(layer).__name__} has no inverse")
    return z
# --8<-- [end:invert]


# --8<-- [start:check]
with torch.no_grad():
    x_recovered = invert(model, y)
torch.testing.assert_close(x_recovered, x, atol=1e-10, rtol=0)
# --8<-- [end:check]
float64_error = (x_recovered - x).abs().max().item()

# --8<-- [start:float32]
def float32_error(model, x):
    """The largest error of the input recovered in float32."""
    model32 = copy.deepcopy(model).to(torch.float32)
    with torch.no_grad():
        x32 = x.to(torch.float32)
        return (invert(model32, model32(x32)) - x32).abs().max().item()


float32_error_full = float32_error(model, x)
assert float32_error_full > 1e-5
# --8<-- [end:float32]
linear_layers = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
condition_numbers = [torch.linalg.cond(layer.weight).item() for layer in linear_layers]


# --8<-- [start:two_effects]
def two_effects(model, x):
    """The float32 error with the activations and without them (the same weights), and
    the steepest slope of atanh and of logit at the values they undo."""
    solves_only = torch.nn.Sequential(*model[::2])  # the Linear layers alone
    with torch.no_grad():
        h, y = model[:2](x), model(x)  # what atanh undoes, and what logit undoes
    return {
        "with activations": float32_error(model, x),
        "solves only": float32_error(solves_only, x),
        "atanh slope": (1 / (1 - h**2)).max().item(),  # d atanh(h) / dh
        "logit slope": (1 / (y * (1 - y))).max().item(),  # d logit(y) / dy
    }


effects = two_effects(model, x)
assert effects["solves only"] < effects["with activations"] / 10
# --8<-- [end:two_effects]

# atanh's slope near one: 1 / (1 - y²), steeper and steeper.
near_one = 1 - torch.logspace(-1, -7, 7, dtype=torch.float64).requires_grad_(True)
(slope,) = torch.autograd.grad(torch.atanh(near_one).sum(), near_one)
torch.testing.assert_close(slope, 1 / (1 - near_one.detach() ** 2), atol=0, rtol=1e-9)
assert torch.all(slope.diff() > 0) and slope[-1] > 1e6  # steeper towards 1

# --8<-- [start:relu]
relu_model = torch.nn.Sequential(torch.nn.Linear(n, n), torch.nn.ReLU())
try:
    invert(relu_model, relu_model(x.float()))
except ValueError as error:
    relu_error = str(error)
assert relu_error == "ReLU has no inverse"
# --8<-- [end:relu]
