"""Dense <-> nn.Linear and Embedding <-> nn.Embedding, weights included.

>>> import keras
>>> from weightatlas import keras_to_torch, plan_for, torch_to_keras
>>> dense = keras.layers.Dense(4, name="dense")
>>> dense.build((None, 3))
>>> keras_to_torch(dense)
Linear(in_features=3, out_features=4, bias=True)
>>> plan_for(dense).rows()[0]  # Keras path, PyTorch key, the two shapes, operation
('dense/kernel', 'weight', (3, 4), (4, 3), 'transpose')
>>> type(torch_to_keras(keras_to_torch(dense))[0]).__name__
'Dense'

A `Dense` kernel is (inputs, units) and `x @ kernel + bias` is its output; `nn.Linear`
stores `weight` as (out_features, in_features) and computes `x @ weight.T + bias`: the
weight is the kernel transposed, the bias is the same vector. Both act on the last axis
of an input of any rank. An `Embedding` table and `nn.Embedding`'s weight are the same
(input_dim, output_dim) array: it is copied.

A Dense activation becomes a second module after the `nn.Linear`, in an
`nn.Sequential`, when one of `ACTIVATIONS` computes it (compared as functions on a grid
of points, softmax along the last axis); any other is refused. LoRA layers convert with
their update added (`layer.kernel` is the sum); quantized layers are refused. An
`Embedding(mask_zero=True)` makes a mask PyTorch has no place for: refused unless
`allow_mask=True`. `nn.Embedding(max_norm=...)` rescales rows as it reads them, which
Keras never does: refused. `padding_idx` changes only training (that row gets no
gradient); the converted Keras layer computes the same outputs and would train that row.
"""

from typing import Any

import keras
import numpy as np
import torch

from weightatlas.activations import ACTIVATIONS, activation_module
from weightatlas.arrays import as_array, common_dtype
from weightatlas.errors import ConversionError, UnsupportedOption
from weightatlas.families import SINGLE_LAYERS
from weightatlas.objects import is_torch_module, refuse_keras2, refuse_own_call
from weightatlas.plan import Plan, Step

__all__ = ["ACTIVATIONS", "KERAS_CLASSES", "TORCH_CLASSES", "is_dense_layer",
           "is_dense_module", "activation_module", "keras_to_torch", "torch_to_keras", "plan_for"]

KERAS_CLASSES = tuple(SINGLE_LAYERS)
TORCH_CLASSES = tuple(SINGLE_LAYERS.values())


def _keras_class(layer: Any) -> str | None:
    """'Dense' or 'Embedding' for a Keras layer of one of them (subclasses included)."""
    for cls in type(layer).__mro__:
        library = cls.__module__.split(".")[0]
        if library in ("keras", "tf_keras", "tensorflow") and cls.__name__ in KERAS_CLASSES:
            return cls.__name__
    return None


def _torch_class(module: Any) -> str | None:
    """'Linear' or 'Embedding' for a torch.nn module of one of them (subclasses included)."""
    if not is_torch_module(module):
        return None
    for cls in type(module).__mro__:
        if cls.__module__.startswith("torch.nn") and cls.__name__ in TORCH_CLASSES:
            return cls.__name__
    return None


def is_dense_layer(value: Any) -> bool:
    """Whether `value` is a Keras Dense or Embedding layer this module converts."""
    return not is_torch_module(value) and _keras_class(value) is not None


def is_dense_module(value: Any) -> bool:
    """Whether `value` is a torch.nn.Linear or nn.Embedding this module converts."""
    return _torch_class(value) is not None


def _checked_keras(layer: Any) -> str:
    """The layer's class, after refusing what PyTorch would compute otherwise."""
    kind = _keras_class(layer)
    assert kind is not None
    refuse_keras2(layer, recurrent=False)
    refuse_own_call(layer, kind)
    if not layer.built:
        shape = "(None, input_dim)" if kind == "Dense" else "(None,)"
        raise ConversionError(f"{layer.name} has no weights yet: build it first, for "
                              f"example layer.build({shape}), or call it on data.")
    if getattr(layer, "quantization_mode", None) is not None:
        raise UnsupportedOption(
            f"{layer.name} is quantized ({layer.quantization_mode}): its stored kernel is "
            "not the one it multiplies by. Convert the float layer it was quantized from."
        )
    return kind


def _kernel_path(layer: Any) -> str:
    # With LoRA, layer.kernel is a sum (a tensor, not a variable): name the stored one.
    return layer._kernel.path


def _keras_arrays(layer: Any, kind: str) -> dict[str, np.ndarray]:
    """The arrays the layer computes with, by path: a LoRA layer's kernel with its update
    added, as `layer.kernel` returns it."""
    if kind == "Embedding":
        return {layer.embeddings.path: as_array(layer.embeddings, layer.embeddings.path)}
    arrays = {_kernel_path(layer): as_array(layer.kernel, "kernel")}
    if layer.use_bias:
        arrays[layer.bias.path] = as_array(layer.bias, layer.bias.path)
    return arrays


def _keras_plan(layer: Any, kind: str, torch_prefix: str) -> Plan:
    plan = Plan("keras_to_torch")
    if kind == "Embedding":
        path = layer.embeddings.path
        shape = tuple(int(n) for n in layer.embeddings.shape)
        plan.steps.append(Step(path, f"{torch_prefix}weight", shape, shape, "copy",
                               sources=(path,)))
        return plan
    path = _kernel_path(layer)
    shape = tuple(int(n) for n in layer.kernel.shape)
    lora = " (its LoRA update added)" if getattr(layer, "lora_enabled", False) else ""
    plan.steps.append(Step(path, f"{torch_prefix}weight", shape, shape[::-1],
                           f"transpose{lora}", sources=(path,), transpose=True))
    if layer.use_bias:
        bias = layer.bias.path
        plan.steps.append(Step(bias, f"{torch_prefix}bias", (shape[1],), (shape[1],),
                               "copy", sources=(bias,)))
    return plan


def _torch_module(kind: str, layer: Any, state: dict[str, np.ndarray]) -> torch.nn.Module:
    dtype = getattr(torch, str(next(iter(state.values())).dtype))
    if kind == "Embedding":
        module: torch.nn.Module = torch.nn.Embedding(
            int(layer.input_dim), int(layer.output_dim), device="meta", dtype=dtype)
    else:
        inputs, units = state["weight"].shape[1], state["weight"].shape[0]
        module = torch.nn.Linear(inputs, units, bias=bool(layer.use_bias), device="meta",
                                 dtype=dtype)
    module.load_state_dict(
        {key: torch.nn.Parameter(torch.from_numpy(array)) for key, array in state.items()},
        assign=True,
    )
    return module


def keras_to_torch(layer: Any, *, allow_mask: bool = False) -> torch.nn.Module:
    """The nn.Linear (in an nn.Sequential with its activation, if it has one) or
    nn.Embedding that computes what a built Keras Dense or Embedding layer computes."""
    kind = _checked_keras(layer)
    if kind == "Embedding" and layer.mask_zero and not allow_mask:
        raise UnsupportedOption(
            f"{layer.name} has mask_zero=True: it tells the layers after it to skip every "
            "index 0, and an nn.Embedding makes no mask (its padding_idx only stops that "
            "row's gradient). Convert with allow_mask=True to convert the table alone, "
            "then mask the following layers yourself: weightatlas.masked_forward(module, "
            "x, mask) for a recurrent one, with mask = tokens != 0."
        )
    activation = activation_module(layer) if kind == "Dense" else None
    arrays = _keras_arrays(layer, kind)
    common_dtype(arrays, f"the weights of {layer.name}")
    state = _keras_plan(layer, kind, "").apply(arrays)
    module = _torch_module(kind, layer, state)
    return module if activation is None else torch.nn.Sequential(module, activation)


def _checked_torch(module: Any) -> str:
    kind = _torch_class(module)
    assert kind is not None
    if kind == "Embedding" and module.max_norm is not None:
        raise UnsupportedOption(
            f"nn.Embedding(max_norm={module.max_norm}) cannot be converted: it rescales "
            "every row it reads to at most that norm (and writes the rescaled row back "
            "into its weight), which a Keras Embedding never does. Renormalise the rows "
            "of weight yourself before converting, or convert a copy without max_norm."
        )
    return kind


def _torch_plan(module: Any, kind: str, layer: Any, torch_prefix: str) -> Plan:
    plan = Plan("torch_to_keras")
    weight = tuple(int(n) for n in module.weight.shape)
    if kind == "Embedding":
        plan.steps.append(Step(layer.embeddings.path, f"{torch_prefix}weight", weight,
                               weight, "copy", sources=(f"{torch_prefix}weight",)))
        return plan
    plan.steps.append(Step(layer.kernel.path, f"{torch_prefix}weight", weight[::-1], weight,
                           "transpose", sources=(f"{torch_prefix}weight",), transpose=True))
    if module.bias is not None:
        plan.steps.append(Step(layer.bias.path, f"{torch_prefix}bias", (weight[0],),
                               (weight[0],), "copy", sources=(f"{torch_prefix}bias",)))
    return plan


def _new_keras_layer(module: Any, kind: str, dtype: str) -> Any:
    """An empty built Keras layer of the module's sizes, made with zeros (its random
    initial values would be overwritten), its initialisers then set back to defaults."""
    if kind == "Embedding":
        layer = keras.layers.Embedding(module.num_embeddings, module.embedding_dim,
                                       embeddings_initializer="zeros", dtype=dtype)
        layer.build((None,))
        layer.embeddings_initializer = keras.initializers.get("uniform")
        return layer
    layer = keras.layers.Dense(module.out_features, use_bias=module.bias is not None,
                               kernel_initializer="zeros", dtype=dtype)
    layer.build((None, module.in_features))
    layer.kernel_initializer = keras.initializers.get("glorot_uniform")
    return layer


def torch_to_keras(module: Any) -> list[Any]:
    """[the Keras Dense or Embedding layer] computing what an nn.Linear or nn.Embedding
    computes, built and holding its weights (a list, as for recurrent modules)."""
    kind = _checked_torch(module)
    arrays = {key: as_array(tensor, key) for key, tensor in module.state_dict().items()}
    dtype = str(common_dtype(arrays, f"the parameters of {type(module).__name__}"))
    layer = _new_keras_layer(module, kind, dtype)
    converted = _torch_plan(module, kind, layer, "").apply(arrays)
    layer.set_weights([converted[variable.path] for variable in layer.weights])
    return [layer]


def plan_for(source: Any, *, torch_prefix: str = "", keras_layers: Any = None) -> Plan:
    """The plan of converting a Dense or Embedding layer (to PyTorch) or an nn.Linear or
    nn.Embedding (to Keras, with the paths of `keras_layers[0]` or of a fresh layer)."""
    if is_torch_module(source):
        kind = _checked_torch(source)
        if keras_layers is None:
            arrays = {key: as_array(t, key) for key, t in source.state_dict().items()}
            keras_layers = [_new_keras_layer(source, kind, str(common_dtype(arrays)))]
        return _torch_plan(source, kind, keras_layers[0], torch_prefix)
    kind = _checked_keras(source)
    if kind == "Dense" and activation_module(source) is not None:
        torch_prefix += "0."  # keras_to_torch returns nn.Sequential(linear, activation)
    return _keras_plan(source, kind, torch_prefix)

