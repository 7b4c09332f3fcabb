"""Invert a square Linear stack with bijective activations, layer by layer, PyTorch."""
import copy

import torch

torch.manual_seed(0)
n, batch = 4, 10

# --8<-- [start:model]
model = torch.nn.Sequential(
    torch.nn.Linear(n, n), torch.nn.Tanh(),
    torch.nn.Linear(n, n), torch.nn.LeakyReLU(negative_slope=0.1),
    torch.nn.Linear(n, n), torch.nn.Sigmoid(),
).to(torch.float64)
x = torch.randn(batch, n, dtype=torch.float64)
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
model32 = copy.deepcopy(model).to(torch.float32)
with torch.no_grad():
    x32 = x.to(torch.float32)
    float32_error = (invert(model32, model32(x32)) - x32).abs().max().item()
assert float32_error > 1e-5
# --8<-- [end:float32]
linear_layers = [layer for layer in model if isinstance(layer, torch.nn.Linear)]
condition_numbers = [torch.linalg.cond(layer.weight).item() for layer in linear_layers]

# --8<-- [start:relu]
relu_model = torch.nn.Sequential(torch.nn.Linear(n, n), torch.nn.ReLU())
try:
    invert(relu_model, relu_model(x.float()))
except ValueError as error:
    relu_error = str(error)
assert relu_error == "ReLU has no inverse"
# --8<-- [end:relu]
