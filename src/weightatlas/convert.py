"""The three public functions, `keras_to_torch`, `torch_to_keras` and `plan_for`: each
hands what it is given to the module that converts it. A Keras model that holds more
than recurrent layers, and an nn.Sequential, go to `weightatlas.models` (whole models);
everything else to `weightatlas.recurrent`, which converts recurrent layers and stacks
and passes a Dense, an Embedding or a convolution on to `weightatlas.dense` or
`weightatlas.conv`.
"""

from typing import Any

import keras
import torch

from weightatlas import models, recurrent
from weightatlas.errors import ConversionError
from weightatlas.plan import Plan

__all__ = ["keras_to_torch", "torch_to_keras", "plan_for"]


def _whole_model(source: Any) -> bool:
    """A Keras model with a layer that is neither recurrent nor dropout: a recurrent
    stack (keras_to_torch gives one nn.LSTM for it) is not one."""
    if not models.is_keras_model(source):
        return False
    return any(not isinstance(layer, (keras.layers.InputLayer, keras.layers.RNN,
                                      keras.layers.Bidirectional))
               and type(layer).__name__ not in recurrent.PASS_THROUGH
               for layer in source.layers)


def keras_to_torch(source: Any, batch_first: bool = True, *, allow_mask: bool = False,
                   input_shape: Any = None) -> torch.nn.Module:
    """The PyTorch module computing what the Keras `source` computes.

    A model with layers other than recurrent ones converts whole
    (`weightatlas.models.keras_to_torch`); a recurrent layer, a stack of them, a Dense,
    an Embedding or a convolution as `weightatlas.recurrent.keras_to_torch` says."""
    if _whole_model(source):
        return models.keras_to_torch(source)
    return recurrent.keras_to_torch(source, batch_first, allow_mask=allow_mask,
                                    input_shape=input_shape)


def torch_to_keras(module: torch.nn.Module, return_sequences: bool = True,
                   return_state: bool = False, *, data_format: str | None = None,
                   input_shape: tuple[int, ...] | None = None) -> Any:
    """What computes `module` in Keras.

    An nn.Sequential gives a Keras Sequential model reading `input_shape` (the module's,
    batch left out, in PyTorch's layout; required) with its channels as `data_format`
    says (default "channels_last"): `weightatlas.models.torch_to_keras`. Any other module
    gives a list of layers, as `weightatlas.recurrent.torch_to_keras` says."""
    if isinstance(module, torch.nn.Sequential):
        if input_shape is None:
            raise ConversionError(
                "an nn.Sequential converts to a Keras model that is built at once: pass "
                "torch_to_keras(module, input_shape=...), the shape the module reads "
                "without the batch, e.g. (1, 8, 8) for one-channel 8x8 images.")
        return models.torch_to_keras(module, tuple(input_shape),
                                     data_format=data_format or "channels_last")
    return recurrent.torch_to_keras(module, return_sequences, return_state,
                                    data_format=data_format)


def plan_for(source: Any, **options: Any) -> Plan:
    """The plan of converting `source`: for a whole Keras model, every array of every
    layer (`weightatlas.models.plan_for`); for an nn.Sequential, the plan of
    torch_to_keras(source, input_shape=..., data_format=...), with those options
    (`weightatlas.models.plan_for_sequential`); otherwise as
    `weightatlas.recurrent.plan_for` says, with its options (`torch_prefix`,
    `keras_layers`, `allow_mask`, `input_shape`)."""
    if _whole_model(source):
        return models.plan_for(source)
    if isinstance(source, torch.nn.Sequential):
        if options.get("input_shape") is None:
            raise ConversionError(
                "an nn.Sequential is planned as torch_to_keras converts it: pass "
                "plan_for(module, input_shape=...), the shape it reads without the batch.")
        return models.plan_for_sequential(
            source, tuple(options["input_shape"]),
            data_format=options.get("data_format") or "channels_last")
    return recurrent.plan_for(source, **options)
