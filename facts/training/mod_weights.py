"""Facts on the mod-weights page: the experiment's accuracies, shares and gradients as their
spread over the seeds, which cause of the kernel variant's failure matters, the gradients.

Every number comes from the cached experiment (results/training/mod_weights.py) or from the
snippets, which assert what TensorFlow and PyTorch return. A number measured on the runs is
shown as its median and range over the seeds (facts/_spread.py). The derivatives of w mod m
the page shows are Python expressions evaluated here with PyTorch's and TensorFlow's
autodiff and rendered to LaTeX from the same syntax tree. The values the page states in
words (the bound w mod m lies above, the bias it starts from, the one class a NaN MLP
predicts, the layer the sawtooth figure moves) are computed here from the layers, the mod
functions and the figure they describe, and spelled by facts/_words.py.
"""
import ast
import collections
import functools
import inspect
import math
import statistics

import keras
import numpy as np
import tensorflow as tf
import torch
from keras import ops

from diagrams.training import fig_sawtooth
from engine.results import load
from facts._spread import over_seeds
from facts._tables import code, markdown_table
from facts._words import count_word, ordinal_word
from results.training import mod_weights
from snippets.training import (
    bounded_weights_torch, mod_experiment, mod_gradients_tf, mod_gradients_torch, mod_layers,
)
from snippets.training.mod_layers import LABELS, VARIANTS, BiasModDense, KernelModDense

# The TensorFlow issue that reported "gradient registry has no entry for: FloorMod"
# (tensorflow/tensorflow#13933, filed in 2017), typed here once.
FLOORMOD_ISSUE_YEAR = 2017
# A variant learns when each seed ends within LEARNS of the Dense MLP's median accuracy with
# the same optimizer, and fails when each seed ends below FAILS of it.
LEARNS, FAILS = 0.9, 0.5
AGGREGATE = statistics.median  # over the seeds, for every measured number the page quotes
TAIL = (10, 100)  # the page quotes the share of |floor(w/m)| at or above each of these
PERCENT = "{:.0f} %"  # a share, given in percent
# Which cause each variant of the experiment removes (the layers' snippet proves it: m not
# trained has no tail, the centred kernel takes either sign, the folded one never jumps).
REMOVED = {"kernel_mod": "— (all three remain)", "straight_through": "the heavy tail of m's gradient",
           "centred": "the sign of m", "folded": "the jumps by m"}
# The page's first table: Dense and its bias variants, the question's kernel, replacements.
MAIN_ROWS = ("dense", "no_bias", "bias_mod", "kernel_mod", "sigmoid", "clipped")

# The derivatives of w mod m, away from the multiples of m: (derivative, its value).
DERIVATIVES = [("grad(mod(w, m), w)", "1"), ("grad(mod(w, m), m)", "-floor(w / m)")]
# The kernels of the layers that remove one cause each, as the page writes them; each is
# evaluated against the layer's own effective() below. The centred one lies between BOUNDS.
KERNELS = {"centred": "mod(w + m / 2, m) - m / 2", "folded": "m * (1 - abs(mod(w / m, 2) - 1))"}
BOUNDS = ("-m / 2", "m / 2")
# Where the page says what lies between m and another bound: m of both signs, and w or b on a
# grid that holds zero and multiples of m.
SIGNED_M = (0.3, -0.3)
GRID = np.arange(-200, 201, dtype="float32") / 100
# The w of the page's NonNeg doctest.
NONNEG_EXAMPLE = [[3.0, -0.5], [4.0, 0.5]]
# The mod functions of the page's sign-conventions doctest, as a reader calls them, and the
# modules those names start with.
MOD_FUNCTIONS = ("math.fmod", "np.fmod", "torch.fmod", "tf.truncatemod", "tf.math.floormod",
                 "torch.remainder", "np.mod")
MODULES = {"math": math, "np": np, "torch": torch, "tf": tf}


def latex(expression: str) -> str:
    """`grad(mod(w, m), m)` -> `\\frac{\\partial (w \\bmod m)}{\\partial m}`."""
    return _latex(ast.parse(expression, mode="eval").body)


def _grouped(node) -> str:
    """A sum or difference inside a product or a mod, in parentheses."""
    text = _latex(node)
    is_sum = isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub))
    return rf"\left({text}\right)" if is_sum else text


def _latex(node) -> str:
    match node:
        case ast.Name(id=("w" | "m") as name):
            return name
        case ast.Constant(value=value):
            return f"{value:g}"
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return "-" + _latex(operand)
        case ast.BinOp(left=left, op=ast.Div(), right=right):
            return rf"\frac{{{_latex(left)}}}{{{_latex(right)}}}"
        case ast.BinOp(left=left, op=ast.Add(), right=right):
            return f"{_latex(left)} + {_latex(right)}"
        case ast.BinOp(left=left, op=ast.Sub(), right=right):
            return f"{_latex(left)} - {_grouped(right)}"
        case ast.BinOp(left=left, op=ast.Mult(), right=right):
            return rf"{_grouped(left)} \cdot {_grouped(right)}"
        case ast.Call(func=ast.Name(id="abs"), args=[argument]):
            return rf"\left| {_latex(argument)} \right|"
        case ast.Call(func=ast.Name(id="mod"), args=[dividend, divisor]):
            return rf"{_grouped(dividend)} \bmod {_grouped(divisor)}"
        case ast.Call(func=ast.Name(id="floor"), args=[argument]):
            return rf"\left\lfloor {_latex(argument)} \right\rfloor"
        case ast.Call(func=ast.Name(id="grad"), args=[function, variable]):
            return rf"\frac{{\partial ({_latex(function)})}}{{\partial {_latex(variable)}}}"
    raise ValueError(f"no LaTeX for {ast.unparse(node)!r}")


def evaluate(expression: str, names: dict):
    return eval(compile(expression, "<derivative>", "eval"), {"__builtins__": {}}, names)


def checked_derivatives() -> str:
    """Each derivative, as PyTorch (torch.remainder) and TensorFlow (tf.math.floormod, the op
    behind keras.ops.mod) compute it at the gradient snippets' points, equals its value."""
    w, m = mod_gradients_torch.w, mod_gradients_torch.m
    names = {"w": w, "m": m, "mod": torch.remainder, "floor": torch.floor,
             "grad": lambda y, x: torch.autograd.grad(y.sum(), x)[0]}
    for derivative, value in DERIVATIVES:
        computed, expected = evaluate(derivative, names), evaluate(value, names)
        np.testing.assert_array_equal(computed.numpy(),
                                      np.broadcast_to(torch.as_tensor(expected).detach(), w.shape))
    w, m = mod_gradients_tf.w, mod_gradients_tf.m
    for derivative, value in DERIVATIVES:
        with tf.GradientTape() as tape:
            names = {"w": w, "m": m, "mod": tf.math.floormod, "floor": tf.floor,
                     "grad": lambda y, x: tape.gradient(y, x)}
            computed = evaluate(derivative, names)
        expected = evaluate(value, names)
        np.testing.assert_array_equal(computed.numpy(), np.broadcast_to(expected, w.shape))
    return r", \qquad ".join(f"{latex(derivative)} = {latex(value)}"
                              for derivative, value in DERIVATIVES)


def checked_kernels() -> dict[str, str]:
    """Each KERNELS formula, evaluated with NumPy at a grid of w for m of both signs, equals
    the layer's own effective() kernel; the centred one lies between BOUNDS. LaTeX for each."""
    w = np.linspace(-2, 2, 401, dtype="float32")[:, None]
    for m_value in (0.3, -0.3):
        m = np.full_like(w, m_value)
        names = {"w": w, "m": m, "mod": np.mod, "abs": np.abs}
        for variant, formula in KERNELS.items():
            layer = VARIANTS[variant](1)
            layer.build((None, len(w)))
            layer.w.assign(w)
            layer.m.assign(m)
            np.testing.assert_allclose(np.asarray(layer.effective()[0]), evaluate(formula, names),
                                       atol=1e-6)
        low, high = sorted(evaluate(bound, names)[0, 0] for bound in BOUNDS)
        centred = evaluate(KERNELS["centred"], names)
        assert np.all((low <= centred) & (centred <= high))
    return {variant: latex(formula) for variant, formula in KERNELS.items()}


def bound_besides_m(values, m: float) -> float:
    """Values that lie between m and another bound, which they reach: that bound."""
    values, m = np.asarray(values).ravel(), np.float32(m)
    assert np.all(np.isfinite(values))
    if m > 0:
        assert values.max() <= m
        return float(values.min())
    assert values.min() >= m
    return float(values.max())


def shared_bound(values_for) -> float:
    """The bound besides m that values_for(m) reach, one for m of either sign."""
    (bound,) = {bound_besides_m(values_for(m), m) for m in SIGNED_M}
    return bound


def kernel_along(variant: str, m: float, w=GRID) -> np.ndarray:
    """The effective kernel of a one-unit layer of `variant` whose w runs along `w`, m fixed."""
    w = np.asarray(w, "float32")[:, None]
    layer = VARIANTS[variant](1)
    layer.build((None, len(w)))
    layer.w.assign(w)
    layer.m.assign(np.full_like(w, m))
    return np.asarray(layer.effective()[0]).ravel()


def wrapping_bound() -> float:
    """The forward pass of the straight-through layer, w mod m, lies between m and a bound; a
    w pushed a step past that bound lands a step short of m, and past m a step past the bound."""
    bound = shared_bound(lambda m: kernel_along("straight_through", m))
    for m in map(np.float32, SIGNED_M):
        step = np.float32(0.01) * m
        pushed = kernel_along("straight_through", m, [bound - step, m + step])
        np.testing.assert_allclose(pushed, [m - step, bound + step], atol=1e-6)
    return bound


def followed_from(m: float) -> np.ndarray:
    """The b where the bias layer's b mod m is b: from a bound up to m, m left out."""
    layer = BiasModDense(len(GRID))
    layer.build((None, 1))
    layer.b.assign(GRID)
    layer.m.assign(np.full_like(GRID, m))
    follows = np.asarray(layer.effective()[1]) == GRID
    bound, m = bound_besides_m(GRID[follows], m), np.float32(m)
    between = (min(bound, m) <= GRID) & (GRID <= max(bound, m)) & (GRID != m)
    np.testing.assert_array_equal(follows, between)
    return GRID[follows]


def divisor_sign_bound() -> float:
    """%, tf.math.floormod, torch.remainder and np.mod: the bound besides m that each result
    reaches, the same for all four."""
    results = {
        "%": lambda m: np.array([float(w) % float(np.float32(m)) for w in GRID]),
        "floormod": lambda m: tf.math.floormod(GRID, np.float32(m)).numpy(),
        "remainder": lambda m: torch.remainder(torch.from_numpy(GRID),
                                               float(np.float32(m))).numpy(),
        "np.mod": lambda m: np.mod(GRID, np.float32(m)),
    }
    (bound,) = {shared_bound(result) for result in results.values()}
    return bound


def bias_mod_at_start(seeds) -> tuple[float, float, float]:
    """Over every bias entry of the experiment's b mod m MLPs as built, one per seed: the one
    value of b, of floor(b/m) and of the derivative of b mod m in m."""
    found = {"b": set(), "floor": set(), "d_m": set()}
    for seed in seeds:
        network = mod_experiment.mlp(BiasModDense, seed)
        layers = [layer for layer in network.layers if isinstance(layer, BiasModDense)]
        with tf.GradientTape() as tape:
            wrapped = sum(ops.sum(layer.effective()[1]) for layer in layers)
        for layer, d_m in zip(layers, tape.gradient(wrapped, [l.m for l in layers]), strict=True):
            found["b"] |= set(layer.b.numpy().tolist())
            found["floor"] |= set(np.asarray(ops.floor(layer.b / layer.m)).tolist())
            found["d_m"] |= set(d_m.numpy().tolist())
    (b,), (floor,), (d_m,) = found.values()
    return b, floor, d_m


def classes_predicted_once_nan(chance: float) -> int:
    """How many classes the w mod m MLP predicts for the held-out images once its weights
    are NaN, read as Record reads a prediction; its accuracy is then chance."""
    network = mod_experiment.mlp(KernelModDense, 0)
    for weight in network.weights:
        weight.assign(np.full(weight.shape, np.nan, "float32"))
    predicted = np.argmax(network(mod_experiment.x_test), axis=-1)
    assert np.mean(predicted == mod_experiment.y_test) == chance
    return len(set(predicted.tolist()))


def sawtooth_layer_index() -> int:
    """The layer whose w the sawtooth figure moves, as an index among its MLP's w mod m
    layers: read from the figure's own `network.layers[...]`."""
    tree = ast.parse(inspect.getsource(fig_sawtooth.loss_along_one_weight).strip())
    (index,) = {node.slice.value for node in ast.walk(tree) if isinstance(node, ast.Subscript)
                and getattr(node.value, "attr", "") == "layers"
                and isinstance(node.slice, ast.Constant)}
    network = mod_experiment.mlp(KernelModDense, 0)
    kernel_mod_layers = [layer for layer in network.layers if isinstance(layer, KernelModDense)]
    assert network.layers[index] in kernel_mod_layers
    return kernel_mod_layers.index(network.layers[index])


def sawtooth_seed() -> int:
    """The seed of the MLP whose w the sawtooth figure moves: read from the figure's own
    `mod_experiment.mlp(KernelModDense, seed)` call."""
    tree = ast.parse(inspect.getsource(fig_sawtooth.loss_along_one_weight).strip())
    (seed,) = {node.args[1].value for node in ast.walk(tree) if isinstance(node, ast.Call)
               and getattr(node.func, "attr", "") == "mlp" and len(node.args) == 2
               and isinstance(node.args[1], ast.Constant)}
    return seed


def sigmoid_m_gradient_bound() -> float:
    """The largest gradient for m of m·sigmoid(w), over w far into both tails: the gradient
    is sigmoid(w), at no w above that bound, and it reaches it."""
    w = np.linspace(-200, 200, 401, dtype="float32")[:, None]
    layer = VARIANTS["sigmoid"](1)
    layer.build((None, len(w)))
    layer.w.assign(w)
    layer.m.assign(np.full_like(w, 0.3))
    with tf.GradientTape() as tape:
        kernel = ops.sum(layer.effective()[0])
    gradient = tape.gradient(kernel, layer.m).numpy()
    np.testing.assert_allclose(gradient, np.asarray(ops.sigmoid(w)), atol=1e-6)
    bound = float(gradient.max())
    assert np.all(gradient <= bound) and bound == 1.0
    return bound


def copies_axis() -> int:
    """The axis of each weight of the experiment's side-by-side model on which the seeds'
    MLPs are stacked: taking a seed's index on it gives that MLP's weight as built alone."""
    seed_index = 1  # the snippet builds `alone` from seeds[1]
    axes = set()
    for inside, by_itself in zip(mod_experiment.stacked.weights, mod_experiment.alone.weights,
                                 strict=True):
        shape, alone = list(inside.shape), list(by_itself.shape)
        (axis,) = [a for a in range(len(shape)) if shape[:a] + shape[a + 1:] == alone
                   and shape[a] == len(mod_experiment.seeds)]
        np.testing.assert_array_equal(np.take(inside.numpy(), seed_index, axis=axis),
                                      by_itself.numpy())
        axes.add(axis)
    (axis,) = axes
    return axis


def step_derivative() -> float:
    """The derivative of NumPy's round, floor and sign, by central differences at the points
    the gradient snippets use (between steps): one value for all three."""
    x, h = mod_gradients_torch.x.detach().numpy().astype("float64"), 1e-3
    derivatives = {float(d) for step in (np.round, np.floor, np.sign)
                   for d in (step(x + h) - step(x - h)) / (2 * h)}
    (derivative,) = derivatives
    return derivative


def non_neg_of_negatives() -> float:
    """keras.constraints.NonNeg on the doctest's w: the entries at or above zero unchanged,
    and the one value the negative entries become."""
    w = np.array(NONNEG_EXAMPLE, "float32")
    constrained = np.asarray(keras.constraints.NonNeg()(w))
    np.testing.assert_array_equal(constrained[w >= 0], w[w >= 0])
    (value,) = set(constrained[w < 0].tolist())
    return value


def listed(names) -> str:
    """Names as inline code, in a list: `a`, `b` and `c`."""
    quoted = [code(name) for name in names]
    text = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    assert all(name in text for name in quoted) and text.count("`") == 2 * len(quoted)
    return text


def keras_mod_op() -> str:
    """The TensorFlow op keras.ops.mod creates in a graph: the one `w % m` and
    tf.math.floormod create too."""
    assert keras.backend.backend() == "tensorflow"
    spec = tf.TensorSpec([2], tf.float32)

    def created(function):
        graph = tf.function(function, autograph=False).get_concrete_function(spec, spec).graph
        return {op.type for op in graph.get_operations()} - {"Placeholder", "Identity"}

    (op,) = created(ops.mod)
    assert created(lambda w, m: w % m) == created(tf.math.floormod) == {op}
    return op


def dividend_sign_functions() -> list[str]:
    """Of MOD_FUNCTIONS, called on both signs, those whose result takes the sign of the
    dividend w, as C's fmod (math.fmod) does; the others take m's, as %."""
    c_fmod = math.fmod  # the C library's fmod, as Python documents it (portable, unlike ctypes)
    dividend_sign, negative_dividend = [], {}
    for name in MOD_FUNCTIONS:
        module, *attributes = name.split(".")
        function = functools.reduce(getattr, attributes, MODULES[module])
        signs = set()
        for w, m in ((-7.0, 3.0), (7.0, -3.0)):
            result = float(function(torch.tensor(w) if module == "torch" else w, m))
            if w < 0:
                negative_dividend[name] = result
            takes_dividend_sign = np.sign(result) == np.sign(w)  # decided once, then checked
            signs.add("w" if takes_dividend_sign else "m")
            assert result == (c_fmod(w, m) if takes_dividend_sign else w % m), name
        (sign,) = signs
        if sign == "w":
            dividend_sign.append(name)
    assert 0 < len(dividend_sign) < len(MOD_FUNCTIONS)
    # Read back: -7 mod 3 is negative exactly for the functions listed.
    assert dividend_sign == [name for name in MOD_FUNCTIONS if negative_dividend[name] < 0]
    return dividend_sign


def tf_step_gradients() -> tuple[list[str], list[str]]:
    """mod_gradients_tf's steps, each the TensorFlow function of its name: those whose
    gradient is None ("no gradient") and those whose gradient is zeros."""
    s = mod_gradients_tf
    none_gradient, zero_gradient = [], []
    for name, gradient in s.step_gradients.items():
        np.testing.assert_array_equal(getattr(tf, name)(s.x), s.outputs[name])
        if gradient is None:
            none_gradient.append(name)
        else:
            np.testing.assert_array_equal(gradient, np.zeros(s.x.shape))
            zero_gradient.append(name)
    assert none_gradient and zero_gradient
    return none_gradient, zero_gradient


def clipping_constraint() -> str:
    """The constraint of the snippet's `bounded` layer: a keras.constraints.Constraint, a
    callable on the weight, that sets each entry beyond its ±limit to the limit."""
    constraint = mod_layers.bounded.kernel_constraint
    assert isinstance(constraint, keras.constraints.Constraint)
    assert list(inspect.signature(keras.constraints.Constraint.__call__).parameters) == ["self", "w"]
    w = np.array([-3.0, -0.1, 0.0, 0.1, 3.0], "float32")
    np.testing.assert_array_equal(np.asarray(constraint(w)),
                                  np.clip(w, -constraint.limit, constraint.limit))
    return type(constraint).__name__


def constraints_by_effect() -> tuple[str, str]:
    """Of the doctest's two Keras constraints, on its w: the one that acts on the sign of
    each entry alone (the entries at or above zero kept, none left negative) and the one
    that acts on the norm of each column (each column kept in its direction, its norm
    brought within the bounds)."""
    w = np.array(NONNEG_EXAMPLE, "float32")
    on_sign, on_norm = [], []
    for constraint in (keras.constraints.NonNeg(), keras.constraints.MinMaxNorm(1.0, 2.0)):
        constrained = np.asarray(constraint(w), "float64")
        keeps_signs = (np.array_equal(constrained[w >= 0], w[w >= 0])
                       and not (constrained < 0).any())  # none left negative
        norms = np.linalg.norm(constrained, axis=0)
        keeps_directions = np.allclose(constrained / norms, w / np.linalg.norm(w, axis=0),
                                       atol=1e-6)
        assert keeps_signs != keeps_directions, constraint
        if keeps_directions:
            assert np.all((norms > constraint.min_value - 1e-6)
                          & (norms < constraint.max_value + 1e-6))
            on_norm.append(type(constraint).__name__)
        else:
            on_sign.append(type(constraint).__name__)
    (sign_constraint,), (norm_constraint,) = on_sign, on_norm
    return sign_constraint, norm_constraint


def layers_per_mlp() -> int:
    """Every variant's MLP, as the experiment builds it, has the same number of layers, all
    of its one kind."""
    counts = set()
    for variant, layer in VARIANTS.items():
        network = mod_experiment.mlp(layer, 0)
        kinds = [type(l) for l in network.layers if not isinstance(l, keras.layers.InputLayer)]
        assert len(set(kinds)) == 1
        counts.add(len(kinds))
    (count,) = counts
    return count


def m_drawn_like_a_dense_kernel() -> str:
    """The page: the layer draws w and m with Keras' default for a Dense kernel, its own
    choice for m. Read from ModDense.build: the initializer both add_weight calls pass."""
    build = ast.parse(inspect.getsource(mod_layers.ModDense.build).strip())
    bound = {node.targets[0].id: node.value.value for node in ast.walk(build)
             if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)}
    given = {}
    for call in ast.walk(build):
        if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "add_weight":
            keywords = {k.arg: k.value for k in call.keywords}
            initializer = keywords["initializer"]
            given[keywords["name"].value] = (bound[initializer.id] if isinstance(
                initializer, ast.Name) else initializer.value)
    dense_default = type(keras.layers.Dense(1).kernel_initializer)
    assert given["w"] == given["m"] and type(keras.initializers.get(given["m"])) is dense_default
    return dense_default.__name__


def spread(per_seed: dict, style: str = PERCENT):
    """Per-seed values as their median and range over the seeds (facts/_spread.py)."""
    return over_seeds(lambda seed: per_seed[seed], sorted(per_seed), style)


def torch_spread(shares: list[float]) -> str:
    """Shares measured by the PyTorch snippet, one per seed of its SEEDS, in percent."""
    seeds = list(bounded_weights_torch.SEEDS)
    return str(spread({seed: 100 * share for seed, share in zip(seeds, shares, strict=True)}))


def make_facts() -> dict[str, str | int]:
    results = load(mod_weights)
    seeds, runs = results["seeds"], results["runs"]
    # The tables and the words name AGGREGATE; a spread's middle value is that statistic.
    assert AGGREGATE(spread(dict(enumerate(seeds))).values) == spread(dict(enumerate(seeds))).median

    def run(optimizer, variant, seed):
        return runs[optimizer][f"{variant}_{seed}"]

    def final(optimizer, variant):
        return {seed: run(optimizer, variant, seed)["accuracy"][-1] for seed in seeds}

    def accuracy(optimizer, variant):
        return spread({seed: 100 * a for seed, a in final(optimizer, variant).items()})

    def cell(optimizer, variant):
        if variant not in results["optimizers"][optimizer]["variants"]:
            return "not run"
        found = accuracy(optimizer, variant)
        return f"{found.written(found.median)} ({found.written(found.low)}–{found.written(found.high)})"

    optimizers = list(runs)
    header = [f"{results['optimizers'][name]['class']}, learning rate "
              f"{results['optimizers'][name]['learning_rate']:g}" for name in optimizers]
    accuracy_table = markdown_table(
        ["each layer computes", *header],
        [[LABELS[variant], *(cell(name, variant) for name in optimizers)] for variant in MAIN_ROWS])
    causes_table = markdown_table(
        ["removed", "each layer computes", *header],
        [[REMOVED[variant], LABELS[variant], *(cell(name, variant) for name in optimizers)]
         for variant in results["causes"]])
    assert set(REMOVED) == set(results["causes"])

    chance = 1 / len(set(mod_experiment.y_test))
    # The page's reading of the tables, seed by seed against the Dense MLP.
    for optimizer in optimizers:
        dense = AGGREGATE(final(optimizer, "dense").values())
        for variant in results["optimizers"][optimizer]["variants"]:
            values = final(optimizer, variant).values()
            if variant in ("dense", "no_bias", "bias_mod", "clipped", "folded") or (
                    variant, optimizer) == ("sigmoid", "adam"):
                assert all(a > LEARNS * dense for a in values), (optimizer, variant)
            elif variant in ("straight_through", "centred") or optimizer == "sgd" and (
                    variant == "kernel_mod"):
                assert all(a < FAILS * dense for a in values), (optimizer, variant)
            else:  # read on their own below: each run has its claim
                assert (optimizer, variant) in {("adam", "kernel_mod"), ("sgd", "sigmoid")}
    # Adam: w mod m learns badly, not at all: well above chance at its best epoch in each
    # seed and at the end in most, below Dense in each.
    kernel_mod_best = {seed: 100 * max(run("adam", "kernel_mod", seed)["accuracy"])
                       for seed in seeds}
    assert all(best > 200 * chance for best in kernel_mod_best.values())
    assert AGGREGATE(final("adam", "kernel_mod").values()) > 2 * chance
    dense = AGGREGATE(final("adam", "dense").values())
    assert all(a < LEARNS * dense for a in final("adam", "kernel_mod").values())
    # With Adam, removing the tail or the sign alone is no better than keeping both.
    for variant in ("straight_through", "centred"):
        assert (AGGREGATE(final("adam", variant).values())
                <= AGGREGATE(final("adam", "kernel_mod").values())), variant
    # m·sigmoid(w) with SGD: learns, more slowly, still climbing at the last epoch.
    sgd_sigmoid = [[run("sgd", "sigmoid", seed)["accuracy"][epoch] for seed in seeds]
                   for epoch in (results["epochs"] // 2 - 1, -1)]
    assert AGGREGATE(sgd_sigmoid[1]) > AGGREGATE(sgd_sigmoid[0])
    assert all(a > FAILS * AGGREGATE(final("sgd", "dense").values()) for a in sgd_sigmoid[1])

    # SGD: the loss of most w mod m MLPs turns NaN; then each predicts one class, chance.
    nan_epochs = {}
    for seed in seeds:
        losses = run("sgd", "kernel_mod", seed)["loss"]
        if None in losses:
            nan_epochs[seed] = losses.index(None) + 1
            assert set(run("sgd", "kernel_mod", seed)["accuracy"][nan_epochs[seed] - 1:]) == {chance}
    assert 2 * len(nan_epochs) > len(seeds)
    finite = {variant: sum(None not in run("sgd", variant, seed)["loss"] for seed in seeds)
              for variant in ("straight_through", "centred", "folded")}
    assert all(count == len(seeds) for count in finite.values())  # tail or jumps alone: no NaN
    assert AGGREGATE(final("sgd", "kernel_mod").values()) < 1.2 * chance

    # floor(w/m) at initialisation, per seed's MLP.
    def sizes(seed):
        return np.array([abs(int(value)) for value, count in
                         run("adam", "kernel_mod", seed)["initial_floors"].items()
                         for _ in range(count)])

    entries = {len(sizes(seed)) for seed in seeds}
    (entries_per_mlp,) = entries
    floor_shares = {t: spread({seed: 100 * np.mean(sizes(seed) >= t) for seed in seeds},
                              "{:.2g} %") for t in TAIL}
    floor_max = spread({seed: sizes(seed).max() for seed in seeds}, "{:,.0f}")
    # The page: most |floor(w/m)| are small, a few are in the thousands, and the share at
    # or above t falls as t grows, in each seed.
    assert all(a > b for a, b in zip(floor_shares[TAIL[0]].values, floor_shares[TAIL[1]].values))
    assert floor_shares[TAIL[0]].high < 50 and floor_max.high >= 1000
    ratios = [run("adam", "kernel_mod", seed)["initial_mean_abs_gradient"] for seed in seeds]
    ratios = [r["m"] / r["w"] for r in ratios]
    assert all(ratio > 1 for ratio in ratios)
    signs = [run("adam", "kernel_mod", seed)["same_sign_share"] for seed in seeds]
    assert all(s["before"] == s["after"] == 1.0 for s in signs)

    def crossings(optimizer, variant, epochs=slice(None)):
        return spread({seed: 100 * statistics.mean(run(optimizer, variant, seed)["crossings"][epochs])
                       for seed in seeds})

    # The page: with Adam some, not all, effective weights jump in each epoch (w mod m, and
    # m not trained); the folded kernel crosses multiples of m about as often, without
    # jumping; biases wrap too, in the first epoch and in the last.
    for variant in ("kernel_mod", "straight_through", "folded"):
        assert all(0 < share < 1 for seed in seeds
                   for share in run("adam", variant, seed)["crossings"]), variant
    jumps_kernel_mod, crossings_folded = crossings("adam", "kernel_mod"), crossings("adam", "folded")
    assert crossings_folded.median > 0.5 * jumps_kernel_mod.median
    first, last = slice(0, 1), slice(-1, None)
    jumps_bias = {name: crossings("adam", "bias_mod", epochs) for name, epochs in
                  (("first", first), ("last", last))}
    assert jumps_bias["first"].low > 0 and jumps_bias["last"].low > 0

    d_w = mod_gradients_tf.d_w.numpy()
    assert set(d_w) == {1.0}
    optimizer_class = {name: results["optimizers"][name]["class"] for name in optimizers}
    seeds_word = count_word(len(seeds), "seed")

    # The page: this MLP hardly needs its biases; without any it learns as well as with plain
    # biases or b mod m, to within a twentieth (each variant named by its own label).
    bias_variants = ("no_bias", "bias_mod", "dense")
    bias_accuracies = {variant: accuracy("adam", variant) for variant in bias_variants}
    medians = [found.median for found in bias_accuracies.values()]
    assert min(medians) > 0.95 * max(medians)

    # PyTorch: clamped and parametrized weights learn, w mod m does not (the snippet asserts
    # it seed by seed); a share of the clamped weights sits at the bound (asserted there too).
    torch_epochs = inspect.signature(bounded_weights_torch.train).parameters["epochs"].default
    assert torch_epochs < results["epochs"]

    kernels = checked_kernels()

    # The page's words for values: what the layers, mod and the steps compute.
    bias_start, initial_bias_floor, initial_m_gradient = bias_mod_at_start(seeds)
    assert bias_start == initial_bias_floor == initial_m_gradient == 0  # so m gets none
    mod_bound = shared_bound(lambda m: kernel_along("kernel_mod", m))
    folded_bound = shared_bound(lambda m: kernel_along("folded", m))
    sigmoid_bound = shared_bound(
        lambda m: kernel_along("sigmoid", m, np.linspace(-200, 200, 401)))
    wrap_bound = wrapping_bound()
    followed_bound = shared_bound(followed_from)
    divisor_bound = divisor_sign_bound()
    assert mod_bound == folded_bound == sigmoid_bound == wrap_bound == 0
    assert followed_bound == divisor_bound == 0
    torch_step_gradients = {float(value) for gradient in
                            mod_gradients_torch.step_gradients.values() for value in gradient}
    (torch_step_gradient,) = torch_step_gradients
    derivative_of_steps = step_derivative()
    assert torch_step_gradient == derivative_of_steps == 0
    non_neg_negatives = non_neg_of_negatives()
    assert non_neg_negatives == 0
    classes_once_nan = classes_predicted_once_nan(chance)
    assert classes_once_nan == 1
    sawtooth_layer = sawtooth_layer_index()
    sawtooth_seed_index = list(seeds).index(sawtooth_seed())
    # The figure's MLP is the experiment's for that seed: the same floor(w/m) at the start.
    figure_mlp = mod_experiment.mlp(KernelModDense, seeds[sawtooth_seed_index])
    figure_floors = collections.Counter(
        int(k) for layer in figure_mlp.layers if isinstance(layer, KernelModDense)
        for k in np.floor(layer.w.numpy() / layer.m.numpy()).ravel())
    assert figure_floors == {int(k): count for k, count in run(
        "adam", "kernel_mod", seeds[sawtooth_seed_index])["initial_floors"].items()}
    sigmoid_m_gradient = sigmoid_m_gradient_bound()
    slope = float(d_w[0])
    assert slope == int(slope) == 1  # w mod m follows w with this slope between multiples
    seeds_axis = copies_axis()
    pytorch_entry_gradient = f"{float(mod_gradients_torch.step_gradients['round'][0]):g}"
    tf_none_gradient_steps, tf_zero_steps = tf_step_gradients()
    sign_constraint, norm_constraint = constraints_by_effect()

    assert {variant for variant in REMOVED if variant != "kernel_mod"} == {
        "straight_through", *KERNELS}
    removing = [variant for variant in REMOVED if variant != "kernel_mod"]  # one per cause
    assert set(KERNELS) < set(removing) and len(set(REMOVED.values())) == len(REMOVED)
    cause_layers = count_word(len(removing), "layer")
    n_causes = count_word(len(removing), "cause")
    assert cause_layers.split()[0] == n_causes.split()[0]
    return {
        "seeds_word": seeds_word,
        "accuracy_measured": f"Accuracy on the {results['test_images']} held-out images after "
                             f"{results['epochs']} epochs, {AGGREGATE.__name__} of "
                             f"{seeds_word} (lowest–highest)",
        "mlp_layers": count_word(layers_per_mlp(), "layer"),
        "mod_derivatives": checked_derivatives(),
        "batch_size": results["batch_size"],
        "train_test_split": f"{results['train_images']} images to train on and "
                            f"{results['test_images']} held-out images to test on",
        "accuracy_table": accuracy_table,
        "causes_table": causes_table,
        "chance": f"{100 * chance:.0f} %",
        "dense_adam_accuracy": str(accuracy("adam", "dense")),
        "no_bias_accuracy": str(bias_accuracies["no_bias"]),
        "bias_variant_accuracies": ", ".join(
            f"{bias_accuracies[variant]} with {LABELS[variant]}" for variant in bias_variants[:-1])
        + f" and {bias_accuracies[bias_variants[-1]]} with {LABELS[bias_variants[-1]]}",
        "kernel_mod_adam_accuracy": str(accuracy("adam", "kernel_mod")),
        "kernel_mod_adam_best": str(spread(kernel_mod_best)),
        "kernel_mod_sgd_accuracy": str(accuracy("sgd", "kernel_mod")),
        "straight_through_accuracy": str(accuracy("adam", "straight_through")),
        "centred_adam_accuracy": str(accuracy("adam", "centred")),
        "folded_adam_accuracy": str(accuracy("adam", "folded")),
        "folded_sgd_accuracy": str(accuracy("sgd", "folded")),
        "sigmoid_adam_accuracy": str(accuracy("adam", "sigmoid")),
        "clipped_adam_accuracy": str(accuracy("adam", "clipped")),
        "sigmoid_accuracies": " and ".join(
            f"{accuracy(optimizer, 'sigmoid')} with {optimizer_class[optimizer]}"
            for optimizer in optimizers) + f" after {results['epochs']} epochs",
        "sgd_learning_rate": f"{results['optimizers']['sgd']['learning_rate']:g}",
        "sgd_nan_seeds": f"{len(nan_epochs)} of {len(seeds)} seeds (at epochs "
                         + ", ".join(str(nan_epochs[seed]) for seed in sorted(nan_epochs)) + ")",
        "folded_sgd_finite": f"{finite['folded']} of {len(seeds)} seeds",
        "floor_share_10": f"{floor_shares[TAIL[0]]} are at least {TAIL[0]}",
        "floor_tail": f"of each MLP's {entries_per_mlp:,} kernel entries, " + ", and ".join(
            f"{floor_shares[t]} {'have |floor(w/m)| ' if t == TAIL[0] else ''}of at least {t}"
            for t in TAIL),
        "floor_max": str(floor_max),
        "gradient_ratio": str(spread(dict(zip(seeds, ratios)), "{:.1f}")),
        "same_sign": f"{100 * signs[0]['after']:.0f} %",
        "jumps_kernel_mod": str(jumps_kernel_mod),
        "crossings_folded": str(crossings_folded),
        "jumps_straight_through": str(crossings("adam", "straight_through")),
        "centred_formula": kernels["centred"],
        "folded_formula": kernels["folded"],
        "centred_bounds": " and ".join(f"${latex(bound)}$" for bound in BOUNDS),
        "aggregate_of_seeds": f"{AGGREGATE.__name__} of the {seeds_word}",
        "cause_layers": cause_layers,
        "n_causes": n_causes,
        "jumps_bias": f"{jumps_bias['first']} of them in the first epoch, "
                      f"{jumps_bias['last']} in the last",
        "dense_kernel_initializer": code(m_drawn_like_a_dense_kernel()),
        "torch_clamp_accuracy": torch_spread(bounded_weights_torch.accuracies["clamp"]),
        "torch_parametrize_accuracy": torch_spread(
            bounded_weights_torch.accuracies["parametrize"]),
        "torch_remainder_accuracy": torch_spread(bounded_weights_torch.accuracies["remainder"]),
        "torch_at_bound": torch_spread(bounded_weights_torch.at_bound),
        "torch_epochs": count_word(torch_epochs, "epoch"),
        "torch_limit": f"±{bounded_weights_torch.LIMIT:g}",
        "d_w": f"{d_w[0]:g}",
        "truncatemod_error": code(mod_gradients_tf.truncatemod_error),
        "graph_error": code(mod_gradients_tf.graph_error_first_sentence),
        "floormod_issue_year": FLOORMOD_ISSUE_YEAR,
        "pytorch_entry_gradient": pytorch_entry_gradient,
        "torch_step_gradient_word": count_word(torch_step_gradient),
        "step_derivative_word": count_word(derivative_of_steps),
        "bias_start_word": count_word(bias_start),
        "initial_bias_floor_word": count_word(initial_bias_floor),
        "initial_m_gradient_word": count_word(initial_m_gradient),
        "mod_bound_word": count_word(mod_bound),
        "wrap_bound_word": count_word(wrap_bound),
        "folded_bound_word": count_word(folded_bound),
        "sigmoid_bound_word": count_word(sigmoid_bound),
        "followed_bound_word": count_word(followed_bound),
        "divisor_bound_word": count_word(divisor_bound),
        "non_neg_negatives_word": count_word(non_neg_negatives),
        "n_classes_once_nan": count_word(classes_once_nan, "class", "classes"),
        "sawtooth_layer_position": ordinal_word(sawtooth_layer, "layer"),
        "sawtooth_seed_position": ordinal_word(sawtooth_seed_index, "seed"),
        "slope_word": count_word(int(slope)),
        "m_gradient_bound_word": count_word(int(sigmoid_m_gradient)),
        "seeds_axis_position": ordinal_word(seeds_axis, "axis"),
        "keras_mod_op": code(keras_mod_op()),
        "dividend_sign_functions": listed(dividend_sign_functions()),
        "tf_none_gradient_steps": listed(tf_none_gradient_steps),
        "tf_zero_steps": listed(tf_zero_steps),
        "clipping_constraint": code(clipping_constraint()),
        "sign_constraint": code(sign_constraint),
        "norm_constraint": code(norm_constraint),
    }
