"""How close exact inversion gets: condition number, depth, float32 vs float64, tanh."""
import copy
import math

import torch

# --8<-- [start:condition]
generator = torch.Generator().manual_seed(0)
n, samples = 16, 200
f32, f64 = dtypes = (torch.float32, torch.float64)


def relative_error(x_recovered, x):
    return ((x_recovered - x).norm() / x.norm()).item()


def matrix_with_condition(condition):
    """A random n×n matrix with singular values from 1 down to 1/condition."""
    u, _ = torch.linalg.qr(torch.randn(n, n, generator=generator, dtype=f64))
    v, _ = torch.linalg.qr(torch.randn(n, n, generator=generator, dtype=f64))
    exponent = -math.log10(condition)
    singular_values = torch.logspace(0, exponent, n, dtype=f64)
    return u @ torch.diag(singular_values) @ v.T


conditions = [10.0**k for k in range(0, 15)]
condition_errors = {dtype: [] for dtype in dtypes}
for condition in conditions:
    W = matrix_with_condition(condition)
    x = torch.randn(samples, n, generator=generator, dtype=f64)
    for dtype in dtypes:
        W_d, x_d = W.to(dtype), x.to(dtype)
        x_recovered = torch.linalg.solve(W_d, (x_d @ W_d.T).T).T
        condition_errors[dtype].append(relative_error(x_recovered, x_d))
# --8<-- [end:condition]
epsilon = {dtype: torch.finfo(dtype).eps for dtype in dtypes}
for dtype in dtypes:
    for condition, error in zip(conditions, condition_errors[dtype]):
        assert error <= 4 * condition * epsilon[dtype]  # the textbook bound, κ·ε
assert all(e32 > e64 for e32, e64 in zip(condition_errors[f32], condition_errors[f64]))
assert condition_errors[f32][0] < 1e-6 and condition_errors[f64][0] < 1e-15
lost_level = 0.5  # a relative error past this: the input is lost
lost_float32 = next(
    c for c, e in zip(conditions, condition_errors[f32]) if e > lost_level
)
lost_float64 = next(c for c, e in zip(conditions, condition_errors[f64]) if e > 1e-6)


# --8<-- [start:depth]
def tanh_stack(depth, seed):
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):  # PyTorch's default initialisation
        layers += [torch.nn.Linear(n, n), torch.nn.Tanh()]
    return torch.nn.Sequential(*layers).to(torch.float64)


def invert(model, y):
    for layer in reversed(model):
        if isinstance(layer, torch.nn.Linear):
            y = torch.linalg.solve(layer.weight, (y - layer.bias).T).T
        else:
            y = torch.atanh(y)
    return y


def depth_errors(seed, depths=range(1, 25)):
    """{dtype: relative error after undoing the first d layers of one stack, per d}."""
    deepest = tanh_stack(max(depths), seed)
    drawn = torch.Generator().manual_seed(seed)
    x = torch.randn(samples, n, generator=drawn, dtype=f64)
    errors = {}
    for dtype in dtypes:
        model, x_d = copy.deepcopy(deepest).to(dtype), x.to(dtype)
        with torch.no_grad():
            errors[dtype] = [
                relative_error(invert(model[: 2 * d], model[: 2 * d](x_d)), x_d)
                for d in depths
            ]
    return errors


depths = list(range(1, 25))
seeds = range(10)  # ten stacks of each depth: each seed draws other weights
errors_by_seed = [depth_errors(seed, depths) for seed in seeds]
# --8<-- [end:depth]
first_nan = [  # per seed: the first depth whose recovered x holds a NaN
    {dtype: next(d for d, e in zip(depths, errors[dtype]) if math.isnan(e))
     for dtype in dtypes}
    for errors in errors_by_seed
]
for errors, first in zip(errors_by_seed, first_nan):
    assert first[f32] < first[f64]  # float32 breaks first, in every stack
    for dtype in dtypes:  # NaN from that depth on, at every depth measured
        assert all(math.isnan(e) for e in errors[dtype][first[dtype] - 1 :])
        assert not any(math.isnan(e) for e in errors[dtype][: first[dtype] - 1])
# The deepest stack no seed turns into NaN in float32, and its relative errors there.
deepest_finite = min(first[f32] for first in first_nan) - 1
errors_at_deepest_finite = [e[f32][deepest_finite - 1] for e in errors_by_seed]
assert all(errors[f32][0] < 1e-5 for errors in errors_by_seed)
assert all(error > 1e-5 for error in errors_at_deepest_finite)

# --8<-- [start:saturation]
pre_activations = {
    dtype: torch.linspace(0.01, 20, 2000, dtype=dtype) for dtype in dtypes
}
saturation_errors = {
    dtype: (torch.atanh(torch.tanh(z)) - z).abs() / z
    for dtype, z in pre_activations.items()
}
tanh_is_one_from = {
    dtype: z[torch.tanh(z) == 1].min().item()
    for dtype, z in pre_activations.items()
}
# --8<-- [end:saturation]
for dtype, z in pre_activations.items():
    saturated = z[z >= tanh_is_one_from[dtype]]
    assert torch.all(torch.tanh(saturated) == 1)
    assert torch.all(torch.isinf(torch.atanh(torch.tanh(saturated))))
assert tanh_is_one_from[f32] < tanh_is_one_from[f64]
