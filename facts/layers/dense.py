"""Facts of the Dense, Linear and Embedding page: shapes, axes, the two forward equations,
the parameter count and what the padding options do, each read from the layers the page's
snippets build and checked against them here.

The forward equations are strings evaluated against each library's own output before
they are printed as LaTeX; the parameter count is a formula evaluated against Dense and
nn.Linear over a grid of sizes.
"""
import io
import tokenize

import keras
import numpy as np
import torch

import weightatlas
from facts._formulas import evaluate
from facts._tables import code, shape_text
from facts._words import ordinal_word
from snippets.layers import (dense_einsum, dense_higher_rank, dense_layout, dense_mistakes,
                             dense_tied, embedding_layout)

# Each library's forward pass, as the page writes it (row vectors times matrices).
KERAS_FORWARD = "x @ kernel + bias"
TORCH_FORWARD = "x @ weight.T + bias"
PARAMETER_COUNT = "in_features * out_features + out_features"
COUNT_SIZES = [(1, 1), (3, 4), (784, 10), (7, 1), (1, 9)]  # (in_features, out_features)
LATEX = {"x": "x", "kernel": r"\mathrm{kernel}", "weight": r"\mathrm{weight}",
         "bias": r"\mathrm{bias}", "in_features": "d", "out_features": "u"}


def to_latex(expression: str) -> str:
    """`x @ weight.T + bias` -> `x\\,\\mathrm{weight}^\\top + \\mathrm{bias}`; an unknown
    name is an error."""
    parts = []
    for token in tokenize.generate_tokens(io.StringIO(expression).readline):
        if token.type == tokenize.NAME and parts and parts[-1] == ".":
            assert token.string == "T", expression
            parts[-1] = r"^\top"
        elif token.type == tokenize.NAME:
            parts.append(LATEX[token.string])
        elif token.type == tokenize.OP:
            parts.append({"@": r"\,", "*": r" \cdot ", "+": " + ", ".": "."}[token.string])
        elif token.type not in (tokenize.NEWLINE, tokenize.ENDMARKER):
            raise ValueError(f"unexpected {token.string!r} in {expression!r}")
    return "".join(parts)


def checked_forward():
    """Both equations against their library's output on the snippet's input."""
    layout = dense_layout
    assert np.abs(layout.bias).min() > 0.01  # so that an equation without it misses
    keras_value = evaluate(KERAS_FORWARD, {"x": layout.x, "kernel": layout.kernel,
                                           "bias": layout.bias})
    np.testing.assert_allclose(keras_value, layout.keras_output, atol=1e-6)
    torch_value = evaluate(TORCH_FORWARD, {"x": layout.x, "bias": layout.bias,
                                           "weight": layout.linear.weight.detach().numpy()})
    np.testing.assert_allclose(torch_value, layout.torch_output, atol=1e-6)
    return to_latex(KERAS_FORWARD), to_latex(TORCH_FORWARD)


def checked_count():
    """The count formula against Dense.count_params() and nn.Linear's parameters."""
    for in_features, out_features in COUNT_SIZES:
        names = {"in_features": in_features, "out_features": out_features}
        dense = keras.layers.Dense(out_features)
        dense.build((None, in_features))
        linear = torch.nn.Linear(in_features, out_features)
        expected = evaluate(PARAMETER_COUNT, names)
        assert dense.count_params() == expected == sum(p.numel() for p in linear.parameters())
    return to_latex(PARAMETER_COUNT)


def axes(names, shape) -> str:
    """`(inputs, units)`, each axis named as the snippet named it, checked against its size."""
    assert len(names) == len(shape)
    return "(" + ", ".join(names) + ")"


def transpose_map() -> str:
    """Which array nn.Linear's weight is the transpose of, read by comparing the arrays
    after the snippet's copy (whose outputs match Keras')."""
    layout = dense_layout
    keras_arrays = {variable.name: np.asarray(variable) for variable in layout.dense.weights}
    torch_arrays = {name: p.detach().numpy() for name, p in layout.linear.named_parameters()}
    ((torch_name, keras_name),) = [
        (t, k) for t, a in torch_arrays.items() for k, b in keras_arrays.items()
        if a.ndim == 2 and a.shape == b.T.shape and np.array_equal(a, b.T)]
    ((bias_torch, bias_keras),) = [
        (t, k) for t, a in torch_arrays.items() for k, b in keras_arrays.items()
        if a.ndim == 1 and np.array_equal(a, b)]
    assert layout.largest_difference < 1e-6
    # The transposed pair is the 2-D one, the bias another pair, under one name in both.
    assert torch_arrays[torch_name].ndim == 2 and torch_name != bias_torch
    assert bias_torch == bias_keras
    return (f"{code(torch_name)} is {code(keras_name + '.T')}, and {code(bias_torch)} is "
            "the same vector in both")


def embedding_map() -> str:
    """Which array nn.Embedding's weight is: the Keras table itself, not transposed."""
    layout = embedding_layout
    keras_name = layout.embedding.weights[0].name
    torch_name, weight = next(iter(layout.torch_embedding.named_parameters()))
    np.testing.assert_array_equal(weight.detach().numpy(), layout.table)
    assert layout.table.shape[0] != layout.table.shape[1]  # a transpose could not pass
    return f"{code(torch_name)} is {code(keras_name)}, row for row"


def multiplied_axis() -> str:
    """The one axis of a rank-3 input whose size Dense changes: the one it multiplies."""
    rank3 = dense_higher_rank
    changed = [axis for axis, (a, b) in enumerate(zip(rank3.x.shape, rank3.output.shape))
               if a != b]
    assert changed == [rank3.x.ndim - 1]
    return ordinal_word(changed[0] - rank3.x.ndim, "axis")


def padding_options() -> str:
    """What each library's padding option does to row 0, to its gradient and to masking,
    read from the snippet's layers: each clause is chosen by what the layer did."""
    layout = embedding_layout
    # Row 0 starts random, as every row does: nothing here says whether training moves it.
    keras_row = "an ordinary vector" if layout.masked_table[0].any() else "zero"
    keras_mask = layout.mask_values == (layout.tokens != 0).tolist()
    torch_row = "zero" if not layout.padded.weight[0].any() else "an ordinary vector"
    torch_gradient = "no" if not layout.padded.weight.grad[0].any() else "a"
    torch_mask = hasattr(layout.padding_output, "_keras_mask")  # a plain array: no mask
    return (f"`mask_zero=True` keeps row 0 {keras_row} and "
            f"{'adds a mask that the layers after it read' if keras_mask else 'adds no mask'}; "
            f"`padding_idx=0` {'adds a mask' if torch_mask else 'adds no mask'}, but starts "
            f"row 0 at {torch_row} and gives it {torch_gradient} gradient")


def einsum_facts() -> dict[str, str]:
    """The EinsumDense snippet's shapes, read from its layers: the kernel's axes named by
    the equation's letters, the nn.Linear that computes it, and the Dense it equals."""
    einsum = dense_einsum
    equation = einsum.layer.equation
    inputs, kernel_letters = equation.split("->")[0].split(",")
    assert kernel_letters == "cde" and inputs[-1] == kernel_letters[0]
    assert len(einsum.kernel.shape) == len(kernel_letters)
    features, heads, head_size = einsum.kernel.shape
    weight_shape = tuple(einsum.linear.weight.shape)
    assert weight_shape == (heads * head_size, features)
    assert einsum.torch_output.shape == einsum.output.shape
    return {
        "einsum_answer": (
            f"`EinsumDense(\"{equation}\")` stores its kernel with one axis per letter "
            "between the comma and the arrow, "
            f"{code(shape_text(einsum.kernel.shape))} here: (features, heads, head_size). "
            f"`nn.Linear({features}, {heads * head_size})` computes it with the kernel reshaped "
            f"to {code(shape_text((features, heads * head_size)))} and "
            f"transposed, weight {code(shape_text(weight_shape))}, and its output unflattened "
            f"to {code(shape_text((heads, head_size)))}"),
        "einsum_dense": (
            f"`EinsumDense(\"{einsum.as_dense.equation}\")` is `Dense` itself: the same "
            f"kernel, {code(shape_text(einsum.dense_kernel_shape))} here, and the same output"),
    }


def tied_facts() -> dict[str, str]:
    """The tied-embedding snippet's shapes and counts, read from its modules."""
    tied = dense_tied
    table = tuple(tied.embedding.weight.shape)
    assert tuple(tied.head.weight.shape) == table == tied.table.shape
    count = sum(p.numel() for p in tied.model.parameters())
    assert count == tied.keras_model.count_params() == np.prod(table)
    return {
        "tied_answer": (
            f"`nn.Linear({tied.dim}, {tied.vocab}).weight` and "
            f"`nn.Embedding({tied.vocab}, {tied.dim}).weight` are both {code(shape_text(table))}, "
            "so PyTorch ties them by giving both modules one Parameter, with no transpose; "
            f"a Keras `Dense` kernel would be {code(shape_text(table[::-1]))}, so Keras "
            "multiplies by the table's transpose"),
        "tied_count": f"{count} parameters in each library: the table, counted once",
        "tied_keys": ", ".join(code(key) for key in tied.model.state_dict()),
    }


def make_facts() -> dict[str, str]:
    keras_equation, torch_equation = checked_forward()
    layout, rank3 = dense_layout, dense_higher_rank
    converted = weightatlas.keras_to_torch(layout.dense)
    np.testing.assert_array_equal(converted.weight.detach().numpy(), layout.kernel.T)
    kernel_axes = axes(layout.keras_axes, layout.kernel.shape)
    weight_axes = axes(layout.torch_axes, layout.weight.shape)
    kernel_shape, weight_shape = shape_text(layout.kernel.shape), shape_text(layout.weight.shape)
    padding = padding_options()
    # The page's claim: Keras' option masks and keeps the row ordinary, PyTorch's does neither.
    keras_part, torch_part = padding.split("; ")
    assert "adds a mask" in keras_part and "ordinary" in keras_part
    assert "adds no mask" in torch_part and "no gradient" in torch_part
    return {
        "layout_answer": (
            f"A Keras `Dense` layer stores its kernel as {kernel_axes} and computes "
            f"${keras_equation}$; PyTorch's `nn.Linear` stores its weight as {weight_axes} "
            f"and computes ${torch_equation}$"),
        "shapes_answer": (
            f"The kernel is {kernel_axes}, {code(kernel_shape)} for the page's layer; "
            f"nn.Linear's weight is {weight_axes}, {code(weight_shape)}: the transpose"),
        "figure_shapes": (f"The kernel, shape {kernel_shape}, and the weight, shape "
                          f"{weight_shape}"),
        "forward_pair": (
            f"Keras multiplies the input by the kernel, ${keras_equation}$; PyTorch "
            f"multiplies it by the transposed weight, ${torch_equation}$"),
        "unfitting_answer": (f"PyTorch's weight is {weight_axes}, Keras' kernel "
                             f"{kernel_axes}"),
        "transpose_map": transpose_map(),
        "parameter_count_formula": checked_count(),
        "rank3_answer": (
            f"`Dense` multiplies the {multiplied_axis()} of its input and keeps the others: "
            f"an input {shape_text(rank3.x.shape)} gives an output "
            f"{shape_text(rank3.output.shape)}, with a kernel {shape_text(rank3.kernel.shape)}"
            " that has no axis for the timesteps"),
        "square_kernel_shape": shape_text(dense_mistakes.kernel.shape),
        "embedding_table_shape": shape_text(embedding_layout.table.shape),
        "embedding_map": embedding_map(),
        "padding_options": padding,
        "converted_module": code(repr(converted)),
        **einsum_facts(),
        **tied_facts(),
    }
