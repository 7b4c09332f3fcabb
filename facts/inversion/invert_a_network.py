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

Numbers measured on random weights, random splits or training come from several seeds
(facts/_spread.py): the page shows their spread, and the asserts here hold for every seed.
What the page says of an older PyTorch is read from that release (facts/_releases.py).
"""
import ast
import functools
import inspect
import math
import re

import numpy as np
import torch

from facts import _releases
from facts._spread import Spread, over_seeds
from facts._tables import code, markdown_table
from facts._words import count_word, ordinal_word
from snippets.inversion import (
    activations, architectures, coupling_flow, digits_pinv, exact_inverse,
    exact_inverse_keras, exact_inverse_numpy, from_features, injective, input_gradients,
    input_gradients_keras, linalg_solve, not_invertible, numerical_limits,
)

# Seeds for what training or random draws measure: each one a new split of the digits and
# new initial weights, or new random weights and inputs.
SEEDS = range(5)

# The classifier readers ask about reads MNIST's 28×28 images. The size is typed here once
# (nothing is downloaded); the page contrasts it with the digits that ship in scikit-learn.
MNIST_PIXELS = 28 * 28

# --- Equations: one Python expression, evaluated below and rendered by `latex` -------------

# Python name -> how the page writes it. A name missing here is an error, never a guess.
SYMBOLS = {
    "x": "x", "y": "y", "z": "z", "W": "W", "b": "b", "f": "f", "finv": "f^{-1}",
    "pinv": "pinv",
    "A": "A", "B": "B", "X": "X", "kappa": r"\kappa", "epsilon": r"\varepsilon",
    "x_a": "x_a", "x_b": "x_b", "z_a": "z_a", "z_b": "z_b", "s": "s", "t": "t",
    "p": "p", "p_X": "p_X", "p_Z": "p_Z",
}

# A layer, `Linear` then an activation f, and its way back (x a column vector, as W @ x):
# W⁺, the pseudo-inverse, is W's left inverse when its columns are independent (W⁻¹ when W
# is square), so one equation covers square and expanding layers.
LAYER = [("y", "f(W @ x + b)")]
LAYER_INVERSE = [("x", "pinv(W) @ (finv(y) - b)")]
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
                    return rf"\log {argument}"  # TeX drops the space before \left|
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
                case "pinv", [matrix]:
                    return f"{matrix}^{{+}}"
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
    target = ast.parse(expression, mode="eval").body
    found = [node for pair in equations for side in pair
             for node in ast.walk(ast.parse(side, mode="eval"))
             if ast.dump(node) == ast.dump(target)]
    if not found:
        raise AssertionError(f"{expression!r} is in none of the checked equations")
    assert {ast.unparse(node) for node in found} == {ast.unparse(target)}, found
    return latex(expression, product)


def bayes_term(role: str) -> str:
    """The LaTeX of one probability of Bayes' rule (BAYES, evaluated), found by where it
    stands: the posterior is the left side; on the right, the likelihood is the one
    conditional probability, the prior the unconditional one multiplied by it, the
    evidence the divisor."""
    ((left, right),) = BAYES
    numerator = ast.parse(right, mode="eval").body.left  # (likelihood * prior) / evidence
    assert isinstance(numerator, ast.BinOp) and isinstance(numerator.op, ast.Mult)
    factors = [numerator.left, numerator.right]
    conditional = [f for f in factors if isinstance(f.args[0], ast.BinOp)]
    unconditional = [f for f in factors if not isinstance(f.args[0], ast.BinOp)]
    found = {
        "posterior": ast.parse(left, mode="eval").body,
        "likelihood": conditional[0] if len(conditional) == 1 else None,
        "prior": unconditional[0] if len(unconditional) == 1 else None,
        "evidence": ast.parse(right, mode="eval").body.right,
    }[role]
    assert found is not None, role
    return term(ast.unparse(found), BAYES, r"\,")


# Each activation's inverse as an expression (evaluated below against the library) and as
# the page prints it, with the range it is defined on; `a` is leaky ReLU's negative_slope
# and ELU's alpha.
INVERSES = {
    "tanh": ("0.5 * log((1 + y) / (1 - y))", r"\tfrac{1}{2}\ln\frac{1+y}{1-y}", "(−1, 1)"),
    "sigmoid": ("log(y / (1 - y))", r"\ln\frac{y}{1-y}", "(0, 1)"),
    "leaky ReLU": ("where(y >= 0, y, y / a)", r"y \text{ if } y \ge 0 \text{, else } y / a",
                   "all of ℝ"),
    "ELU": ("where(y > 0, y, log1p(y / a))",
            r"y \text{ if } y > 0 \text{, else } \ln(1 + y / a)", "(−a, ∞)"),
    "softplus": ("log(expm1(y))", r"\ln(e^y - 1)", "(0, ∞)"),
}
# How the page names PyTorch's module for each activation it discusses.
MODULES = {"tanh": "Tanh", "sigmoid": "Sigmoid", "leaky ReLU": "LeakyReLU", "ELU": "ELU",
           "softplus": "Softplus", "ReLU": "ReLU", "GELU": "GELU", "SiLU": "SiLU"}


def checked_inverse_table():
    """Each inverse formula undoes the activation and equals the library's inverse, and is
    infinite or NaN at the ends of its range; the activations without one are those the
    family check (snippets/inversion/injective.py) finds not one-to-one."""
    slope = exact_inverse.model[3].negative_slope
    alpha = 1.0
    z = torch.linspace(-5, 5, 101, dtype=torch.float64)
    F = torch.nn.functional
    forward = {
        "tanh": (torch.tanh, torch.atanh, "torch.atanh", "np.arctanh"),
        "sigmoid": (torch.sigmoid, torch.logit, "torch.logit", "np.log(y) - np.log1p(-y)"),
        "leaky ReLU": (lambda v: F.leaky_relu(v, slope), None,
                       "torch.where(y >= 0, y, y / a)", "np.where(y >= 0, y, y / a)"),
        "ELU": (lambda v: F.elu(v, alpha), None, "torch.where(y > 0, y, torch.log1p(y / a))",
                "np.where(y > 0, y, np.log1p(y / a))"),
        "softplus": (F.softplus, None, "torch.log(torch.expm1(y))", "np.log(np.expm1(y))"),
    }
    names = {"log": torch.log, "where": torch.where, "log1p": torch.log1p,
             "expm1": torch.expm1}
    rows = []
    for name, (expression, latex, domain) in INVERSES.items():
        activation, library_inverse, torch_name, numpy_name = forward[name]
        a = slope if name == "leaky ReLU" else alpha
        y = activation(z)
        ours = eval(expression, {"__builtins__": {}}, {**names, "y": y, "a": a})
        torch.testing.assert_close(ours, z, atol=1e-9, rtol=0)
        if library_inverse is not None:
            torch.testing.assert_close(library_inverse(y), ours, atol=1e-9, rtol=0)
        assert injective.verdicts[MODULES[name]] == "one-to-one"
        # The table's PyTorch and NumPy code, run as shown: each undoes the activation too.
        for shown, library, values in ((torch_name, {"torch": torch}, y), (numpy_name, {"np": np}, y.numpy())):
            found = eval(shown, {"__builtins__": {}}, {**library, "y": values, "a": a})
            found = found(values) if callable(found) else found  # a function's name: call it
            np.testing.assert_allclose(np.asarray(found), z.numpy(), atol=1e-9, rtol=0)
        rows.append([name, f"${latex}$", domain, code(torch_name), code(numpy_name)])
    # Domains: the inverse is finite inside and not at or beyond the ends.
    assert torch.atanh(torch.tensor([-1.0, 1.0])).isinf().all()
    assert torch.logit(torch.tensor([0.0, 1.0])).isinf().all()
    assert torch.log1p(torch.tensor([-alpha]) / alpha).isinf().all()  # ELU's end, -a
    assert torch.log(torch.expm1(torch.tensor([0.0]))).isinf().all()  # softplus's end, 0
    assert activations.relu_preimages_of_zero > 1
    rows.append(["ReLU", r"none: $y = 0$ comes from the inputs $\le 0$", "", "", ""])
    for name in ("GELU", "SiLU"):
        assert injective.verdicts[MODULES[name]].startswith("falls, then rises")
        low, high, value = injective.pairs[name.lower()]
        rows.append([name, f"none: {name.lower()}({low:g}) = {name.lower()}({high:.4f}) "
                           f"= {value:.4f}", "", "", ""])
    assert injective.verdicts[MODULES["ReLU"]].startswith("flat")
    return markdown_table(["activation", "inverse", "defined on", "PyTorch", "NumPy"], rows)


def qualified(function, module) -> str:
    """`torch.linalg.pinv`: the name under which `module` exports `function`, as code."""
    (name,) = [name for name, value in vars(module).items() if value is function]
    return code(f"{module.__name__}.{name}")


def inverse_range_ends() -> str:
    """Where the library's inverses of tanh and sigmoid stop: each undoes its activation,
    is finite inside the activation's range (INVERSES), infinite at its ends and NaN beyond
    them."""
    clauses = []
    for activation, inverse in ((torch.tanh, torch.atanh), (torch.sigmoid, torch.logit)):
        domain = INVERSES[activation.__name__][2]
        low, high = (float(end) for end in domain.replace("−", "-").strip("()").split(","))
        z = torch.linspace(-5, 5, 101, dtype=torch.float64)
        torch.testing.assert_close(inverse(activation(z)), z, atol=1e-9, rtol=0)
        inside = torch.linspace(low, high, 101, dtype=torch.float64)[1:-1]
        assert inverse(inside).isfinite().all()
        assert inverse(torch.tensor([low, high], dtype=torch.float64)).isinf().all()
        assert inverse(torch.tensor([low - 0.5, high + 0.5], dtype=torch.float64)).isnan().all()
        clauses.append((qualified(inverse, torch), domain))
    (tanh_inverse, tanh_domain), (sigmoid_inverse, sigmoid_domain) = clauses
    return (f"{tanh_inverse} is infinite at the ends of {tanh_domain} and NaN beyond them, "
            f"{sigmoid_inverse} likewise at the ends of {sigmoid_domain}")


def digits_undo_functions() -> tuple[str, str]:
    """What the digits snippet undoes its classifier with, each checked on the trained
    classifier: torch.logit undoes the sigmoid, and torch.linalg.pinv the layer (W times
    pinv(W) is the identity, so the layer maps pinv's answer back to the logits)."""
    W, b = digits_pinv.W.double(), digits_pinv.b.double()
    z = torch.linspace(-5, 5, 101, dtype=torch.float64)
    torch.testing.assert_close(torch.logit(torch.sigmoid(z)), z, atol=1e-9, rtol=0)
    logits = digits_pinv.images[:5].double() @ W.T + b
    undone = (torch.linalg.pinv(W) @ (logits - b).T).T
    torch.testing.assert_close(undone @ W.T + b, logits, atol=1e-9, rtol=0)
    torch.testing.assert_close(W @ torch.linalg.pinv(W), torch.eye(len(W), dtype=torch.float64),
                               atol=1e-9, rtol=0)
    return qualified(torch.logit, torch), qualified(torch.linalg.pinv, torch.linalg)


def torch_solve_call() -> tuple[str, str]:
    """What calling `torch.solve` does in the installed PyTorch: the exception it raises,
    not the AttributeError of a name that is gone, and the sentence of its message that
    names the replacement, both names resolved in torch (the replacement solves:
    checked_solve)."""
    try:
        torch.solve(torch.ones(2, 1), torch.eye(2))
    except Exception as error:  # the type is the fact
        raised = error
    else:
        raise AssertionError("torch.solve solved")
    assert not isinstance(raised, AttributeError)
    (replaced,) = re.findall(r"`[\w.]+` is deprecated in favor of `[\w.]+`", str(raised))
    old, new = (functools.reduce(getattr, name.split(".")[1:], torch)
                for name in re.findall(r"`(torch\.[\w.]+)`", replaced))
    assert old is torch.solve and new is torch.linalg.solve
    return code(type(raised).__name__), replaced


def solve_ex_return_flag() -> str:
    """The field of torch.linalg.solve_ex's result that flags a singular matrix: the
    snippet's singular W's index of its zero pivot, zero for the nearly singular W; the
    other field is the solution."""
    rhs = (linalg_solve.y - linalg_solve.b).T
    singular = torch.linalg.solve_ex(linalg_solve.W_singular, rhs)
    fields = [name for name in dir(singular)
              if not name.startswith("_") and any(getattr(singular, name) is part for part in singular)]
    (flag,) = [name for name in fields if getattr(singular, name).numel() == 1
               and getattr(singular, name).item() == linalg_solve.singular_info > 0]
    assert getattr(torch.linalg.solve_ex(linalg_solve.W_rank_2, rhs), flag).item() == 0
    (solution,) = set(fields) - {flag}
    torch.testing.assert_close(getattr(torch.linalg.solve_ex(linalg_solve.W, rhs), solution),
                               torch.linalg.solve(linalg_solve.W, rhs), atol=0, rtol=0)
    return code(flag)


def tape_methods() -> tuple[str, str]:
    """The two calls of the model.predict trap, run on the Keras snippet's model: `predict`
    returns a NumPy array, which a tape does not record, and the tape's `watch` makes it
    record a plain tensor, whose gradient is None without it."""
    import tensorflow as tf

    model = input_gradients_keras.model
    x = tf.constant(input_gradients_keras.images[input_gradients_keras.test][:2])
    predict = model.predict
    assert isinstance(predict(x, verbose=0), np.ndarray)
    with tf.GradientTape() as tape:
        unwatched = tf.reduce_max(model(x), axis=1)
    assert tape.gradient(unwatched, x) is None
    with tf.GradientTape() as tape:
        watch = tape.watch
        watch(x)
        watched = tf.reduce_max(model(x), axis=1)
    assert tape.gradient(watched, x) is not None
    return code(f"model.{predict.__name__}"), code(f"tape.{watch.__name__}")


def depth_stack_layers(limits) -> str:
    """The layers of the depth snippet's stacks, in the order each block applies them,
    read off a stack it builds (whose inverse, undone block by block, is the input)."""
    depth = 3
    with torch.random.fork_rng():  # the stack only: the global seed stays where it was
        stack = limits.tanh_stack(depth, 0)
    block = [type(layer) for layer in stack[:len(stack) // depth]]
    assert [type(layer) for layer in stack] == block * depth
    x = torch.linspace(-0.5, 0.5, limits.n, dtype=torch.float64)[None]
    with torch.no_grad():
        torch.testing.assert_close(limits.invert(stack, stack(x)), x, atol=1e-9, rtol=0)
    return " + ".join(code(layer.__name__) for layer in block)


VERDICT_WORDS = {  # how the page words each verdict of the family check
    "one-to-one": "one-to-one: invertible on its range",
    "flat: many inputs, one output": "not one-to-one: flat somewhere",
    "falls, then rises: two inputs per output": "not one-to-one: falls, then rises",
    "not element by element": "not element by element (a whole vector at once)",
    "needs arguments or a shape": "not checked: needs arguments or a particular shape",
}


def activation_family_table():
    """PyTorch's activation modules, grouped by what the family check found."""
    verdicts = injective.verdicts
    assert set(verdicts) == set(torch.nn.modules.activation.__all__)
    assert set(verdicts.values()) <= set(VERDICT_WORDS)
    rows, listed = [], []
    for verdict, words in VERDICT_WORDS.items():
        names = sorted(name for name, found in verdicts.items() if found == verdict)
        assert names, verdict
        rows.append([words, ", ".join(names)])
        listed += names
    assert sorted(listed) == sorted(verdicts)  # each module in one row: its own verdict's
    grid = injective.grid
    return markdown_table([f"on a grid from {grid.min():g} to {grid.max():g}", "modules"], rows)


# The papers the page cites: authors, title, arXiv identifier, venue and year. The year
# is checked against the identifier, which starts with the year and month of the preprint.
PAPERS = {
    "saliency": ("Simonyan, Vedaldi and Zisserman", "Deep Inside Convolutional Networks: "
                 "Visualising Image Classification Models and Saliency Maps", "1312.6034",
                 "ICLR workshop", 2014),
    "guided": ("Springenberg, Dosovitskiy, Brox and Riedmiller", "Striving for Simplicity: "
               "The All Convolutional Net", "1412.6806", "ICLR workshop", 2015),
    "gradient_input": ("Shrikumar, Greenside, Shcherbina and Kundaje", "Not Just a Black "
                       "Box: Learning Important Features Through Propagating Activation "
                       "Differences", "1605.01713", "arXiv", 2016),
    "integrated": ("Sundararajan, Taly and Yan", "Axiomatic Attribution for Deep Networks",
                   "1703.01365", "ICML", 2017),
    "grad_cam": ("Selvaraju et al.", "Grad-CAM: Visual Explanations from Deep Networks via "
                 "Gradient-based Localization", "1610.02391", "ICCV", 2017),
    "inverting": ("Mahendran and Vedaldi", "Understanding Deep Image Representations by "
                  "Inverting Them", "1412.0035", "CVPR", 2015),
    "decoder": ("Dosovitskiy and Brox", "Inverting Visual Representations with "
                "Convolutional Networks", "1506.02753", "CVPR", 2016),
    "nice": ("Dinh, Krueger and Bengio", "NICE: Non-linear Independent Components "
             "Estimation", "1410.8516", "ICLR workshop", 2015),
    "real_nvp": ("Dinh, Sohl-Dickstein and Bengio", "Density estimation using Real NVP",
                 "1605.08803", "ICLR", 2017),
    "glow": ("Kingma and Dhariwal", "Glow: Generative Flow with Invertible 1x1 "
             "Convolutions", "1807.03039", "NeurIPS", 2018),
    "revnet": ("Gomez, Ren, Urtasun and Grosse", "The Reversible Residual Network: "
               "Backpropagation Without Storing Activations", "1707.04585", "NeurIPS", 2017),
    "i_revnet": ("Jacobsen, Smeulders and Oyallon", "i-RevNet: Deep Invertible Networks",
                 "1802.07088", "ICLR", 2018),
    "i_resnet": ("Behrmann, Grathwohl, Chen, Duvenaud and Jacobsen", "Invertible Residual "
                 "Networks", "1811.00995", "ICML", 2019),
    "flows_review": ("Papamakarios et al.", "Normalizing Flows for Probabilistic Modeling "
                     "and Inference", "1912.02762", "JMLR", 2021),
    "vae": ("Kingma and Welling", "Auto-Encoding Variational Bayes", "1312.6114", "ICLR",
            2014),
    "elu": ("Clevert, Unterthiner and Hochreiter", "Fast and Accurate Deep Network Learning "
            "by Exponential Linear Units (ELUs)", "1511.07289", "ICLR", 2016),
    "gelu": ("Hendrycks and Gimpel", "Gaussian Error Linear Units (GELUs)", "1606.08415",
             "arXiv", 2016),
    "silu": ("Elfwing, Uchibe and Doya", "Sigmoid-Weighted Linear Units for Neural Network "
             "Function Approximation in Reinforcement Learning", "1702.03118",
             "Neural Networks", 2018),
}


# The papers the page names in a sentence; the sources list them all.
CITED_IN_PROSE = ("gradient_input", "inverting", "decoder", "nice", "real_nvp", "glow",
                  "revnet", "i_revnet", "i_resnet", "vae", "elu")
# The sources list, by topic.
TOPICS = {
    "Saliency and attribution": ("saliency", "gradient_input", "guided", "integrated",
                                 "grad_cam"),
    "Inverting representations": ("inverting", "decoder"),
    "Activations": ("elu", "gelu", "silu"),
    "Invertible networks and flows": ("nice", "real_nvp", "glow", "revnet", "i_revnet",
                                      "i_resnet", "flows_review"),
    "Variational autoencoders": ("vae",),
}


def checked_papers() -> dict[str, tuple]:
    """Each paper appeared in the year of its preprint or up to two years later."""
    for key, (authors, title, arxiv, venue, year) in PAPERS.items():
        preprint = 2000 + int(arxiv[:2])
        assert 0 <= year - preprint <= 2 and 1 <= int(arxiv[2:4]) <= 12, key
    return PAPERS


def cited(key: str) -> str:
    """"Kingma and Dhariwal, NeurIPS 2018": a paper named in a sentence."""
    authors, _, _, venue, year = checked_papers()[key]
    return f"{authors}, {venue} {year}"


def paper_references() -> str:
    """The page's papers as list items, a topic per item: each paper listed once."""
    listed = [key for keys in TOPICS.values() for key in keys]
    assert sorted(listed) == sorted(PAPERS)
    return "\n".join(f"- {topic}: " + "; ".join(reference(key) for key in keys) + "."
                     for topic, keys in TOPICS.items())


def reference(key: str) -> str:
    """A line of the page's sources: authors, the title linked to arXiv, venue and year."""
    authors, title, arxiv, venue, year = checked_papers()[key]
    return f"{authors}, [{title}](https://arxiv.org/abs/{arxiv}), {venue} {year}"


def scientific(value: float) -> str:
    """`4.2 × 10⁻¹²` style, as MathML-free text."""
    mantissa, exponent = f"{value:.1e}".split("e")
    superscript = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
    return f"{mantissa} × 10{str(int(exponent)).translate(superscript)}"


def power_of_ten_above(value: float) -> str:
    """The smallest power of ten above a rounding error, `10⁻⁹` for 3.1 × 10⁻¹⁰. The digits
    of such an error are not reproducible: LAPACK's least squares gave 3.0 and 3.1 × 10⁻¹⁰
    in two runs of the same seeded code (its blocking follows memory alignment), so the
    page states the bound, which holds in every run."""
    return power_of_ten(10.0 ** math.ceil(math.log10(value)))


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
    each with the inverse of its own activation; for the expanding layer of the injective
    snippet; and for every layer of its stack, one per one-to-one activation of PyTorch,
    inverted by bisection."""
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
        assert linear.in_features == linear.out_features  # square
    stack = list(zip(injective.model[::2], injective.model[1::2]))
    assert sorted(type(activation).__name__ for _, activation in stack) == injective.one_to_one
    layers = [(linear, activation, inverses[type(activation)](activation))
              for linear, activation in pairs]
    layers.append((injective.layer, injective.leaky, inverses[torch.nn.LeakyReLU](injective.leaky)))
    layers += [(linear, activation, functools.partial(injective.inverse_on_range, activation))
               for linear, activation in stack]
    assert injective.layer.out_features > injective.layer.in_features  # expanding
    for linear, activation, inverse in layers:
        x = torch.randn(linear.in_features, dtype=torch.float64, generator=generator)
        with torch.no_grad():
            y = activation(linear(x))
            names = {"f": activation, "finv": inverse, "W": linear.weight, "b": linear.bias,
                     "x": x, "y": y, "pinv": torch.linalg.pinv}
            assert largest_error(LAYER + LAYER_INVERSE, names) < 1e-9
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


def solve_matrix_index() -> int:
    """Where `torch.linalg.solve` takes the matrix A of A X = B: the position of A in the
    argument order that returns the X of A X = B (B is not square, so the other order
    raises). The signature its docstring opens with agrees."""
    A = linalg_solve.W.to(torch.float64)
    generator = torch.Generator().manual_seed(0)
    B = torch.randn(len(A), len(A) + 1, dtype=torch.float64, generator=generator)
    indices = []
    for arguments in ((A, B), (B, A)):
        try:
            X = torch.linalg.solve(*arguments)
        except RuntimeError:
            continue
        if largest_error(SOLVE, {"A": A, "B": B, "X": X}) < 1e-10:
            indices.append(next(i for i, argument in enumerate(arguments) if argument is A))
    (matrix_index,) = indices
    signature = torch.linalg.solve.__doc__.strip().splitlines()[0]
    assert signature.startswith("linalg.solve(")
    parameters = [name.strip() for name in signature.split("(", 1)[1].split(",")]
    assert parameters.index(SOLVE[0][0].split("@")[0].strip()) == matrix_index
    return matrix_index


def squeezed_axis_size() -> int:
    """The size of the axes `torch.squeeze` drops, read off a tensor with axes of several
    sizes: every axis of that size goes, including a lone sample's batch axis."""
    shape = (1, 3, 1, 2)
    squeezed = tuple(torch.squeeze(torch.ones(shape)).shape)
    dropped = [size for size in set(shape) if shape.count(size) > squeezed.count(size)]
    (size,) = dropped
    assert size not in squeezed and sorted(squeezed) == sorted(s for s in shape if s != size)
    lone_sample = torch.ones(size, 3)[..., None]  # the page's doctest: a batch of one
    assert torch.squeeze(lone_sample).shape == (3,)
    return size


def largest_singular_value(limits) -> int:
    """The singular values of the condition snippet's matrices run from this value down to
    it over κ: the largest is it for every κ, the smallest is it over κ (checked where
    float64's SVD resolves the smallest, κ up to 10⁶)."""
    largest = set()
    for condition in limits.conditions:
        values = torch.linalg.svdvals(limits.matrix_with_condition(condition))
        largest.add(round(values.max().item()))
        assert abs(values.max().item() - round(values.max().item())) < 1e-12
        if condition <= 1e6:
            assert abs(values.min().item() * condition / values.max().item() - 1) < 1e-6
    (value,) = largest
    return value


def tanh_rounds_to(limits) -> int:
    """What tanh rounds to past the saturation point the snippet finds, in each precision:
    a whole number, whose atanh is infinite."""
    values = set()
    for dtype, z in limits.pre_activations.items():
        values.update(torch.tanh(z[z >= limits.tanh_is_one_from[dtype]]).unique().tolist())
    (value,) = values
    assert value == int(value) and torch.atanh(torch.tensor(value)).isinf()
    return int(value)


def contraction_bound() -> int:
    """The Lipschitz bound under which i-ResNet's fixed-point iteration converges: a
    contraction's constant is below the identity's. Each Linear layer of the snippet's g
    has a spectral norm below it, ELU's slope does not exceed it, and g shrinks distances
    between random points by less than it."""
    identity = torch.eye(4, dtype=torch.float64)
    bound = round(torch.linalg.matrix_norm(identity, ord=2).item())
    g = architectures.g
    norms = [torch.linalg.matrix_norm(layer.weight, ord=2).item()
             for layer in g if isinstance(layer, torch.nn.Linear)]
    assert norms and all(norm < bound for norm in norms)
    grid = torch.linspace(-5, 5, 1001, dtype=torch.float64, requires_grad=True)
    (elu_slope,) = torch.autograd.grad(torch.nn.functional.elu(grid).sum(), grid)
    assert elu_slope.max().item() <= bound
    generator = torch.Generator().manual_seed(0)
    a, b = (torch.randn(100, 4, dtype=torch.float64, generator=generator) for _ in range(2))
    with torch.no_grad():
        ratios = (g(a) - g(b)).norm(dim=1) / (a - b).norm(dim=1)
    assert ratios.max().item() < math.prod(norms) < bound
    assert architectures.iresnet_error < 1e-12  # so the iteration converged
    return bound


def checked_condition_bound():
    """The measured relative error stays below four times κε at every condition number,
    and, until it nears one, above a hundredth of it: it grows in proportion to κε."""
    limits = numerical_limits
    for dtype in limits.dtypes:
        for kappa, error in zip(limits.conditions, limits.condition_errors[dtype]):
            bound = evaluate(CONDITION_BOUND, {"kappa": kappa, "epsilon": limits.epsilon[dtype]})
            assert error <= 4 * bound
            if error < 0.1:
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


class Scientific(Spread):
    """A spread whose values are written `1.7 × 10⁻³`."""

    def written(self, value: float) -> str:
        return scientific(value)


def scientific_spread(spread: Spread) -> Scientific:
    return Scientific(spread.values, spread.seeds, spread.style)


class Percent(Spread):
    """A spread of shares written as percentages, `89 %`; `style` formats the number."""

    def written(self, value: float) -> str:
        return f"{self.style.format(100 * value)} %"


def percent_spread(spread: Spread, style: str = "{:.0f}") -> Percent:
    return Percent(spread.values, spread.seeds, style)


def shown_or_measured(seed: int, shown, measure):
    """The page's own run for seed 0 (the snippet ran it), `measure(seed)` for the others."""
    return shown if seed == 0 else measure(seed)


@functools.cache
def exact_run(seed: int) -> dict:
    """The exact-inversion model drawn with `seed`: its float32 errors and slopes
    (exact_inverse.two_effects), its condition numbers and its largest input."""
    model, x = exact_inverse.build(seed)
    return {**exact_inverse.two_effects(model, x),
            "conditions": [torch.linalg.cond(layer.weight).item() for layer in model[::2]],
            "largest input": x.abs().max().item(),
            "leaky gain": 1 / model[3].negative_slope}


@functools.cache
def digits_run(seed: int) -> dict:
    """The sigmoid classifier on the split and initial weights of `seed`: its accuracy, and
    what pinv, a random and a PCA subspace of the same size miss."""
    model, train, test, accuracy = digits_pinv.train_classifier(seed)
    return {"accuracy": accuracy, **digits_pinv.subspace_misses(model, train, test, seed)}


@functools.cache
def features_run(seed: int) -> dict:
    """What the three reconstructions from hidden features miss, for `seed`."""
    return shown_or_measured(seed, from_features.misses, from_features.reconstructions)


def make_facts() -> dict[str, str | int]:
    limits = numerical_limits
    float32, float64 = torch.float32, torch.float64
    images, pixels = digits_pinv.images, digits_pinv.images.shape[1]
    side = math.isqrt(pixels)
    classes_in_data = len(torch.unique(digits_pinv.labels))
    assert side * side == pixels and digits_pinv.W.shape == (classes_in_data, pixels)
    classes = digits_pinv.W.shape[0]
    hidden = input_gradients.model[0].out_features
    assert input_gradients_keras.model.layers[0].units == hidden
    train_size = len(digits_pinv.train)
    keras_slope = exact_inverse_keras.applied_slope

    # The exact-inversion network, and how far float32 gets on it, over SEEDS draws of its
    # weights and inputs: the solves alone, and with the activations' inverses.
    width = exact_inverse.n
    linear_layers = [layer for layer in exact_inverse.model if isinstance(layer, torch.nn.Linear)]
    assert all(layer.weight.shape == (width, width) for layer in linear_layers)
    assert exact_inverse_numpy.n == exact_inverse_keras.n == width
    assert len(exact_inverse.condition_numbers) == len(linear_layers)
    leaky_gain = 1 / exact_inverse.model[3].negative_slope
    eps32 = torch.finfo(torch.float32).eps
    for seed in SEEDS:
        run = exact_run(seed)
        amplification = eps32 * math.prod(run["conditions"]) * run["largest input"]
        # The solves stay within ε times the product of the condition numbers...
        assert run["solves only"] <= amplification
        # ...and the whole inverse within that times the activations' inverse slopes.
        slopes = run["leaky gain"] * run["atanh slope"] * run["logit slope"]
        assert run["with activations"] <= amplification * slopes
        assert run["with activations"] > 10 * run["solves only"]  # the activations add most
    assert exact_run(0)["with activations"] == exact_inverse.float32_error_full
    float32_error = scientific_spread(
        over_seeds(lambda seed: exact_run(seed)["with activations"], SEEDS))
    solves_only_error = scientific_spread(
        over_seeds(lambda seed: exact_run(seed)["solves only"], SEEDS))
    activation_error_ratio = over_seeds(
        lambda seed: exact_run(seed)["with activations"] / exact_run(seed)["solves only"],
        SEEDS, "{:.0f}×")
    assert activation_error_ratio.low > 10
    assert float32_error.low > 1e3 * exact_inverse.float64_error  # float32 loses far more
    assert solves_only_error.median < float32_error.median / 10
    assert leaky_gain > 1  # undoing leaky ReLU amplifies the negative side
    atanh_slope = over_seeds(lambda seed: exact_run(seed)["atanh slope"], SEEDS, "{:.1f}")
    logit_slope = over_seeds(lambda seed: exact_run(seed)["logit slope"], SEEDS, "{:.1f}")
    assert atanh_slope.low > 1 and logit_slope.low >= 4  # logit's slope is 4 at y = 1/2
    # atanh's slope near one: the snippet's largest, at 1 - 10⁻⁷.
    steepest_atanh = exact_inverse.slope[-1].item()
    assert steepest_atanh > 1e6

    # W has full row rank, so the inputs it cannot see form a (pixels - classes) space.
    assert torch.linalg.matrix_rank(digits_pinv.W).item() == classes
    null_dimensions = pixels - torch.linalg.matrix_rank(digits_pinv.W).item()  # rank–nullity
    assert null_dimensions == pixels - classes > 0
    # The page: trained on train_size images picked at random, scored on the other test_size.
    test_size = len(images) - train_size
    assert test_size == len(digits_pinv.test) > 0
    # The toy layer: inputs, outputs and the null space the snippet builds.
    toy_outputs, toy_inputs = not_invertible.W.shape
    toy_null = not_invertible.null_space.shape[0]
    assert toy_null == toy_inputs - toy_outputs == toy_inputs - torch.linalg.matrix_rank(
        torch.tensor(not_invertible.W)).item()

    # Depth: the first depth whose recovered x holds a NaN, over the snippet's seeds.
    nan_depth = {dtype: over_seeds(lambda seed, dtype=dtype: limits.first_nan[seed][dtype],
                                   limits.seeds, "{:d}")
                 for dtype in (float64, float32)}
    assert nan_depth[float32].high < nan_depth[float64].low  # float32 breaks first, in every stack
    deepest_finite = limits.deepest_finite
    assert deepest_finite == nan_depth[float32].low - 1 > 0
    depth_error = scientific_spread(over_seeds(
        lambda seed: limits.errors_by_seed[seed][float32][deepest_finite - 1], limits.seeds))
    assert depth_error.low > 1e-5 > max(errors[float32][0] for errors in limits.errors_by_seed)

    # Saliency: images whose largest gradient sits on a blank pixel.
    saliency_digits = len(input_gradients.x)
    # Gradient times input on the blank pixels of those images.
    blank_pixels = input_gradients.x.detach() == 0
    assert blank_pixels.any()
    blank_attribution = input_gradients.gradient_times_input[blank_pixels].abs().max().item()
    assert blank_attribution == 0
    # Two starts, two answers the network scores alike.
    starts = list(input_gradients.starts)
    assert len(input_gradients.answers) == len(starts)

    layer_equation, inverse_equation = checked_layers()
    solve_equation, solve_right_equation = checked_solve()
    # The statistics the page names, from the functions that compute them.
    missed_statistic = torch.median
    missed = digits_pinv.missed
    assert missed_statistic(missed).item() == digits_pinv.pinv_relative_error
    assert len(missed) == len(digits_pinv.test)
    assert digits_run(0)["pinv"] == digits_pinv.misses["pinv"]  # seed 0 is the page's run

    # The digits classifier, pinv, and subspaces of its size, over SEEDS splits.
    pinv_accuracy = percent_spread(over_seeds(lambda seed: digits_run(seed)["accuracy"], SEEDS))
    pinv_missed = percent_spread(over_seeds(lambda seed: digits_run(seed)["pinv"], SEEDS))
    random_missed = percent_spread(over_seeds(lambda seed: digits_run(seed)["random"], SEEDS))
    pca_missed = percent_spread(over_seeds(lambda seed: digits_run(seed)["PCA"], SEEDS))
    assert pinv_accuracy.low > 0.85
    assert pinv_missed.low > 0.5  # pinv is far from the digit in every split...
    assert 0.9 < pinv_missed.median / random_missed.median < 1.1  # ...as a random one is
    assert pca_missed.high < pinv_missed.low / 2  # ...and PCA keeps far more
    for seed in SEEDS:
        run = digits_run(seed)
        assert 0.9 < run["pinv"] / run["random"] < 1.1  # about as much as a random subspace
        assert run["PCA"] < run["pinv"] / 2  # far less than the images' own directions
    mlp_accuracy = percent_spread(over_seeds(lambda seed: shown_or_measured(
        seed, input_gradients.accuracy, lambda s: input_gradients.train_classifier(s)[3]),
        SEEDS))
    keras_accuracy = percent_spread(over_seeds(lambda seed: shown_or_measured(
        seed, input_gradients_keras.accuracy,
        lambda s: input_gradients_keras.train_classifier(s)[3]), SEEDS))
    assert mlp_accuracy.low > 0.85 and keras_accuracy.low > 0.85
    # Seed 0's value is the snippet's own run; the others are measured. Five splits and
    # initialisations giving one value to the last bit would mean no seed but 0 was run.
    assert len(set(mlp_accuracy.values)) > 1 and len(set(keras_accuracy.values)) > 1

    # Back from the hidden layer's features, over SEEDS splits and initial weights.
    feature_ways = list(from_features.misses)
    feature_misses = {way: percent_spread(over_seeds(
        lambda seed, way=way: features_run(seed)[way], SEEDS), "{:.1f}")
        for way in feature_ways}
    assert all(len(set(spread.values)) > 1 for spread in feature_misses.values())
    assert feature_misses["Gaussian prior"].high < feature_misses["minimum norm"].low / 2
    assert feature_misses["trained decoder"].high < feature_misses["minimum norm"].low / 2
    for seed in SEEDS:
        run = features_run(seed)
        assert run["Gaussian prior"] < run["minimum norm"] / 2
        assert run["trained decoder"] < run["minimum norm"] / 2
    # `reconstructions` compares these ways back, in every split.
    compared_reconstructions = len(feature_ways)
    assert all(set(features_run(seed)) == set(feature_ways) for seed in SEEDS)
    feature_null = pixels - hidden  # the inputs the hidden layer's Linear maps to zero
    assert feature_null == pixels - torch.linalg.matrix_rank(input_gradients.model[0].weight).item()

    # torch.linalg.solve's silent answer for a square batch, over SEEDS layers and batches.
    square_trap_error = over_seeds(linalg_solve.square_trap_error, SEEDS, "{:.1f}")
    assert square_trap_error.low > 1e-3  # wrong, and by far, in every draw
    # np.linalg.solve's right-hand sides: its argument `b`, read column by column. Passed
    # at b's position, the transposed batch solves to the transposed inputs.
    numpy_rhs_index = list(inspect.signature(np.linalg.solve).parameters).index("b")
    rhs_columns = (linalg_solve.y - linalg_solve.b).T.double().numpy()
    numpy_solve_arguments = [rhs_columns if position == numpy_rhs_index
                             else linalg_solve.W.double().numpy() for position in range(2)]
    numpy_rhs_solved = np.linalg.solve(*numpy_solve_arguments)
    np.testing.assert_allclose(numpy_rhs_solved, linalg_solve.x.T.double().numpy(),
                               atol=1e-5, rtol=0)
    # solve_ex's info: the 1-based index of the pivot LU found exactly zero, and 0 when
    # there is none, as for the nearly singular matrix.
    singular_lu, _, lu_info = torch.linalg.lu_factor_ex(linalg_solve.W_singular)
    assert lu_info.item() == linalg_solve.singular_info > 0
    singular_pivot = singular_lu.diagonal()[linalg_solve.singular_info - 1].item()
    assert singular_pivot == 0
    # info counts its pivots from this: the first exactly zero pivot of the LU is
    # singular_info minus it, 0-based.
    zero_pivots = (singular_lu.diagonal() == 0).nonzero().flatten().tolist()
    info_counted_from = linalg_solve.singular_info - zero_pivots[0]
    assert singular_lu.diagonal()[linalg_solve.singular_info - info_counted_from].item() == 0
    nearly_singular_info = torch.linalg.solve_ex(
        linalg_solve.W_rank_2, (linalg_solve.y - linalg_solve.b).T).info.item()
    assert nearly_singular_info == 0

    # One-to-one layers that are not bijections, and the activation family.
    expanding_in, expanding_out = injective.layer.in_features, injective.layer.out_features
    assert expanding_out > expanding_in
    assert injective.relu_layer.out_features == 2 * injective.relu_layer.in_features
    assert max(injective.expanding_error, injective.relu_pair_error) < 1e-12
    assert injective.stack_error < 1e-8
    one_to_one = injective.one_to_one
    assert len(injective.model) == 2 * len(one_to_one)
    # ReLU gives every negative input the same output; GELU and SiLU dip below it.
    relu_of_negatives_values = activations.relu[activations.z < 0].unique().tolist()
    assert relu_of_negatives_values == [0]
    relu_of_negatives = relu_of_negatives_values[0]
    for dipping in (torch.nn.functional.gelu, torch.nn.functional.silu):
        assert dipping(injective.grid).min().item() < relu_of_negatives  # a negative minimum
    # PReLU, over a range of slopes: one-to-one exactly when its slope is above the largest
    # slope at which it is not.
    with torch.no_grad():
        prelu_rises = {slope: bool((torch.nn.PReLU(init=slope).to(torch.float64)(
            injective.grid).diff() > 0).all()) for slope in (-0.5, -0.25, 0.0, 0.25, 0.5)}
    prelu_flat_slope = max(slope for slope, rises in prelu_rises.items() if not rises)
    assert prelu_flat_slope == 0
    assert all(rises == (slope > prelu_flat_slope) for slope, rises in prelu_rises.items())

    # torch.solve in older releases, read from those releases.
    solve_removed = _releases.torch_solve_removed()

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
    architecture_errors = {"NICE": architectures.nice_error, "Glow": architectures.glow_error,
                           "i-ResNet": architectures.iresnet_error}
    assert max(architecture_errors.values()) < 1e-12
    unshuffled = torch.nn.functional.pixel_shuffle(architectures.down, 2)
    assert torch.equal(unshuffled, architectures.image)  # i-RevNet's downsampling: exact
    activation_table = checked_inverse_table()
    coupling_equations = checked_coupling()
    exact_network = f"{count_word(len(linear_layers), 'square layer')} of width {width}"
    remaining_images = counted(test_size, "held-out image")
    label_target = (f"{digits_pinv.wanted.max().item():.2f} for the class, "
                    f"{digits_pinv.wanted.min().item():.2f} elsewhere")
    feature_sizes = f"{counted(pixels, 'pixel')} to {hidden} tanh features"
    torch_solve_raise, torch_solve_message = torch_solve_call()
    sigmoid_undo_function, layer_inverse_function = digits_undo_functions()
    numpy_array_method, plain_tensor_method = tape_methods()
    return {
        "activation_table": activation_table,
        "inverse_range_ends": inverse_range_ends(),
        "sigmoid_undo_function": sigmoid_undo_function,
        "layer_inverse_function": layer_inverse_function,
        "torch_solve_raise": torch_solve_raise,
        "torch_solve_message": torch_solve_message,
        "solve_ex_return_flag": solve_ex_return_flag(),
        "numpy_array_method": numpy_array_method,
        "plain_tensor_method": plain_tensor_method,
        "depth_stack_layers": depth_stack_layers(limits),
        "activation_family_table": activation_family_table(),
        "one_to_one_count": count_word(len(one_to_one), "module"),
        "layer_equation": layer_equation,
        "inverse_equation": inverse_equation,
        "solve_equation": solve_equation,
        "solve_right_equation": solve_right_equation,
        "condition_bound": checked_condition_bound(),
        "coupling_equations": coupling_equations,
        "kept_half_equation": equation(COUPLING[:1]),
        "coupling_log_det": equation(COUPLING_LOG_DET),
        "change_of_variables": checked_change_of_variables(),
        "bayes_rule": checked_bayes(),
        "prior_term": bayes_term("prior"),
        "likelihood_term": bayes_term("likelihood"),
        "posterior_term": bayes_term("posterior"),
        "start_images": " and from one of a ".join(map(str, starts)),
        "atanh_domain": INVERSES["tanh"][2],
        "exact_network": exact_network,
        "exact_errors": per_precision({float64: scientific(exact_inverse.float64_error),
                                       float32: float32_error}),
        "exact_float64_error": scientific(exact_inverse.float64_error),
        "exact_float32_error": str(float32_error),
        "solves_only_error": str(solves_only_error),
        "activation_error_ratio": str(activation_error_ratio),
        "inverse_slopes": f"{leaky_gain:g} on leaky ReLU's negative side (the inverse of "
                          f"its `negative_slope`) and, at the steepest point of the batch, "
                          f"{atanh_slope} for atanh and {logit_slope} for logit",
        "steepest_atanh": f"{scientific(steepest_atanh)} at {scientific(1 - exact_inverse.near_one[-1].item())} from one",
        "exact_numpy_error": scientific(exact_inverse_numpy.float64_error),
        "exact_keras_error": scientific(exact_inverse_keras.float64_error),
        "condition_numbers": f"{', '.join(conditions[:-1])} and {conditions[-1]}",
        "keras_applied_slope": repr(keras_slope),
        "square_trap_error": str(square_trap_error),
        "singular_info": linalg_solve.singular_info,
        "numpy_rhs_position": ordinal_word(numpy_rhs_index, "argument"),
        "singular_pivot_word": count_word(singular_pivot),
        "counted_from_word": count_word(info_counted_from),
        "solve_matrix_position": ordinal_word(solve_matrix_index()),
        "squeezed_axis_size_word": count_word(squeezed_axis_size()),
        "nearly_singular_info_word": count_word(nearly_singular_info),
        "nearly_singular_condition":
            f"condition number {scientific(linalg_solve.nearly_singular_condition)}",
        "nearly_singular_largest": scientific(linalg_solve.nearly_singular_largest),
        "torch_solve_removed": solve_removed.release,
        "torch_solve_last": solve_removed.before.release,
        "torch_solve_where": code(solve_removed.where),
        "limits_width": limits.n,
        "epsilon_float32": scientific(limits.epsilon[float32]),
        "epsilons": per_precision({dtype: scientific(limits.epsilon[dtype])
                                   for dtype in (float32, float64)}),
        "lost_float32": f"{power_of_ten(limits.lost_float32)}, where its relative error "
                        f"passes {limits.lost_level:g}",
        "lost_float64": power_of_ten(limits.lost_float64),
        "nan_depth_float32": str(nan_depth[float32]),
        "nan_depths": per_precision(nan_depth),
        "depth_seeds": counted(len(limits.seeds), "stack"),
        "deepest_finite_depth": counted(deepest_finite, "layer"),
        "relative_error_float32": str(depth_error),
        "largest_singular_value_word": count_word(largest_singular_value(limits)),
        "tanh_rounds_to_word": count_word(tanh_rounds_to(limits)),
        "tanh_one": per_precision({dtype: f"{limits.tanh_is_one_from[dtype]:.1f}"
                                   for dtype in (float32, float64)}),
        "toy_layer_sizes": f"from {count_word(toy_inputs, 'input')} to "
                           f"{count_word(toy_outputs, 'output')}",
        "toy_null_space": f"{count_word(toy_null)}-dimensional",
        "mnist_pixels": MNIST_PIXELS,
        "digits_images": f"{counted(len(images), 'image')} of {side}×{side} pixels",
        "pixels_to_classes": f"{counted(pixels, 'pixel')} to {classes} classes",
        "digits_train": counted(train_size, "image"),
        "remaining_images": remaining_images,
        "digits_null": null_dimensions,
        "pinv_accuracy": str(pinv_accuracy),
        "pinv_missed": f"{pinv_missed} of each held-out image's norm "
                       f"(the {missed_statistic.__name__} image of each split)",
        "random_missed": str(random_missed),
        "pca_missed": str(pca_missed),
        "label_target": label_target,
        "lowest_negative_pixel": f"{digits_pinv.from_label_pixel_range[0]:.2f}",
        "hidden_units": hidden,
        "mlp_held_out_accuracy": str(mlp_accuracy),
        "keras_accuracy": str(keras_accuracy),
        "feature_null": feature_null,
        "feature_sizes": feature_sizes,
        "minimum_norm_missed": str(feature_misses["minimum norm"]),
        "prior_missed": str(feature_misses["Gaussian prior"]),
        "decoder_missed": str(feature_misses["trained decoder"]),
        "compared_reconstructions_count": count_word(compared_reconstructions),
        "largest_on_blank": f"{input_gradients.largest_on_blank} of these "
                            f"{counted(saliency_digits, 'digit')}",
        "saliency_digits": saliency_digits,
        "target_class": input_gradients.target,
        "best_probability": "probability "
        f"{input_gradients.probabilities[0, input_gradients.target].item():.3f}",
        "best_max_pixel": f"{input_gradients.x_best.max().item():.2f}",
        "free_pixel_range": " to ".join(f"{v:.1f}" for v in input_gradients.free_pixel_range),
        "expanding_layer": f"`Linear({expanding_in}, {expanding_out})`",
        "expanding_error": power_of_ten_above(injective.expanding_error),
        "relu_pair_error": power_of_ten_above(injective.relu_pair_error),
        "stack_error": power_of_ten_above(injective.stack_error),
        "relu_of_negatives_word": count_word(relu_of_negatives),
        "prelu_flat_slope_word": count_word(prelu_flat_slope),
        "blank_attribution_word": count_word(blank_attribution),
        "architecture_errors": ", ".join(f"{scientific(error)} for {name}"
                                         for name, error in architecture_errors.items())
                               + ", and bit for bit for i-RevNet's downsampling",
        "flow_layers": len(coupling_flow.flow.layers),
        "contraction_bound_word": count_word(contraction_bound()),
        "log_likelihoods": f"a {likelihood_statistic.__name__} of " + ", against ".join(
            f"{value:.2f} for {name}" for name, value in flow_likelihoods.items()),
        "flow_round_trip": per_precision({
            float32: scientific(coupling_flow.round_trip_error),
            float64: scientific(coupling_flow.round_trip_error_float64)}),
        "flow_density_mass": f"{coupling_flow.density_mass:.4f}",
        "glow_kernel": "×".join(map(str, architectures.conv.kernel_size)),
        **{f"{key}_cited": cited(key) for key in CITED_IN_PROSE},
        "gelu_and_silu": f"GELU ({cited('gelu')}) and SiLU ({cited('silu')})",
        "attribution_methods": f"Guided backpropagation ({cited('guided')}), integrated "
                               f"gradients ({cited('integrated')}) and Grad-CAM "
                               f"({cited('grad_cam')})",
        "paper_references": paper_references(),
    }
