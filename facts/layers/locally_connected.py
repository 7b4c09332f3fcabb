"""Facts of the locally connected page: shapes, counts, axes and measured errors, each read
from the layers the page's snippets build and checked against them here.

The 2-D parameter count is one formula string, evaluated against the PyTorch layer of the
page, against Keras 2's LocallyConnected2D (tf_keras) and against the page's Keras 3 layer
before it is printed as LaTeX. Measured errors are spreads over the measurement's seeds.
"""
import inspect
import io
import itertools
import statistics
import tokenize

import tf_keras
import torch

from facts._formulas import evaluate
from facts._spread import over_seeds
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, ordinal_word, times_word
from snippets.layers import (
    keras3_layer, keras3_layer_2d, keras_legacy, locally_connected_2d, masked_linear,
    masking_traps, readers_network, shared_filter, unfold_layer, when_to_choose,
)

# The parameter counts as formulas in the layers' own argument names.
LOCAL_2D_COUNT = ("(height - kernel_size + 1) * (width - kernel_size + 1)"
                  " * (in_channels * kernel_size * kernel_size * out_channels + out_channels)")
CONV_2D_COUNT = "out_channels * (in_channels * kernel_size * kernel_size + 1)"
LOCAL_2D_KERAS_KERNEL = ("(height - kernel_size + 1) * (width - kernel_size + 1)",
                         "kernel_size * kernel_size * in_channels", "out_channels")
SIZES_2D = [  # (in_channels, out_channels, height, width, kernel_size)
    (8, 5, 8, 8, 3), (1, 1, 5, 7, 2), (3, 4, 6, 6, 1), (2, 3, 9, 4, 4), (1, 2, 3, 3, 3),
]
LATEX = {
    "height": "H", "width": "W", "in_channels": "C", "out_channels": "F", "kernel_size": "k",
}


def to_latex(expression: str) -> str:
    """`out_channels * (in_channels + 1)` -> `F \\cdot (C + 1)`; an unknown name is an error."""
    parts = []
    for token in tokenize.generate_tokens(io.StringIO(expression).readline):
        if token.type == tokenize.NAME:
            parts.append(LATEX[token.string])
        elif token.type == tokenize.NUMBER:
            parts.append(token.string)
        elif token.type == tokenize.OP:
            parts.append({"*": r" \cdot ", "+": " + ", "-": " - ", "(": "(", ")": ")"}[token.string])
        elif token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            raise ValueError(f"unexpected {token.string!r} in {expression!r}")
    return "".join(parts)


def checked_2d_formulas():
    """Each formula against a real PyTorch layer, nn.Conv2d and tf_keras' LocallyConnected2D."""
    for in_channels, out_channels, height, width, kernel_size in SIZES_2D:
        names = dict(in_channels=in_channels, out_channels=out_channels, height=height,
                     width=width, kernel_size=kernel_size)
        ours = locally_connected_2d.LocallyConnected2d(
            in_channels, out_channels, (height, width), kernel_size)
        conv = torch.nn.Conv2d(in_channels, out_channels, kernel_size)
        legacy = tf_keras.layers.LocallyConnected2D(out_channels, kernel_size)
        legacy.build((None, height, width, in_channels))
        ported = keras3_layer_2d.LocallyConnected2D(out_channels, kernel_size)
        ported.build((None, height, width, in_channels))
        expected = evaluate(LOCAL_2D_COUNT, names)
        assert sum(p.numel() for p in ours.parameters()) == expected
        assert legacy.count_params() == expected == ported.count_params()
        assert [tuple(w.shape) for w in ported.weights] == [
            tuple(w.shape) for w in legacy.weights]
        assert sum(p.numel() for p in conv.parameters()) == evaluate(CONV_2D_COUNT, names)
        kernel_shape = tuple(evaluate(term, names) for term in LOCAL_2D_KERAS_KERNEL)
        assert tuple(legacy.kernel.shape) == kernel_shape
        assert tuple(legacy.bias.shape) == (height - kernel_size + 1, width - kernel_size + 1,
                                            out_channels)


# The axes of a 2-D patch, and a patch's sizes along them for the probes below: sizes that
# differ, so that no two axes can pass for each other.
PATCH_AXES = ("channel", "row", "column")
PROBE_SIZES = (2, 3, 4)  # channels, rows, columns of an image that is a single patch


def patch_labels(order_of_dims) -> torch.Tensor:
    """An image whose every entry holds its own (channel, row, column) index, its dims in
    `order_of_dims` (a permutation of PATCH_AXES), with a batch axis first."""
    indices = torch.stack(torch.meshgrid(*(torch.arange(n) for n in PROBE_SIZES),
                                         indexing="ij"), dim=-1)  # (C, H, W, 3)
    labels = indices[..., 0] * 100 + indices[..., 1] * 10 + indices[..., 2]
    dims = [PATCH_AXES.index(axis) for axis in order_of_dims]
    return labels.permute(*dims).unsqueeze(0).float()


def flattening_order(flat) -> str:
    """The order of PATCH_AXES in which a flattened patch of labels runs: the one
    permutation under which the labels come sorted, slowest axis first."""
    decoded = [(int(v) // 100, int(v) // 10 % 10, int(v) % 10) for v in flat]
    orders = [order for order in itertools.permutations(range(len(PATCH_AXES)))
              if [tuple(d[i] for i in order) for d in decoded] == sorted(
                  tuple(d[i] for i in order) for d in decoded)]
    (order,) = orders
    assert len(set(decoded)) == len(decoded) == PROBE_SIZES[0] * PROBE_SIZES[1] * PROBE_SIZES[2]
    return ", then ".join(PATCH_AXES[i] for i in order)


def patch_orders() -> dict[str, str]:
    """How PyTorch's unfold (and Conv2d.weight) and tf_keras' LocallyConnected2D flatten a
    patch: read from each on an image that is one patch of labelled entries."""
    channels, rows, columns = PROBE_SIZES
    patch = channels * rows * columns
    image = patch_labels(PATCH_AXES)  # (1, C, H, W), as PyTorch takes it
    unfolded = torch.nn.functional.unfold(image, (rows, columns))[0, :, 0]
    # Conv2d.weight, (out_channels, C, kH, kW) flattened: an out_channel per patch entry.
    conv = torch.nn.Conv2d(channels, patch, (rows, columns), bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.eye(patch).reshape(patch, channels, rows, columns))
        torch.testing.assert_close(conv(image)[0, :, 0, 0], unfolded, rtol=0, atol=0)
    legacy = tf_keras.layers.LocallyConnected2D(filters=patch, kernel_size=(rows, columns))
    legacy.build((None, rows, columns, channels))
    legacy.set_weights([torch.eye(patch)[None].numpy(), torch.zeros(1, 1, patch).numpy()])
    keras_image = patch_labels(("row", "column", "channel")).numpy()  # channels last
    keras_flat = legacy(keras_image).numpy().reshape(patch)
    return {"unfold_patch_order": flattening_order(unfolded.tolist()),
            "keras_patch_order": flattening_order(keras_flat.tolist())}


def legacy_source_url(layer_class):
    """Where tf_keras defines a layer, at the tag of the installed version."""
    path = inspect.getsourcefile(layer_class)
    relative = path[path.rindex("tf_keras/"):]
    # the file of the class's own dimension: LocallyConnected1D's ends in locally_connected1d.py
    assert relative.endswith(f"locally_connected{layer_class.__name__[-2:].lower()}.py"), relative
    return f"https://github.com/keras-team/tf-keras/blob/v{tf_keras.__version__}/{relative}"


def shown_module(text, module, **namespace):
    """`text`, a constructor call the table shows, as code, once it builds a module like the
    snippet's `module`: of its class, with its options (extra_repr) and its arrays' shapes."""
    built = eval(text, {"__builtins__": {}}, {"nn": torch.nn, **namespace})
    assert isinstance(module, type(built)) and built.extra_repr() == module.extra_repr(), text
    for name in ("weight", "bias"):
        assert getattr(built, name).shape == getattr(module, name).shape, (text, name)
    return code(text)


def design_rows():
    """The question's network and the three designs: first layer, who sees what, counts."""
    readers, shared = readers_network, shared_filter
    free_in_band = int(masked_linear.mask.sum())
    local_bias = masked_linear.local.bias.numel()
    rows = [
        ["the question's network", shown_module("nn.Conv1d(in_channels=1, out_channels=6, kernel_size=3)",
                                                 readers.readers_net[0]),
         f"{readers.filters} filters × {readers.positions} positions = "
         f"{readers.filters * readers.positions} neurons, {readers.sees.unique().item()} inputs each",
         f"{readers.conv_parameter_count}", f"{readers.parameter_count}",
         code(shape_text(readers.probabilities.shape))],
        ["[a shared filter](#shared-filter)",
         shown_module("nn.Conv1d(in_channels=1, out_channels=1, kernel_size=3)", shared.shared_filter_net[1]),
         f"{shared.jacobian.shape[0]} neurons, {int(shared.jacobian[0].count_nonzero())} "
         "inputs each, the same weights",
         f"{shared.first_layer_parameter_count}", f"{shared.parameter_count}",
         code(shape_text(shared.logits.shape))],
        ["[band-masked `nn.Linear`](#masked-forward), [parametrized](#parametrize)",
         shown_module("nn.Linear(8, 6)", masked_linear.local) + " × band mask",
         f"{masked_linear.mask.shape[0]} neurons, {int(masked_linear.mask[0].sum())} inputs "
         "each, weights of their own",
         f"{masked_linear.stored_parameters} stored, {free_in_band + local_bias} used",
         f"{masked_linear.model_stored_parameters} stored, {masked_linear.model_free_parameters} used",
         code(shape_text(masked_linear.logits.shape))],
        ["[unfold layer](#unfold)", shown_module("LocallyConnected1d(in_features=8, kernel_size=3)", unfold_layer.layer,
                                               LocallyConnected1d=unfold_layer.LocallyConnected1d),
         f"{unfold_layer.layer.weight.shape[0]} neurons, {unfold_layer.layer.weight.shape[1]} "
         "inputs each, weights of their own",
         f"{unfold_layer.first_layer_parameter_count}", f"{unfold_layer.parameter_count}",
         code(shape_text(unfold_layer.logits.shape))],
    ]
    assert unfold_layer.first_layer_parameter_count == free_in_band + local_bias
    assert unfold_layer.parameter_count == masked_linear.model_free_parameters
    return markdown_table(
        ["design", "first layer", "what the first layer is", "its parameters",
         "network's parameters", "output"], rows)


def stored_table():
    """What each way of holding the first layer keeps (its state_dict) and how much it uses."""
    mask = masked_linear.mask
    in_band = int(mask.sum())
    layers = {
        "`MaskedLinear`": (masked_linear.masked, in_band),
        "parametrized `nn.Linear`": (masked_linear.local, in_band),
        "`LocallyConnected1d` (unfold)": (unfold_layer.layer, unfold_layer.layer.weight.numel()),
    }
    rows = []
    for name, (layer, used_weights) in layers.items():
        parameters, buffers = dict(layer.named_parameters()), dict(layer.named_buffers())
        used = used_weights + layer.bias.numel()
        rows.append([
            name,
            "<br>".join(f"{code(key)} {code(shape_text(p.shape))}" for key, p in parameters.items()),
            "<br>".join(f"{code(key)} {code(shape_text(b.shape))}" for key, b in buffers.items())
            or "none",
            str(sum(p.numel() for p in parameters.values())), str(used),
        ])
    # Every way uses the same numbers; the masked ones store the off-band zeros as well.
    assert len({row[4] for row in rows}) == 1
    assert [row[3] for row in rows] == [str(masked_linear.stored_parameters)] * 2 + [rows[2][4]]
    return markdown_table(["first layer", "parameters", "buffers (not trained)",
                           "numbers stored", "numbers used"], rows)


def result_spreads():
    """{(truth, training samples, design): the relative test error over the seeds}."""
    runs = when_to_choose.runs
    keys = next(iter(runs.values()))
    return {key: over_seeds(lambda seed, key=key: runs[seed][key], runs, "{:.2g}")
            for key in keys}


def results_table(spreads):
    """Relative test error per truth, training-set size and design: the median over the
    seeds with the range in brackets; the best median in bold."""
    truths, sizes, designs = when_to_choose.truth_names, when_to_choose.sizes, when_to_choose.designs
    rows, best_of = [], {}
    for truth, samples in itertools.product(truths, sizes):
        cells = {design: spreads[truth, samples, design] for design in designs}
        best = best_of[truth, samples] = min(cells, key=lambda d: cells[d].median)
        rows.append([truth, str(samples)] + [
            (f"**{text}**" if d == best else text) for d in designs
            for text in [f"{cells[d].written(cells[d].median)} "
                         f"({cells[d].written(cells[d].low)}–{cells[d].written(cells[d].high)})"]])
    # The page reads the bold cells: on data from one filter for all, the shared filter wins
    # at each size; on a filter per neuron, the locally connected layer with the fewest.
    for row, key in zip(rows, itertools.product(truths, sizes), strict=True):
        bold = [d for d, cell in zip(designs, row[2:], strict=True) if cell.startswith("**")]
        assert bold == [best_of[key]], (key, bold)
    per_neuron, for_all = truths
    assert all(best_of[for_all, samples] == "shared filter" for samples in sizes)
    assert best_of[per_neuron, sizes[0]] == "locally connected"
    header = ["the data came from", "training samples"] + [
        f"{design}, {when_to_choose.free_parameters[design]} parameters" for design in designs]
    return markdown_table(header, rows)


def measured_facts():
    """The measurement's claims, each over the seeds: in how many they hold, and the spread."""
    spreads = result_spreads()
    per_neuron, for_all = when_to_choose.truth_names
    sizes, seeds = when_to_choose.sizes, len(when_to_choose.runs)
    assert seeds >= 10
    shared_per_neuron = [spreads[per_neuron, n, "shared filter"] for n in sizes]
    shared_low = min(s.low for s in shared_per_neuron)
    shared_high = max(s.high for s in shared_per_neuron)
    assert shared_low > 0.5  # one shared filter fits a filter per neuron at no size
    fully_few = spreads[for_all, sizes[0], "fully connected"]
    # the seeds themselves, not only how many: the snippet's list, found again from the spread
    worse_seeds = [seed for seed, error in zip(fully_few.seeds, fully_few.values) if error > 1]
    assert worse_seeds == when_to_choose.worse_than_mean
    worse_than_mean = len(worse_seeds)
    assert 0 < worse_than_mean < seeds  # in some seeds, not in all: the page says how many
    # One filter for all: the designs ranked by test error, the same in each seed and size.
    rankings = {tuple(sorted(when_to_choose.designs, key=lambda design: errors[for_all, n, design]))
                for errors in when_to_choose.runs.values() for n in sizes}
    (ranking,) = rankings
    assert ranking[0] == "shared filter"
    local_change = over_seeds(locally_connected_2d.largest_change, range(seeds), "{:.2f}")
    assert local_change.low > 0.1  # the locally connected output does not move with it
    return {
        "results_table": results_table(spreads),
        "results_statistic": f"the {statistics.median.__name__} of {seeds} seeds, and in "
                             "brackets the range from the lowest seed to the highest",
        "seed_count": f"{seeds} seeds",
        "figure_statistic": f"the {statistics.median.__name__} of the {seeds} seeds as a "
                            "line, and the range from the lowest seed to the highest as a band",
        "shared_per_neuron_range": f"{shared_low:.2g} and {shared_high:.2g}",
        "worse_than_mean_seeds": f"{worse_than_mean} of {seeds} seeds",
        "fully_connected_few_samples": str(fully_few),
        "local_2d_change": str(local_change),
        "locally_connected_rank_position": ordinal_word(ranking.index("locally connected")),
    }


def local_2d_array_shapes():
    """The 2-D layer's parameters, named as the module names them, each with its shape and
    what its axes are: read from the layer, not typed."""
    local_2d = locally_connected_2d.local_2d
    output_rows, output_columns = local_2d.output_size
    positions = output_rows * output_columns
    parameters = dict(local_2d.named_parameters())
    weight, bias = parameters.values()
    out_channels, patch = bias.shape[0], weight.shape[1]
    # The forward pass: the patch axis of unfold meets weight's second axis, the output
    # channels come out of its third; the bias adds a value per output channel and position.
    kernel_size = local_2d.kernel_size
    in_channels = patch // (kernel_size * kernel_size)
    assert in_channels * kernel_size * kernel_size == patch
    images = locally_connected_2d.images
    patches = torch.nn.functional.unfold(images, kernel_size)
    assert patches.shape[1:] == (patch, positions)
    with torch.no_grad():
        by_hand = torch.einsum("bpl,lpo->bol", patches, weight).reshape(
            images.shape[0], out_channels, output_rows, output_columns) + bias
        torch.testing.assert_close(local_2d(images), by_hand)
    assert tuple(weight.shape) == (positions, patch, out_channels)
    assert tuple(bias.shape) == (out_channels, output_rows, output_columns)
    weight_name, bias_name = parameters
    return (f"Its {code(weight_name)} has shape {code(shape_text(weight.shape))} ({positions} "
            f"positions, a patch of {patch} inputs, {out_channels} output channels), and its "
            f"{code(bias_name)} {code(shape_text(bias.shape))} ({out_channels} output channels, "
            f"{output_rows} × {output_columns} positions)")


def worded_facts(hidden, window, input_features, classes, batch):
    """Counts and comparisons the page writes in words, each with its own noun, so that no
    two numbers of one sentence can trade places: each computed from the layer it counts."""
    readers, shared = readers_network, shared_filter
    conv, shared_conv = readers.readers_net[0], shared.shared_filter_net[1]
    # The question's second hidden layer is as wide as its first.
    assert readers.readers_net[2].out_features == hidden
    # Each filter of the question's Conv1d, and the shared one, is a window of weights.
    assert conv.kernel_size[0] == shared_conv.weight.numel() == window
    assert shared.jacobian.shape == (hidden, input_features)
    neurons = readers.filters * readers.positions
    assert readers.sees.numel() == neurons and readers.conv_output.shape[1:] == (
        readers.filters, readers.positions)
    # The shared filter: out_channels filters; the page's shift moves the output as far.
    signal = torch.randn(1, 1, input_features)
    moved = torch.roll(signal, shifts=shared.shift, dims=-1)
    with torch.no_grad():
        torch.testing.assert_close(shared_conv(moved)[..., shared.shift:],
                                   shared_conv(signal)[..., :-shared.shift])
    # The unfold layer's windows: one per neuron, each as long as the kernel.
    _batch, windows, window_length = unfold_layer.windows_shape
    assert (windows, window_length) == tuple(unfold_layer.layer.weight.shape)
    # The 2-D layer: a filter bank of a patch per output position.
    local_2d = locally_connected_2d.local_2d
    output_rows, output_columns = local_2d.output_size
    positions = output_rows * output_columns
    out_channels = local_2d.bias.shape[0]
    patch = local_2d.weight.shape[1]
    assert tuple(local_2d.weight.shape) == (positions, patch, out_channels)
    assert tuple(local_2d.bias.shape) == (out_channels, output_rows, output_columns)
    assert locally_connected_2d.shapes["local"][1:] == (out_channels, output_rows, output_columns)
    counts_2d = locally_connected_2d.counts
    assert counts_2d["local"] == positions * counts_2d["conv"]
    shifted_2d = torch.roll(locally_connected_2d.images, shifts=locally_connected_2d.shift,
                            dims=-1)
    with torch.no_grad():
        conv_2d = locally_connected_2d.conv_2d
        torch.testing.assert_close(
            conv_2d(shifted_2d)[..., locally_connected_2d.shift:],
            conv_2d(locally_connected_2d.images)[..., :-locally_connected_2d.shift])
    # The measurement's data: a hidden layer of filters, one window per neuron.
    truths = when_to_choose.make_truths(torch.Generator().manual_seed(0))
    per_neuron, for_all = when_to_choose.truth_names
    truth_neurons, truth_window = truths[per_neuron].shape
    assert truths[for_all].shape == (truth_neurons, truth_window)
    assert torch.equal(truths[for_all], truths[for_all][:1].expand(truth_neurons, truth_window))
    sizes = when_to_choose.sizes
    assert list(sizes) == sorted(sizes)
    test_inputs = inspect.signature(when_to_choose.relative_errors).parameters["test_inputs"]
    assert test_inputs.default > sizes[-1]
    stored, free = masked_linear.stored_parameters, masked_linear.free_parameters
    assert stored == sum(p.numel() for p in masked_linear.local.parameters())
    assert free == int(masked_linear.mask.sum()) + masked_linear.local.bias.numel()
    return {
        "hidden_neurons": f"{hidden} neurons",
        "window_inputs": f"{window} consecutive inputs",
        "filter_weights": f"{window} weights",
        "input_count": f"{input_features} inputs",
        "class_count": f"{classes} classes",
        "batch_samples": f"{batch} samples",
        "returns_instead": f"{code(shape_text(readers.probabilities.shape))} instead of "
                           f"{code(shape_text((batch, classes)))}",
        "readers_output_dimensions": f"{count_word(readers.probabilities.dim())}-dimensional",
        "filter_position_neurons": f"{readers.filters} filters × {readers.positions} positions = "
                                   f"{neurons} neurons",
        "filter_positions_noun": f"{readers.positions} positions",
        "shared_filter_count": count_word(shared_conv.out_channels, "filter"),
        "shared_instead_of_free": f"{shared.first_layer_parameter_count} parameters instead "
                                  f"of {free}",
        "stored_and_used": f"{stored} numbers stored, {free} used",
        "shift_places": count_word(shared.shift, "place"),
        "unfold_windows": f"{windows} windows of {window_length} consecutive values",
        "unfold_instead_of_masked_shape":
            f"{code(shape_text(unfold_layer.layer.weight.shape))} instead of a masked "
            f"{code(shape_text(masked_linear.masked.weight.shape))} one",
        "local_2d_array_shapes": local_2d_array_shapes(),
        "positions_2d_noun": f"{output_rows} × {output_columns} = {positions} output positions",
        "local_and_conv_2d_counts": f"{counts_2d['local']} parameters to the convolution's "
                                    f"{counts_2d['conv']}, {times_word(positions)} as many",
        "shift_2d_columns": count_word(locally_connected_2d.shift, "column"),
        "truth_neurons": f"{truth_neurons} neurons",
        "truth_window": f"{truth_window} consecutive inputs",
        "sample_range": f"{sizes[0]} to {sizes[-1]} samples",
        "test_inputs": f"{test_inputs.default} new inputs",
    }


def listed(names) -> str:
    """`A`, `B` and `C`: names as code, in a sentence."""
    names = [code(name) for name in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def optimizer_facts(off_band):
    """What each optimizer class in torch.optim does to the masked weights: read from the
    page's proofs, which enumerate the module, and checked against the module here."""
    family = masked_linear.family
    exported = sorted(name for name, value in vars(torch.optim).items()
                      if isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
                      and value is not torch.optim.Optimizer)
    assert family == exported == masking_traps.family
    moved = masked_linear.moved_off_band
    stored_zero = [name for name in family if moved.get(name) == 0]
    stored_moved = [name for name in family if moved.get(name)]
    cannot_train = sorted(masked_linear.cannot_train)
    assert sorted(stored_zero + stored_moved + cannot_train) == family
    assert stored_moved == ["Muon"] and cannot_train == ["SparseAdam"]
    assert masked_linear.muon_moved == off_band == moved["Muon"]
    assert sorted(masking_traps.cannot_train) == cannot_train
    brought_back = masking_traps.back_after_one_step
    assert set(brought_back.values()) == {off_band} and len(brought_back) == len(family) - 1
    assert masking_traps.decay_alone_nonzero == 0
    takes = {name: inspect.signature(getattr(torch.optim, name)).parameters for name in family}
    decoupled = [name for name in family if "decoupled_weight_decay" in takes[name]]
    no_decay = [name for name in family if "weight_decay" not in takes[name]]
    assert decoupled and no_decay and set(decoupled) <= set(stored_zero)
    return {
        "optimizer_family": f"{len(family)} optimizer classes",
        "stored_zero_optimizers": listed(stored_zero),
        "stored_moved_optimizers": listed(stored_moved),
        "cannot_train_optimizers": listed(cannot_train),
        "decoupled_optimizers": listed(decoupled),
        "no_decay_optimizers": listed(no_decay),
        "muon_moved": f"{masked_linear.muon_moved} of the {off_band} off-band weights",
        "optim_classes_that_train": f"{len(brought_back)} optimizer classes",
    }


def value_word(values) -> str:
    """The one value a set of tensors holds, in words: asserted exactly 0 first, so that the
    page's "stay exactly zero" is this value, read from the layers, not typed."""
    largest = max(float(v.abs().max()) for v in values)
    assert largest == 0, largest
    return count_word(int(largest))


def off_band_facts(off_band):
    """What the mask makes of the weights and gradients off the band, read from the page's
    layers after real backward passes and training."""
    mask = masked_linear.mask
    mask_off_band = mask[mask != 1]  # the band is where the mask holds ones
    assert mask_off_band.numel() == off_band and mask_off_band.unique().tolist() == [0.0]
    # The answer's layer as the forward pass reads it, and every trained masked layer.
    answer_off_band = masked_linear.local.weight.detach()[mask == 0]
    trained_off_band = [v for values in masked_linear.used_off_band.values() for v in values]
    assert sorted(masked_linear.used_off_band) == masked_linear.family
    # The stored weight starts at 0 off the band (init_for_mask, right_inverse); after
    # training with the classes that leave it, no entry there is nonzero: it is still 0.
    stored_start = [masked_linear.masked.weight.detach()[mask == 0],
                    masked_linear.local.parametrizations.weight.original.detach()[mask == 0]]
    assert value_word(stored_start) == count_word(0)
    moved = masked_linear.moved_off_band
    stored_zero = [name for name in masked_linear.family if moved.get(name) == 0]
    stored_moved_off_band = max(moved[name] for name in stored_zero)  # nonzero entries
    assert stored_moved_off_band == 0
    # Rprop steps by the sign of the gradient: the sign of the masked one, off the band.
    gradient_sign = torch.sign(masked_linear.gradient[mask == 0])
    # Zeroed once: a plain layer multiplied by the mask once (the decay_alone section's,
    # before its step) holds 0 off the band; the zero_once loop's last layer (its class's
    # closure ran, at the zeroed start) gets a nonzero gradient at each off-band weight;
    # AdamW's decay alone leaves no off-band entry nonzero (asserted in optimizer_facts):
    # they are still 0.
    zeroed_once = masking_traps.weight_before[masking_traps.mask == 0]
    zeroed_once_gradient = masking_traps.first.weight.grad[masking_traps.mask == 0]
    assert int(zeroed_once_gradient.count_nonzero()) == off_band
    # The measurement's error, test MSE over the target's variance, of a perfect prediction.
    truths = when_to_choose.make_truths(torch.Generator().manual_seed(0))
    inputs = torch.randn(16, mask.shape[1], generator=torch.Generator().manual_seed(0))
    target = when_to_choose.hidden_layer(inputs, truths[when_to_choose.truth_names[0]])
    perfect_fit = torch.nn.functional.mse_loss(target, target) / target.var()
    return {
        "mask_off_band_word": value_word([mask_off_band]),
        "used_off_band_word": value_word([answer_off_band, *trained_off_band]),
        "stored_off_band_word": count_word(stored_moved_off_band),
        "off_band_gradient_word": value_word([masked_linear.gradient[mask == 0]]),
        "rprop_sign_word": value_word([gradient_sign]),
        "zeroed_once_word": value_word([zeroed_once]),
        "decayed_off_band_word": count_word(masking_traps.decay_alone_nonzero),
        "perfect_fit_word": value_word([perfect_fit]),
    }


def fan_in_facts():
    """The bound the paste-in layer starts its weights within, against nn.Linear's own."""
    fan_in = masked_linear.fan_in
    bounds = masked_linear.linear_bound  # the widest weight nn.Linear drew, per inputs
    in_features = masked_linear.mask.shape[1]
    assert fan_in == int(masked_linear.mask.sum(dim=1).max()) < in_features
    for inputs, widest in bounds.items():
        assert inputs ** -0.5 * 0.999 < widest <= inputs ** -0.5  # 1 / sqrt(inputs)
    band = masked_linear.local.weight.detach()[masked_linear.mask == 1].abs()
    assert bounds[in_features] < float(band.max()) <= fan_in ** -0.5
    return {
        "true_fan_in": f"{fan_in} inputs",
        "fan_in_bound": f"±{fan_in ** -0.5:.3f}",
        "in_features_bound": f"±{in_features ** -0.5:.3f} for {in_features} inputs",
    }


def shift_facts():
    """Where a shift moves the output with the input, and the edge where it does not."""
    edge, moved = shared_filter.edge_outputs, shared_filter.moved_outputs
    assert shared_filter.same.tolist() == [False] * edge + [True] * moved
    assert edge == shared_filter.shift
    columns = locally_connected_2d.columns_moved
    edge_columns = columns.count(False)
    assert columns == [False] * edge_columns + [True] * (len(columns) - edge_columns)
    assert edge_columns == locally_connected_2d.shift
    (edge_index,) = [index for index, same in enumerate(shared_filter.same.tolist()) if not same]
    return {
        "edge_output_position": ordinal_word(edge_index, "output"),
        "edge_outputs": count_word(edge, "output"),
        "moved_outputs": f"{count_word(moved)} of its {count_word(edge + moved)} outputs",
        "edge_columns_2d": count_word(edge_columns, "output column"),
    }


def keras3_2d_facts(legacy_layer):
    """The Keras 3 LocallyConnected2D against tf_keras' layer, its shapes and counts."""
    ported_model = keras3_layer_2d.keras_model_2d
    ported = ported_model.layers[1]
    assert ported_model.output_shape == keras_legacy.legacy_model.output_shape
    assert [tuple(w.shape) for w in ported.weights] == [
        tuple(w.shape) for w in legacy_layer.weights]
    assert ported.count_params() == legacy_layer.count_params()
    counts = keras3_layer_2d.counts
    assert counts["ported"] == counts["legacy"]
    assert keras3_layer_2d.largest_2d_difference <= 1e-6
    return {
        "keras3_2d_parameters": f"{ported.count_params()} parameters",
        "keras3_2d_shapes": " and ".join(code(shape_text(w.shape)) for w in ported.weights),
        "keras3_2d_test_parameters": f"{counts['ported']} parameters",
    }



def sign_steppers(classes, closure_optimizers, steps=6):
    """The classes whose steps depend on the gradients' signs alone: the same weights after
    `steps` steps of two gradient sequences with equal signs and different magnitudes. Each
    class that takes a dense gradient is run (a closure supplies it where step needs one)."""
    generator = torch.Generator().manual_seed(0)
    signs = torch.randn(steps, 3, 2, generator=generator).sign()
    magnitudes = [torch.rand(steps, 3, 2, generator=generator) + 0.1 for _ in range(2)]
    steppers = []
    for name, cls in classes.items():
        if name in masked_linear.cannot_train:
            continue  # sparse gradients only (proven on the page)
        trajectories = []
        for magnitude in magnitudes:
            weight = torch.nn.Parameter(torch.ones(3, 2))
            optimizer = cls([weight])
            for gradient in signs * magnitude:
                def closure(gradient=gradient):
                    weight.grad = gradient.clone()
                    return (weight * gradient).sum()
                if name in closure_optimizers:
                    optimizer.step(closure)
                else:
                    closure()
                    optimizer.step()
            trajectories.append(weight.detach().clone())
        assert not torch.equal(trajectories[0], torch.ones(3, 2))  # it moved the weights
        if torch.equal(*trajectories):
            steppers.append(name)
    return steppers


def optimizer_name_facts(family):
    """Which classes of torch.optim the page names for what: read from their signatures and
    from real calls, over the whole family."""
    classes = {name: getattr(torch.optim, name) for name in family}
    # step(closure): a closure without a default is one the class needs; the others take None.
    closures = {name: inspect.signature(cls.step).parameters["closure"] for name, cls in classes.items()}
    closure_optimizers = [name for name, closure in closures.items()
                          if closure.default is inspect.Parameter.empty]
    assert all(closures[name].default is None for name in family if name not in closure_optimizers)
    # A history of past gradients, which the step combines: a constructor keeping its size.
    history_optimizers = [name for name, cls in classes.items()
                          if "history_size" in inspect.signature(cls).parameters]
    history_sizes = [inspect.signature(classes[name]).parameters["history_size"].default
                     for name in history_optimizers]
    assert history_sizes and min(history_sizes) > 1
    # Weight matrices alone: the classes that refuse a 1-D parameter, a bias, when built.
    bias = torch.nn.Parameter(torch.zeros(3))
    refused = {}
    for name, cls in classes.items():
        try:
            cls([bias])
        except ValueError as error:
            refused[name] = str(error)
    weight_matrices_optimizers = sorted(refused)
    for name in weight_matrices_optimizers:
        classes[name]([torch.nn.Parameter(torch.zeros(3, 2))])  # a matrix: accepted
    assert closure_optimizers == history_optimizers == ["LBFGS"]
    assert weight_matrices_optimizers == ["Muon"]
    magnitude_blind_optimizers = sign_steppers(classes, closure_optimizers)
    assert magnitude_blind_optimizers == ["Rprop"]
    return {
        "magnitude_blind_optimizers": listed(magnitude_blind_optimizers),
        "closure_optimizers": listed(closure_optimizers),
        "history_optimizers": listed(history_optimizers),
        "weight_matrices_optimizers": listed(weight_matrices_optimizers),
    }


def stored_masking_method():
    """The method of BandMask that register_parametrization calls to make the stored
    `original`: registered on an unmasked weight, BandMask stores it masked, and the same
    class without that method stores it as it was."""
    band_mask = masked_linear.BandMask
    mask = masked_linear.mask
    (method,) = [name for name, value in vars(band_mask).items()
                 if callable(value) and name not in ("__init__", "forward")]

    class ForwardOnly(torch.nn.Module):  # BandMask's forward, and no other method
        def __init__(self, mask):
            super().__init__()
            self.register_buffer("mask", mask)

        forward = band_mask.forward

    without = ForwardOnly
    stored = {}
    for parametrization in (band_mask, without):
        linear = torch.nn.Linear(mask.shape[1], mask.shape[0])
        with torch.no_grad():
            linear.weight.fill_(1.0)
        torch.nn.utils.parametrize.register_parametrization(linear, "weight", parametrization(mask))
        stored[parametrization] = linear.parametrizations.weight.original.detach()
        torch.testing.assert_close(linear.weight, mask)  # used: masked either way
    torch.testing.assert_close(stored[band_mask], mask)  # stored: masked
    torch.testing.assert_close(stored[without], torch.ones_like(mask))  # stored: as it was
    return code(method)


def last_axis_layer():
    """The question's Linear after its Conv1d acts on the last axis, the positions: the same
    weight matrix for each filter, the filter axis passed on."""
    net = readers_network.readers_net
    conv = net[0]
    linear = next(layer for layer in net if isinstance(layer, torch.nn.Linear))
    assert list(net).index(linear) > list(net).index(conv)
    conv_output = readers_network.conv_output
    assert linear.in_features == conv_output.shape[-1] == readers_network.positions
    with torch.no_grad():
        by_hand = conv_output @ linear.weight.T + linear.bias
        torch.testing.assert_close(linear(conv_output), by_hand)
    return f"the {code(type(linear).__name__)} after {code(type(conv).__name__)}"


def square_patch_size():
    """The argument of torch.nn.functional.unfold (and of nn.Conv2d) that sets a patch's
    side: each patch holds the channels times its square."""
    unfold = torch.nn.functional.unfold
    argument = list(inspect.signature(unfold).parameters)[1]
    assert argument in inspect.signature(torch.nn.Conv2d).parameters
    images = locally_connected_2d.images
    channels = images.shape[1]
    for side in (1, 2, 3):
        assert unfold(images, **{argument: side}).shape[1] == channels * side * side
    return f"{code(argument)} × {code(argument)}"


def legacy_layer_after_conv():
    """The tf_keras example: the locally connected layer and the convolution before it."""
    layers = keras_legacy.legacy_model.layers
    conv, local = layers[0], layers[1]
    assert isinstance(conv, tf_keras.layers.Conv2D)
    assert isinstance(local, tf_keras.layers.LocallyConnected2D)
    assert local.input_shape == conv.output_shape
    return f"{code(type(local).__name__)} after a small {code(type(conv).__name__)}"


def make_facts() -> dict[str, str | int]:
    checked_2d_formulas()
    readers = readers_network
    batch, _channels, input_features = readers.x.shape
    hidden, window = unfold_layer.layer.weight.shape
    classes = readers.readers_net[4].out_features
    assert masked_linear.mask.shape == (hidden, input_features) and window == 3
    assert readers.softmax_axis == [0] and readers.softmax_axis_2d == [1]
    assert shared_filter.first_layer_parameter_count == window + 1
    off_band = masking_traps.off_band
    assert off_band == int((masked_linear.mask == 0).sum())

    local_2d, conv_2d = locally_connected_2d.local_2d, locally_connected_2d.conv_2d
    positions = local_2d.weight.shape[0]
    counts_2d = locally_connected_2d.counts
    assert counts_2d["local"] == positions * counts_2d["conv"]
    legacy_kernel, legacy_bias = keras_legacy.kernel, keras_legacy.bias
    legacy_input = keras_legacy.legacy_model.layers[0].output_shape[1:]  # (8, 8, 8)
    legacy_layer = keras_legacy.legacy_model.layers[1]
    kernel_rows, kernel_columns = legacy_layer.kernel_size
    output_rows, output_columns = legacy_layer.output_shape[1:3]
    assert output_rows == legacy_input[0] - kernel_rows + 1
    assert kernel_rows * kernel_columns * legacy_input[2] == legacy_kernel.shape[1]
    assert output_rows * output_columns == positions
    assert legacy_kernel.shape == (positions, local_2d.weight.shape[1], local_2d.weight.shape[2])
    assert legacy_layer.count_params() == counts_2d["local"]
    implementations = keras_legacy.count_by_implementation
    assert implementations[1] == unfold_layer.first_layer_parameter_count
    assert implementations[2] == masked_linear.stored_parameters
    # The default stores the weights it uses; the implementation that stores the masked
    # Linear's count is the one whose band mask the page shows.
    default_implementation = inspect.signature(
        tf_keras.layers.LocallyConnected1D.__init__).parameters["implementation"].default
    assert implementations[default_implementation] == unfold_layer.first_layer_parameter_count
    (masked_implementation,) = [implementation for implementation, count in
                                implementations.items() if count == masked_linear.stored_parameters]
    assert keras_legacy.dense.implementation == masked_implementation != default_implementation
    # The softmax's axis: the batch's probabilities sum to this value for each filter and class.
    probability_sums = readers.probabilities.sum(dim=readers.softmax_axis[0])
    probability_sum = round(float(probability_sums.mean()))
    torch.testing.assert_close(probability_sums, torch.full_like(probability_sums, probability_sum))
    assert readers.probabilities.shape[readers.softmax_axis[0]] == batch

    assert keras3_layer.keras_model.count_params() == unfold_layer.parameter_count
    assert keras3_layer.keras_model.output_shape == (None, classes)
    sizes = when_to_choose.sizes
    wanted_output_shape = (batch, classes)
    band_weights = int(masked_linear.mask.sum())
    legacy_conv_output = legacy_input  # the convolution's output is what the legacy layer reads
    # named for their facts, so that the two swapped in the dict show
    legacy_1d_source_url = legacy_source_url(tf_keras.layers.LocallyConnected1D)
    legacy_2d_source_url = legacy_source_url(tf_keras.layers.LocallyConnected2D)
    return {
        **worded_facts(hidden, window, input_features, classes, batch),
        **optimizer_facts(off_band),
        **off_band_facts(off_band),
        **fan_in_facts(),
        **shift_facts(),
        **keras3_2d_facts(legacy_layer),
        **measured_facts(),
        **patch_orders(),
        **optimizer_name_facts(masked_linear.family),
        "stored_masking_method": stored_masking_method(),
        "last_axis_layer": last_axis_layer(),
        "square_patch_size": square_patch_size(),
        "legacy_layer_after_conv": legacy_layer_after_conv(),
        "masked_implementation": code(f"implementation={masked_implementation}"),
        "probability_sum_word": count_word(probability_sum),
        "input_features": input_features,
        "window": window,
        "readers_input_shape": code(shape_text(readers.x.shape)),
        "wanted_output_shape": code(shape_text(wanted_output_shape)),
        "conv_output_shape": code(shape_text(readers.conv_output.shape)),
        "readers_parameters": readers.parameter_count,
        "softmax_axis": readers.softmax_axis[0],
        "softmax_axis_2d": readers.softmax_axis_2d[0],
        "design_table": design_rows(),
        "stored_table": stored_table(),
        "band_weights": band_weights,
        "off_band": off_band,
        "masked_weight_shape": code(shape_text(masked_linear.masked.weight.shape)),
        "unfold_weight_shape": code(shape_text(unfold_layer.layer.weight.shape)),
        "training_steps": masked_linear.training_steps,
        "local_2d_output_shape": code(shape_text(locally_connected_2d.shapes["local"])),
        "local_2d_formula": to_latex(LOCAL_2D_COUNT),
        "conv_2d_formula": to_latex(CONV_2D_COUNT),
        "legacy_1d_shapes": " and ".join(code(shape_text(s)) for s in keras_legacy.shapes_1d),
        "legacy_conv_output": code(shape_text(legacy_conv_output)),
        "legacy_kernel_axes": f"{code(shape_text(legacy_kernel.shape))}: {output_rows} × "
                              f"{output_columns} = {positions} output positions, a patch of "
                              f"{kernel_rows} × {kernel_columns} × {legacy_input[2]} = "
                              f"{legacy_kernel.shape[1]} inputs, and {legacy_kernel.shape[2]} "
                              "filters",
        "legacy_bias_shape": code(shape_text(legacy_bias.shape)),
        "legacy_2d_parameters": legacy_layer.count_params(),
        "implementation_counts": ", ".join(
            f"{code(f'implementation={k}')}: {v}" for k, v in implementations.items()),
        "keras_model_parameters": keras3_layer.keras_model.count_params(),
        "legacy_1d_source_url": legacy_1d_source_url,
        "legacy_2d_source_url": legacy_2d_source_url,
        "smallest_sample": sizes[0],
    }
