"""Facts of the convolutions page: the kernel's axes against the weight's, the axis move
that copies one into the other, which side padding="same" pads, what strided "same" does
in each library, the transposed and depthwise layouts, the parameter counts and the
Keras bias bug, each read from the layers the page's snippets build and checked here.

The parameter counts are formulas evaluated against Keras' count_params() and PyTorch's
parameters over a grid of sizes before they are printed as LaTeX.
"""
import inspect

import keras
import numpy as np
import torch

import weightatlas
from facts._formulas import evaluate
from facts._formulas import to_latex as formula_latex
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word
from snippets.layers import (conv_bias_bug, conv_depthwise, conv_groups, conv_layout,
                             conv_output_padding, conv_padding, conv_transposed)

CONV_COUNT = "k_h * k_w * (c / g) * f + f"
TRANSPOSED_COUNT = "k_h * k_w * c * f + f"
DEPTHWISE_COUNT = "k_h * k_w * c * m + c * m"
# PyTorch's grouped nn.ConvTranspose2d: each group maps c / g inputs to f / g outputs.
GROUPED_TRANSPOSED_COUNT = "c * (f / g) * k_h * k_w + f"
SEPARABLE_COUNT = "k_h * k_w * c * m + c * m * f + f"
LATEX = {"k_h": "k_h", "k_w": "k_w", "c": "c", "g": "g", "f": "f", "m": "m"}
# (kernel_height, kernel_width, in_channels, filters, groups)
COUNT_SIZES = [(1, 1, 1, 1, 1), (3, 2, 4, 6, 2), (5, 5, 3, 8, 1), (3, 3, 6, 6, 6)]


def to_latex(expression: str) -> str:
    """`k_h * k_w * (c / g) * f + f` -> `k_h \\, k_w \\, (c/g) \\, f + f`."""
    return formula_latex(expression, product=r"\,", symbols=LATEX)


def checked_counts():
    """Both formulas against Keras' count_params() and PyTorch's parameters."""
    for k_h, k_w, c, f, g in COUNT_SIZES:
        names = {"k_h": k_h, "k_w": k_w, "c": c, "f": f, "g": g}
        conv = keras.layers.Conv2D(f, (k_h, k_w), groups=g)
        conv.build((None, 9, 9, c))
        torch_conv = torch.nn.Conv2d(c, f, (k_h, k_w), groups=g)
        expected = evaluate(CONV_COUNT, names)
        assert conv.count_params() == expected == sum(p.numel() for p in torch_conv.parameters())
        up = keras.layers.Conv2DTranspose(f, (k_h, k_w))
        up.build((None, 9, 9, c))
        torch_up = torch.nn.ConvTranspose2d(c, f, (k_h, k_w))
        expected = evaluate(TRANSPOSED_COUNT, names)
        assert up.count_params() == expected == sum(p.numel() for p in torch_up.parameters())
        m = f // g  # a depth multiplier from the same sizes: 1, 3, 8 and 1
        depthwise = keras.layers.DepthwiseConv2D((k_h, k_w), depth_multiplier=m)
        depthwise.build((None, 9, 9, c))
        grouped = torch.nn.Conv2d(c, c * m, (k_h, k_w), groups=c)
        expected = evaluate(DEPTHWISE_COUNT, {**names, "m": m})
        assert depthwise.count_params() == expected == sum(
            p.numel() for p in grouped.parameters())
        grouped_up = torch.nn.ConvTranspose2d(c, f, (k_h, k_w), groups=g)
        assert evaluate(GROUPED_TRANSPOSED_COUNT, names) == sum(
            p.numel() for p in grouped_up.parameters())
        separable = keras.layers.SeparableConv2D(f, (k_h, k_w), depth_multiplier=m)
        separable.build((None, 9, 9, c))
        pair = torch.nn.Sequential(torch.nn.Conv2d(c, c * m, (k_h, k_w), groups=c, bias=False),
                                   torch.nn.Conv2d(c * m, f, 1))
        expected = evaluate(SEPARABLE_COUNT, {**names, "m": m})
        assert separable.count_params() == expected == sum(p.numel() for p in pair.parameters())
    return [to_latex(formula) for formula in (CONV_COUNT, TRANSPOSED_COUNT, DEPTHWISE_COUNT,
                                              GROUPED_TRANSPOSED_COUNT, SEPARABLE_COUNT)]


def transposed_groups() -> str:
    """Which transposed layers take groups, read from their signatures."""
    for rank in (1, 2, 3):
        keras_options = inspect.signature(getattr(keras.layers, f"Conv{rank}DTranspose"))
        torch_options = inspect.signature(getattr(torch.nn, f"ConvTranspose{rank}d"))
        assert "groups" not in keras_options.parameters
        assert "groups" in torch_options.parameters
    return ("Keras' `Conv1DTranspose` to `Conv3DTranspose` take no `groups`; PyTorch's "
            "`nn.ConvTranspose1d` to `nn.ConvTranspose3d` do")


def output_lengths() -> dict[str, str]:
    """The transposed output lengths the snippet measured, and what the converter sets."""
    snippet = conv_output_padding
    up, short, padded = snippet.up, snippet.short, snippet.padded
    steps, kernel, stride = snippet.x.shape[1], up.kernel_size[0], up.strides[0]
    assert kernel < stride and snippet.keras_steps == stride * steps
    assert snippet.torch_steps == (steps - 1) * stride + kernel == short(
        torch.zeros(1, short.in_channels, steps)).shape[-1]
    extra = snippet.keras_steps - snippet.torch_steps
    assert padded.output_padding == (extra,) and snippet.short_difference < 1e-5
    converted = weightatlas.keras_to_torch(up)
    assert converted.output_padding == padded.output_padding
    wider = snippet.wider
    assert wider.output_padding == (snippet.torch_wider.output_padding[0],)
    assert snippet.wider_difference < 1e-5
    return {
        "short_kernel_lengths": (
            f"With `padding=\"valid\"` and a kernel of {count_word(kernel)} shorter than its "
            f"stride of {count_word(stride)}, Keras' `Conv1DTranspose` turns {steps} steps "
            f"into {snippet.keras_steps}, {stride} × {steps}, and PyTorch's "
            f"`nn.ConvTranspose1d` into {snippet.torch_steps}, ({steps} − 1) × {stride} + "
            f"{kernel}. `output_padding={extra}` adds the missing step at the end, which "
            f"holds only the bias"),
        "converted_short_kernel": code(repr(converted)),
        "keras_output_padding": (
            f"Keras' own `output_padding` is PyTorch's: `output_padding="
            f"{wider.output_padding[0]}` in both, with kernel {wider.kernel_size[0]} and "
            f"stride {wider.strides[0]}, gives {snippet.wider_steps} steps"),
    }


def axes(names) -> str:
    return "(" + ", ".join(names) + ")"


def pads_words(before: int, after: int) -> str:
    """"one zero before and two zeros after"; no zero is "none"."""
    def zeros(n: int) -> str:
        return count_word(n, "zero") if n else "none"
    return f"{zeros(before)} before and {zeros(after)} after"


def weight_is_kernel_moved() -> str:
    """Which Keras array the PyTorch weight is, after the snippet's copy (whose outputs
    match Keras'), and by which axis move: read by comparing the arrays."""
    layout = conv_layout
    assert layout.kernel.transpose(layout.axes).shape == layout.weight.shape
    assert layout.largest_difference < 1e-5 and layout.flipped_difference > 0.1
    return code(f"weight = kernel.transpose{layout.axes}")


def converted_modules() -> dict[str, str]:
    """What the converter makes of the page's layers: each module's repr."""
    conv = weightatlas.keras_to_torch(conv_layout.conv)
    np.testing.assert_array_equal(conv.weight.detach().numpy(),
                                  conv_layout.kernel.transpose(conv_layout.axes))
    up = weightatlas.keras_to_torch(conv_transposed.up)
    assert up.padding == conv_transposed.torch_up.padding
    depthwise = weightatlas.keras_to_torch(conv_depthwise.depthwise)
    assert depthwise.groups == conv_depthwise.grouped.groups
    return {"converted_conv": code(repr(conv)), "converted_transposed": code(repr(up)),
            "converted_depthwise": code(repr(depthwise))}


def groups_facts() -> dict[str, str]:
    """The grouped snippet's layer, read: its groups, channels and shapes, after the
    snippet ran each group alone on its own input channels."""
    grouped = conv_groups
    groups, in_channels, filters = grouped.groups, grouped.in_channels, grouped.filters
    per_input, per_filter = grouped.per_group
    assert grouped.kernel.shape[2] == in_channels // groups == per_input
    assert tuple(grouped.torch_conv.weight.shape)[1] == per_input
    return {"groups_answer": (
        f"With `groups={groups}`, the {filters} filters form {groups} groups of {per_filter}, "
        f"and each group reads its own {per_input} of the {in_channels} input channels: "
        f"the kernel is {code(shape_text(grouped.kernel.shape))}, {per_input} input "
        f"channels per filter, and `nn.Conv2d`'s weight "
        f"{code(shape_text(grouped.torch_conv.weight.shape))}, the same axis move")}


def ranks_table() -> str:
    """Each rank's kernel, weight and axis move, as the snippet built and ran them: the
    table is generated whole, so no label can swap with another row's values."""
    rows = []
    for rank, kernel_shape, weight_shape, axes in conv_groups.ranks:
        assert axes[:2] == (rank + 1, rank) and axes[2:] == tuple(range(rank))
        rows.append([f"`Conv{rank}D` → `nn.Conv{rank}d`", code(shape_text(kernel_shape)),
                     code(shape_text(weight_shape)), code(f"kernel.transpose{axes}")])
    return markdown_table(["Layers", "Keras kernel", "PyTorch weight", "Copy"], rows)


def make_facts() -> dict[str, str]:
    layout, padding, transposed = conv_layout, conv_padding, conv_transposed
    depthwise = conv_depthwise
    (conv_count, transposed_count, depthwise_count, grouped_transposed_count,
     separable_count) = checked_counts()
    copy = weight_is_kernel_moved()
    transposed_layout = (f"A `Conv2DTranspose` kernel is {axes(transposed.keras_axes)}; "
                         f"`nn.ConvTranspose2d`'s weight is {axes(transposed.torch_axes)}")
    kernel_axes, weight_axes = axes(layout.keras_axes), axes(layout.torch_axes)
    assert padding.keras_pads == padding.torch_pads
    assert padding.strided_error == (
        "ValueError: padding='same' is not supported for strided convolutions")
    up_padding = transposed.torch_up.padding[0]
    assert transposed.up.padding == "same" and transposed.largest_difference < 1e-5
    assert depthwise.depthwise_difference < 1e-5 and depthwise.separable_difference < 1e-5
    return {
        "layout_answer": (
            f"A Keras `Conv2D` stores its kernel as {kernel_axes}, whatever its "
            f"`data_format`; PyTorch's `nn.Conv2d` stores its weight as {weight_axes}"),
        "copy_answer": copy,
        "shapes_sentence": (
            f"The kernel is {code(shape_text(layout.kernel.shape))} and the weight "
            f"{code(shape_text(layout.weight.shape))}: the same numbers, Keras' "
            f"`{layout.keras_axes[layout.axes[0]]}` moved to the front and "
            f"`{layout.keras_axes[layout.axes[1]]}` before the kernel's height and width"),
        "same_padding_sides": (
            f"An even kernel of {count_word(padding.conv.kernel_size[0])} is padded with "
            f"{pads_words(*padding.keras_pads)} in Keras, and "
            f"{pads_words(*padding.torch_pads)} by PyTorch's `padding=\"same\"`"),
        "strided_same_pads": (
            f"an input of {padding.x13.shape[1]} steps gets "
            f"{pads_words(*padding.strided_pads[13])}, one of {padding.x14.shape[1]} "
            f"{pads_words(*padding.strided_pads[14])}"),
        "transposed_answer": f"{transposed_layout}: the same axis move, {copy}",
        "transposed_padding": (
            f"`padding=\"same\"` with kernel {transposed.up.kernel_size[0]} and stride "
            f"{transposed.up.strides[0]} is PyTorch's `padding={up_padding}`"),
        "depthwise_shapes": (
            f"the kernel {shape_text(depthwise.kernel.shape)} becomes the weight "
            f"{shape_text(depthwise.grouped.weight.shape)} of an `nn.Conv2d` with "
            f"`groups={depthwise.grouped.groups}`"),
        "conv_count_formula": conv_count,
        "transposed_count_formula": transposed_count,
        "depthwise_count_formula": depthwise_count,
        "grouped_transposed_count_formula": grouped_transposed_count,
        "separable_count_formula": separable_count,
        "transposed_groups": transposed_groups(),
        **output_lengths(),
        "pointwise_kernel": (f"its kernel {shape_text(depthwise.point_kernel.shape)}, "
                             f"{count_word(depthwise.point_kernel.shape[1])} pixel wide"),
        "bias_bug_backend": ("Keras on TensorFlow adds it along the last spatial axis"
                             if conv_bias_bug.affected else
                             "this Keras backend adds it per channel"),
        **converted_modules(),
        **groups_facts(),
        "ranks_table": ranks_table(),
        "ranks_answer": ranks_answer(),
    }


def ranks_answer() -> str:
    """The axis move of each rank but the page's own Conv2D, whose copy the page shows
    first: together with it, every rank the snippet ran."""
    page_rank = conv_layout.kernel.ndim - 2
    others = [(rank, axes) for rank, _, _, axes in conv_groups.ranks if rank != page_rank]
    assert sorted([page_rank, *(rank for rank, _ in others)]) == sorted(
        rank for rank, *_ in conv_groups.ranks)
    return " and ".join(f"{code(f'kernel.transpose{axes}')} for `Conv{rank}D`"
                        for rank, axes in others)
