"""Facts on the mod-weights page: the experiment's accuracies, rates and shares, the gradients.

Every number comes from the cached experiment (results/training/mod_weights.py) or from the
gradient snippets, which assert what TensorFlow and PyTorch return. The derivatives of
w mod m the page shows are Python expressions evaluated here with PyTorch's and TensorFlow's
autodiff and rendered to LaTeX from the same syntax tree.
"""
import ast
import statistics

import keras
import numpy as np
import tensorflow as tf
import torch

from engine.results import load
from facts._tables import code, markdown_table
from facts._words import count_word
from results.training import mod_weights
from snippets.training import mod_experiment, mod_gradients_tf, mod_gradients_torch
from snippets.training.mod_layers import LABELS, VARIANTS

# The TensorFlow issue that reported "gradient registry has no entry for: FloorMod"
# (tensorflow/tensorflow#13933, filed in 2017), typed here once.
FLOORMOD_ISSUE_YEAR = 2017
LEARNED = 0.6  # test accuracy that only an MLP that learns reaches here
AGGREGATE = statistics.mean  # over the seeds, for every accuracy the page quotes
TAIL = (10, 100)  # the page quotes the share of |floor(w/m)| at or above each of these

# The derivatives of w mod m, away from the multiples of m: (derivative, its value).
DERIVATIVES = [("grad(mod(w, m), w)", "1"), ("grad(mod(w, m), m)", "-floor(w / m)")]


def latex(expression: str) -> str:
    """`grad(mod(w, m), m)` -> `\\frac{\\partial (w \\bmod m)}{\\partial m}`."""
    return _latex(ast.parse(expression, mode="eval").body)


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
        case ast.Call(func=ast.Name(id="mod"), args=[dividend, divisor]):
            return rf"{_latex(dividend)} \bmod {_latex(divisor)}"
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


def layers_per_mlp() -> int:
    """Every variant's MLP, as the experiment builds it, has the same number of layers, all
    of its one kind."""
    counts = set()
    for variant, layer in VARIANTS.items():
        network = mod_experiment.mlp(layer, 0, variant)
        kinds = [type(l) for l in network.layers if not isinstance(l, keras.layers.InputLayer)]
        assert len(set(kinds)) == 1
        counts.add(len(kinds))
    (count,) = counts
    return count


def share_text(share: float) -> str:
    return f"{100 * share:.2g} %"


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def accuracy_cell(values) -> str:
    return f"{percent(AGGREGATE(values))} ({percent(min(values))}–{percent(max(values))})"


def make_facts() -> dict[str, str | int]:
    results = load(mod_weights)
    seeds, runs = results["seeds"], results["runs"]

    def final(optimizer, variant):
        return [runs[optimizer][f"{variant}_{seed}"]["accuracy"][-1] for seed in seeds]

    def run(optimizer, variant, seed):
        return runs[optimizer][f"{variant}_{seed}"]

    header = ["each layer computes"] + [
        f"{results['optimizers'][name]['class']}, learning rate "
        f"{results['optimizers'][name]['learning_rate']:g}" for name in runs
    ]
    # A cell for every run there is; "not run" where an optimizer has none.
    cells = {optimizer: {variant: accuracy_cell(final(optimizer, variant))
                         for variant in results["optimizers"][optimizer]["variants"]}
             for optimizer in runs}
    rows = [[LABELS[variant]] + [cells[optimizer].get(variant, "not run") for optimizer in runs]
            for variant in results["optimizers"]["adam"]["variants"]]

    # SGD: the loss of every kernel = w mod m MLP turns NaN; Adam's stays near chance.
    nan_epochs = []
    for seed in seeds:
        losses = run("sgd", "kernel_mod", seed)["loss"]
        assert losses[-1] is None, "the SGD run with kernel = w mod m no longer ends in NaN"
        nan_epochs.append(losses.index(None) + 1)
    chance = 1 / len(set(mod_experiment.y_test))
    assert all(a == chance for a in final("sgd", "kernel_mod"))
    # The page: from the epoch its loss turns NaN, each of them predicts one class, chance.
    for seed, epoch in zip(seeds, nan_epochs):
        assert set(run("sgd", "kernel_mod", seed)["accuracy"][epoch - 1:]) == {chance}
    # The page's reading of the table: which variants learn (every seed above the line).
    for variant, learns in {"dense": True, "no_bias": True, "bias_mod": True, "sigmoid": True,
                            "kernel_mod": False, "straight_through": False}.items():
        assert all((accuracy > LEARNED) == learns for accuracy in final("adam", variant))

    # floor(w/m) at initialisation, over the three MLPs' kernels.
    sizes = np.array([abs(int(value)) for seed in seeds
                      for value, count in run("adam", "kernel_mod", seed)["initial_floors"].items()
                      for _ in range(count)])
    ratios = [run("adam", "kernel_mod", seed)["initial_mean_abs_gradient"] for seed in seeds]
    ratios = [r["m"] / r["w"] for r in ratios]
    # The page: most |floor(w/m)| are small, a few are in the thousands, and the share at
    # or above t falls as t grows; m receives more gradient than w (a ratio above one).
    assert np.mean(sizes >= 100) < np.mean(sizes >= 10) < 0.5 and sizes.max() >= 1000
    assert all(ratio > 1 for ratio in ratios)
    signs = [run("adam", "kernel_mod", seed)["same_sign_share"] for seed in seeds]
    assert all(s["before"] == s["after"] == 1.0 for s in signs)

    def mean_jumps(optimizer, variant, epochs=slice(None)):
        return statistics.mean(
            statistics.mean(run(optimizer, variant, seed)["jumps"][epochs]) for seed in seeds
        )

    # The page: with Adam some, not all, effective weights jump in every epoch (kernel =
    # w mod m, and straight through); biases wrap too, in the first epoch and in the last.
    every_epoch = [slice(epoch, epoch + 1) for epoch in range(results["epochs"])]
    assert all(0 < mean_jumps("adam", variant, epoch) < 1 for epoch in every_epoch
               for variant in ("kernel_mod", "straight_through"))
    first, last = slice(0, 1), slice(-1, None)
    assert mean_jumps("adam", "bias_mod", first) > 0 and mean_jumps("adam", "bias_mod", last) > 0

    d_w, d_m = mod_gradients_tf.d_w.numpy(), mod_gradients_tf.d_m.numpy()
    assert set(d_w) == {1.0}
    optimizer_class = {name: results["optimizers"][name]["class"] for name in runs}
    seeds_word = count_word(len(seeds), "seed")

    # The page: this MLP hardly needs its biases; without any it learns as well as with plain
    # biases or b mod m, to within a twentieth (each variant named by its own label).
    bias_variants = ("no_bias", "bias_mod", "dense")
    bias_accuracies = {variant: AGGREGATE(final("adam", variant)) for variant in bias_variants}
    assert min(bias_accuracies.values()) > 0.95 * max(bias_accuracies.values()) > LEARNED
    floor_shares = {t: np.mean(sizes >= t) for t in TAIL}
    assert floor_shares[TAIL[1]] < floor_shares[TAIL[0]]

    def jump_share(variant):
        return (f"{percent(mean_jumps('adam', variant))} of them, the "
                f"{statistics.mean.__name__} over epochs and seeds")

    return {
        "seeds_word": seeds_word,
        "accuracy_measured": f"Accuracy on the {results['test_images']} held-out images after "
                             f"{results['epochs']} epochs, {AGGREGATE.__name__} over "
                             f"{seeds_word} (lowest–highest)",
        "mlp_layers": count_word(layers_per_mlp(), "layer"),
        "mod_derivatives": checked_derivatives(),
        "batch_size": results["batch_size"],
        "train_test_split": f"{results['train_images']} images to train on and "
                            f"{results['test_images']} held-out images to test on",
        "accuracy_table": markdown_table(header, rows),
        "chance": percent(chance),
        "no_bias_accuracy": percent(bias_accuracies["no_bias"]),
        "bias_variant_accuracies": ", ".join(
            f"{percent(bias_accuracies[variant])} with {LABELS[variant]}"
            for variant in bias_variants[:-1])
        + f" and {percent(bias_accuracies[bias_variants[-1]])} with {LABELS[bias_variants[-1]]}",
        "kernel_mod_adam_accuracy": percent(AGGREGATE(final("adam", "kernel_mod"))),
        "kernel_mod_adam_best": percent(max(
            max(run("adam", "kernel_mod", seed)["accuracy"]) for seed in seeds))
        + " at the best epoch of any seed",
        "straight_through_accuracy": percent(AGGREGATE(final("adam", "straight_through"))),
        "sigmoid_adam_accuracy": percent(AGGREGATE(final("adam", "sigmoid"))),
        "sigmoid_accuracies": " and ".join(
            f"{percent(AGGREGATE(final(optimizer, 'sigmoid')))} with {optimizer_class[optimizer]}"
            for optimizer in runs) + f" after {results['epochs']} epochs",
        "sgd_learning_rate": f"{results['optimizers']['sgd']['learning_rate']:g}",
        "sgd_nan_epochs": ", ".join(map(str, nan_epochs)),
        "floor_share_10": f"{share_text(floor_shares[TAIL[0]])} are at least {TAIL[0]}",
        "floor_tail": f"over the {len(sizes):,} kernel entries of the "
                      f"{count_word(len(seeds), 'MLP')}, " + ", ".join(
            f"{share_text(floor_shares[t])} {'have |floor(w/m)| ' if t == TAIL[0] else ''}"
            f"of at least {t}" for t in TAIL),
        "floor_max": f"{int(sizes.max()):,}",
        "gradient_ratio": f"{min(ratios):.1f}–{max(ratios):.1f}",
        "same_sign": percent(signs[0]["after"]),
        "jumps_kernel_mod": jump_share("kernel_mod"),
        "jumps_straight_through": jump_share("straight_through"),
        "jumps_bias": f"{percent(mean_jumps('adam', 'bias_mod', first))} of them in the first "
                      f"epoch, {percent(mean_jumps('adam', 'bias_mod', last))} in the last",
        "d_w": f"{d_w[0]:g}",
        "truncatemod_error": code(mod_gradients_tf.truncatemod_error),
        "graph_error": code(mod_gradients_tf.graph_error_first_sentence),
        "floormod_issue_year": FLOORMOD_ISSUE_YEAR,
        "torch_step_gradient": f"{float(mod_gradients_torch.step_gradients['round'][0]):g}",
    }
