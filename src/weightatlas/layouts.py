"""Where each array of a Dense, an Embedding or a convolution goes in PyTorch, from the
Keras class name and the array's shape alone: NumPy only, so that `inspect` can say it of
a saved file without Keras or PyTorch. The converters (`weightatlas.dense`,
`weightatlas.conv`) are what moves the arrays; tests/test_package_cli.py checks these
shapes against their plans.

>>> describe("Conv2D", "kernel", (3, 3, 1, 8))
ArrayLayout(keras_axes='(h, w, in / groups, out)', module='nn.Conv2d', parameter='weight', torch_shape=(8, 1, 3, 3), torch_axes='(out, in / groups, h, w)')
"""

import re
from dataclasses import dataclass

__all__ = ["ArrayLayout", "ModuleCandidate", "StateDictArray", "WHOLE_MODEL_LAYERS",
           "describe", "describe_state_dict", "variable_names"]

# Layers without weights that keras_to_torch converts inside a whole model
# (weightatlas.models; tests/test_package_cli.py checks the two agree).
WHOLE_MODEL_LAYERS = frozenset({
    "Flatten", "Dropout", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
    *(f"{kind}{rank}D" for rank in (1, 2, 3) for kind in (
        "MaxPooling", "AveragePooling", "GlobalMaxPooling", "GlobalAveragePooling",
        "SpatialDropout"))})

_SPATIAL = {1: ("w",), 2: ("h", "w"), 3: ("d", "h", "w")}
_RANKED = re.compile(r"^(?:Conv|DepthwiseConv|SeparableConv)([123])D(?:Transpose)?$")


@dataclass(frozen=True)
class ArrayLayout:
    """A Keras array's axes, and the PyTorch module parameter that holds it converted:
    which module, which parameter, its shape and its axes."""

    keras_axes: str
    module: str
    parameter: str
    torch_shape: tuple[int, ...]
    torch_axes: str


def _axes(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(names) + (",)" if len(names) == 1 else ")")


def variable_names(class_name: str, use_bias: bool) -> tuple[str, ...] | None:
    """The names of a layer's variables, in the order Keras saves them; None for a class
    this module does not describe."""
    if class_name == "Dense":
        names: tuple[str, ...] = ("kernel", "bias")
    elif class_name == "Embedding":
        names = ("embeddings",)
    elif class_name.startswith("Separable"):
        names = ("depthwise_kernel", "pointwise_kernel", "bias")
    elif class_name.startswith(("Conv", "Depthwise")):
        names = ("kernel", "bias")
    else:
        return None
    return names if use_bias else tuple(name for name in names if name != "bias")


def describe(class_name: str, name: str, shape: tuple[int, ...]) -> ArrayLayout | None:
    """The layout of the array `name` of shape `shape` of a Keras layer of `class_name`
    (Dense, Embedding, Conv1D-3D, their Transpose, Depthwise and Separable forms), or
    None for another class or an array that does not fit it."""
    shape = tuple(int(n) for n in shape)
    if class_name == "Dense" and len(shape) == 2 and name == "kernel":
        return ArrayLayout("(in, out)", "nn.Linear", "weight", shape[::-1], "(out, in)")
    if class_name == "Dense" and name == "bias":
        return ArrayLayout("(out,)", "nn.Linear", "bias", shape, "(out,)")
    if class_name == "Embedding" and name == "embeddings" and len(shape) == 2:
        return ArrayLayout("(input_dim, output_dim)", "nn.Embedding", "weight", shape,
                           "(num_embeddings, embedding_dim)")
    ranked = _RANKED.search(class_name)
    if ranked is None:
        return None
    rank = int(ranked.group(1))
    spatial = _SPATIAL[rank]
    module = f"nn.Conv{rank}d"
    if class_name.startswith("Conv") and class_name.endswith("Transpose"):
        module = f"nn.ConvTranspose{rank}d"
        if name == "kernel" and len(shape) == rank + 2:
            return ArrayLayout(_axes((*spatial, "out", "in")), module, "weight",
                               (shape[-1], shape[-2], *shape[:rank]),
                               _axes(("in", "out", *spatial)))
    elif class_name.startswith("Conv") and name == "kernel" and len(shape) == rank + 2:
        return ArrayLayout(_axes((*spatial, "in / groups", "out")), module, "weight",
                           (shape[-1], shape[-2], *shape[:rank]),
                           _axes(("out", "in / groups", *spatial)))
    elif class_name.startswith(("Depthwise", "Separable")) and name in (
            "kernel", "depthwise_kernel") and len(shape) == rank + 2:
        grouped = f"{module} (groups=in)"
        return ArrayLayout(_axes((*spatial, "in", "multiplier")), grouped, "weight",
                           (shape[-2] * shape[-1], 1, *shape[:rank]),
                           _axes(("in * multiplier", "1", *spatial)))
    elif class_name.startswith("Separable") and name == "pointwise_kernel":
        return ArrayLayout(_axes((*(["1"] * rank), "in * multiplier", "out")),
                           f"{module} (pointwise)", "weight",
                           (shape[-1], shape[-2], *shape[:rank]),
                           _axes(("out", "in * multiplier", *(["1"] * rank))))
    if name == "bias" and len(shape) == 1:
        where = f"{module} (pointwise)" if class_name.startswith("Separable") else module
        if class_name.startswith("Depthwise"):
            where = f"{module} (groups=in)"
        return ArrayLayout("(out,)", where, "bias", shape, "(out,)")
    return None



@dataclass(frozen=True)
class StateDictArray:
    """A state_dict entry as one module stores it, and the Keras variable it becomes."""

    name: str  # "weight" or "bias"
    torch_axes: str
    variable: str
    keras_shape: tuple[int, ...]
    keras_axes: str


@dataclass(frozen=True)
class ModuleCandidate:
    """A module that stores a state_dict's entries under one prefix with their shapes, and
    where torch_to_keras puts each of them."""

    module: str
    keras_layer: str
    arrays: tuple[StateDictArray, ...]


def _bias(shape: tuple[int, ...]) -> StateDictArray:
    return StateDictArray("bias", "(out,)", "bias", shape, "(out,)")


def describe_state_dict(shapes: dict[str, tuple[int, ...]]) -> tuple[ModuleCandidate, ...]:
    """The modules among nn.Linear, nn.Embedding, nn.Conv1d-3d and nn.ConvTranspose1d-3d
    that store exactly these entries (a module's "weight" and maybe "bias", by shape),
    each with where torch_to_keras puts them. A state_dict stores no class, so the shapes
    say only which modules are possible; () when none is.

    >>> print(*(c.module for c in describe_state_dict({"weight": (8, 8, 3, 3), "bias": (8,)})))
    nn.Conv2d nn.ConvTranspose2d
    >>> print(*(c.module for c in describe_state_dict({"weight": (8, 3, 3, 3), "bias": (8,)})))
    nn.Conv2d
    """
    shapes = {name: tuple(int(n) for n in shape) for name, shape in shapes.items()}
    weight, bias = shapes.get("weight"), shapes.get("bias")
    if weight is None or set(shapes) - {"weight", "bias"}:
        return ()
    if len(weight) == 2:
        found = []
        if bias is None or bias == weight[:1]:
            linear = StateDictArray("weight", "(out, in)", "kernel", weight[::-1], "(in, out)")
            found.append(ModuleCandidate("nn.Linear", "Dense", (
                linear, *([_bias(bias)] if bias else []))))
        if bias is None:
            table = StateDictArray("weight", "(num_embeddings, embedding_dim)", "embeddings",
                                   weight, "(input_dim, output_dim)")
            found.append(ModuleCandidate("nn.Embedding", "Embedding", (table,)))
        return tuple(found)
    rank = len(weight) - 2
    if rank not in _SPATIAL:
        return ()
    spatial = _SPATIAL[rank]
    # Both forms store (first, second, spatial...), and Keras (spatial..., second, first).
    moved = (*weight[2:], weight[1], weight[0])
    forms = [(f"nn.Conv{rank}d", f"Conv{rank}D", ("out", "in / groups"),
              ("in / groups", "out"), weight[0]),
             (f"nn.ConvTranspose{rank}d", f"Conv{rank}DTranspose", ("in", "out / groups"),
              ("out", "in"), weight[1])]
    found = []
    for module, layer, torch_axes, keras_axes, outputs in forms:
        # A grouped nn.ConvTranspose (bias a multiple of weight[1]) has no Keras layer.
        if bias is not None and bias[0] != outputs:
            continue
        kernel = StateDictArray("weight", _axes((*torch_axes, *spatial)), "kernel", moved,
                                _axes((*spatial, *keras_axes)))
        found.append(ModuleCandidate(module, layer, (
            kernel, *([_bias(bias)] if bias else []))))
    return tuple(found)
