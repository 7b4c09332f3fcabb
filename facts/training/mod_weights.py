"""Facts on the mod-weights page: the experiment's accuracies, rates and shares, the gradients.

Every number comes from the cached experiment (results/training/mod_weights.py) or from the
gradient snippets, which assert what TensorFlow and PyTorch return.
"""
import statistics

import numpy as np

from engine.results import load
from facts._tables import code, markdown_table
from results.training import mod_weights
from snippets.training import mod_experiment, mod_gradients_tf, mod_gradients_torch
from snippets.training.mod_layers import LABELS

# The TensorFlow issue that reported "gradient registry has no entry for: FloorMod"
# (tensorflow/tensorflow#13933, filed in 2017), typed here once.
FLOORMOD_ISSUE_YEAR = 2017
LEARNED = 0.6  # test accuracy that only an MLP that learns reaches here


def percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def accuracy_cell(values) -> str:
    return f"{percent(statistics.mean(values))} ({percent(min(values))}–{percent(max(values))})"


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
    rows = []
    for variant in results["optimizers"]["adam"]["variants"]:
        row = [LABELS[variant]]
        for optimizer in runs:
            shown = variant in results["optimizers"][optimizer]["variants"]
            row.append(accuracy_cell(final(optimizer, variant)) if shown else "not run")
        rows.append(row)

    # SGD: the loss of every kernel = w mod m MLP turns NaN; Adam's stays near chance.
    nan_epochs = []
    for seed in seeds:
        losses = run("sgd", "kernel_mod", seed)["loss"]
        assert losses[-1] is None, "the SGD run with kernel = w mod m no longer ends in NaN"
        nan_epochs.append(losses.index(None) + 1)
    chance = 1 / len(set(mod_experiment.y_test))
    assert all(a == chance for a in final("sgd", "kernel_mod"))
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
    signs = [run("adam", "kernel_mod", seed)["same_sign_share"] for seed in seeds]
    assert all(s["before"] == s["after"] == 1.0 for s in signs)

    def mean_jumps(optimizer, variant, epochs=slice(None)):
        return statistics.mean(
            statistics.mean(run(optimizer, variant, seed)["jumps"][epochs]) for seed in seeds
        )

    d_w, d_m = mod_gradients_tf.d_w.numpy(), mod_gradients_tf.d_m.numpy()
    assert set(d_w) == {1.0}
    return {
        "epochs": results["epochs"],
        "n_seeds": len(seeds),
        "batch_size": results["batch_size"],
        "train_images": results["train_images"],
        "test_images": results["test_images"],
        "accuracy_table": markdown_table(header, rows),
        "chance": percent(chance),
        "dense_accuracy": percent(statistics.mean(final("adam", "dense"))),
        "no_bias_accuracy": percent(statistics.mean(final("adam", "no_bias"))),
        "bias_mod_accuracy": percent(statistics.mean(final("adam", "bias_mod"))),
        "kernel_mod_adam_accuracy": percent(statistics.mean(final("adam", "kernel_mod"))),
        "kernel_mod_adam_best": percent(max(
            max(run("adam", "kernel_mod", seed)["accuracy"]) for seed in seeds)),
        "straight_through_accuracy": percent(statistics.mean(final("adam", "straight_through"))),
        "sigmoid_adam_accuracy": percent(statistics.mean(final("adam", "sigmoid"))),
        "sigmoid_sgd_accuracy": percent(statistics.mean(final("sgd", "sigmoid"))),
        "sgd_learning_rate": f"{results['optimizers']['sgd']['learning_rate']:g}",
        "sgd_nan_epochs": ", ".join(map(str, nan_epochs)),
        "floor_share_10": percent(np.mean(sizes >= 10)),
        "floor_share_100": f"{100 * np.mean(sizes >= 100):.1f} %",
        "floor_max": f"{int(sizes.max()):,}",
        "floor_entries": f"{len(sizes):,}",
        "gradient_ratio": f"{min(ratios):.1f}–{max(ratios):.1f}",
        "same_sign": percent(signs[0]["after"]),
        "jumps_kernel_mod": percent(mean_jumps("adam", "kernel_mod")),
        "jumps_straight_through": percent(mean_jumps("adam", "straight_through")),
        "jumps_bias_first": percent(mean_jumps("adam", "bias_mod", slice(0, 1))),
        "jumps_bias_last": percent(mean_jumps("adam", "bias_mod", slice(-1, None))),
        "d_w": f"{d_w[0]:g}",
        "truncatemod_error": code(mod_gradients_tf.truncatemod_error),
        "graph_error": code(mod_gradients_tf.graph_error_first_sentence),
        "floormod_issue_year": FLOORMOD_ISSUE_YEAR,
        "torch_step_gradient": f"{float(mod_gradients_torch.step_gradients['round'][0]):g}",
    }
