"""Facts of the normalisation page: BatchNormalization's arrays against nn.BatchNorm2d's
parameters and buffers and which is copied into which, the epsilon and momentum defaults,
the two update rules, the biased and unbiased variances, the training and inference modes,
the channel axis, and LayerNormalization, RMS normalisation and GroupNormalization against
their PyTorch modules, each read from the layers the page's snippets build and checked here.

The update rules and the variance relations are formulas evaluated against the numbers
each library computed before they are printed as LaTeX; the differences measured on
random batches are spreads over seeds.
"""
import itertools

import numpy as np

from facts._formulas import evaluate
from facts._formulas import to_latex as formula_latex
from facts._spread import over_seeds
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, times_word
from snippets.layers import (norm_axis, norm_batch, norm_epsilon, norm_group, norm_layer,
                             norm_modes, norm_momentum, norm_rms, norm_variance)

SEEDS = range(5)
# Each library's update of a running statistic after a training step, as the page writes it.
KERAS_UPDATE = "moving * momentum + batch * (1 - momentum)"
TORCH_UPDATE = "(1 - momentum) * running + momentum * batch"
# The unbiased variance from the biased one, and what it leaves between the two libraries
# after one step with the momenta matched (momentum is then PyTorch's, the batch's share).
UNBIASED = "biased * n / (n - 1)"
VARIANCE_GAP = "momentum * biased / (n - 1)"
SYMBOLS = {"moving": r"\mathrm{moving}", "running": r"\mathrm{running}",
           "batch": r"\mathrm{batch}", "momentum": r"\mathrm{momentum}",
           "biased": r"\sigma^2", "unbiased": r"s^2", "n": "n"}
GAP = r"\mathrm{running\_var} - \mathrm{moving\_variance}"


def to_latex(expression: str) -> str:
    return formula_latex(expression, product=r"\cdot", symbols=SYMBOLS)


def close(a, b) -> bool:
    return bool(np.abs(np.asarray(a) - np.asarray(b)).max() <= 1e-6)


def checked_updates() -> dict[str, str]:
    """Both update rules against the statistics each library kept after one training step,
    with the variance each one uses; the other variance does not fit."""
    step = norm_momentum
    keras_names = {"moving": step.old_mean, "momentum": step.keras_momentum, "batch": step.mean}
    assert close(evaluate(KERAS_UPDATE, keras_names), step.moving_mean)
    keras_names.update(moving=step.old_variance, batch=step.biased)
    assert close(evaluate(KERAS_UPDATE, keras_names), step.moving_variance)
    assert not close(evaluate(KERAS_UPDATE, {**keras_names, "batch": step.unbiased}),
                     step.moving_variance)
    torch_names = {"running": step.old_mean, "momentum": step.torch_momentum, "batch": step.mean}
    assert close(evaluate(TORCH_UPDATE, torch_names), step.running_mean)
    torch_names.update(running=step.old_variance, batch=step.unbiased)
    assert close(evaluate(TORCH_UPDATE, torch_names), step.running_var)
    assert not close(evaluate(TORCH_UPDATE, {**torch_names, "batch": step.biased}),
                     step.running_var)
    return {"keras_moving_update": rf"{SYMBOLS['moving']} \leftarrow {to_latex(KERAS_UPDATE)}",
            "torch_running_update": rf"{SYMBOLS['running']} \leftarrow {to_latex(TORCH_UPDATE)}"}


def checked_variances() -> dict[str, str]:
    """The unbiased variance against NumPy's ddof=1, and the gap after one matched step
    against the one PyTorch and Keras left."""
    matched = norm_variance
    n = matched.n
    assert n == int(np.prod(matched.x.shape[:-1]))  # every value of a channel in the batch
    assert close(evaluate(UNBIASED, {"biased": matched.biased, "n": n}), matched.unbiased)
    gap = evaluate(VARIANCE_GAP, {"momentum": matched.matched_momentum,
                                  "biased": matched.biased, "n": n})
    assert close(gap, matched.gap) and np.all(matched.gap > 0)
    return {"unbiased_equation": f"{to_latex('unbiased')} = {to_latex(UNBIASED)}",
            "gap_equation": f"{GAP} = {to_latex(VARIANCE_GAP)}"}


def arrays_facts() -> dict[str, str]:
    """The arrays each library keeps, read from the snippet's layers, and what each counts."""
    batch = norm_batch
    trained = [name for name, (_, trainable) in batch.keras_arrays.items() if trainable]
    statistics = [name for name, (_, trainable) in batch.keras_arrays.items() if not trainable]
    assert trained == ["gamma", "beta"] and statistics == ["moving_mean", "moving_variance"]
    channels = batch.channels
    assert all(shape == (channels,) for shape, _ in batch.keras_arrays.values())
    n_keras_arrays = len(batch.keras_arrays)
    assert batch.keras_count == n_keras_arrays * channels
    trained_share = batch.keras_trainable_count // channels
    assert batch.keras_trainable_count == trained_share * channels == batch.torch_count
    parameters, buffers = list(batch.torch_parameters), list(batch.torch_buffers)
    counter_shape, counter_dtype = batch.torch_buffers["num_batches_tracked"]
    assert counter_shape == () and counter_dtype == "int64"
    # It counts training steps: 1 after the momentum snippet's one step.
    assert int(norm_momentum.torch_norm.num_batches_tracked) == 1

    def names(items):
        quoted = [code(item) for item in items]
        return ", ".join(quoted[:-1]) + " and " + quoted[-1]

    arrays_answer = (
        f"A Keras `BatchNormalization` keeps {count_word(n_keras_arrays, 'array')} of one "
        f"number per channel: {names(trained)}, which training updates by gradient, and "
        f"{names(statistics)}, which it does not. PyTorch's `nn.BatchNorm2d` keeps "
        f"{count_word(len(parameters), 'parameter')}, {names(parameters)}, and "
        f"{count_word(len(buffers), 'buffer')}: {names(buffers)}, this last an "
        f"{counter_dtype} scalar that counts the training steps")
    count_answer = (
        f"`count_params()` counts all {count_word(n_keras_arrays)} Keras arrays, "
        f"{times_word(n_keras_arrays)} the channels ({batch.keras_count} for {channels} "
        f"channels), of which {batch.keras_trainable_count} are trainable; PyTorch's "
        f"`parameters()` hold {batch.torch_count}, {times_word(trained_share)} the channels: "
        "buffers are not parameters")
    return {"arrays_answer": arrays_answer, "count_answer": count_answer}


def copy_map() -> str:
    """Which PyTorch entry holds which Keras array, found by comparing the values after the
    snippet's copy (whose outputs agree); the counter has no Keras array."""
    batch = norm_batch
    assert batch.copy_difference < 1e-6
    pairs = [(torch_name, keras_name) for torch_name, value in batch.copied.items()
             for keras_name, keras_value in batch.keras_values.items()
             if value.shape == keras_value.shape and np.array_equal(value, keras_value)]
    assert sorted(keras for _, keras in pairs) == sorted(batch.keras_values)
    assert len({torch for torch, _ in pairs}) == len(pairs) == len(batch.keras_values)
    unpaired = [name for name in batch.copied if name not in dict(pairs)]
    assert unpaired == ["num_batches_tracked"]
    mapped = ", ".join(f"{code(keras)} → {code(torch_name)}" for torch_name, keras in pairs)
    return f"{mapped}; {code(unpaired[0])} has no Keras array and may stay 0"


def epsilon_facts() -> dict[str, str]:
    """The defaults read from the layers, the output difference with them over seeds, and
    the difference once PyTorch's eps is Keras' epsilon."""
    snippet = norm_epsilon
    keras_epsilon, torch_epsilon = snippet.keras_epsilon, snippet.torch_epsilon
    assert keras_epsilon > torch_epsilon
    default_difference = over_seeds(snippet.default_epsilon_difference, SEEDS, "{:.2g}")
    assert default_difference.low > 1e-4
    matched_difference = snippet.matched_difference
    assert matched_difference <= 1e-5 < default_difference.low
    return {
        "epsilon_defaults": (
            f"Keras' `BatchNormalization` adds `epsilon={keras_epsilon}` to the variance, "
            f"PyTorch's `nn.BatchNorm2d` `eps={torch_epsilon}`"),
        "epsilon_answer": (
            f"With each library's default epsilon, the outputs of one batch of standard "
            f"normal numbers differ by up to {default_difference}; with "
            f"`eps={keras_epsilon}` in PyTorch, by at most {matched_difference:.1g}"),
    }


def momentum_facts() -> dict[str, str]:
    """Which PyTorch momentum gives Keras' moving statistics, from the matched run, and
    what each library's default is in the other's convention."""
    keras_momentum = norm_momentum.keras_momentum
    torch_momentum = norm_momentum.torch_momentum
    matched = norm_variance.matched_momentum
    assert norm_variance.keras_momentum == keras_momentum
    assert abs(matched - (1 - keras_momentum)) < 1e-12 and close(
        norm_variance.moving_mean, norm_variance.torch_norm.running_mean.numpy())
    keras_equivalent = 1 - torch_momentum
    assert abs(matched - torch_momentum) > 0.01
    return {"momentum_answer": (
        f"PyTorch's momentum is 1 − Keras' momentum: Keras' default `momentum="
        f"{keras_momentum}` is `momentum={matched:g}` in PyTorch, and PyTorch's default "
        f"`momentum={torch_momentum}` is `momentum={keras_equivalent:g}` in Keras")}


def variance_facts() -> dict[str, str]:
    """Which variance each library normalises with and updates with, from the snippets'
    NumPy re-computations, and the gap after several steps over seeds."""
    matched = norm_variance
    assert matched.unbiased_miss > 1e-3
    assert norm_momentum.keras_momentum == matched.keras_momentum
    steps = matched.steps
    gap = over_seeds(matched.variance_gap, SEEDS, "{:.2g}")
    assert gap.low > matched.gap.max() > 0  # more than after one step
    return {
        "normalise_answer": (
            f"In training, both libraries normalise a batch with its biased variance "
            f"$\\sigma^2$, divided by the {matched.n} values a channel has in the batch, "
            "not with the unbiased one"),
        "update_answer": (
            "Keras updates `moving_variance` with the biased batch variance $\\sigma^2$, "
            "PyTorch updates `running_var` with the unbiased one, $s^2$"),
        "steps_answer": (
            f"The gap grows as the layers train: after {steps} training steps on the same "
            "batches, with the momenta matched, "
            f"`running_var` ends above `moving_variance` in each channel by {gap}"),
    }


def modes_facts() -> dict[str, str]:
    """What each mode does, chosen by what the snippet's layers did."""
    modes = norm_modes
    assert modes.keras_updates and modes.frozen_torch_updates
    keras_frozen = (f"`trainable=False` runs it in {modes.frozen_mode} mode even with "
                    f"`training=True`: it normalises with the moving statistics and "
                    f"{'updates' if modes.frozen_updates else 'leaves'} them")
    torch_frozen = (f"`requires_grad_(False)` freezes `weight` and `bias` but leaves the "
                    f"module in {modes.frozen_torch_mode} mode: it still normalises with the "
                    f"batch and {'updates' if modes.frozen_torch_updates else 'leaves'} "
                    "`running_mean` and `running_var`")
    assert "inference" in keras_frozen and "leaves them" in keras_frozen
    assert "training mode" in torch_frozen and "updates" in torch_frozen
    assert modes.back_in_training
    return {
        "modes_answer": (
            "In Keras, `layer(x, training=True)` normalises with the batch's statistics and "
            f"updates the moving ones, and {keras_frozen}. In PyTorch, `train()` and "
            f"`eval()` choose, and {torch_frozen}"),
        "frozen_torch_answer": (
            "To freeze a PyTorch batch normalisation as Keras' `trainable=False` does, call "
            "`requires_grad_(False)` and `eval()` on it, and again `eval()` after each "
            "`model.train()`, which puts it back in train() mode"),
    }


def axis_facts() -> dict[str, str]:
    """The channel axis each library reads, and the table of ranks the snippet ran."""
    axis = norm_axis
    assert axis.default_axis == -1 and axis.keras_channels_first_axis == 1
    assert axis.first_difference < 1e-5
    rows = []
    for keras_shape, module, torch_shape, to_first in axis.ranks:
        assert torch_shape[1] == keras_shape[-1]  # the channels, moved to axis 1
        move = ("no move" if to_first == tuple(range(len(to_first)))
                else code(f"x.permute{to_first}"))
        assert (move == "no move") == (tuple(keras_shape) == tuple(torch_shape))
        rows.append([code(shape_text(keras_shape)), f"`nn.{module}`",
                     code(shape_text(torch_shape)), move])
    table = markdown_table(["Keras input (channels last)", "PyTorch module", "PyTorch input",
                            "Move"], rows)
    kept = list(axis.kept)
    assert len({tuple(keys) for keys in axis.kept.values()}) == 1
    same_arrays = (", ".join(f"`nn.{name}`" for name in kept[:-1]) + f" and `nn.{kept[-1]}` "
                   "keep the same parameters and buffers")
    return {"ranks_table": table, "ranks_arrays": same_arrays}


def channels_first_facts() -> dict[str, str]:
    """What the default axis does to channels_first data, read from the snippet's layer."""
    axis = norm_axis
    by_default, per_channel = axis.default_gamma_shape, axis.per_channel_shape
    shape = axis.channels_first_shape
    assert by_default == (shape[-1],) and per_channel == (shape[1],)
    return {"channels_first_answer": (
        f"Keras reads the channels at `axis={axis.default_axis}` by default, PyTorch's "
        f"`BatchNorm1d` to `BatchNorm3d` at axis {axis.keras_channels_first_axis}. On "
        f"channels_first data, {shape_text(shape)} here, a Keras layer needs "
        f"`axis={axis.keras_channels_first_axis}`; with the default, its `gamma` is "
        f"{code(shape_text(by_default))}, one per column of the width, not "
        f"{code(shape_text(per_channel))}")}


def permutation_of(source: np.ndarray, target: np.ndarray) -> tuple[int, ...]:
    """The one axis order that turns `source` into `target`."""
    found = [axes for axes in itertools.permutations(range(source.ndim))
             if source.transpose(axes).shape == target.shape
             and np.array_equal(source.transpose(axes), target)]
    assert len(found) == 1, found
    return found[0]


def layer_facts() -> dict[str, str]:
    """LayerNormalization against nn.LayerNorm, read from the snippet's layers."""
    layer = norm_layer
    keras_arrays, torch_arrays = layer.keras_arrays, layer.torch_arrays
    (keras_scale, keras_shift), (torch_scale, torch_shift) = keras_arrays, torch_arrays
    features = layer.x.shape[-1]
    assert set(keras_arrays.values()) == set(torch_arrays.values()) == {(features,)}
    assert layer.keras_epsilon > layer.torch_epsilon and layer.layer_difference <= 1e-5
    gamma = np.asarray(layer.over_image.gamma)
    weight = layer.torch_image.weight.detach().numpy()
    axes = permutation_of(gamma, weight)
    assert axes != (0, 1, 2)
    return {
        "layer_answer": (
            f"Keras' `LayerNormalization()` normalises each sample over `axis=-1` with "
            f"{code(keras_scale)} and {code(keras_shift)} of shape (features,) and "
            f"`epsilon={layer.keras_epsilon}`; `nn.LayerNorm(features)` keeps "
            f"{code(torch_scale)} and {code(torch_shift)} of shape (features,) and "
            f"`eps={layer.torch_epsilon}`. Both divide by the biased variance, and the "
            f"outputs agree to {layer.layer_difference:.1g} once the epsilons are the same"),
        "image_layer_answer": (
            f"Over an image's (height, width, channels), `axis=[1, 2, 3]`, Keras' `gamma` is "
            f"{code(shape_text(gamma.shape))}; `nn.LayerNorm` over the channels_first "
            f"(channels, height, width) has a `weight` of {code(shape_text(weight.shape))}, "
            f"which the copy fills with {code(f'gamma.transpose{axes}')}"),
    }


def rms_facts() -> dict[str, str]:
    """What rms_scaling=True keeps and computes, and RMSNormalization against nn.RMSNorm."""
    rms = norm_rms
    assert "deprecated" in rms.warning_text and rms.rms_scaling_arrays == ["gamma"]
    assert rms.rms_scaling_difference > 0.1 and rms.rms_layer_difference <= 1e-5
    assert rms.smallest_mean > 0  # "the snippet's inputs, whose mean is not" 0
    assert rms.rms_layer_arrays == ["scale"]
    assert rms.torch_rms_epsilon is None and rms.machine_epsilon == np.finfo(np.float32).eps
    # The question's yes or no: whether rms_scaling=True matched nn.RMSNorm on the snippet.
    matches = rms.rms_scaling_difference <= 1e-5
    assert not matches  # the answer below explains the other outputs
    rms_verdict = "Yes" if matches else "No"
    return {
        "rms_verdict": rms_verdict,
        "rms_scaling_answer": (
            f"`LayerNormalization(rms_scaling=True)` warns that it is deprecated, keeps "
            f"{code(rms.rms_scaling_arrays[0])} alone, and divides by the root of the "
            "variance, not by the root mean square: it gives `nn.RMSNorm`'s output when the "
            "inputs' mean over the axis is 0, and other outputs on the snippet's inputs, "
            "whose mean is not"),
        "rms_layer_answer": (
            f"`keras.layers.RMSNormalization` computes what `nn.RMSNorm` computes: its "
            f"{code(rms.rms_layer_arrays[0])} is the module's `weight`, and the outputs agree "
            f"to {rms.rms_layer_difference:.1g} once `eps` is Keras' "
            f"`epsilon={rms.keras_rms_epsilon}` (PyTorch's default is "
            f"`eps={rms.torch_rms_epsilon}`, which adds float32's machine epsilon, "
            f"{rms.machine_epsilon:.3g})"),
    }


def group_facts() -> dict[str, str]:
    """GroupNormalization against nn.GroupNorm, read from the snippet's layers."""
    group = norm_group
    channels = group.x.shape[-1]
    assert set(group.keras_arrays.values()) == set(group.torch_arrays.values()) == {
        (channels,)}
    assert group.group_difference <= 1e-5 and group.keras_epsilon > group.torch_epsilon
    size = channels // group.group_norm.groups
    assert size * group.group_norm.groups == channels  # the groups cover the channels
    return {"group_answer": (
        f"`GroupNormalization(groups={group.group_norm.groups})` and "
        f"`nn.GroupNorm(num_groups={group.torch_norm.num_groups}, num_channels={channels})` "
        f"split the channels into groups of {count_word(size)} consecutive channels and "
        "normalise each sample's group with its biased variance; `gamma` and `beta` are "
        f"`weight` and `bias`, {code(shape_text((channels,)))}, one per channel. Keras "
        f"defaults to `groups={group.keras_groups}`, `axis={group.keras_axis}` and "
        f"`epsilon={group.keras_epsilon}`; PyTorch reads the channels at axis 1, has no "
        f"default for `num_groups`, and `eps={group.torch_epsilon}`")}


def settings_table() -> str:
    """What to copy into what and what to set, each row read from a run whose outputs
    agree."""
    batch, rms = norm_batch, norm_rms
    pairs = [(keras, torch_name) for torch_name, value in batch.copied.items()
             for keras, keras_value in batch.keras_values.items()
             if np.array_equal(value, keras_value)]
    assert len(pairs) == len(batch.keras_values) and batch.copy_difference < 1e-6
    epsilon = norm_epsilon.keras_epsilon
    matched = norm_variance.matched_momentum
    assert norm_epsilon.matched_difference <= 1e-5
    assert abs(norm_variance.keras_momentum + matched - 1) < 1e-12
    channels_last = norm_axis.ranks[2]
    assert channels_last[1] == "BatchNorm2d"
    rows = [[f"`BatchNormalization`: {code(keras)}", f"`nn.BatchNorm2d`: {code(torch_name)}",
             "[copy](#copy)"] for keras, torch_name in pairs]
    rows += [
        [f"`epsilon={epsilon}`", f"`eps={epsilon}` (default `eps={norm_epsilon.torch_epsilon}`)",
         "[epsilon](#epsilon)"],
        [f"`momentum={norm_variance.keras_momentum}`",
         f"`momentum={matched:g}` (default `momentum={norm_momentum.torch_momentum}`)",
         "[momentum](#momentum)"],
        [f"`axis={norm_axis.default_axis}`, channels last",
         f"input {code(f'x.permute{channels_last[3]}')}", "[channel axis](#channel-axis)"],
        [f"`axis={norm_axis.keras_channels_first_axis}`, channels first", "no move",
         "[channel axis](#channel-axis)"],
        [f"`LayerNormalization`: `gamma`, `beta`, `epsilon={norm_layer.keras_epsilon}`",
         f"`nn.LayerNorm`: `weight`, `bias`, `eps={norm_layer.keras_epsilon}`",
         "[layer normalisation](#layer-norm)"],
        [f"`GroupNormalization(groups=g)`: `gamma`, `beta`, "
         f"`epsilon={norm_group.keras_epsilon}`",
         f"`nn.GroupNorm(num_groups=g)`: `weight`, `bias`, `eps={norm_group.keras_epsilon}`",
         "[group normalisation](#group-norm)"],
        [f"`RMSNormalization`: {code(rms.rms_layer_arrays[0])}, "
         f"`epsilon={rms.keras_rms_epsilon}`",
         f"`nn.RMSNorm`: `weight`, `eps={rms.keras_rms_epsilon}`",
         "[RMS normalisation](#rms)"],
    ]
    return markdown_table(["Keras", "PyTorch", "Proof"], rows)


def make_facts() -> dict[str, str]:
    return {
        **checked_updates(),
        **checked_variances(),
        **arrays_facts(),
        "copy_map": copy_map(),
        **epsilon_facts(),
        **momentum_facts(),
        **variance_facts(),
        **modes_facts(),
        **axis_facts(),
        **channels_first_facts(),
        **layer_facts(),
        **rms_facts(),
        **group_facts(),
        "settings_table": settings_table(),
    }
