"""One-to-one is enough: layers that are not bijections invert; which activations do."""
import warnings

import torch
import torch.nn.modules.activation as activation_modules

torch.manual_seed(0)
x = torch.randn(10, 4, dtype=torch.float64)  # ten samples of four features

# --8<-- [start:expanding]
layer = torch.nn.Linear(4, 8).to(torch.float64)  # more outputs than inputs
leaky = torch.nn.LeakyReLU(negative_slope=0.1)
with torch.no_grad():
    y = leaky(layer(x))
    z = torch.where(y >= 0, y, y / leaky.negative_slope) - layer.bias  # (10, 8)
    # Eight equations, four unknowns, one exact solution: least squares finds it.
    x_back = torch.linalg.lstsq(layer.weight, z.T).solution.T
torch.testing.assert_close(x_back, x, atol=1e-12, rtol=0)
# --8<-- [end:expanding]
expanding_error = (x_back - x).abs().max().item()
assert torch.linalg.matrix_rank(layer.weight).item() == layer.in_features  # full rank

# --8<-- [start:relu_pair]
A, c = torch.randn(4, 4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
relu_layer = torch.nn.Linear(4, 8).to(torch.float64)
with torch.no_grad():
    relu_layer.weight.copy_(torch.cat([A, -A]))  # each row, then its negative
    relu_layer.bias.copy_(torch.cat([c, -c]))
    y = torch.relu(relu_layer(x))
    pre = y[:, :4] - y[:, 4:]  # relu(v) - relu(-v) == v: A @ x + c, nothing lost
    x_back = torch.linalg.solve(A, (pre - c).T).T
torch.testing.assert_close(x_back, x, atol=1e-12, rtol=0)
# --8<-- [end:relu_pair]
relu_pair_error = (x_back - x).abs().max().item()
assert (y == 0).any()  # ReLU did zero some outputs, and the layer still inverts

# --8<-- [start:family]
grid = torch.linspace(-8, 8, 1601, dtype=torch.float64)
verdicts = {}
for name in activation_modules.__all__:  # every activation module PyTorch defines
    try:
        f = getattr(activation_modules, name)().to(torch.float64).eval()
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            y = f(grid)
            alone = torch.cat([f(point) for point in grid[::40].split(1)])
    except (TypeError, RuntimeError, ValueError):
        verdicts[name] = "needs arguments or a shape"  # Threshold, GLU, Softmax2d, ...
        continue
    if not torch.allclose(y[::40], alone, atol=1e-12, rtol=0):
        verdicts[name] = "not element by element"  # Softmax, Softmin, LogSoftmax
    elif (y.diff() > 0).all() or (y.diff() < 0).all():
        verdicts[name] = "one-to-one"  # strictly monotonic on the grid
    elif (y.diff() == 0).any():
        verdicts[name] = "flat: many inputs, one output"
    else:
        verdicts[name] = "falls, then rises: two inputs per output"
# --8<-- [end:family]
assert set(verdicts) == set(activation_modules.__all__)
NAMED = {"Tanh": True, "Sigmoid": True, "LeakyReLU": True, "ELU": True,
         "Softplus": True, "ReLU": False, "GELU": False, "SiLU": False}
for name, invertible in NAMED.items():
    assert (verdicts[name] == "one-to-one") == invertible, (name, verdicts[name])
one_to_one = sorted(name for name, said in verdicts.items() if said == "one-to-one")

# PReLU's slope is learned: at zero it is ReLU (flat), below zero it falls, then rises.
with torch.no_grad():
    for slope in (0.0, -0.5):
        steps = torch.nn.PReLU(init=slope).to(torch.float64)(grid).diff()
        turns = (steps < 0).any() and (steps > 0).any()
        assert (steps == 0).any() if slope == 0 else turns
    # RReLU in training draws a random slope for each element and call.
    rrelu, minus_ones = torch.nn.RReLU().train(), -torch.ones(1000, dtype=torch.float64)
    assert not torch.equal(rrelu(minus_ones), rrelu(minus_ones))


def inverse_on_range(f, y, low=-8.0, high=8.0):
    """f⁻¹(y) for an f that rises on [low, high], by bisection, element by element."""
    low, high = torch.full_like(y, low), torch.full_like(y, high)
    for _ in range(200):
        middle = (low + high) / 2
        below = f(middle) < y
        low, high = torch.where(below, middle, low), torch.where(below, high, middle)
    return (low + high) / 2


# GELU and SiLU fall, then rise: the output at -3 comes back on the rising side.
a = torch.tensor([-3.0], dtype=torch.float64)
pairs = {}
for f in (torch.nn.functional.gelu, torch.nn.functional.silu):
    lowest = grid[f(grid).argmin()].item()  # where it turns from falling to rising
    b = inverse_on_range(f, f(a), low=lowest, high=0.0)
    torch.testing.assert_close(f(b), f(a), atol=1e-15, rtol=0)  # the same output...
    assert b - a > 1  # ...from two inputs far apart
    pairs[f.__name__] = (a.item(), b.item(), f(a).item())

# --8<-- [start:stacks]
widths = [4 + 2 * (k // 2) for k in range(len(one_to_one) + 1)]  # square, or wider
model = torch.nn.Sequential()  # a layer per injective activation module
for width_in, width_out, name in zip(widths, widths[1:], one_to_one):
    linear = torch.nn.Linear(width_in, width_out).to(torch.float64)
    torch.nn.init.orthogonal_(linear.weight)  # orthonormal columns: little rounding
    model.extend([linear, getattr(activation_modules, name)().to(torch.float64).eval()])
with torch.no_grad():
    z = model(x)
    for linear, f in reversed(list(zip(model[::2], model[1::2]))):
        z = inverse_on_range(f, z) - linear.bias  # the activation, by bisection
        z = torch.linalg.lstsq(linear.weight, z.T).solution.T  # the layer
torch.testing.assert_close(z, x, atol=1e-8, rtol=0)
# --8<-- [end:stacks]
stack_error = (z - x).abs().max().item()
assert [type(f).__name__ for f in model[1::2]] == one_to_one
