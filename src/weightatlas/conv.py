"""Convolutions between Keras 3 and PyTorch 2, weights included.

>>> import keras
>>> from weightatlas import keras_to_torch, plan_for, torch_to_keras
>>> conv = keras.layers.Conv2D(8, (3, 5), name="conv")
>>> conv.build((None, 32, 32, 4))
>>> keras_to_torch(conv)
Conv2d(4, 8, kernel_size=(3, 5), stride=(1, 1))
>>> plan_for(conv).rows()[0]  # Keras path, PyTorch key, the two shapes, operation
('conv/kernel', 'weight', (3, 5, 4, 8), (8, 4, 3, 5), 'axes (h, w, in, out) → (out, in, h, w)')
>>> type(torch_to_keras(keras_to_torch(conv))[0]).__name__  # a list, as for recurrent
'Conv2D'

Keras stores a convolution's kernel as (spatial..., in / groups, out) and PyTorch as
(out, in / groups, spatial...): the same numbers, axes moved, never flipped (both
libraries compute a cross-correlation). A transposed convolution's kernel is
(spatial..., out, in) in Keras and (in, out, spatial...) in PyTorch: the same move. A
depthwise kernel (spatial..., in, multiplier) is PyTorch's grouped convolution with
groups=in, whose output channel c * multiplier + m is Keras' (c, m); a separable
convolution is that followed by a 1-wide convolution. The data format changes the data,
not the kernel: a PyTorch module always reads channels first.

Padding is matched exactly, by the rows and columns each library adds or removes:
`padding="same"` adds the odd extra row at the end in both; where a convolution's own
padding cannot say the same (uneven padding, `causal`, strided `same`, which depends on
the input's size), the module is an `nn.Sequential` with an `nn.ZeroPad` before the
convolution, or one that crops after a transposed one; the other way, a Keras
`ZeroPadding` or `Cropping` layer. A transposed convolution matches the Keras backend
running: Keras releases before 3.15 cropped some "same" outputs differently on torch. An activation becomes a module after the convolution,
as for Dense.
"""

import math
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import torch

from weightatlas.activations import activation_module
from weightatlas.arrays import as_array, common_dtype
from weightatlas.errors import ConversionError, UnsupportedOption
from weightatlas.families import CONV_LAYERS
from weightatlas.objects import is_torch_module, refuse_keras2, refuse_own_call
from weightatlas.plan import Plan, Step

__all__ = ["KERAS_CLASSES", "TORCH_CLASSES", "is_conv_layer", "is_conv_module",
           "keras_padding", "keras_to_torch", "torch_to_keras", "plan_for"]

KERAS_CLASSES = tuple(CONV_LAYERS)
TORCH_CLASSES = tuple(dict.fromkeys(CONV_LAYERS.values()))

# How a plan names the axes of a kernel, by number of spatial axes.
_SPATIAL = {1: ("w",), 2: ("h", "w"), 3: ("d", "h", "w")}

Pads = tuple[tuple[int, int], ...]  # per spatial axis: rows (before, after)


def _class_in(value: Any, names: tuple[str, ...], libraries: tuple[str, ...]) -> str | None:
    for cls in type(value).__mro__:
        if cls.__module__.split(".")[0] in libraries and cls.__name__ in names:
            return cls.__name__
    return None


def is_conv_layer(value: Any) -> bool:
    """Whether `value` is a Keras convolution this module converts."""
    return not is_torch_module(value) and _class_in(
        value, KERAS_CLASSES, ("keras", "tf_keras", "tensorflow")) is not None


def is_conv_module(value: Any) -> bool:
    """Whether `value` is a torch.nn Conv or ConvTranspose module this module converts."""
    return is_torch_module(value) and _class_in(value, TORCH_CLASSES, ("torch",)) is not None


# --- What Keras pads and crops -----------------------------------------------------------


def _effective(kernel: int, dilation: int) -> int:
    return (kernel - 1) * dilation + 1


def keras_padding(padding: str, kernel: int, stride: int, dilation: int,
                  size: int | None) -> tuple[int, int]:
    """The zeros a Keras convolution adds before and after one spatial axis of `size`
    (None: unknown) for `padding` "valid", "causal" or "same" (TensorFlow's rule: the
    odd one goes after). Strided "same" depends on the size; unknown, it raises."""
    span = _effective(kernel, dilation)
    if padding == "valid":
        return (0, 0)
    if padding == "causal":
        return (span - 1, 0)
    if stride == 1:
        total = span - 1
    elif size is None:
        raise ConversionError("strided padding='same' pads by the input's size")
    else:
        total = max((math.ceil(size / stride) - 1) * stride + span - size, 0)
    return (total // 2, total - total // 2)


def keras_transposed_crop(padding: str, kernel: int, stride: int, dilation: int,
                          output_padding: int | None) -> tuple[int, int]:
    """What a Keras transposed convolution on TensorFlow removes from the full output of
    one axis ((inputs - 1) * stride + span values), before and after; a negative number
    after is values added (zeros, then the bias). Keras' output size rule
    (keras.src.backend.common.backend_utils), then TensorFlow's "same" split: the odd
    one after, as for a convolution."""
    span = _effective(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (0, -extra)
    if output_padding is not None and not 0 < span % 2 + output_padding <= stride:
        raise UnsupportedOption(
            "TensorFlow cannot run it: with padding='same', Keras asks for an output of "
            "(inputs - 1) * strides + kernel_size % 2 + output_padding values, which "
            "TensorFlow's 'same' accepts only when kernel_size % 2 + output_padding is "
            "between 1 and strides (here kernel_size % 2 = "
            f"{span % 2}, output_padding = {output_padding}, strides = {stride}).")
    # the output is inputs * stride, or (inputs - 1) * stride + span % 2 + output_padding
    size_less_full = stride - span if output_padding is None else span % 2 + output_padding - span
    total = max(-size_less_full, 0)
    before = total // 2
    return (before, -size_less_full - before)


def _torch_backend_crops(layer: Any, rank: int) -> Pads:
    """What Keras' torch backend crops, by Keras' own rule: the rule changed between
    Keras releases (3.15 crops as TensorFlow does where TensorFlow runs; earlier ones
    passed PyTorch a padding and an output_padding, which Keras warned may differ), so it
    is asked, not copied."""
    from keras.src.backend.common import backend_utils

    arguments = dict(input_shape=(None, None, *([1] * rank)),
                     kernel_shape=(*_tuple(layer.kernel_size, rank), 1, 1),
                     strides=_tuple(layer.strides, rank), padding=layer.padding,
                     output_padding=layer.output_padding,
                     dilation_rate=_tuple(layer.dilation_rate, rank))
    if hasattr(backend_utils, "compute_conv_transpose_output_crops_for_torch"):
        crops = backend_utils.compute_conv_transpose_output_crops_for_torch(**arguments)
        return tuple((int(before), int(after)) for before, after in crops)
    padding, added = backend_utils.compute_conv_transpose_padding_args_for_torch(**arguments)
    return tuple((int(p), int(p - o)) for p, o in zip(padding, added))


# --- Reading a Keras layer -------------------------------------------------------------


@dataclass(frozen=True)
class _Conv:
    """One convolution as both libraries see it."""

    kind: str  # the Keras class
    rank: int
    transposed: bool
    in_channels: int
    out_channels: int  # of the (depthwise) convolution itself
    kernel_size: tuple[int, ...]
    stride: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int
    bias: bool
    pads: Pads  # forward: zeros added; transposed: values cropped (negative: added)
    pointwise: int | None = None  # a separable convolution's filters


def _tuple(value: Any, rank: int) -> tuple[int, ...]:
    return tuple(int(v) for v in value) if isinstance(value, (tuple, list)) else (int(value),) * rank


def _spatial_sizes(layer: Any, rank: int, input_shape: Any) -> tuple[int | None, ...]:
    shape = input_shape
    if shape is None:
        built = getattr(layer, "_build_shapes_dict", None) or {}
        shape = next(iter(built.values()), None)
    if shape is None:
        return (None,) * rank
    shape = tuple(shape)
    spatial = shape[1:-1] if layer.data_format == "channels_last" else shape[2:]
    return tuple(None if n is None else int(n) for n in spatial)


def _transposed_pads(layer: Any, kernel_size: tuple[int, ...], stride: tuple[int, ...],
                     dilation: tuple[int, ...]) -> Pads:
    """The crops of the backend running: the module computes what the layer computes
    here. TensorFlow's are worked out (and refused where TensorFlow cannot run the
    layer); the torch backend's are asked of Keras."""
    rank = len(kernel_size)
    if keras.backend.backend() == "torch":
        return _torch_backend_crops(layer, rank)
    output_padding = ((None,) * rank if layer.output_padding is None
                      else _tuple(layer.output_padding, rank))
    try:
        return tuple(keras_transposed_crop(layer.padding, *axis)
                     for axis in zip(kernel_size, stride, dilation, output_padding))
    except UnsupportedOption as error:
        raise UnsupportedOption(f"{layer.name}: {error} Convert a copy with "
                                "output_padding=None or padding='valid'.") from None


def _read_keras(layer: Any, input_shape: Any) -> _Conv:
    kind = _class_in(layer, KERAS_CLASSES, ("keras", "tf_keras", "tensorflow"))
    assert kind is not None
    refuse_keras2(layer, recurrent=False)
    refuse_own_call(layer, kind)
    rank = int(kind[-2] if kind.endswith("D") else kind[-11])
    if not layer.built:
        raise ConversionError(
            f"{layer.name} has no weights yet: build it first, for example "
            f"layer.build({(None, *(['...'] * rank), 'channels')}) with its input shape, "
            "or call it on data.".replace("'", ""))
    kernel_size = _tuple(layer.kernel_size, rank)
    stride, dilation = _tuple(layer.strides, rank), _tuple(layer.dilation_rate, rank)
    transposed = kind.endswith("Transpose")
    depthwise = kind.startswith(("Depthwise", "Separable"))
    if depthwise:
        kernel = layer.kernel if kind.startswith("Depthwise") else layer.depthwise_kernel
        in_channels, multiplier = int(kernel.shape[-2]), int(kernel.shape[-1])
        out_channels, groups = in_channels * multiplier, in_channels
    elif transposed:
        out_channels, in_channels = (int(n) for n in layer.kernel.shape[-2:])
        groups = 1
    else:
        groups = int(layer.groups)
        in_channels = int(layer.kernel.shape[-2]) * groups
        out_channels = int(layer.kernel.shape[-1])
    if transposed:
        pads = _transposed_pads(layer, kernel_size, stride, dilation)
    else:
        sizes = _spatial_sizes(layer, rank, input_shape)
        try:
            pads = tuple(keras_padding(layer.padding, k, s, d, n)
                         for k, s, d, n in zip(kernel_size, stride, dilation, sizes))
        except ConversionError:
            raise ConversionError(
                f"{layer.name} has padding='same' and strides={stride}: how many zeros "
                "Keras adds before and after depends on the input's size (size % stride), "
                "which the layer does not know. Pass it, keras_to_torch(layer, "
                "input_shape=(None, ...)), as layer.build would take it; the module is "
                "then right for inputs of that size.") from None
    pointwise = int(layer.filters) if kind.startswith("Separable") else None
    return _Conv(kind, rank, transposed, in_channels, out_channels, kernel_size, stride,
                 dilation, groups, bool(layer.use_bias), pads, pointwise)


# --- The PyTorch module a convolution becomes -----------------------------------------


@dataclass(frozen=True)
class _TorchForm:
    """How the module computes the convolution: its padding (or output_padding), and
    the zeros added before or rows cropped after (as an nn.ZeroPad's pads)."""

    padding: tuple[int, ...] | str
    output_padding: tuple[int, ...]
    before: tuple[int, ...] | None  # an nn.ZeroPad before the convolution
    after: tuple[int, ...] | None  # an nn.ZeroPad (negative: a crop) after it


def _zero_pad(pads: Pads, sign: int) -> tuple[int, ...] | None:
    """nn.ZeroPad's argument (last axis first) for `pads`, or None when all zero."""
    if not any(any(pair) for pair in pads):
        return None
    return tuple(sign * n for pair in reversed(pads) for n in pair)


def _torch_form(conv: _Conv) -> _TorchForm:
    zero = (0,) * conv.rank
    if not conv.transposed:
        if all(before == after for before, after in conv.pads):
            return _TorchForm(tuple(before for before, _ in conv.pads), zero, None, None)
        # uneven: zeros padded first (PyTorch's padding="same" would pad the same way,
        # with a warning at every call that it copies the input to do it)
        return _TorchForm(zero, zero, _zero_pad(conv.pads, 1), None)
    padding, output_padding, rest = [], [], []
    for (before, after), stride, dilation in zip(conv.pads, conv.stride, conv.dilation):
        # PyTorch crops `padding` from both ends, then adds `output_padding` at the end
        if 0 <= before - after < max(stride, dilation):
            padding.append(before)
            output_padding.append(before - after)
            rest.append((0, 0))
        elif after >= 0:
            crop = min(before, after)
            padding.append(crop)
            output_padding.append(0)
            rest.append((before - crop, after - crop))
        else:
            padding.append(0)
            output_padding.append(-after)
            rest.append((before, 0))
    return _TorchForm(tuple(padding), tuple(output_padding), None, _zero_pad(tuple(rest), -1))


def _conv_modules(conv: _Conv, form: _TorchForm, dtype: torch.dtype) -> list[torch.nn.Module]:
    """The module's parts, on the meta device: [pad], conv, [pointwise], [crop]."""
    n = conv.rank
    made = dict(device="meta", dtype=dtype)
    parts: list[torch.nn.Module] = []
    if form.before is not None:
        parts.append(getattr(torch.nn, f"ZeroPad{n}d")(form.before))
    if conv.transposed:
        parts.append(getattr(torch.nn, f"ConvTranspose{n}d")(
            conv.in_channels, conv.out_channels, conv.kernel_size, stride=conv.stride,
            padding=form.padding, output_padding=form.output_padding,
            dilation=conv.dilation, bias=conv.bias, **made))
    else:
        last = conv.pointwise is None
        parts.append(getattr(torch.nn, f"Conv{n}d")(
            conv.in_channels, conv.out_channels, conv.kernel_size, stride=conv.stride,
            padding=form.padding, dilation=conv.dilation, groups=conv.groups,
            bias=conv.bias and last, **made))
        if not last:
            parts.append(getattr(torch.nn, f"Conv{n}d")(
                conv.out_channels, conv.pointwise, 1, bias=conv.bias, **made))
    if form.after is not None:
        parts.append(getattr(torch.nn, f"ZeroPad{n}d")(form.after))
    return parts


# --- Plans -------------------------------------------------------------------------------


def _kernel_axes(rank: int, transposed: bool) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The Keras kernel's axis names, and the axes of it in PyTorch's order."""
    names = (*_SPATIAL[rank], "out", "in") if transposed else (*_SPATIAL[rank], "in", "out")
    return names, (rank + 1, rank, *range(rank))


def _kernel_step(path: str, key: str, keras_shape: tuple[int, ...], rank: int,
                 transposed: bool, source: str, keras_as: tuple[int, ...] | None = None,
                 note: str = "") -> Step:
    names, axes = _kernel_axes(rank, transposed)
    shape = keras_as or keras_shape
    operation = f"axes ({', '.join(names)}) → ({', '.join(names[a] for a in axes)})"
    if keras_as is not None:
        operation = (f"reshape ({', '.join(_SPATIAL[rank])}, in, multiplier) → "
                     f"({', '.join(_SPATIAL[rank])}, 1, in · multiplier); {operation}")
    return Step(path, key, keras_shape, tuple(shape[a] for a in axes), operation + note,
                sources=(source,), axes=axes, keras_as=keras_as)


def _keys(parts: list[torch.nn.Module], prefix: str) -> list[str]:
    """The state_dict prefix of each convolution among the parts."""
    convs = [i for i, part in enumerate(parts) if isinstance(part, torch.nn.modules.conv._ConvNd)]
    if len(parts) == 1:
        return [prefix]
    return [f"{prefix}{i}." for i in convs]


def _keras_steps(layer: Any, conv: _Conv, keys: list[str], direction: str) -> list[Step]:
    to_torch = direction == "keras_to_torch"

    def source(path: str, key: str) -> str:
        return path if to_torch else key

    steps = []
    if conv.kind.startswith(("Depthwise", "Separable")):
        kernel = layer.kernel if conv.kind.startswith("Depthwise") else layer.depthwise_kernel
        path = kernel.path
        shape = tuple(int(n) for n in kernel.shape)
        steps.append(_kernel_step(path, f"{keys[0]}weight", shape, conv.rank, False,
                                  source(path, f"{keys[0]}weight"),
                                  keras_as=(*shape[:-2], 1, shape[-2] * shape[-1])))
        if conv.pointwise is not None:
            point = layer.pointwise_kernel
            steps.append(_kernel_step(point.path, f"{keys[1]}weight",
                                      tuple(int(n) for n in point.shape), conv.rank, False,
                                      source(point.path, f"{keys[1]}weight")))
    else:
        path = getattr(layer, "_kernel", layer.kernel).path
        lora = " (its LoRA update added)" if getattr(layer, "lora_enabled", False) else ""
        steps.append(_kernel_step(path, f"{keys[0]}weight",
                                  tuple(int(n) for n in layer.kernel.shape), conv.rank,
                                  conv.transposed, source(path, f"{keys[0]}weight"), note=lora))
    if conv.bias:
        size = (conv.pointwise or conv.out_channels,)
        key = f"{keys[-1]}bias"
        steps.append(Step(layer.bias.path, key, size, size, "copy",
                          sources=(source(layer.bias.path, key),)))
    return steps


def _keras_arrays(layer: Any, conv: _Conv) -> dict[str, np.ndarray]:
    """The arrays the layer computes with, by path (a LoRA kernel with its update)."""
    if conv.kind.startswith("Depthwise"):
        arrays = {layer.kernel.path: as_array(layer.kernel, layer.kernel.path)}
    elif conv.kind.startswith("Separable"):
        arrays = {v.path: as_array(v, v.path)
                  for v in (layer.depthwise_kernel, layer.pointwise_kernel)}
    else:
        path = getattr(layer, "_kernel", layer.kernel).path
        arrays = {path: as_array(layer.kernel, "kernel")}
    if conv.bias:
        arrays[layer.bias.path] = as_array(layer.bias, layer.bias.path)
    return arrays


def _parts(layer: Any, conv: _Conv, dtype: torch.dtype
           ) -> tuple[list[torch.nn.Module], torch.nn.Module | None]:
    """The module's parts and the activation's module (None for none)."""
    form = _torch_form(conv)
    last_axis = 1 if layer.data_format == "channels_last" else -1
    activation = activation_module(layer, f"nn.Conv{conv.rank}d", last_axis=last_axis)
    return _conv_modules(conv, form, dtype), activation


def keras_to_torch(layer: Any, *, input_shape: Any = None) -> torch.nn.Module:
    """The nn.Conv / nn.ConvTranspose module (in an nn.Sequential with the padding,
    cropping, pointwise convolution or activation it needs) that computes what a built
    Keras convolution computes, reading channels first whatever the layer's data_format.

    `input_shape`, as layer.build takes it, is needed only for padding="same" with a
    stride above 1 when the layer was built without its spatial size."""
    conv = _read_keras(layer, input_shape)
    arrays = _keras_arrays(layer, conv)
    dtype = getattr(torch, str(common_dtype(arrays, f"the weights of {layer.name}")))
    parts, activation = _parts(layer, conv, dtype)
    plan = Plan("keras_to_torch", _keras_steps(layer, conv, _keys(parts, ""), "keras_to_torch"))
    state = plan.apply(arrays)
    module = parts[0] if len(parts) == 1 else torch.nn.Sequential(*parts)
    module.load_state_dict(
        {key: torch.nn.Parameter(torch.from_numpy(array)) for key, array in state.items()},
        assign=True)
    if activation is None:
        return module
    if isinstance(module, torch.nn.Sequential):
        module.append(activation)
        return module
    return torch.nn.Sequential(module, activation)


# --- Reading a PyTorch module ----------------------------------------------------------


def _read_torch(module: Any) -> tuple[int, bool]:
    """The module's number of spatial axes and whether it is transposed, after refusing
    what Keras would compute otherwise."""
    kind = _class_in(module, TORCH_CLASSES, ("torch",))
    assert kind is not None
    name = type(module).__name__
    if isinstance(module, torch.nn.modules.lazy.LazyModuleMixin) and module.has_uninitialized_params():
        raise ConversionError(f"{name} has no weights yet: run it once on data first.")
    if module.padding_mode != "zeros":
        raise UnsupportedOption(
            f"{name}(padding_mode={module.padding_mode!r}) pads with something other than "
            "zeros, which no Keras convolution or padding layer does. Pad the input "
            "yourself (keras.ops.pad with mode='reflect' or 'symmetric') and convert a "
            "copy with padding=0.")
    transposed = kind.startswith("ConvTranspose")
    if transposed and module.groups != 1:
        raise UnsupportedOption(
            f"{name}(groups={module.groups}) has no Keras equivalent: Keras' transposed "
            "convolutions have no groups. Split the module into one ConvTranspose per "
            "group and convert each.")
    return int(kind[-2]), transposed


def _keras_same_pads(module: Any, rank: int) -> Pads:
    return tuple(keras_padding("same", k, 1, d, None)
                 for k, d in zip(module.kernel_size, module.dilation))


def _new_keras_layers(module: Any, rank: int, transposed: bool, dtype: str,
                      data_format: str) -> list[Any]:
    """Keras layers computing what the module computes, built, holding zeros."""
    n = f"{rank}D"
    common = dict(dtype=dtype)
    spatial_format = {} if rank == 1 and data_format == "channels_last" else {"data_format": data_format}
    options = dict(kernel_size=tuple(module.kernel_size), strides=tuple(module.stride),
                   dilation_rate=tuple(module.dilation), data_format=data_format,
                   use_bias=module.bias is not None, kernel_initializer="zeros", **common)
    layers = []
    if transposed:
        torch_pads = tuple((p, p - o) for p, o in zip(module.padding, module.output_padding))
        same = tuple(keras_transposed_crop("same", k, s, d, None) for k, s, d in
                     zip(module.kernel_size, module.stride, module.dilation))
        if same == torch_pads:
            layers.append(getattr(keras.layers, f"Conv{n}Transpose")(
                module.out_channels, padding="same", **options))
        else:
            extra = tuple(max(-after, 0) for _, after in torch_pads)
            crop = tuple((before, max(after, 0)) for before, after in torch_pads)
            layers.append(getattr(keras.layers, f"Conv{n}Transpose")(
                module.out_channels, padding="valid", output_padding=extra, **options))
            if any(any(pair) for pair in crop):
                if rank == 1 and data_format != "channels_last":
                    raise UnsupportedOption(
                        f"{type(module).__name__}(padding={module.padding}) crops its "
                        "output, and keras.layers.Cropping1D reads channels last only: "
                        "convert with data_format='channels_last'.")
                layers.append(getattr(keras.layers, f"Cropping{n}")(
                    crop[0] if rank == 1 else crop, **({} if rank == 1 else
                                                        {"data_format": data_format}),
                    **common))
        return layers
    padding = module.padding
    if padding == "same" or (padding != "valid" and all(s == 1 for s in module.stride)
                             and tuple((p, p) for p in padding) == _keras_same_pads(module, rank)):
        keras_padding_name = "same"
    elif padding == "valid" or not any(padding):
        keras_padding_name = "valid"
    else:
        keras_padding_name = "valid"
        pairs = tuple((p, p) for p in padding)
        layers.append(getattr(keras.layers, f"ZeroPadding{n}")(
            pairs[0] if rank == 1 else pairs, **spatial_format, **common))
    layers.append(getattr(keras.layers, f"Conv{n}")(
        module.out_channels, padding=keras_padding_name, groups=module.groups, **options))
    return layers


def _build(layers: list[Any], module: Any, rank: int, data_format: str) -> None:
    channels = module.in_channels
    shape = ((None, *([None] * rank), channels) if data_format == "channels_last"
             else (None, channels, *([None] * rank)))
    for layer in layers:
        layer.build(shape)
        shape = layer.compute_output_shape(shape)
        if hasattr(layer, "kernel_initializer"):  # zeros only to skip a random draw
            layer.kernel_initializer = keras.initializers.get("glorot_uniform")


def _built_keras_layers(module: Any, rank: int, transposed: bool, dtype: str,
                        data_format: str) -> list[Any]:
    """The Keras layers for the module, built and holding zeros; a Keras refusal of
    them (strides with dilation, an output_padding past the strides) named as ours."""
    try:
        layers = _new_keras_layers(module, rank, transposed, dtype, data_format)
        _build(layers, module, rank, data_format)
    except ConversionError:
        raise
    except ValueError as error:
        raise UnsupportedOption(
            f"Keras cannot build the layer that computes {module}: {error}") from None
    return layers


def _conv_layer(layers: list[Any]) -> Any:
    return next(layer for layer in layers if "Conv" in type(layer).__name__)


def torch_to_keras(module: Any, *, data_format: str | None = None) -> list[Any]:
    """Keras layers computing what an nn.Conv1d/2d/3d or nn.ConvTranspose1d/2d/3d
    computes, built and holding its weights: the convolution, after a ZeroPadding layer
    or before a Cropping one where PyTorch's padding needs it. `data_format`: the
    layers' (default keras.config.image_data_format()); the weights do not depend on it.
    """
    rank, transposed = _read_torch(module)
    data_format = data_format or keras.config.image_data_format()
    arrays = {key: as_array(tensor, key) for key, tensor in module.state_dict().items()}
    dtype = str(common_dtype(arrays, f"the parameters of {type(module).__name__}"))
    layers = _built_keras_layers(module, rank, transposed, dtype, data_format)
    conv_layer = _conv_layer(layers)
    converted = _torch_plan(module, conv_layer, rank, transposed, "").apply(arrays)
    conv_layer.set_weights([converted[variable.path] for variable in conv_layer.weights])
    return layers


def _torch_plan(module: Any, layer: Any, rank: int, transposed: bool, prefix: str) -> Plan:
    conv = _Conv(type(layer).__name__, rank, transposed, module.in_channels,
                 module.out_channels, tuple(module.kernel_size), tuple(module.stride),
                 tuple(module.dilation), module.groups, module.bias is not None, ())
    return Plan("torch_to_keras", _keras_steps(layer, conv, [prefix], "torch_to_keras"))


def plan_for(source: Any, *, torch_prefix: str = "", keras_layers: Any = None,
             input_shape: Any = None) -> Plan:
    """The plan of converting a Keras convolution (to PyTorch, keys under
    `torch_prefix`) or an nn.Conv / nn.ConvTranspose (to Keras, with the paths of the
    convolution among `keras_layers`, or of fresh layers)."""
    if is_torch_module(source):
        rank, transposed = _read_torch(source)
        if keras_layers is None:  # fresh layers, for their paths: no weights copied
            arrays = {key: as_array(t, key) for key, t in source.state_dict().items()}
            keras_layers = _built_keras_layers(source, rank, transposed,
                                               str(common_dtype(arrays)),
                                               keras.config.image_data_format())
        return _torch_plan(source, _conv_layer(keras_layers), rank, transposed, torch_prefix)
    conv = _read_keras(source, input_shape)
    parts, activation = _parts(source, conv, torch.float32)
    # keys as in the module keras_to_torch returns, where an activation follows the parts
    keys = _keys(parts + ([activation] if activation is not None else []), torch_prefix)
    return Plan("keras_to_torch", _keras_steps(source, conv, keys, "keras_to_torch"))
