"""Facts on the network-inversion page: every measured error, size, threshold and count it
quotes, and every equation it shows.

Each value comes from the snippets the page shows (which assert the claims) or is checked
here against PyTorch before the page prints it. Each equation is a Python expression that
is evaluated here and rendered to LaTeX from the same syntax tree (`latex`): the layer and
its inverse against the exact-inversion model, `torch.linalg.solve`'s equations against the
library, the coupling layer's against `snippets/inversion/coupling_flow.py`'s `Coupling`, the
change of variables against a Gaussian whose Jacobian is known and against the trained flow,
and Bayes' rule on a small discrete example from the page's digits (one pixel's value and
the label). The inverse formulas of the activation table are evaluated against the
library's own inverse functions.
"""
import ast
import math

import torch

from facts._tables import code, markdown_table
from facts._words import count_word
from snippets.inversion import (
    activations, coupling_flow, digits_pinv, exact_inverse, exact_inverse_keras,
    exact_inverse_numpy, input_gradients, input_gradients_keras, linalg_solve,
    not_invertible, numerical_limits,
)

# The classifier readers ask about reads MNIST's 28×28 images. The size is typed here once
# (nothing is downloaded); the page contrasts it with the digits that ship in scikit-learn.
MNIST_PIXELS = 28 * 28

# --- Equations: one Python expression, evaluated below and rendered by `latex` -------------

# Python name -> how the page writes it. A name missing here is an error, never a guess.
SYMBOLS = {
    "x": "x", "y": "y", "z": "z", "W": "W", "b": "b", "f": "f", "finv": "f^{-1}",
    "A": "A", "B": "B", "X": "X", "kappa": r"\kappa", "epsilon": r"\varepsilon",
    "x_a": "x_a", "x_b": "x_b", "z_a": "z_a", "z_b": "z_b", "s": "s", "t": "t",
    "p": "p", "p_X": "p_X", "p_Z": "p_Z",
}

# A layer, `Linear` then an activation f, and its way back (x a column vector, as W @ x).
LAYER = [("y", "f(W @ x + b)")]
LAYER_INVERSE = [("x", "solve(W, finv(y) - b)")]
# What torch.linalg.solve(A, B) solves, and what it solves with left=False.
SOLVE = [("A @ X", "B")]
SOLVE_RIGHT = [("X @ A", "B")]
# The relative error of a solve grows in proportion to the condition number times the
# precision's machine epsilon.
CONDITION_BOUND = "kappa * epsilon"
# An affine coupling layer: the kept part, the changed part, and the changed part's way back.
COUPLING = [("z_a", "x_a"), ("z_b", "x_b * exp(s(x_a)) + t(x_a)")]
COUPLING_INVERSE = [("x_b", "(z_b - t(z_a)) * exp(-s(z_a))")]
COUPLING_LOG_DET = [("log(abs(det(jacobian(z, x))))", "sum(s(x_a))")]
# The change-of-variables formula of a normalizing flow f from x to a normal z.
CHANGE_OF_VARIABLES = [("log(p_X(x))", "log(p_Z(f(x))) + log(abs(det(jacobian(f, x))))")]
# Bayes' rule.
BAYES = [("p(x | y)", "p(y | x) * p(x) / p(y)")]


def latex(expression: str, product: str = r"\odot") -> str:
    """`solve(W, finv(y) - b)` -> `W^{-1}\\bigl(f^{-1}(y) - b\\bigr)`: `@` is written by
    juxtaposition, `*` as `product`, `|` as "given"."""
    return _latex(ast.parse(expression, mode="eval").body, product)


def _latex(node, product):
    def grouped(part):
        text = _latex(part, product)
        compound = isinstance(part, ast.BinOp) and isinstance(part.op, (ast.Add, ast.Sub))
        return rf"\bigl({text}\bigr)" if compound else text

    match node:
        case ast.Name(id=name):
            return SYMBOLS[name]
        case ast.Constant(value=value):
            return f"{value:g}"
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return "-" + grouped(operand)
        case ast.BinOp(left=left, op=ast.Add(), right=right):
            return f"{_latex(left, product)} + {_latex(right, product)}"
        case ast.BinOp(left=left, op=ast.Sub(), right=right):
            return f"{_latex(left, product)} - {grouped(right)}"
        case ast.BinOp(left=left, op=ast.Div(), right=right):
            return rf"\frac{{{_latex(left, product)}}}{{{_latex(right, product)}}}"
        case ast.BinOp(left=left, op=ast.BitOr(), right=right):
            return rf"{_latex(left, product)} \mid {_latex(right, product)}"
        case ast.BinOp(left=left, op=ast.MatMult(), right=right):
            return f"{grouped(left)} {grouped(right)}"
        case ast.BinOp(left=left, op=ast.Mult(), right=right):
            return f"{grouped(left)} {product} {grouped(right)}"
        case ast.Call(func=ast.Name(id=name), args=args):
            parts = [_latex(arg, product) for arg in args]
            match name, parts:
                case "exp", [power]:
                    return f"e^{{{power}}}"
                case "log", [argument]:
                    bars = isinstance(args[0], ast.Call) and ast.unparse(args[0].func) == "abs"
                    return rf"\log{'' if bars else ' '}{argument}"
                case "abs", [argument]:
                    return rf"\left|{argument}\right|"
                case "det", [matrix]:
                    return rf"\det {matrix}"
                case "sum", [terms]:
                    return rf"\sum {terms}"
                case "jacobian", [function, variable]:
                    return rf"\frac{{\partial {function}}}{{\partial {variable}}}"
                case "solve", [matrix, _]:
                    return f"{matrix}^{{-1}}{grouped(args[1])}"
            nested = any(isinstance(arg, ast.Call) for arg in args)
            inner = ", ".join(parts)
            return (rf"{SYMBOLS[name]}\bigl({inner}\bigr)" if nested
                    else f"{SYMBOLS[name]}({inner})")
    raise ValueError(f"no LaTeX for {ast.unparse(node)!r}")


def equation(equations, relation="=", product=r"\odot", separator=r", \qquad ") -> str:
    return separator.join(f"{latex(target, product)} {relation} {latex(expression, product)}"
                          for target, expression in equations)


def evaluate(expression: str, names: dict):
    return eval(compile(expression, "<equation>", "eval"), {"__builtins__": {}}, names)


def largest_error(equations, names) -> float:
    """The largest difference between the two sides of the `target = expression` lines of
    `equations`, evaluated with `names`: each caller asserts it under its own tolerance."""
    errors = [0.0]
    for target, expression in equations:
        left, right = evaluate(target, names), evaluate(expression, names)
        left, right = torch.broadcast_tensors(torch.as_tensor(left), torch.as_tensor(right))
        errors.append(float((left.double() - right.double()).abs().max()))
    return max(errors)


def term(expression: str, equations, product=r"\odot") -> str:
    """The LaTeX of a piece of one of `equations` (which have been evaluated): prose that
    names part of an equation names a part that was checked."""
    wanted = ast.dump(ast.parse(expression, mode="eval").body)
    for pair in equations:
        for side in pair:
            if any(ast.dump(node) == wanted for node in ast.walk(ast.parse(side, mode="eval"))):
                return latex(expression, product)
    raise AssertionError(f"{expression!r} is in none of the checked equations")


# Each activation's inverse as an expression (evaluated below against the library) and as
# the page prints it; `a` is leaky ReLU's negative_slope.
INVERSES = {
    "tanh": ("0.5 * log((1 + y) / (1 - y))", r"\tfrac{1}{2}\ln\frac{1+y}{1-y}", "(−1, 1)"),
    "sigmoid": ("log(y / (1 - y))", r"\ln\frac{y}{1-y}", "(0, 1)"),
    "leaky ReLU": ("where(y >= 0, y, y / a)", r"y \text{ if } y \ge 0 \text{, else } y / a",
                   "all of ℝ"),
}


def checked_inverse_table():
    """Each inverse formula undoes the activation and equals the library's inverse; ReLU
    sends every negative input to the same zero, so it has none."""
    slope = exact_inverse.model[3].negative_slope
    z = torch.linspace(-5, 5, 101, dtype=torch.float64)
    forward = {
        "tanh": (torch.tanh, torch.atanh, "torch.atanh", "np.arctanh"),
        "sigmoid": (torch.sigmoid, torch.logit, "torch.logit", "np.log(y) - np.log1p(-y)"),
        "leaky ReLU": (lambda v: torch.nn.functional.leaky_relu(v, slope), None,
                       "torch.where(y >= 0, y, y / a)", "np.where(y >= 0, y, y / a)"),
    }
    names = {"log": torch.log, "where": torch.where}
    rows = []
    for name, (expression, latex, domain) in INVERSES.items():
        activation, library_inverse, torch_name, numpy_name = forward[name]
        y = activation(z)
        ours = eval(expression, {"__builtins__": {}}, {**names, "y": y, "a": slope})
        torch.testing.assert_close(ours, z, atol=1e-9, rtol=0)
        if library_inverse is not None:
            torch.testing.assert_close(library_inverse(y), ours, atol=1e-9, rtol=0)
        rows.append([name, f"${latex}$", domain, code(torch_name), code(numpy_name)])
    # Domains: the inverse is finite inside and not at or beyond the ends.
    assert torch.atanh(torch.tensor([-1.0, 1.0])).isinf().all()
    assert torch.logit(torch.tensor([0.0, 1.0])).isinf().all()
    assert activations.relu_preimages_of_zero > 1
    rows.append(["ReLU", "none: every $y = 0$ comes from any input $\\le 0$", "", "", ""])
    return markdown_table(["activation", "inverse", "defined on", "PyTorch", "NumPy"], rows)


def scientific(value: float) -> str:
    """`4.2 × 10⁻¹²` style, as MathML-free text."""
    mantissa, exponent = f"{value:.1e}".split("e")
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(superscript)}"


def power_of_ten(value: float) -> str:
    exponent = round(math.log10(value))
    assert math.isclose(value, 10.0**exponent)
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"10{str(exponent).translate(superscript)}"


def percent(value: float) -> str:
    return f"{100 * value:.0f} %"




def jacobians(function, points):
    """∂function/∂x at each point (a row of `points`), by autograd: (N, n, n)."""
    return torch.stack([
        torch.autograd.functional.jacobian(lambda point: function(point[None])[0], point)
        for point in points
    ])


def checked_layers():
    """y = f(W x + b) and its inverse hold for every layer of the exact-inversion model,
    each with the inverse of its own activation."""
    inverses = {
        torch.nn.Tanh: lambda layer: torch.atanh,
        torch.nn.Sigmoid: lambda layer: torch.logit,
        torch.nn.LeakyReLU:
            lambda layer: lambda y: torch.where(y >= 0, y, y / layer.negative_slope),
    }
    generator = torch.Generator().manual_seed(0)
    pairs = list(zip(exact_inverse.model[::2], exact_inverse.model[1::2]))
    assert {type(activation) for _, activation in pairs} == set(inverses)
    for linear, activation in pairs:
        x = torch.randn(exact_inverse.n, dtype=torch.float64, generator=generator)
        with torch.no_grad():
            y = activation(linear(x))
            names = {"f": activation, "finv": inverses[type(activation)](activation),
                     "W": linear.weight, "b": linear.bias, "x": x, "y": y,
                     "solve": torch.linalg.solve}
            assert largest_error(LAYER + LAYER_INVERSE, names) < 1e-10
    return equation(LAYER), equation(LAYER_INVERSE)


def checked_solve():
    """torch.linalg.solve(A, B) returns the X of A X = B; with left=False, of X A = B."""
    A = linalg_solve.W.to(torch.float64)
    generator = torch.Generator().manual_seed(0)
    B = torch.randn(len(A), 2, dtype=torch.float64, generator=generator)
    assert largest_error(SOLVE, {"A": A, "B": B, "X": torch.linalg.solve(A, B)}) < 1e-10
    B = torch.randn(2, len(A), dtype=torch.float64, generator=generator)
    right = torch.linalg.solve(A, B, left=False)
    assert largest_error(SOLVE_RIGHT, {"A": A, "B": B, "X": right}) < 1e-10
    return equation(SOLVE), equation(SOLVE_RIGHT)


def checked_condition_bound():
    """The measured relative error stays below four times κε at every condition number,
    and, until it nears one, above a hundredth of it: it grows in proportion to κε."""
    limits = numerical_limits
    for dtype in limits.dtypes:
        for kappa, error in zip(limits.conditions, limits.condition_errors[dtype]):
            bound = evaluate(CONDITION_BOUND, {"kappa": kappa, "epsilon": limits.epsilon[dtype]})
            assert error <= 4 * bound
            if kappa >= 100 and error < 0.1:
                assert error >= bound / 100, (dtype, kappa, error)
    return latex(CONDITION_BOUND, product=r"\,")


def checked_coupling():
    """The coupling equations, forward and inverse, against every `Coupling` of the trained
    flow; its Jacobian is triangular and its log-determinant the sum of s(x_a)."""
    data = coupling_flow.data
    for layer in coupling_flow.flow.layers:
        keep, change = [layer.keep], [1 - layer.keep]

        def scale_and_shift(kept, layer=layer):
            """s and t of the layer, read from its own `split` with the kept part set."""
            full = layer.join(kept[:, 0], torch.zeros_like(kept[:, 0]))
            _, _, log_scale, shift = layer.split(full)
            return log_scale[:, None], shift[:, None]

        with torch.no_grad():
            z, log_det = layer(data)
            x_back = layer.inverse(z)
        names = {"x_a": data[:, keep], "x_b": data[:, change], "z_a": z[:, keep],
                 "z_b": z[:, change], "s": lambda v, f=scale_and_shift: f(v)[0],
                 "t": lambda v, f=scale_and_shift: f(v)[1], "exp": torch.exp,
                 "sum": lambda v: v.sum(dim=-1)}
        assert largest_error(COUPLING + COUPLING_INVERSE, names) < 1e-5
        torch.testing.assert_close(x_back[:, change], evaluate(COUPLING_INVERSE[0][1], names),
                                   atol=1e-6, rtol=0)  # the layer's own inverse
        torch.testing.assert_close(log_det, evaluate(COUPLING_LOG_DET[0][1], names),
                                   atol=1e-6, rtol=0)  # the log-determinant it reports
        points = data[:20]
        jacobian = jacobians(lambda v, layer=layer: layer(v)[0], points)
        assert torch.all(jacobian[:, keep[0], change[0]] == 0)  # triangular: z_a ignores x_b
        names.update({"x": points, "x_a": points[:, keep], "z": lambda v, layer=layer: layer(v)[0],
                      "log": torch.log, "abs": torch.abs, "det": torch.linalg.det,
                      "jacobian": jacobians})
        assert largest_error(COUPLING_LOG_DET, names) < 1e-5
    forward = equation(COUPLING)
    backward = equation(COUPLING_INVERSE)
    return forward + r" \quad\Longleftrightarrow\quad " + backward


def checked_change_of_variables():
    """log p_X(x) = log p_Z(f(x)) + log|det ∂f/∂x|, with p_Z the standard normal: for the
    Gaussian fitted to the two-moons data, whitened by f (Jacobian known: the inverse of its
    Cholesky factor), and for the trained flow, its Jacobian by autograd."""
    gaussian = coupling_flow.gaussian
    loc, tril = gaussian.loc.to(torch.float64), gaussian.scale_tril.to(torch.float64)
    fitted = torch.distributions.MultivariateNormal(loc, scale_tril=tril)
    standard = torch.distributions.MultivariateNormal(
        torch.zeros(2, dtype=torch.float64), torch.eye(2, dtype=torch.float64))

    def whiten(x):
        return torch.linalg.solve_triangular(tril, (x - loc).T, upper=False).T

    points = coupling_flow.data[:20].to(torch.float64)
    torch.testing.assert_close(jacobians(whiten, points), torch.linalg.inv(tril).expand(20, 2, 2),
                               atol=1e-12, rtol=0)
    common = {"x": points, "p_Z": lambda z: standard.log_prob(z).exp(), "log": torch.log,
              "abs": torch.abs, "det": torch.linalg.det, "jacobian": jacobians}
    fitted_names = {**common, "f": whiten, "p_X": lambda x: fitted.log_prob(x).exp()}
    assert largest_error(CHANGE_OF_VARIABLES, fitted_names) < 1e-10
    flow = coupling_flow.flow64
    flow_names = {**common, "f": lambda x: flow(x)[0], "p_X": lambda x: flow.log_prob(x).exp()}
    assert largest_error(CHANGE_OF_VARIABLES, flow_names) < 1e-10
    return equation(CHANGE_OF_VARIABLES)


class Event:
    """`x`, `y` and `x | y` ("x given y") in an expression, for `p` to look up."""

    def __init__(self, name, given=None):
        self.name, self.given = name, given

    def __or__(self, other):
        return Event(self.name, other.name)


def checked_bayes():
    """Bayes' rule on the digits: x is the value of the pixel that varies most (scikit-learn
    stores 0 to 16), y the label; each probability is a share of images, as a table with
    the values of x down and those of y across."""
    pixel_values = (digits_pinv.images * 16).round().long()
    x_values = pixel_values[:, digits_pinv.images.var(dim=0).argmax()]
    is_x = (x_values[:, None] == torch.unique(x_values)).to(torch.float64)  # (images, x)
    is_y = (digits_pinv.labels[:, None] == torch.unique(digits_pinv.labels)).to(torch.float64)
    counts = is_x.T @ is_y  # images with each (x, y)
    tables = {
        ("x", None): is_x.mean(dim=0)[:, None],
        ("y", None): is_y.mean(dim=0)[None, :],
        ("x", "y"): counts / is_y.sum(dim=0),  # among the images of each label
        ("y", "x"): counts / is_x.sum(dim=0)[:, None],  # among those with each pixel value
    }
    # Each conditional is a distribution over its first variable: it sums to one.
    labels, pixel_values = counts.shape[1], counts.shape[0]
    torch.testing.assert_close(tables["x", "y"].sum(dim=0), torch.ones(labels, dtype=torch.float64))
    torch.testing.assert_close(tables["y", "x"].sum(dim=1),
                               torch.ones(pixel_values, dtype=torch.float64))
    names = {"p": lambda event: tables[event.name, event.given], "x": Event("x"), "y": Event("y")}
    assert largest_error(BAYES, names) < 1e-12
    return equation(BAYES, product=r"\,")
def counted(n: int, noun: str) -> str:
    """A count in digits with its noun, for counts read beside larger ones: "6 layers"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def per_precision(values: dict) -> str:
    """`{float64: "a", float32: "b"}` -> "a in float64 and b in float32": each value with
    the precision it was measured in."""
    return " and ".join(f"{value} in {str(dtype).removeprefix('torch.')}"
                        for dtype, value in values.items())


def make_facts() -> dict[str, str | int]:
    limits = numerical_limits
    f32, f64 = torch.float32, torch.float64
    images, pixels = digits_pinv.images, digits_pinv.images.shape[1]
    side = math.isqrt(pixels)
    classes_in_data = len(torch.unique(digits_pinv.labels))
    assert side * side == pixels and digits_pinv.W.shape == (classes_in_data, pixels)
    classes = digits_pinv.W.shape[0]
    hidden = input_gradients.model[0].out_features
    assert input_gradients_keras.model.layers[0].units == hidden
    train_size = digits_pinv.train.stop
    keras_slope = exact_inverse_keras.applied_slope

    # The exact-inversion network, and how far float32 gets on it.
    width = exact_inverse.n
    linear_layers = [layer for layer in exact_inverse.model if isinstance(layer, torch.nn.Linear)]
    assert all(layer.weight.shape == (width, width) for layer in linear_layers)
    assert exact_inverse_numpy.n == exact_inverse_keras.n == width
    assert len(exact_inverse.condition_numbers) == len(linear_layers)
    condition_product = math.prod(exact_inverse.condition_numbers)
    leaky_gain = 1 / exact_inverse.model[3].negative_slope
    eps32 = torch.finfo(torch.float32).eps
    # The first-order bound the page quotes: rounding times every layer's amplification.
    largest_input = exact_inverse.x.abs().max().item()
    assert exact_inverse.float32_error <= eps32 * condition_product * leaky_gain * largest_input
    # W has full row rank, so the inputs it cannot see form a (pixels - classes) space.
    assert torch.linalg.matrix_rank(digits_pinv.W).item() == classes
    null_dimensions = pixels - torch.linalg.matrix_rank(digits_pinv.W).item()  # rank–nullity
    assert null_dimensions == pixels - classes > 0
    # The page: trained on the first train_size images, scored on the other test_size.
    test_size = len(images) - train_size
    assert test_size == len(digits_pinv.labels[digits_pinv.test]) > 0
    # The toy layer: inputs, outputs and the null space the snippet builds.
    toy_outputs, toy_inputs = not_invertible.W.shape
    toy_null = not_invertible.null_space.shape[0]
    assert toy_null == toy_inputs - toy_outputs == toy_inputs - torch.linalg.matrix_rank(
        torch.tensor(not_invertible.W)).item()

    # Depth: the deepest stack each precision still inverts without NaN.
    nan_depth = limits.first_nan

    # Saliency: images whose largest gradient sits on a blank pixel.
    saliency_digits = len(input_gradients.x)
    # Two starts, two answers the network scores alike.
    starts = list(input_gradients.starts)
    assert len(input_gradients.answers) == len(starts)

    layer_equation, inverse_equation = checked_layers()
    solve_equation, solve_right_equation = checked_solve()
    # The statistics the page names, from the functions that compute them.
    missed_statistic = torch.median
    assert missed_statistic(digits_pinv.missed).item() == digits_pinv.pinv_relative_error
    assert len(digits_pinv.missed) == len(digits_pinv.labels[digits_pinv.test])
    likelihood_statistic = torch.mean
    data = coupling_flow.data
    flow_likelihoods = {
        "the flow": likelihood_statistic(coupling_flow.flow.log_prob(data)).item(),
        "the best single Gaussian":
            likelihood_statistic(coupling_flow.gaussian.log_prob(data)).item(),
    }
    assert flow_likelihoods["the flow"] == coupling_flow.mean_log_likelihood
    assert flow_likelihoods["the best single Gaussian"] == coupling_flow.gaussian_log_likelihood
    conditions = [f"{c:.0f}" for c in exact_inverse.condition_numbers]
    product = f"{condition_product:,.0f}".replace(",", " ")
    return {
        "activation_table": checked_inverse_table(),
        "layer_equation": layer_equation,
        "inverse_equation": inverse_equation,
        "solve_equation": solve_equation,
        "solve_right_equation": solve_right_equation,
        "condition_bound": checked_condition_bound(),
        "coupling_equations": checked_coupling(),
        "kept_half_equation": equation(COUPLING[:1]),
        "coupling_log_det": equation(COUPLING_LOG_DET),
        "change_of_variables": checked_change_of_variables(),
        "bayes_rule": checked_bayes(),
        "prior_term": term("p(x)", BAYES, r"\,"),
        "likelihood_term": term("p(y | x)", BAYES, r"\,"),
        "posterior_term": term("p(x | y)", BAYES, r"\,"),
        "start_images": " and from one of a ".join(map(str, starts)),
        "atanh_domain": INVERSES["tanh"][2],
        "exact_network": f"{count_word(len(linear_layers), 'square layer')} of width {width}",
        "exact_errors": per_precision({f64: scientific(exact_inverse.float64_error),
                                       f32: scientific(exact_inverse.float32_error)}),
        "exact_float64_error": scientific(exact_inverse.float64_error),
        "exact_float32_error": scientific(exact_inverse.float32_error),
        "exact_numpy_error": scientific(exact_inverse_numpy.float64_error),
        "exact_keras_error": scientific(exact_inverse_keras.float64_error),
        "condition_numbers": f"{', '.join(conditions[:-1])} and {conditions[-1]}, whose product "
                             f"is {product}",
        "negative_value_gain": f"{leaky_gain:g}, the inverse of its `negative_slope`",
        "keras_applied_slope": repr(keras_slope),
        "square_trap_error": f"{linalg_solve.square_trap_error:.1f}",
        "singular_info": linalg_solve.singular_info,
        "nearly_singular_condition":
            f"condition number {scientific(linalg_solve.nearly_singular_condition)}",
        "nearly_singular_largest": scientific(linalg_solve.nearly_singular_largest),
        "limits_width": limits.n,
        "epsilon_float32": scientific(limits.epsilon[f32]),
        "epsilons": per_precision({dtype: scientific(limits.epsilon[dtype])
                                   for dtype in (f32, f64)}),
        "lost_float32": power_of_ten(limits.lost_float32),
        "lost_float64": power_of_ten(limits.lost_float64),
        "nan_depth_float32": counted(nan_depth[f32], "layer"),
        "nan_depths": per_precision({dtype: counted(nan_depth[dtype], "layer")
                                     for dtype in (f32, f64)}),
        "last_finite_depth": counted(nan_depth[f32] - 1, "layer"),
        "relative_error_float32": scientific(limits.depth_errors[f32][nan_depth[f32] - 2]),
        "tanh_one": per_precision({dtype: f"{limits.tanh_is_one_from[dtype]:.1f}"
                                   for dtype in (f32, f64)}),
        "toy_layer_sizes": f"from {count_word(toy_inputs, 'input')} to "
                           f"{count_word(toy_outputs, 'output')}",
        "toy_null_space": f"{count_word(toy_null)}-dimensional",
        "mnist_pixels": MNIST_PIXELS,
        "digits_images": f"{counted(len(images), 'image')} of {side}×{side} pixels",
        "pixels_to_classes": f"{counted(pixels, 'pixel')} to {classes} classes",
        "digits_train": counted(train_size, "image"),
        "remaining_images": counted(test_size, "held-out image"),
        "digits_null": null_dimensions,
        "pinv_accuracy": percent(digits_pinv.accuracy),
        "pinv_missed": f"{percent(digits_pinv.pinv_relative_error)} "
                       f"({missed_statistic.__name__} over the held-out images)",
        "label_target": f"{digits_pinv.wanted.max().item():.2f} for the class, "
                        f"{digits_pinv.wanted.min().item():.2f} elsewhere",
        "lowest_negative_pixel": f"{digits_pinv.from_label_pixel_range[0]:.2f}",
        "hidden_units": hidden,
        "mlp_held_out_accuracy": percent(input_gradients.accuracy),
        "keras_accuracy": percent(input_gradients_keras.accuracy),
        "largest_on_blank": f"{input_gradients.largest_on_blank} of these "
                            f"{counted(saliency_digits, 'digit')}",
        "saliency_digits": saliency_digits,
        "target_class": input_gradients.target,
        "best_probability": "probability "
        f"{input_gradients.probabilities[0, input_gradients.target].item():.3f}",
        "best_max_pixel": f"{input_gradients.x_best.max().item():.2f}",
        "free_pixel_range": " to ".join(f"{v:.1f}" for v in input_gradients.free_pixel_range),
        "flow_layers": len(coupling_flow.flow.layers),
        "log_likelihoods": f"a {likelihood_statistic.__name__} of " + ", against ".join(
            f"{value:.2f} for {name}" for name, value in flow_likelihoods.items()),
        "flow_round_trip": per_precision({
            f32: scientific(coupling_flow.round_trip_error),
            f64: scientific(coupling_flow.round_trip_error_float64)}),
        "flow_density_mass": f"{coupling_flow.density_mass:.4f}",
    }
