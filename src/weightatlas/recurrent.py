"""Recurrent layers between Keras 3 and PyTorch 2, weights included.

>>> import keras
>>> from weightatlas import keras_to_torch, plan_for, torch_to_keras
>>> layer = keras.layers.GRU(4)
>>> layer.build((None, 5, 3))
>>> keras_to_torch(layer)  # or a list of layers, or a model: a stack
GRU(3, 4, batch_first=True)
>>> type(torch_to_keras(keras_to_torch(layer))[0]).__name__  # a list: one layer per layer
'GRU'
>>> len(plan_for(layer).rows())  # every array moved; print(plan) shows them as a table
4

SimpleRNN <-> nn.RNN, LSTM <-> nn.LSTM, GRU <-> nn.GRU, Bidirectional <->
bidirectional=True, a list of layers <-> num_layers, use_bias=False <-> bias=False.
A Dense or an Embedding layer on its own goes to `weightatlas.dense` (nn.Linear,
nn.Embedding). Each conversion builds a `Plan` and applies exactly it. What has no equivalent is refused
with a `ConversionError` that names the layer, what was expected and found, and what to do:
see `weightatlas.errors`. Tested under the TensorFlow and PyTorch backends of Keras
(arrays are read with `weightatlas.as_array`, which reads the backend tensor a Keras
variable holds, never `.numpy()` on a tensor that requires grad); JAX is not tested.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import keras
import numpy as np
import torch

from weightatlas import conv, dense
from weightatlas.arrays import as_array, common_dtype
from weightatlas.errors import (ConversionError, LooksTransposed, ShapeMismatch,
                                UnsupportedDtype, UnsupportedLayer, UnsupportedOption)
from weightatlas.families import (FAMILIES, REFERENCE_ACTIVATIONS, Family,
                                  family_for_gate_count, family_for_keras,
                                  family_for_torch)
from weightatlas.objects import (ACTIVATION_GRID, ACTIVATION_TOLERANCE, article,
                                 is_torch_module, refuse_keras2)
from weightatlas.plan import Plan, layer_steps

__all__ = [
    "keras_to_torch",
    "torch_to_keras",
    "keras_to_torch_arrays",
    "torch_to_keras_arrays",
    "plan_for",
    "LayerOptions",
]

TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
KERAS_NAMES = ("kernel", "recurrent_kernel", "bias")
# Layers that may sit between two layers of a stack: they change nothing at inference
# (PyTorch's own dropout= acts between its layers only in training).
PASS_THROUGH = ("Dropout", "SpatialDropout1D", "GaussianDropout", "GaussianNoise",
                "AlphaDropout")


@dataclass(frozen=True)
class LayerOptions:
    """What a PyTorch recurrent module takes, read from one Keras layer (both directions).

    The layers of a PyTorch stack share all of these."""

    family: Family
    units: int
    use_bias: bool
    nonlinearity: str | None
    directions: int
    dtype: str

    def differences(self, other: "LayerOptions") -> list[str]:
        """'units=5 (layer 0: 4)'-style descriptions of the options that differ."""
        mine = {"kind": self.family.name, "units": self.units, "use_bias": self.use_bias,
                "activation": self.nonlinearity, "directions": self.directions,
                "dtype": self.dtype}
        theirs = {"kind": other.family.name, "units": other.units,
                  "use_bias": other.use_bias, "activation": other.nonlinearity,
                  "directions": other.directions, "dtype": other.dtype}
        return [f"{name}={value!r} (layer 0: {theirs[name]!r})"
                for name, value in mine.items() if value != theirs[name]]


# --- Reading Keras layers -------------------------------------------------------------


def _keras_family(cell: Any) -> Family | None:
    """The family of a Keras cell, subclasses included, or None."""
    for cls in type(cell).__mro__:
        if cls.__module__.split(".")[0] == "keras":
            family = family_for_keras(cls.__name__, getattr(cell, "reset_after", True))
            if family is not None and family.keras_cell == cls.__name__:
                return family
    return None


def _refuse_own_call(cell: Any) -> None:
    """A subclass of a Keras cell is accepted when it computes what its base cell does;
    one that overrides call() computes something the package cannot know."""
    base = next(cls for cls in type(cell).__mro__ if cls.__module__.split(".")[0] == "keras")
    if type(cell).call is not base.call:
        raise UnsupportedOption(
            f"{cell.name} is {article(type(cell).__name__)} {type(cell).__name__}, which "
            f"overrides call() of keras.layers.{base.__name__}: what it computes cannot be "
            "read from its weights. If it computes what its base cell does, convert a "
            f"plain {base.__name__} holding the same weights; otherwise write the cell "
            "in PyTorch."
        )


def _refuse_not_recurrent(layer: Any) -> None:
    name = type(layer).__name__
    where = f"{getattr(layer, 'name', name)} is {article(name)} {name}"
    if is_torch_module(layer):
        raise UnsupportedLayer(
            f"{where}, a PyTorch module: keras_to_torch takes Keras layers. To go from "
            "PyTorch to Keras, call torch_to_keras(module)."
        )
    if name.startswith("ConvLSTM"):
        advice = ("it is a convolutional LSTM: no torch.nn module computes it. Write "
                  "the cell in PyTorch (a Conv over [x, h] gives the four gates).")
    elif dense.is_dense_layer(layer) or conv.is_conv_layer(layer):
        raise UnsupportedLayer(
            f"{where} in a list or model of layers to stack: pass only the recurrent "
            f"layers, and convert the {name} on its own, keras_to_torch({layer.name})."
        )
    else:
        alone = ", ".join(f"{article(kind)} {kind}" for kind in dense.KERAS_CLASSES)
        advice = ("pass only the recurrent layers; the package converts SimpleRNN, LSTM "
                  f"and GRU layers, and {alone} or a convolution (Conv1D to Conv3D, their "
                  "Transpose, Depthwise and Separable forms) on its own, or a model that "
                  "chains them with pooling, Flatten, activation and dropout layers; no "
                  "other layer.")
    raise UnsupportedLayer(
        f"{where}, not a SimpleRNN, LSTM or GRU layer (or a Bidirectional of one): {advice}"
    )


def _receives_mask(layer: Any) -> bool:
    """Whether any call of `layer` in a model passes it a mask (from an
    Embedding(mask_zero=True), a Masking layer, or any layer that makes one)."""
    for node in getattr(layer, "_inbound_nodes", []):
        arguments = getattr(node, "arguments", None)
        if arguments is not None and arguments.kwargs.get("mask") is not None:
            return True
    return False


def _checked_direction(layer: Any, go_backwards: bool) -> Any:
    """One direction of a recurrent layer, refused with a reason if PyTorch cannot
    compute it."""
    refuse_keras2(layer)
    if not isinstance(layer, keras.layers.RNN) or _keras_family(layer.cell) is None:
        _refuse_not_recurrent(layer)
    _refuse_own_call(layer.cell)
    if not layer.built:
        raise ConversionError(
            f"{layer.name} has no weights yet: build it first, for example "
            "layer.build((None, None, input_dim)), or call it on data."
        )
    if layer.go_backwards != go_backwards:
        raise UnsupportedOption(
            f"{layer.name} has go_backwards={layer.go_backwards}, which PyTorch has no "
            "option for. Convert a copy made with go_backwards=False and the same "
            "weights, and flip the time axis of its input: torch.flip(x, dims=[1]) "
            "with batch_first=True."
        )
    if layer.stateful:
        raise UnsupportedOption(
            f"{layer.name} has stateful=True: it starts each batch from the state the "
            "last batch left, and a converted torch module starts each call from zeros, "
            "so from the second batch on the outputs would differ. Convert a copy made "
            "with stateful=False and the same weights, and carry the state yourself: "
            "output, state = module(x, state), passing each call's final state to the "
            "next."
        )
    return layer


def _directions(layer: Any, allow_mask: bool) -> list[Any]:
    """[layer] or, for a Bidirectional, [forward layer, backward layer], checked."""
    if isinstance(layer, keras.layers.Bidirectional):
        if layer.merge_mode != "concat":
            raise UnsupportedOption(
                f"Bidirectional(merge_mode={layer.merge_mode!r}) cannot be converted: "
                "PyTorch concatenates the two directions. Convert a copy made with "
                "merge_mode='concat' and the same weights, then combine the two halves "
                "of PyTorch's output (output[..., :hidden_size], "
                "output[..., hidden_size:])."
            )
        directions = [_checked_direction(layer.forward_layer, go_backwards=False),
                      _checked_direction(layer.backward_layer, go_backwards=True)]
    else:
        directions = [_checked_direction(layer, go_backwards=False)]
    if not allow_mask and _receives_mask(layer):
        module = _keras_family(directions[0].cell).torch_module
        raise UnsupportedOption(
            f"{layer.name} receives a mask (an Embedding(mask_zero=True), a Masking "
            "layer or another layer before it makes one): Keras skips the padded "
            f"timesteps, and a torch.nn.{module} has no mask, so fed the padded batch "
            "it reads the padding as data. Convert with allow_mask=True and feed the "
            "module packed sequences: torch.nn.utils.rnn.pack_padded_sequence(x, "
            "lengths, batch_first=True, enforce_sorted=False), or call "
            "weightatlas.masked_forward(module, x, mask), which packs the batch and "
            "pads the output as Keras does."
        )
    return directions


def _function_name(function: Any) -> str:
    name = getattr(function, "__name__", type(function).__name__)
    return "a lambda" if name == "<lambda>" else name


def _computes(function: Any, reference: str) -> tuple[bool, str]:
    """Whether `function` computes the reference activation on ACTIVATION_GRID, and
    where it differs most if not."""
    try:
        values = as_array(function(keras.ops.convert_to_tensor(ACTIVATION_GRID)),
                          "activation output")
    except Exception as error:  # a custom activation may fail on any input
        return False, f"it fails on a test input ({type(error).__name__}: {error})"
    expected = REFERENCE_ACTIVATIONS[reference](ACTIVATION_GRID.astype(np.float64))
    if values.shape != expected.shape:
        return False, f"it returns shape {values.shape} for shape {expected.shape}"
    with np.errstate(all="ignore"):  # an inf or nan from the activation is a difference
        error = np.nan_to_num(np.abs(values.astype(np.float64) - expected), nan=np.inf)
    worst = int(np.argmax(error))
    if error[worst] <= ACTIVATION_TOLERANCE:
        return True, ""
    return False, (f"at x = {ACTIVATION_GRID[worst]:g} it gives {values[worst]:.4g}, "
                   f"{reference} gives {expected[worst]:.4g}")


def _activation_name(function: Any) -> str | None:
    """The reference activation `function` computes, or None."""
    for reference in REFERENCE_ACTIVATIONS:
        if _computes(function, reference)[0]:
            return reference
    return None


def _cell_options(layer: Any, directions: int) -> LayerOptions:
    """The options of one direction's cell, refused if PyTorch computes no such layer.
    Activations are compared as functions, not by name."""
    cell = layer.cell
    family = _keras_family(cell)
    assert family is not None  # _checked_direction refused others
    if family.refusal:
        raise UnsupportedOption(family.refusal)
    activation = _activation_name(cell.activation)
    named = _function_name(cell.activation)
    if family.takes_nonlinearity:
        if activation not in family.activations:
            why = (f"its activation {named!r} computes none of them"
                   if named in REFERENCE_ACTIVATIONS else "")
            raise UnsupportedOption(
                f"{family.keras_layer}(activation={named!r}) cannot be converted: "
                f"nn.{family.torch_module} computes only 'tanh' or 'relu'"
                + (f" ({why}: {_computes(cell.activation, named)[1]})" if why else "")
                + ". Retrain with one of them, or write the loop in PyTorch: "
                "h = f(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)."
            )
    else:
        recurrent = cell.recurrent_activation
        recurrent_named = _function_name(recurrent)
        found = (activation, _activation_name(recurrent))
        wanted = (family.activations[0], family.recurrent_activation)
        if found != wanted:
            impostors = [
                f"its {argument} is named {name!r} but {_computes(function, name)[1]}"
                for argument, name, function in (
                    ("activation", named, cell.activation),
                    ("recurrent_activation", recurrent_named, recurrent))
                if name in REFERENCE_ACTIVATIONS and not _computes(function, name)[0]
            ]
            raise UnsupportedOption(
                f"{family.keras_layer}(activation={named!r}, recurrent_activation="
                f"{recurrent_named!r}) cannot be converted: "
                + (f"{'; '.join(impostors)}. " if impostors else "")
                + f"torch.nn.{family.torch_module} always uses tanh and sigmoid. Retrain "
                "with the defaults, activation='tanh' and recurrent_activation='sigmoid', "
                "or write the cell's equations in PyTorch yourself."
            )
    dtype = keras.backend.standardize_dtype(cell.kernel.dtype)
    return LayerOptions(family, int(cell.units), bool(cell.use_bias),
                        activation if family.takes_nonlinearity else None, directions,
                        dtype)


def _as_layer_list(layers: Any) -> list[Any]:
    """A layer, a list of layers or a model, as the list of layers to stack."""
    if is_torch_module(layers):
        _refuse_not_recurrent(layers)
    if isinstance(layers, keras.Model) and not isinstance(layers, keras.layers.RNN):
        inner = [layer for layer in layers.layers
                 if not isinstance(layer, keras.layers.InputLayer)]
        others = [layer for layer in inner
                  if not isinstance(layer, (keras.layers.RNN, keras.layers.Bidirectional))
                  and type(layer).__name__ not in PASS_THROUGH]
        if others:
            names = ", ".join(f"{layer.name} ({type(layer).__name__})" for layer in others)
            raise UnsupportedLayer(
                f"model {layers.name} holds layers that are not recurrent: {names}. "
                "Pass the recurrent layers themselves, e.g. keras_to_torch(model.layers"
                "[i:j]), and convert the others one by one (keras_to_torch converts a "
                "Dense or an Embedding on its own)."
            )
        return [layer for layer in inner if type(layer).__name__ not in PASS_THROUGH]
    layers = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    if not layers:
        raise ConversionError("no layers to convert")
    return layers


def _input_operation(layer: Any) -> Any | None:
    """The layer whose output `layer` reads in a model (past dropout), or None when the
    layer has been called on data only."""
    for node in getattr(layer, "_inbound_nodes", []):
        arguments = getattr(node, "arguments", None)
        if arguments is None or not arguments.args:
            continue
        history = getattr(arguments.args[0], "_keras_history", None)
        operation = getattr(history, "operation", None)
        while type(operation).__name__ in PASS_THROUGH:
            parent = operation._inbound_nodes[0].arguments.args[0]
            operation = parent._keras_history.operation
        return operation
    return None


def _check_stack(layers: list[Any], options: list[LayerOptions]) -> None:
    """A PyTorch stack feeds each layer's whole output sequence to the next one, and its
    layers share their options: refuse stacks that do something else."""
    dtypes = [option.dtype for option in options]
    if len(set(dtypes)) > 1:
        listed = ", ".join(f"{layer.name} is {dtype}" for layer, dtype in zip(layers, dtypes))
        raise UnsupportedDtype(
            f"the layers mix dtypes ({listed}): one PyTorch module has one dtype, and "
            "converting would round some weights silently. Make the layers one dtype "
            "first, or convert them one by one."
        )
    paths = [variable.path for layer in layers for variable in layer.weights]
    repeated = sorted({path for path in paths if paths.count(path) > 1})
    if repeated:
        raise ConversionError(
            f"two layers share the weight paths {repeated}: give the layers distinct "
            "names (name=...) so that each array is read once"
        )
    for index, (layer, option) in enumerate(zip(layers, options)):
        differ = option.differences(options[0])
        if differ:
            raise UnsupportedOption(
                f"layer {index} ({layer.name}) has {', '.join(differ)}: the layers of "
                "a PyTorch stack share kind, units, use_bias, activation, directions "
                "and dtype. Convert the layers one by one, keras_to_torch(layer), and "
                "chain the modules."
            )
    for index, (lower, upper) in enumerate(zip(layers, layers[1:])):
        if not getattr(lower, "return_sequences", True):
            raise UnsupportedOption(
                f"layer {index} ({lower.name}) has return_sequences=False: the layer "
                "after it reads its last output only (repeated by a RepeatVector, for "
                "example), while a PyTorch stack feeds every timestep to the next "
                f"layer. Convert the two separately, keras_to_torch({lower.name}) and "
                f"keras_to_torch({upper.name}), and feed the second what the first "
                "returns, as the Keras model does."
            )
        reads = _input_operation(upper)
        if reads is not None and reads is not lower:
            raise UnsupportedOption(
                f"layer {index + 1} ({upper.name}) reads the output of {reads.name} "
                f"({type(reads).__name__}), not of layer {index} ({lower.name}): a "
                "PyTorch stack feeds each layer's output straight to the next. Convert "
                "the layers on each side of it separately."
            )


def _keras_arrays(layer: Any) -> dict[str, np.ndarray]:
    """A layer's weights by path, as NumPy (whatever the backend)."""
    return {variable.path: as_array(variable, variable.path) for variable in layer.weights}


def _keras_paths(direction_layer: Any) -> dict[str, str]:
    cell = direction_layer.cell
    paths = {"kernel": cell.kernel.path, "recurrent_kernel": cell.recurrent_kernel.path}
    if cell.use_bias:
        paths["bias"] = cell.bias.path
    return paths


def _torch_keys(index: int, reverse: bool, prefix: str) -> dict[str, str]:
    suffix = f"_l{index}" + ("_reverse" if reverse else "")
    return {name: f"{prefix}{name}{suffix}" for name in TORCH_NAMES}


@dataclass(frozen=True)
class _KerasStack:
    layers: list[Any]
    directions: list[list[Any]]
    options: LayerOptions
    input_size: int


def _read_keras_stack(layers: Any, allow_mask: bool) -> _KerasStack:
    layers = _as_layer_list(layers)
    directions = [_directions(layer, allow_mask) for layer in layers]
    options = []
    for layer, pair in zip(layers, directions):
        forward, *backward = [_cell_options(direction, len(pair)) for direction in pair]
        if backward and backward[0] != forward:
            raise UnsupportedOption(
                f"{layer.name}: its backward layer has other options than its forward "
                "layer; PyTorch's two directions share all of them."
            )
        options.append(forward)
    _check_stack(layers, options)
    input_size = int(directions[0][0].cell.kernel.shape[0])
    for index, pair in enumerate(directions):
        features = input_size if index == 0 else options[0].units * len(pair)
        for direction in pair:
            kernel_shape = tuple(direction.cell.kernel.shape)
            if kernel_shape[0] != features:
                raise ShapeMismatch(
                    f"layer {index}'s kernel has shape {kernel_shape}, expected "
                    f"{(features, kernel_shape[1])} to read the {features} features of "
                    "the layer before it"
                )
    return _KerasStack(layers, directions, options[0], input_size)


def _keras_plan(stack: _KerasStack, torch_prefix: str) -> Plan:
    plan = Plan("keras_to_torch")
    for index, pair in enumerate(stack.directions):
        input_size = stack.input_size if index == 0 else stack.options.units * len(pair)
        for reverse, direction in enumerate(pair):
            plan.steps += layer_steps(
                stack.options.family, "keras_to_torch", units=stack.options.units,
                input_size=input_size, use_bias=stack.options.use_bias,
                keras_paths=_keras_paths(direction),
                torch_keys=_torch_keys(index, bool(reverse), torch_prefix),
            )
    return plan


def keras_to_torch(layers: Any, batch_first: bool = True, *, allow_mask: bool = False,
                   input_shape: Any = None) -> torch.nn.Module:
    """The torch.nn.RNN, LSTM or GRU that computes what the Keras `layers` compute.

    `layers`: a built SimpleRNN, LSTM or GRU, a Bidirectional of one, a list of them
    first layer first, or a model holding only them (a stack: num_layers=len(layers)).
    Keras always reads (batch, timesteps, features); batch_first=False makes a module
    that reads (timesteps, batch, features) instead.

    Refused, each with a reason and what to do: other layers; GRU(reset_after=False);
    activations PyTorch does not compute (compared as functions on a grid of points, so
    a scaled tanh named "tanh" is refused); go_backwards; stateful=True; a
    Bidirectional merge_mode other than "concat"; stacks whose layers differ in options
    or dtype, whose lower layers return only their last step (return_sequences=False),
    or with a layer between two of them (dropout aside); a layer that receives a mask in
    its model, unless `allow_mask=True` (then feed the module packed sequences:
    `weightatlas.masked_forward`). A mask given only at call time, outside a model, is
    invisible here. The module takes the dtype of the layers' weights; bfloat16 weights,
    which NumPy cannot hold, become a float32 module (exactly: every bfloat16 is a
    float32). A mixed-precision layer (float16 compute, float32 weights) becomes a
    float32 module, whose outputs are the float32 ones rather than Keras' float16 ones.

    A Dense or an Embedding layer on its own becomes an nn.Linear (in an nn.Sequential
    with its activation, if any) or an nn.Embedding: see `weightatlas.dense`. A
    convolution on its own becomes an nn.Conv or nn.ConvTranspose (`weightatlas.conv`;
    `input_shape` is read only there, for a strided padding="same").
    """
    if dense.is_dense_layer(layers):
        return dense.keras_to_torch(layers, allow_mask=allow_mask)
    if conv.is_conv_layer(layers):
        return conv.keras_to_torch(layers, input_shape=input_shape)
    stack = _read_keras_stack(layers, allow_mask)
    plan = _keras_plan(stack, "")
    arrays: dict[str, np.ndarray] = {}
    for layer in stack.layers:
        arrays.update(_keras_arrays(layer))
    state = plan.apply(arrays)
    options = stack.options
    module_class = getattr(torch.nn, options.family.torch_module or "")
    # Built on the meta device and given the converted tensors: no random
    # initialisation of weights that are overwritten anyway.
    module = module_class(
        stack.input_size, options.units, num_layers=len(stack.layers),
        bias=options.use_bias, batch_first=batch_first,
        bidirectional=options.directions == 2, device="meta",
        dtype=getattr(torch, str(next(iter(state.values())).dtype)),
        **({"nonlinearity": options.nonlinearity} if options.nonlinearity else {}),
    )
    module.load_state_dict(
        {key: torch.nn.Parameter(torch.from_numpy(array)) for key, array in state.items()},
        assign=True,
    )
    return module


# --- Reading PyTorch modules ----------------------------------------------------------


def _torch_family(module: Any) -> Family:
    """The family of a torch.nn.RNN, LSTM or GRU (subclasses included), or a refusal."""
    if is_torch_module(module):
        for cls in type(module).__mro__:
            if cls.__module__.startswith("torch.nn"):
                family = family_for_torch(cls.__name__)
                if family is not None:
                    return family
    name = type(module).__name__
    if isinstance(module, keras.layers.Layer):
        raise UnsupportedLayer(
            f"{module.name} is {article(name)} {name}, a Keras layer: torch_to_keras "
            "takes a torch.nn.RNN, LSTM or GRU. To go from Keras to PyTorch, call "
            "keras_to_torch(layer)."
        )
    hint = (" A cell (nn.LSTMCell, nn.GRUCell, nn.RNNCell) runs one step: wrap its "
            "weights in the matching multi-step module first." if name.endswith("Cell")
            else "")
    raise UnsupportedLayer(f"{name} is not a torch.nn.RNN, LSTM or GRU, nor an nn.Linear, "
                           f"nn.Embedding, nn.Conv or nn.ConvTranspose.{hint}")


def _torch_arrays(module: torch.nn.Module) -> dict[str, np.ndarray]:
    return {key: as_array(tensor, key) for key, tensor in module.state_dict().items()}


def _refuse_projection(module: Any) -> None:
    if getattr(module, "proj_size", 0):
        raise UnsupportedOption(
            f"nn.LSTM(proj_size={module.proj_size}) cannot be converted: Keras' LSTM "
            "has no projection (weight_hr) of the hidden state it feeds back. Train "
            "without proj_size, or write a Keras cell that projects h yourself."
        )


def _new_keras_layer(family: Family, module: Any, index: int, return_sequences: bool,
                     return_state: bool, dtype: str) -> Any:
    """An empty Keras layer for one PyTorch layer, built with zeros: Keras' random
    initialisers (an orthogonal matrix for the recurrent kernel) cost far more than the
    copy, and their values would be overwritten. The layer's initialisers are set back
    to Keras' defaults afterwards, so its config is an ordinary layer's."""
    options: dict[str, Any] = {"dtype": dtype}
    if family.takes_nonlinearity:
        options["activation"] = module.nonlinearity
    layer_class = getattr(keras.layers, family.keras_layer)
    defaults = layer_class(1)
    initializers = {name: getattr(defaults.cell, name) for name in
                    ("kernel_initializer", "recurrent_initializer", "bias_initializer")}
    layer = layer_class(
        module.hidden_size, use_bias=module.bias, return_state=return_state,
        return_sequences=return_sequences, kernel_initializer="zeros",
        recurrent_initializer="zeros", bias_initializer="zeros", **options,
    )
    if module.bidirectional:
        layer = keras.layers.Bidirectional(layer)
    input_size = module.input_size if index == 0 else (
        module.hidden_size * (1 + module.bidirectional))
    layer.build((None, None, input_size))
    for direction in ([layer.forward_layer, layer.backward_layer]
                      if module.bidirectional else [layer]):
        for name, initializer in initializers.items():
            setattr(direction.cell, name, initializer)
    return layer


def _torch_plan(family: Family, module: Any, layers: Sequence[Any],
                torch_prefix: str = "") -> Plan:
    plan = Plan("torch_to_keras")
    for index, layer in enumerate(layers):
        pair = ([layer.forward_layer, layer.backward_layer]
                if isinstance(layer, keras.layers.Bidirectional) else [layer])
        input_size = module.input_size if index == 0 else (
            module.hidden_size * len(pair))
        for reverse, direction in enumerate(pair):
            plan.steps += layer_steps(
                family, "torch_to_keras", units=module.hidden_size,
                input_size=input_size, use_bias=module.bias,
                keras_paths=_keras_paths(direction),
                torch_keys=_torch_keys(index, bool(reverse), torch_prefix),
            )
    return plan


def _torch_dtype(arrays: dict[str, np.ndarray], module: Any) -> str:
    dtype = common_dtype(arrays, f"the parameters of {type(module).__name__}")
    return str(dtype)


def torch_to_keras(module: torch.nn.Module, return_sequences: bool = True,
                   return_state: bool = False, *, data_format: str | None = None
                   ) -> list[Any]:
    """Keras layers that compute what a torch.nn.RNN, LSTM or GRU computes.

    A list with one layer per PyTorch layer, each a Bidirectional if the module is
    bidirectional, built and holding the module's weights. They read
    (batch, timesteps, features), whatever module.batch_first says. return_sequences
    is the last layer's (the others return sequences for the next one); return_state
    is every layer's, as PyTorch returns every layer's final state. Subclasses of the
    three modules are accepted and converted as the module they extend: what an
    overridden forward() adds around it is not converted. Parameters that require
    grad, live on another device or are bfloat16 are read as NumPy (bfloat16 widened to
    float32, exactly); the Keras layers take the parameters' dtype. Refused: nn.LSTM(proj_size=...), parameters of
    mixed dtypes, any other module. An nn.Linear or nn.Embedding gives [a Dense or an
    Embedding] (`weightatlas.dense`); an nn.Conv or nn.ConvTranspose gives the Keras
    convolution, with a ZeroPadding or Cropping layer where PyTorch's padding needs one,
    in `data_format` (`weightatlas.conv`); return_sequences and return_state do not
    apply to either.
    """
    if dense.is_dense_module(module):
        return dense.torch_to_keras(module)
    if conv.is_conv_module(module):
        return conv.torch_to_keras(module, data_format=data_format)
    family = _torch_family(module)
    _refuse_projection(module)
    arrays = _torch_arrays(module)
    dtype = _torch_dtype(arrays, module)
    layers = [
        _new_keras_layer(family, module, index,
                         return_sequences or index < module.num_layers - 1,
                         return_state, dtype)
        for index in range(module.num_layers)
    ]
    converted = _torch_plan(family, module, layers).apply(arrays)
    for layer in layers:
        layer.set_weights([converted[variable.path] for variable in layer.weights])
    return layers


# --- Plans ------------------------------------------------------------------------------


def plan_for(source: Any, *, torch_prefix: str = "",
             keras_layers: Sequence[Any] | None = None, allow_mask: bool = False,
             input_shape: Any = None) -> Plan:
    """The plan of converting `source`: every array moved, with its Keras path, PyTorch
    key, shapes and operation. `print(plan_for(...))` shows it as a Markdown table.

    `source`: what keras_to_torch takes (a layer, a list of layers, a model), giving a
    Keras-to-PyTorch plan whose keys start with `torch_prefix` (e.g. "lstm." for a
    module held as `self.lstm`); or a torch.nn.RNN, LSTM or GRU, giving a
    PyTorch-to-Keras plan. Keras names layers as it creates them, so for a module the
    paths are those of `keras_layers` (e.g. what torch_to_keras returned), or of fresh
    layers made for the plan. The conversions apply exactly these plans. `input_shape` is
    a strided padding="same" convolution's, as keras_to_torch takes it.
    """
    if dense.is_dense_module(source) or dense.is_dense_layer(source):
        return dense.plan_for(source, torch_prefix=torch_prefix, keras_layers=keras_layers)
    if conv.is_conv_module(source) or conv.is_conv_layer(source):
        return conv.plan_for(source, torch_prefix=torch_prefix, keras_layers=keras_layers,
                             input_shape=input_shape)
    if is_torch_module(source):
        family = _torch_family(source)
        _refuse_projection(source)
        if keras_layers is None:
            dtype = _torch_dtype(_torch_arrays(source), source)
            keras_layers = [_new_keras_layer(family, source, index, True, False, dtype)
                            for index in range(source.num_layers)]
        return _torch_plan(family, source, keras_layers, torch_prefix)
    return _keras_plan(_read_keras_stack(source, allow_mask), torch_prefix)


# --- Arrays without layers --------------------------------------------------------------


def _family_from_kind(kind: Any) -> Family:
    if isinstance(kind, Family):
        return kind
    names = [family.name for family in FAMILIES]
    if not isinstance(kind, str) or kind not in names:
        raise ConversionError(
            f"kind must be one of {[n for n in names if '(' not in n]}, not {kind!r}"
        )
    return next(family for family in FAMILIES if family.name == kind)


def _split_kind(arguments: tuple[Any, ...]) -> tuple[Any, list[Any]]:
    """(kind or None, the arrays): the kind may come first, as a string or a Family."""
    if arguments and isinstance(arguments[0], (str, Family)):
        return arguments[0], list(arguments[1:])
    return None, list(arguments)


def _expect(name: str, array: np.ndarray, shape: tuple[int, ...], why: str) -> None:
    actual = tuple(array.shape)
    if actual == shape:
        return
    if len(actual) == 2 and actual == shape[::-1]:
        raise LooksTransposed(
            f"{name} has shape {actual}, the transpose of the expected {shape} {why}: "
            "it looks transposed (PyTorch layout?). Pass each array in its own "
            "library's layout: Keras' kernel is (inputs, gates * units), PyTorch's "
            "weight_ih is (gates * hidden_size, inputs)."
            if name in KERAS_NAMES else
            f"{name} has shape {actual}, the transpose of the expected {shape} {why}: "
            "it looks transposed (Keras layout?). PyTorch's weight_ih is "
            "(gates * hidden_size, inputs), Keras' kernel (inputs, gates * units)."
        )
    raise ShapeMismatch(f"{name} has shape {actual}, expected {shape} {why}")


def _keras_family_from_shapes(kind: Any, recurrent_kernel: np.ndarray,
                              bias: np.ndarray | None) -> Family:
    if kind is not None:
        return _family_from_kind(kind)
    if recurrent_kernel.ndim != 2:
        raise ShapeMismatch(f"recurrent_kernel has shape {recurrent_kernel.shape}: "
                            "expected (units, gates * units)")
    units, columns = recurrent_kernel.shape
    if columns < units and columns and units % columns == 0:
        raise LooksTransposed(
            f"recurrent_kernel has shape {recurrent_kernel.shape}: it looks transposed "
            "(PyTorch layout?). Keras' recurrent_kernel is (units, gates * units); for "
            "PyTorch's weight_hh call torch_to_keras_arrays."
        )
    family = family_for_gate_count(columns // units) if columns % units == 0 else None
    if family is None:
        raise ShapeMismatch(
            f"recurrent_kernel has shape {recurrent_kernel.shape}: its columns are "
            "1, 3 or 4 times its rows for a SimpleRNN, GRU or LSTM. Pass kind= to say "
            "which"
        )
    if family.name == "GRU" and bias is not None and bias.ndim == 1:
        return _family_from_kind("GRU(reset_after=False)")
    return family


def _check_keras_shapes(family: Family, kernel: np.ndarray, recurrent_kernel: np.ndarray,
                        bias: np.ndarray | None) -> None:
    if recurrent_kernel.ndim != 2:
        raise ShapeMismatch(f"recurrent_kernel has shape {recurrent_kernel.shape}: "
                            "expected (units, gates * units)")
    rows, width = recurrent_kernel.shape
    if family.n_gates > 1 and rows == family.n_gates * width:
        _expect("recurrent_kernel", recurrent_kernel, (width, rows),
                f"for a Keras {family.keras_layer} with units={width}")
    units = rows
    columns = family.n_gates * units
    why = f"for a Keras {family.keras_layer} with units={units} (the rows of recurrent_kernel)"
    _expect("recurrent_kernel", recurrent_kernel, (units, columns), why)
    if kernel.ndim != 2:
        raise ShapeMismatch(f"kernel has shape {kernel.shape}, expected (inputs, {columns}) {why}")
    if kernel.shape[0] == columns and kernel.shape[1] != columns:
        _expect("kernel", kernel, (kernel.shape[1], columns), why)
    _expect("kernel", kernel, (kernel.shape[0], columns), why)
    if bias is not None and family.bias_rule == "rows":
        _expect("bias", bias, (2, columns), f"{why}; a {(columns,)} bias is a GRU "
                "with reset_after=False, which no torch.nn.GRU computes")
    elif bias is not None:
        _expect("bias", bias, (columns,), why)


def keras_to_torch_arrays(*arguments: Any) -> tuple[np.ndarray, ...]:
    """Keras kernel, recurrent_kernel[, bias] -> PyTorch weight_ih, weight_hh, bias_ih,
    bias_hh (the biases None without a Keras bias), for one direction of one layer.

    Called as `keras_to_torch_arrays(kind, kernel, recurrent_kernel, bias)` with kind
    "SimpleRNN", "LSTM" or "GRU", or `keras_to_torch_arrays(*layer.get_weights())`,
    the kind read from the shapes (the recurrent kernel's columns are 1, 3 or 4 times
    its rows). Arrays may be NumPy, lists, PyTorch tensors or Keras variables.

    What is detected: any array whose shape is not the expected one; a non-square array
    passed transposed ("looks transposed (PyTorch layout?)"), which includes every
    recurrent_kernel of an LSTM or GRU. What is not: a kernel whose shape is square
    (inputs == gates * units) or a SimpleRNN's square recurrent_kernel passed
    transposed has the right shape, and its values cannot say which way round it is:
    take arrays from get_weights() or by their names, never by position from another
    library.
    """
    kind, arrays = _split_kind(arguments)
    if len(arrays) == 3 and arrays[2] is None:  # bias=None: a layer without bias
        arrays = arrays[:2]
    if not 2 <= len(arrays) <= 3:
        raise ConversionError(
            f"expected kernel, recurrent_kernel and optionally bias, got {len(arrays)} "
            "arrays: pass one direction of one layer (a Bidirectional's "
            "get_weights() holds two: convert each half)"
        )
    names = KERAS_NAMES[: len(arrays)]
    kernel, recurrent_kernel, *rest = [as_array(a, n) for a, n in zip(arrays, names)]
    bias = rest[0] if rest else None
    family = _keras_family_from_shapes(kind, recurrent_kernel, bias)
    if family.refusal:
        raise UnsupportedOption(family.refusal)
    _check_keras_shapes(family, kernel, recurrent_kernel, bias)
    named = dict(zip(names, (kernel, recurrent_kernel, bias)))
    common_dtype(named, "kernel, recurrent_kernel and bias")
    units = recurrent_kernel.shape[0]
    steps = layer_steps(family, "keras_to_torch", units=units, input_size=kernel.shape[0],
                        use_bias=bias is not None, keras_paths={n: n for n in KERAS_NAMES},
                        torch_keys={n: n for n in TORCH_NAMES})
    converted = Plan("keras_to_torch", steps).apply(named)
    return tuple(converted.get(name) for name in TORCH_NAMES)


def torch_to_keras_arrays(*arguments: Any) -> list[np.ndarray]:
    """PyTorch weight_ih, weight_hh[, bias_ih, bias_hh] -> Keras [kernel,
    recurrent_kernel(, bias)], for one direction of one layer.

    Called as `torch_to_keras_arrays(kind, weight_ih, weight_hh, bias_ih, bias_hh)`, or
    `torch_to_keras_arrays(*module.parameters())` for a one-layer, one-direction
    module, the kind read from the shapes (weight_hh's rows are 1, 3 or 4 times its
    columns). Tensors that require grad, bfloat16 (widened to float32) and Keras
    variables are accepted. See keras_to_torch_arrays for what a transposed array can
    and cannot reveal.
    """
    kind, arrays = _split_kind(arguments)
    if len(arrays) == 4 and arrays[2] is None and arrays[3] is None:  # bias=False
        arrays = arrays[:2]
    if len(arrays) == 5:
        raise UnsupportedOption(
            "got 5 arrays: an nn.LSTM with proj_size has a fifth, weight_hr, and cannot "
            "be converted: Keras' LSTM has no projection (weight_hr) of the hidden state "
            "it feeds back. Train without proj_size."
        )
    if len(arrays) == 3 or (len(arrays) == 4 and any(a is None for a in arrays[2:])):
        raise ConversionError("pass both bias_ih and bias_hh, or neither (for bias=False)")
    if len(arrays) not in (2, 4):
        raise ConversionError(
            f"expected weight_ih, weight_hh, bias_ih and bias_hh, got {len(arrays)} "
            "arrays: pass one direction of one layer; for a module with more layers or "
            "two directions call torch_to_keras(module)"
        )
    names = TORCH_NAMES[: len(arrays)]
    named = {name: as_array(array, name) for name, array in zip(names, arrays)}
    weight_ih, weight_hh = named["weight_ih"], named["weight_hh"]
    if weight_hh.ndim != 2:
        raise ShapeMismatch(f"weight_hh has shape {weight_hh.shape}: expected two axes")
    if kind is not None:
        family = _family_from_kind(kind)
    else:
        rows, hidden_size = weight_hh.shape
        if rows < hidden_size and rows and hidden_size % rows == 0:
            raise LooksTransposed(
                f"weight_hh has shape {weight_hh.shape}: it looks transposed (Keras "
                "layout?). PyTorch's weight_hh is (gates * hidden_size, hidden_size); "
                "for Keras' recurrent_kernel call keras_to_torch_arrays."
            )
        found = family_for_gate_count(rows // hidden_size) if rows % hidden_size == 0 else None
        if found is None:
            raise ShapeMismatch(
                f"weight_hh has shape {weight_hh.shape}: its rows are 1, 3 or 4 times its "
                "columns for nn.RNN, nn.GRU or nn.LSTM. Pass kind= to say which"
            )
        family = found
    if family.refusal:
        raise UnsupportedOption(family.refusal)
    height, width = weight_hh.shape
    if family.n_gates > 1 and width == family.n_gates * height:
        _expect("weight_hh", weight_hh, (width, height),
                f"for nn.{family.torch_module} with hidden_size={height}")
    hidden_size = width
    rows = family.n_gates * hidden_size
    why = f"for nn.{family.torch_module} with hidden_size={hidden_size} (weight_hh's columns)"
    _expect("weight_hh", weight_hh, (rows, hidden_size), why)
    if weight_ih.ndim == 2 and weight_ih.shape[1] == rows and weight_ih.shape[0] != rows:
        _expect("weight_ih", weight_ih, (rows, weight_ih.shape[0]), why)
    _expect("weight_ih", weight_ih, (rows, weight_ih.shape[-1] if weight_ih.ndim else 0), why)
    for name in names[2:]:
        _expect(name, named[name], (rows,), why)
    common_dtype(named, ", ".join(names))
    steps = layer_steps(family, "torch_to_keras", units=hidden_size,
                        input_size=weight_ih.shape[1], use_bias=len(arrays) == 4,
                        keras_paths={n: n for n in KERAS_NAMES},
                        torch_keys={n: n for n in TORCH_NAMES})
    converted = Plan("torch_to_keras", steps).apply(named)
    return [converted[name] for name in KERAS_NAMES if name in converted]

