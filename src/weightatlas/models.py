"""Whole models: a Keras model that is a chain of layers becomes one PyTorch module, and
an nn.Sequential becomes a Keras Sequential model, weights included.

>>> import keras, numpy as np, torch
>>> from weightatlas import keras_to_torch
>>> model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3),
...                           keras.layers.Flatten(), keras.layers.Dense(10)])
>>> module = keras_to_torch(model)
>>> module.keras_input_axes  # the module reads channels first
(0, 3, 1, 2)
>>> x = np.random.default_rng(0).normal(size=(2, 8, 8, 1)).astype("float32")
>>> with torch.no_grad():
...     out = module(torch.from_numpy(x).permute(*module.keras_input_axes)).numpy()
>>> bool(np.abs(out - keras.ops.convert_to_numpy(model(x))).max() < 1e-5)
True

Each layer is converted by its family's converter (`weightatlas.dense`, `.conv`,
`.recurrent`); what lies between them is matched here: pooling, `Flatten`, activation
and dropout layers, and the layout. A `channels_last` Keras convolution reads
(batch, height, width, channels) where PyTorch's reads (batch, channels, height, width):

- the module reads and returns PyTorch's layouts: channels first from the first
  convolution or pooling of a `channels_last` model on (`keras_input_axes` and
  `keras_output_axes` say which Keras axis each of the module's input and output axes
  holds), the Keras layout where no layer needs another;
- where a layer needs the other layout, a `MoveAxes` module moves the axes;
- `Flatten`: `nn.Flatten` on (channels, height, width) lists the values in another order
  than Keras' `Flatten` on (height, width, channels). When a `Dense` follows (past
  dropout and activations), the rows of its kernel are permuted to PyTorch's order (a
  step of the plan, `plan_for(model)`); otherwise a `MoveAxes` goes before `nn.Flatten`.
"""

from dataclasses import dataclass, field, replace
from math import prod
from types import SimpleNamespace
from typing import Any

import keras
import numpy as np
import torch

from weightatlas import conv, dense, recurrent
from weightatlas.activations import ACTIVATIONS, activation_module
from weightatlas.arrays import as_array
from weightatlas.errors import ConversionError, UnsupportedLayer, UnsupportedOption
from weightatlas.masks import masked_forward
from weightatlas.objects import is_torch_module
from weightatlas.plan import Plan, Step

__all__ = ["ConvertedModel", "MoveAxes", "RecurrentLayer", "is_keras_model",
           "keras_to_torch", "torch_to_keras", "plan_for", "plan_for_sequential"]


# --- The modules a converted model is made of, besides the converted layers -----------


class MoveAxes(torch.nn.Module):
    """`x.permute(*dims)`: the axes of a channels-first tensor put where the next layer
    reads them (or back)."""

    def __init__(self, dims: tuple[int, ...]) -> None:
        super().__init__()
        self.dims = tuple(dims)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(*self.dims)

    def extra_repr(self) -> str:
        return f"dims={self.dims}"


class RecurrentLayer(torch.nn.Module):
    """A converted Keras recurrent layer: runs `rnn` (an nn.RNN, LSTM or GRU reading
    batch first) and returns what the Keras layer returns, the whole output sequence
    (`return_sequences=True`) or the final state of the last layer (both directions,
    forward first, for a bidirectional one). Given a mask, it runs as the masked Keras
    layer does (`weightatlas.masked_forward`)."""

    def __init__(self, rnn: torch.nn.RNNBase, return_sequences: bool) -> None:
        super().__init__()
        self.rnn = rnn
        self.return_sequences = return_sequences

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        if mask is None:
            output, final = self.rnn(x)
        else:
            output, final = masked_forward(self.rnn, x, mask)
        if self.return_sequences:
            return output
        hidden = final[0] if isinstance(final, tuple) else final  # an LSTM's is (h, c)
        directions = 2 if self.rnn.bidirectional else 1
        return torch.cat(list(hidden[-directions:]), dim=-1)

    def extra_repr(self) -> str:
        return f"return_sequences={self.return_sequences}"


class ConvertedModel(torch.nn.Sequential):
    """The converted layers in order. `mask_zero`: the first layer is an
    Embedding(mask_zero=True), so the recurrent layers skip the steps whose token is 0, as
    in Keras. `keras_input_axes`/`keras_output_axes`: which Keras axis each axis of the
    input and output holds (`module(x.permute(*module.keras_input_axes))` for a Keras
    input `x`)."""

    def __init__(self, *parts: torch.nn.Module, mask_zero: bool = False,
                 keras_input_axes: tuple[int, ...] = (0,),
                 keras_output_axes: tuple[int, ...] = (0,)) -> None:
        super().__init__(*parts)
        self.mask_zero = mask_zero
        self.keras_input_axes = keras_input_axes
        self.keras_output_axes = keras_output_axes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mask = x != 0 if self.mask_zero else None
        for part in self:
            if isinstance(part, RecurrentLayer):
                x = part(x, mask)
                mask = mask if part.return_sequences else None
            else:
                x = part(x)
        return x


# --- Reading the Keras model --------------------------------------------------------------

# nn activations and the Keras activation computing each, checked on a grid when used.
_KERAS_ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "GELU": "gelu",
                      "ELU": "elu", "SELU": "selu", "SiLU": "silu", "Softplus": "softplus",
                      "Softsign": "softsign", "ReLU6": "relu6", "Hardsigmoid": "hard_sigmoid",
                      "Hardswish": "hard_silu", "Mish": "mish"}

# Activation layers: a module each, matched on a grid (activations.activation_module).
_ACTIVATION_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax")
_POOLING = ("MaxPooling", "AveragePooling")
_GLOBAL_POOLING = ("GlobalMaxPooling", "GlobalAveragePooling")
CONVERTED = ("Dense", "Embedding", "the convolutions", "SimpleRNN", "LSTM", "GRU",
             "Bidirectional", "Flatten", "MaxPooling1D-3D", "AveragePooling1D-3D",
             "GlobalMaxPooling1D-3D", "GlobalAveragePooling1D-3D", *_ACTIVATION_LAYERS,
             "Dropout", "SpatialDropout1D-3D")


def is_keras_model(value: Any) -> bool:
    """A Keras Sequential or functional model (not a layer, not a recurrent layer)."""
    return (isinstance(value, keras.Model) and not isinstance(value, keras.layers.RNN)
            and type(value).__name__ in ("Sequential", "Functional"))


def _inputs_of(layer: Any) -> list[Any]:
    nodes = layer._inbound_nodes
    if len(nodes) != 1:
        raise UnsupportedLayer(
            f"{layer.name} is called {len(nodes)} times in the model (a shared layer): "
            "a chain of layers calls each once. Convert its parts one by one.")
    # the positional arguments: a mask Keras passes along comes as a keyword
    return list(keras.tree.flatten(nodes[0].arguments.args))


def _chain(model: Any) -> list[Any]:
    """The model's layers, first first, after checking that each reads the one before."""
    if not is_keras_model(model):
        raise UnsupportedLayer(f"{model!r} is not a Keras Sequential or functional model")
    if not model.built or not getattr(model, "inputs", None):
        raise ConversionError(
            f"model {model.name} has no input shape: build it with keras.Input(shape) "
            "first (the conversion reads every layer's input shape).")
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise UnsupportedLayer(
            f"model {model.name} has {len(model.inputs)} inputs and {len(model.outputs)} "
            "outputs: a chain of layers has one of each. Convert its layers one by one.")
    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    previous = model.inputs[0]
    for layer in layers:
        if getattr(layer, "return_state", False):
            raise UnsupportedOption(
                f"{layer.name} has return_state=True: a converted model passes one "
                "tensor from layer to layer. Convert the recurrent layer on its own "
                "(keras_to_torch(layer)), whose PyTorch module returns its states.")
        inputs = _inputs_of(layer)
        if len(inputs) != 1 or inputs[0] is not previous:
            raise UnsupportedLayer(
                f"{layer.name} ({type(layer).__name__}) does not read only the output of "
                "the layer before it: the model branches or merges, and a converted model "
                "is a chain. Convert its layers one by one.")
        previous = layer.output
    return layers


def _kind(layer: Any) -> str:
    """The Keras class name, with a number of spatial axes stripped (MaxPooling2D ->
    MaxPooling)."""
    name = type(layer).__name__
    return name[:-2] if name[-2:] in ("1D", "2D", "3D") else name


def _channels_first_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """Where PyTorch's layer reads each Keras axis (of `rank` axes, batch left out): the
    channels first."""
    if data_format == "channels_first" or rank < 2:
        return tuple(range(rank))
    return (rank - 1, *range(rank - 1))


@dataclass
class _Flow:
    """The tensor between two layers: its Keras shape (batch left out), which Keras axis
    each axis of the PyTorch tensor holds (None until a layer fixes the input's layout),
    and whether a mask comes with it."""

    shape: tuple[int | None, ...]
    axes: tuple[int, ...] | None = None
    masked: bool = False
    input_axes: tuple[int, ...] | None = None
    parts: list[torch.nn.Module] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def need(self, axes: tuple[int, ...]) -> None:
        """Put the PyTorch tensor's axes in the order `axes`, with a MoveAxes if needed."""
        if self.axes is None:
            self.axes = self.input_axes = axes
        elif self.axes != axes:
            self.parts.append(MoveAxes((0, *(1 + self.axes.index(a) for a in axes))))
            self.axes = axes

    def keras_order(self) -> tuple[int, ...]:
        return tuple(range(len(self.shape)))

    def key(self) -> str:
        """The state_dict prefix of the next part."""
        return f"{len(self.parts)}."

    def last_axis(self) -> int:
        """The PyTorch axis (batch counted) of the Keras last axis."""
        axes = self.axes or self.keras_order()
        return 1 + axes.index(len(self.shape) - 1)


def _refuse_mask(layer: Any, flow: _Flow) -> None:
    if flow.masked:
        raise UnsupportedOption(
            f"{layer.name} ({type(layer).__name__}) receives the mask of "
            "Embedding(mask_zero=True), which a converted model passes to recurrent "
            "layers only (Dense, dropout and activations let it through). Put the "
            "recurrent layer before it, or convert the layers one by one.")


def _shape(tensor: Any) -> tuple[int | None, ...]:
    return tuple(tensor.shape[1:])


def _sizes(flow: _Flow, layer: Any) -> tuple[int, ...]:
    if any(size is None for size in flow.shape):
        raise ConversionError(
            f"{layer.name} reads an input of shape {flow.shape}: give the model's input "
            "every size (keras.Input(shape)) but the batch.")
    return tuple(int(size) for size in flow.shape)


# What may lie between a Flatten and the Dense whose kernel takes Flatten's order: layers
# that compute value by value, so that the order of the values does not change them.
_VALUE_BY_VALUE = ("Dropout", "Activation", "ReLU", "LeakyReLU", "ELU")
_VALUE_BY_VALUE_MODULES = ("Dropout", "Identity", *_KERAS_ACTIVATIONS, "LeakyReLU")


def _flatten_fold(layers: list[Any], index: int) -> Any | None:
    """The Dense the Flatten at `index` feeds, past layers that compute value by value,
    or None."""
    for layer in layers[index + 1:]:
        kind = _kind(layer)
        if kind == "Dense":
            return layer
        if kind not in _VALUE_BY_VALUE:
            return None
    return None


def _linear_follows(leaves: list[torch.nn.Module], index: int) -> bool:
    """Whether an nn.Linear reads what the nn.Flatten at `index` gives, past modules
    that compute value by value."""
    for leaf in leaves[index + 1:]:
        name = type(leaf).__name__
        if name == "Linear":
            return True
        if name not in _VALUE_BY_VALUE_MODULES:
            return False
    return False


def _folded_kernel_step(step: Step, shape: tuple[int, ...], keras_order: tuple[int, ...],
                        torch_order: tuple[int, ...]) -> Step:
    """The Dense kernel's step with its rows permuted: Keras' Flatten listed the values
    in `keras_order` of the axes of `shape`, nn.Flatten lists them in `torch_order`."""
    units = step.keras_shape[1]
    keras_as = (*(shape[a] for a in keras_order), units)
    axes = (len(shape), *(keras_order.index(a) for a in torch_order))
    names = ", ".join(str(shape[a]) for a in keras_order)
    moved = ", ".join(str(shape[a]) for a in torch_order)
    return replace(step, keras_as=keras_as, axes=axes, transpose=False, operation=(
        f"rows as ({names}) → ({moved}), Flatten's order in PyTorch; transpose"))


def _activation(layer: Any, flow: _Flow) -> torch.nn.Module | None:
    kind = _kind(layer)
    extra: tuple[torch.nn.Module, ...] = ()
    if kind == "LeakyReLU":
        extra = (torch.nn.LeakyReLU(float(layer.negative_slope)),)
    if kind == "ELU":
        extra = (torch.nn.ELU(float(layer.alpha)),)
    if kind == "Softmax":
        _refuse_mask(layer, flow)  # a masked softmax leaves the masked values out
        if layer.axis not in (-1, len(flow.shape)):
            raise UnsupportedOption(
                f"{layer.name} is a Softmax along axis {layer.axis}: converted are "
                "softmaxes along the last axis.")
    function = layer.activation if kind == "Activation" else layer
    return activation_module(SimpleNamespace(activation=function, name=layer.name),
                             "the module before it", flow.last_axis(), extra)


def _pooling(layer: Any, flow: _Flow) -> torch.nn.Module:
    rank = len(flow.shape) - 1
    flow.need(_channels_first_axes(rank + 1, layer.data_format))
    pool, strides = tuple(layer.pool_size), tuple(layer.strides)
    spatial = (flow.shape[:-1] if layer.data_format == "channels_last" else flow.shape[1:])
    pads = tuple(conv.keras_padding(layer.padding, k, s, 1, size)
                 for k, s, size in zip(pool, strides, spatial))
    maximum = _kind(layer) == "MaxPooling"
    module_class = getattr(torch.nn, f"{'Max' if maximum else 'Avg'}Pool{rank}d")
    if not any(any(pair) for pair in pads):
        return module_class(pool, strides)
    if maximum:  # padded with -inf, which no maximum picks, as TensorFlow leaves them out
        torch_pads = tuple(n for pair in reversed(pads) for n in pair)
        return torch.nn.Sequential(
            getattr(torch.nn, f"ConstantPad{rank}d")(torch_pads, float("-inf")),
            module_class(pool, strides))
    if all(before == after <= k // 2 for (before, after), k in zip(pads, pool)):
        return module_class(pool, strides, padding=tuple(p for p, _ in pads),
                            count_include_pad=False)
    raise UnsupportedOption(
        f"{layer.name} is an AveragePooling with padding='same' that pads {pads} "
        "(before, after) per axis: Keras averages only the values inside, and PyTorch's "
        "AvgPool pads evenly. Give the model an input size the pool divides.")


def _convert_keras(model: Any) -> tuple[ConvertedModel, Plan]:
    """The converted model's modules (holding converted weights) and the plan of its
    weights, made together so that the plan names the modules' keys."""
    layers = _chain(model)
    flow = _Flow(shape=_shape(model.inputs[0]))
    mask_zero = False
    folds: dict[int, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {}
    for index, layer in enumerate(layers):
        kind = _kind(layer)
        if kind == "Embedding":
            if flow.parts or flow.axes is not None:
                raise UnsupportedLayer(f"{layer.name}: an Embedding converts as the "
                                       "model's first layer only")
            mask_zero = flow.masked = bool(layer.mask_zero)
            flow.axes = flow.input_axes = flow.keras_order()
            flow.steps += dense.plan_for(layer, torch_prefix=flow.key()).steps
            flow.parts.append(dense.keras_to_torch(layer, allow_mask=True))
        elif kind == "Dense":
            if len(flow.shape) > 1 or flow.axes is None:
                flow.need(flow.keras_order())
            steps = dense.plan_for(layer, torch_prefix=flow.key()).steps
            if id(layer) in folds:
                steps[0] = _folded_kernel_step(steps[0], *folds[id(layer)])
            flow.steps += steps
            flow.parts.append(dense.keras_to_torch(layer))
        elif conv.is_conv_layer(layer):
            _refuse_mask(layer, flow)
            flow.need(_channels_first_axes(len(flow.shape), layer.data_format))
            input_shape = (None, *flow.shape)
            flow.steps += conv.plan_for(layer, torch_prefix=flow.key(),
                                        input_shape=input_shape).steps
            flow.parts.append(conv.keras_to_torch(layer, input_shape=input_shape))
        elif isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional)):
            flow.need(flow.keras_order())
            flow.steps += recurrent.plan_for(layer, torch_prefix=f"{flow.key()}rnn.",
                                             allow_mask=flow.masked).steps
            rnn = recurrent.keras_to_torch(layer, allow_mask=flow.masked)
            flow.parts.append(RecurrentLayer(rnn, bool(layer.return_sequences)))
            flow.masked = flow.masked and bool(layer.return_sequences)
        elif kind == "Flatten":
            _refuse_mask(layer, flow)
            sizes = _sizes(flow, layer)
            axes = flow.axes or flow.keras_order()
            flow.axes = axes
            rank = len(sizes)
            keras_order = ((*range(1, rank), 0) if layer.data_format == "channels_first"
                           and rank > 1 else tuple(range(rank)))
            target = _flatten_fold(layers, index)
            if axes != keras_order and target is not None:
                folds[id(target)] = (sizes, keras_order, axes)
            else:
                flow.need(keras_order)
            flow.parts.append(torch.nn.Flatten())
        elif kind in _POOLING:
            _refuse_mask(layer, flow)
            flow.parts.append(_pooling(layer, flow))
        elif kind in _GLOBAL_POOLING:
            _refuse_mask(layer, flow)
            rank = len(flow.shape) - 1
            flow.need(_channels_first_axes(rank + 1, layer.data_format))
            pool = "Max" if kind == "GlobalMaxPooling" else "Avg"
            parts = [getattr(torch.nn, f"Adaptive{pool}Pool{rank}d")(1)]
            if not layer.keepdims:
                parts.append(torch.nn.Flatten())
            flow.parts.append(torch.nn.Sequential(*parts))
        elif kind in _ACTIVATION_LAYERS:
            module = _activation(layer, flow)
            flow.parts.append(module if module is not None else torch.nn.Identity())
        elif kind == "Dropout":
            flow.parts.append(torch.nn.Dropout(float(layer.rate)))
        elif kind == "SpatialDropout":
            _refuse_mask(layer, flow)
            rank = len(flow.shape) - 1
            data_format = getattr(layer, "data_format", "channels_last")
            flow.need(_channels_first_axes(rank + 1, data_format))
            flow.parts.append(getattr(torch.nn, f"Dropout{rank}d")(float(layer.rate)))
        else:
            raise UnsupportedLayer(
                f"{layer.name} ({type(layer).__name__}) is not among the layers a whole "
                f"model converts: {', '.join(CONVERTED)}. Nothing was converted.")
        flow.shape = _shape(layer.output)
        if flow.axes is not None and len(flow.axes) != len(flow.shape):
            flow.axes = flow.keras_order()  # a layer that changed the rank reads in order
    input_axes = flow.input_axes or tuple(range(len(_shape(model.inputs[0]))))
    output_axes = flow.axes or flow.keras_order()
    module = ConvertedModel(*flow.parts, mask_zero=mask_zero,
                            keras_input_axes=(0, *(1 + a for a in input_axes)),
                            keras_output_axes=(0, *(1 + a for a in output_axes)))
    return module, Plan("keras_to_torch", flow.steps)


def keras_to_torch(model: Any) -> ConvertedModel:
    """The PyTorch module computing what a Keras model computes: see the module's
    docstring. The weights are written by the plan `plan_for(model)` returns, after
    every layer has been checked (any refusal comes before a weight is written)."""
    module, plan = _convert_keras(model)
    arrays = {variable.path: as_array(variable, variable.path) for variable in model.weights}
    state = plan.apply(arrays) if plan.steps else {}
    expected = set(module.state_dict())
    if set(state) != expected:  # the plan covers every parameter, and nothing else
        raise ConversionError(f"the plan writes {sorted(set(state) ^ expected)} wrongly")
    module.load_state_dict({key: torch.from_numpy(array) for key, array in state.items()})
    return module


# --- Reading an nn.Sequential ---------------------------------------------------------------

CONVERTED_MODULES = ("Linear", "Embedding", "the convolutions", "ZeroPad", "MaxPool",
                     "AvgPool", "AdaptiveAvgPool and AdaptiveMaxPool to 1", "Flatten",
                     "the activations", "Dropout", "Dropout1d-3d", "Identity",
                     "RecurrentLayer and MoveAxes (what keras_to_torch makes)")


def _leaves(module: torch.nn.Module) -> list[torch.nn.Module]:
    """The modules of nested nn.Sequential containers, in the order they run."""
    if type(module) in (torch.nn.Sequential, ConvertedModel):
        return [leaf for part in module for leaf in _leaves(part)]
    return [module]


@dataclass
class _KerasFlow:
    """The tensor between two modules: its PyTorch shape (batch left out) and which
    PyTorch axis each axis of the Keras tensor holds (None until a module fixes it)."""

    shape: tuple[int, ...]
    axes: tuple[int, ...] | None = None
    input_axes: tuple[int, ...] | None = None
    layers: list[Any] = field(default_factory=list)

    def need(self, axes: tuple[int, ...]) -> None:
        """Put the Keras tensor's axes in the order `axes`, with a Permute if needed."""
        if self.axes is None:
            self.axes = self.input_axes = axes
        elif self.axes != axes:
            self.layers.append(keras.layers.Permute(
                tuple(1 + self.axes.index(a) for a in axes)))
            self.axes = axes


def _channels_last_axes(rank: int, data_format: str) -> tuple[int, ...]:
    """Which PyTorch axis (batch left out) each Keras axis holds: channels last."""
    if data_format == "channels_first" or rank < 2:
        return tuple(range(rank))
    return (*range(1, rank), 0)


def _keras_activation(module: torch.nn.Module, flow: _KerasFlow) -> Any:
    from weightatlas.activations import _GRID_ROWS, _agrees

    name = type(module).__name__
    if name in ("Softmax", "LogSoftmax"):
        axes = flow.axes or tuple(range(len(flow.shape)))
        if module.dim is None or module.dim % (len(flow.shape) + 1) == 0:
            raise UnsupportedLayer(f"{module}: converted are softmaxes along an axis "
                                   "other than the batch, named by dim")
        dim = module.dim % (len(flow.shape) + 1) - 1
        if name == "Softmax":
            return keras.layers.Softmax(axis=1 + axes.index(dim))
        if axes.index(dim) == len(axes) - 1:
            return keras.layers.Activation("log_softmax")
    elif name == "LeakyReLU":
        return keras.layers.LeakyReLU(negative_slope=module.negative_slope)
    elif name == "ELU" and module.alpha != 1:
        return keras.layers.ELU(alpha=module.alpha)
    elif name in _KERAS_ACTIVATIONS:
        layer = keras.layers.Activation(_KERAS_ACTIVATIONS[name])
        values = as_array(layer(keras.ops.convert_to_tensor(_GRID_ROWS)), "activation")
        if _agrees(values, module):
            return layer
    raise UnsupportedLayer(
        f"{module}: no Keras activation this package knows computes it (compared as "
        f"functions): {', '.join(ACTIVATIONS)}")


def _convert_torch(module: torch.nn.Module, input_shape: tuple[int, ...],
                   data_format: str) -> tuple[Any, Plan]:
    """The Keras model torch_to_keras returns, its layers built, and the plan of its
    weights, made together so that the plan names the model's variables."""
    if not isinstance(module, torch.nn.Sequential):
        raise UnsupportedLayer(f"{type(module).__name__}: a whole model converts from an "
                               "nn.Sequential; convert other modules layer by layer")
    leaves = _leaves(module)
    keys = {id(part): f"{name}." for name, part in module.named_modules()}
    mask_zero = bool(getattr(module, "mask_zero", False))
    tokens = isinstance(leaves[0], torch.nn.Embedding)
    x = torch.zeros((1, *input_shape), dtype=torch.long if tokens else torch.float32)
    flow = _KerasFlow(tuple(input_shape))
    steps: list[Step] = []
    fold: tuple[tuple[int, ...], tuple[int, ...]] | None = None
    pool_pads = None  # a pool's pads (-inf before a MaxPool, or its own) and sizes
    with torch.no_grad():
        for position, leaf in enumerate(leaves):
            name = type(leaf).__name__
            rank = len(flow.shape)
            prefix = keys[id(leaf)]
            if name in ("Linear", "Embedding"):
                if name == "Linear" and (rank > 1 or flow.axes is None):
                    flow.need(tuple(range(rank)))
                new = dense.torch_to_keras(leaf)
                if name == "Embedding":
                    flow.need(tuple(range(rank)))
                    new[0].mask_zero = new[0].supports_masking = mask_zero
                layer_steps = dense.plan_for(leaf, torch_prefix=prefix, keras_layers=new).steps
                if fold is not None and name == "Linear":  # columns in Keras' order
                    shape, axes = fold
                    layer_steps[0] = _folded_kernel_step(layer_steps[0], shape, axes,
                                                         tuple(range(len(shape))))
                    fold = None
                steps += layer_steps
                flow.layers += new
            elif conv.is_conv_module(leaf):
                flow.need(_channels_last_axes(rank, data_format))
                new = conv.torch_to_keras(leaf, data_format=data_format)
                steps += conv.plan_for(leaf, torch_prefix=prefix, keras_layers=new).steps
                flow.layers += new
            elif isinstance(leaf, RecurrentLayer):
                flow.need(tuple(range(rank)))
                new = recurrent.torch_to_keras(leaf.rnn, leaf.return_sequences)
                steps += recurrent.plan_for(leaf.rnn, torch_prefix=f"{prefix}rnn.",
                                            keras_layers=new).steps
                flow.layers += new
            elif isinstance(leaf, MoveAxes):
                axes = flow.axes or tuple(range(rank))
                order = [d - 1 for d in leaf.dims[1:]]  # new PyTorch axis i was order[i]
                flow.axes = tuple(order.index(a) for a in axes)
            elif name == "Flatten":
                if leaf.start_dim != 1 or leaf.end_dim != -1:
                    raise UnsupportedLayer(f"{leaf}: converted is nn.Flatten() only")
                axes = flow.axes = flow.axes or tuple(range(rank))
                if axes != tuple(range(rank)) and _linear_follows(leaves, position):
                    fold = (flow.shape, axes)
                else:  # Keras' Flatten then lists the values in PyTorch's order
                    flow.need(tuple(range(rank)))
                flow.layers.append(keras.layers.Flatten(data_format="channels_last"))
            elif name.startswith(("ZeroPad", "ConstantPad")):
                flow.need(_channels_last_axes(rank, data_format))
                pads = _pads(leaf)
                if leaf.value == float("-inf") and _is_max_pool(leaves, position):
                    pool_pads = (pads, flow.shape[1:])  # the MaxPool's "same", if it is
                else:
                    flow.layers.append(_keras_padding(leaf, pads, data_format))
            elif name.startswith(("MaxPool", "AvgPool")):
                flow.need(_channels_last_axes(rank, data_format))
                if name.startswith("AvgPool") and not leaf.count_include_pad:
                    pool_pads = (tuple((p, p) for p in np.broadcast_to(
                        leaf.padding, rank - 1).tolist()), flow.shape[1:])
                flow.layers.append(_keras_pooling(leaf, data_format, pool_pads))
                pool_pads = None
            elif name.startswith(("AdaptiveAvgPool", "AdaptiveMaxPool")):
                flow.need(_channels_last_axes(rank, data_format))
                if leaf.output_size not in (1, (1,) * (rank - 1)):
                    raise UnsupportedLayer(f"{leaf}: converted is an output size of 1")
                pool = "Average" if "Avg" in name else "Max"
                flow.layers.append(getattr(keras.layers, f"Global{pool}Pooling{rank - 1}D")(
                    data_format=data_format, keepdims=True))
            elif name == "Dropout":
                flow.layers.append(keras.layers.Dropout(leaf.p))
            elif name in ("Dropout1d", "Dropout2d", "Dropout3d"):
                flow.need(_channels_last_axes(rank, data_format))
                flow.layers.append(getattr(keras.layers, f"SpatialDropout{name[-2]}D")(
                    leaf.p, **({} if name == "Dropout1d" else {"data_format": data_format})))
            elif name == "Identity":
                pass
            elif name in (*_KERAS_ACTIVATIONS, "Softmax", "LogSoftmax", "LeakyReLU"):
                flow.layers.append(_keras_activation(leaf, flow))
            else:
                raise UnsupportedLayer(
                    f"{leaf} is not among the modules a whole nn.Sequential converts: "
                    f"{', '.join(CONVERTED_MODULES)}. Nothing was converted.")
            x = leaf(x)
            if flow.axes is not None and len(flow.axes) != x.dim() - 1:
                flow.axes = tuple(range(x.dim() - 1))
            flow.shape = tuple(x.shape[1:])
    input_axes = flow.input_axes or tuple(range(len(input_shape)))
    keras_input = keras.Input(tuple(input_shape[a] for a in input_axes),
                              dtype="int64" if tokens else None)
    return keras.Sequential([keras_input, *flow.layers]), Plan("torch_to_keras", steps)




def torch_to_keras(module: torch.nn.Module, input_shape: tuple[int, ...], *,
                   data_format: str = "channels_last") -> Any:
    """The Keras Sequential model computing what an nn.Sequential computes, reading
    `data_format`: `input_shape` is the module's input shape, batch left out, in
    PyTorch's layout ((channels, height, width) for images); the model reads the same
    data with its channels last for data_format="channels_last" (`model.input_shape`).

    Converted: nn.Linear, nn.Embedding, the convolutions, nn.ZeroPad, MaxPool and AvgPool
    (padded only as Keras' padding="same" pads), AdaptiveAvgPool/AdaptiveMaxPool to 1,
    nn.Flatten, the activations, Dropout, Identity, and what keras_to_torch(model) makes
    (RecurrentLayer, MoveAxes). A Linear after nn.Flatten takes its columns in Keras'
    order. The weights are written by the plan plan_for_sequential() returns."""
    model, plan = _convert_torch(module, tuple(input_shape), data_format)
    arrays = {key: as_array(tensor, key) for key, tensor in module.state_dict().items()}
    converted = plan.apply(arrays) if plan.steps else {}
    if set(converted) != {variable.path for variable in model.weights}:
        raise ConversionError("the plan does not write every weight of the Keras model")
    for layer in model.layers:
        if layer.weights:
            layer.set_weights([converted[variable.path] for variable in layer.weights])
    return model


def plan_for_sequential(module: torch.nn.Module, input_shape: tuple[int, ...], *,
                        data_format: str = "channels_last") -> Plan:
    """The plan torch_to_keras(module, input_shape, data_format=...) applies: every
    parameter, the Linear after nn.Flatten with its columns in Keras' order."""
    return _convert_torch(module, tuple(input_shape), data_format)[1]


def _pads(leaf: torch.nn.Module) -> tuple[tuple[int, int], ...]:
    """A padding module's (before, after) per spatial axis, first axis first (PyTorch
    lists the last axis first)."""
    flat = tuple(leaf.padding)
    return tuple((flat[i], flat[i + 1]) for i in range(0, len(flat), 2))[::-1]


def _is_max_pool(leaves: list[torch.nn.Module], position: int) -> bool:
    return (position + 1 < len(leaves)
            and type(leaves[position + 1]).__name__.startswith("MaxPool"))


def _keras_padding(leaf: torch.nn.Module, pads: tuple[tuple[int, int], ...],
                   data_format: str) -> Any:
    """The Keras ZeroPadding or Cropping layer of a ZeroPad / ConstantPad module."""
    rank = len(pads)
    numbers = [n for pair in pads for n in pair]
    if leaf.value != 0 or (min(numbers) < 0 < max(numbers)):
        raise UnsupportedLayer(
            f"{leaf}: converted are pads with zeros and crops (negative pads), not both")
    if min(numbers) >= 0:
        return getattr(keras.layers, f"ZeroPadding{rank}D")(
            pads[0] if rank == 1 else pads, data_format=data_format)
    crops = tuple((-before, -after) for before, after in pads)
    if rank == 1:
        if data_format != "channels_last":
            raise UnsupportedOption(f"{leaf} crops, and keras.layers.Cropping1D reads "
                                    "channels last only: use data_format='channels_last'")
        return keras.layers.Cropping1D(crops[0])
    return getattr(keras.layers, f"Cropping{rank}D")(crops, data_format=data_format)


def _keras_pooling(leaf: torch.nn.Module, data_format: str,
                   padded: tuple[tuple[tuple[int, int], ...], tuple[int, ...]] | None) -> Any:
    """The Keras pooling layer of a MaxPool or AvgPool: padding "valid", or "same" when
    the pool reads its input padded as Keras' "same" pads it (`padded`: the pads, and
    the spatial sizes before them)."""
    name = type(leaf).__name__
    rank = int(name[-2])
    kernel = tuple(np.broadcast_to(leaf.kernel_size, (rank,)).tolist())
    stride = tuple(np.broadcast_to(leaf.stride, (rank,)).tolist())
    padding = "valid"
    pads, spatial = padded or (None, ())
    if pads is not None and any(any(pair) for pair in pads):
        same = tuple(conv.keras_padding("same", k, s, 1, n)
                     for k, s, n in zip(kernel, stride, spatial))
        if same != tuple(pads):
            raise UnsupportedLayer(f"{leaf} reads its input padded by {pads} (before, "
                                   "after), which no Keras pooling does")
        padding = "same"
    elif any(np.atleast_1d(leaf.padding)):
        raise UnsupportedLayer(f"{leaf}: a pool that pads with zeros counted has no Keras "
                               "equivalent")
    if (getattr(leaf, "ceil_mode", False) or any(np.atleast_1d(getattr(leaf, "dilation", 1)) != 1)
            or getattr(leaf, "divisor_override", None)):
        raise UnsupportedLayer(f"{leaf}: converted are pools without dilation, ceil_mode "
                               "or divisor_override")
    pool = "Max" if name.startswith("Max") else "Average"
    return getattr(keras.layers, f"{pool}Pooling{rank}D")(
        kernel, stride, padding=padding, data_format=data_format)


def plan_for(model: Any) -> Plan:
    """The plan of keras_to_torch(model): every array of every layer, the Dense after a
    Flatten with its rows permuted."""
    return _convert_keras(model)[1]
