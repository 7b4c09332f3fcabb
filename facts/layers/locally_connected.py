"""Facts of the locally connected page: shapes, counts, axes and measured errors, each read
from the layers the page's snippets build and checked against them here.

The 2-D parameter count is one formula string, evaluated against the PyTorch layer of the
page and against Keras 2's LocallyConnected2D (tf_keras) before it is printed as LaTeX.
"""
import inspect
import io
import itertools
import tokenize

import tf_keras
import torch

from facts._formulas import evaluate
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, times_word
from snippets.layers import (
    keras3_layer, keras_legacy, locally_connected_2d, masked_linear, masking_traps,
    readers_network, shared_filter, unfold_layer, when_to_choose,
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
        expected = evaluate(LOCAL_2D_COUNT, names)
        assert sum(p.numel() for p in ours.parameters()) == expected
        assert legacy.count_params() == expected
        assert sum(p.numel() for p in conv.parameters()) == evaluate(CONV_2D_COUNT, names)
        kernel_shape = tuple(evaluate(term, names) for term in LOCAL_2D_KERAS_KERNEL)
        assert tuple(legacy.kernel.shape) == kernel_shape
        assert tuple(legacy.bias.shape) == (height - kernel_size + 1, width - kernel_size + 1,
                                            out_channels)


def legacy_source_url(layer_class):
    """Where tf_keras defines a layer, at the tag of the installed version."""
    path = inspect.getsourcefile(layer_class)
    relative = path[path.rindex("tf_keras/"):]
    assert relative.endswith(".py") and "locally_connected" in relative
    return f"https://github.com/keras-team/tf-keras/blob/v{tf_keras.__version__}/{relative}"


def design_rows():
    """The question's network and the three designs: first layer, who sees what, counts."""
    readers, shared = readers_network, shared_filter
    free_in_band = int(masked_linear.mask.sum())
    local_bias = masked_linear.local.bias.numel()
    rows = [
        ["the question's network", code("nn.Conv1d(in_channels=1, out_channels=6, kernel_size=3)"),
         f"{readers.filters} filters × {readers.positions} positions = "
         f"{readers.filters * readers.positions} neurons, {readers.sees.unique().item()} inputs each",
         f"{readers.conv_parameter_count}", f"{readers.parameter_count}",
         code(shape_text(readers.probabilities.shape))],
        ["[a shared filter](#shared-filter)",
         code("nn.Conv1d(in_channels=1, out_channels=1, kernel_size=3)"),
         f"{shared.jacobian.shape[0]} neurons, {int(shared.jacobian[0].count_nonzero())} "
         "inputs each, the same weights",
         f"{shared.first_layer_parameter_count}", f"{shared.parameter_count}",
         code(shape_text(shared.logits.shape))],
        ["[band-masked `nn.Linear`](#masked-forward), [parametrized](#parametrize)",
         code("nn.Linear(8, 6)") + " × band mask",
         f"{masked_linear.mask.shape[0]} neurons, {int(masked_linear.mask[0].sum())} inputs "
         "each, weights of their own",
         f"{masked_linear.stored_parameters} stored, {free_in_band + local_bias} used",
         f"{masked_linear.model_stored_parameters} stored, {masked_linear.model_free_parameters} used",
         code(shape_text(masked_linear.logits.shape))],
        ["[unfold layer](#unfold)", code("LocallyConnected1d(in_features=8, kernel_size=3)"),
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


def results_table():
    """Relative test error per truth, training-set size and design; the best in bold."""
    results = when_to_choose.relative_mse
    truths = list(when_to_choose.truths)
    sizes = sorted({samples for _truth, samples, _design in results})
    designs = when_to_choose.designs
    rows, best_of = [], {}
    for truth, samples in itertools.product(truths, sizes):
        values = {design: results[truth, samples, design] for design in designs}
        best = best_of[truth, samples] = min(values, key=values.get)
        rows.append([truth, str(samples)] + [
            f"**{values[d]:.2g}**" if d == best else f"{values[d]:.2g}" for d in designs])
    # The page reads the bold cells: on data from one filter for all, the shared filter wins
    # at every size; on a filter per neuron, the locally connected layer with the fewest.
    per_neuron, for_all = when_to_choose.truths_names
    assert all(best_of[for_all, samples] == "shared filter" for samples in sizes)
    assert best_of[per_neuron, sizes[0]] == "locally connected"
    header = ["the data came from", "training samples"] + [
        f"{design} ({when_to_choose.free_parameters[design]})" for design in designs]
    return markdown_table(header, rows)


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
    truth_neurons, truth_window = when_to_choose.truths["a filter per neuron"].shape
    assert when_to_choose.truths["one filter for all"].shape == (truth_neurons, truth_window)
    sizes = sorted({samples for _truth, samples, _design in when_to_choose.relative_mse})
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
        "conv_positions_noun": f"{readers.positions} positions",
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
        "test_inputs": f"{when_to_choose.x_test.shape[0]} new inputs",
    }


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
    assert set(masking_traps.back_after_one_step.values()) == {off_band}
    assert masking_traps.decay_alone_nonzero == 0
    assert all(masked_linear.stays_zero.values())
    optimizers = list(masking_traps.back_after_one_step)
    assert optimizers == list(masked_linear.optimizers)

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

    assert keras3_layer.keras_model.count_params() == unfold_layer.parameter_count
    assert keras3_layer.keras_model.output_shape == (None, classes)
    sizes = sorted({samples for _truth, samples, _design in when_to_choose.relative_mse})
    return {
        **worded_facts(hidden, window, input_features, classes, batch),
        "input_features": input_features,
        "window": window,
        "readers_input_shape": code(shape_text(readers.x.shape)),
        "wanted_output_shape": code(shape_text((batch, classes))),
        "conv_output_shape": code(shape_text(readers.conv_output.shape)),
        "readers_parameters": readers.parameter_count,
        "softmax_axis": readers.softmax_axis[0],
        "softmax_axis_2d": readers.softmax_axis_2d[0],
        "design_table": design_rows(),
        "stored_table": stored_table(),
        "band_weights": int(masked_linear.mask.sum()),
        "off_band": off_band,
        "masked_weight_shape": code(shape_text(masked_linear.masked.weight.shape)),
        "unfold_weight_shape": code(shape_text(unfold_layer.layer.weight.shape)),
        "training_steps": masked_linear.training_steps,
        "optimizer_names": ", ".join(optimizers[:-1]) + " and " + optimizers[-1],
        "local_2d_output_shape": code(shape_text(locally_connected_2d.shapes["local"])),
        "local_2d_formula": to_latex(LOCAL_2D_COUNT),
        "conv_2d_formula": to_latex(CONV_2D_COUNT),
        "local_2d_change": f"{locally_connected_2d.local_shift_difference:.2f}",
        "legacy_1d_shapes": " and ".join(code(shape_text(s)) for s in keras_legacy.shapes_1d),
        "legacy_conv_output": code(shape_text(legacy_input)),
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
        "results_table": results_table(),
        "legacy_1d_source_url": legacy_source_url(tf_keras.layers.LocallyConnected1D),
        "legacy_2d_source_url": legacy_source_url(tf_keras.layers.LocallyConnected2D),
        "smallest_sample": sizes[0],
    }
