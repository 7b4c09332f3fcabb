"""Which PyTorch module computes a Keras layer's activation: each candidate is compared
with the Keras function on a grid of points, so a name is never trusted. Shared by the
converters of layers that carry an activation (Dense, the convolutions).
"""

from collections.abc import Callable
from typing import Any

import keras
import numpy as np
import torch

from weightatlas.arrays import as_array
from weightatlas.errors import UnsupportedOption
from weightatlas.objects import ACTIVATION_GRID, ACTIVATION_TOLERANCE

__all__ = ["ACTIVATIONS", "activation_module"]

# The PyTorch modules a Dense activation may become, each checked against the Keras
# function on ACTIVATION_GRID before it is used: a name is never trusted.
ACTIVATIONS: dict[str, Callable[[], torch.nn.Module]] = {
    "relu": torch.nn.ReLU,
    "tanh": torch.nn.Tanh,
    "sigmoid": torch.nn.Sigmoid,
    "softmax": lambda: torch.nn.Softmax(dim=-1),
    "log_softmax": lambda: torch.nn.LogSoftmax(dim=-1),
    "gelu": torch.nn.GELU,
    "gelu (tanh approximation)": lambda: torch.nn.GELU(approximate="tanh"),
    "elu": torch.nn.ELU,
    "selu": torch.nn.SELU,
    "silu": torch.nn.SiLU,
    "softplus": torch.nn.Softplus,
    "softsign": torch.nn.Softsign,
    "relu6": torch.nn.ReLU6,
    "hard_sigmoid": torch.nn.Hardsigmoid,
    "hard_silu": torch.nn.Hardswish,
    "mish": torch.nn.Mish,
    "leaky_relu (negative_slope=0.2)": lambda: torch.nn.LeakyReLU(0.2),
}

# The grid as rows: a softmax (along the last axis) is compared row by row.
_GRID_ROWS = np.resize(ACTIVATION_GRID, (13, 13))


def _agrees(keras_values: np.ndarray, module: torch.nn.Module) -> bool:
    """Whether the PyTorch `module` gives `keras_values` (the Keras activation on the
    grid), within ACTIVATION_TOLERANCE relative to the value's size."""
    with torch.no_grad():
        torch_values = module(torch.from_numpy(_GRID_ROWS)).numpy()
    if keras_values.shape != torch_values.shape:
        return False
    with np.errstate(all="ignore"):
        error = np.abs(keras_values.astype(np.float64) - torch_values)
        scale = np.maximum(1.0, np.abs(torch_values.astype(np.float64)))
        return bool(np.all(error <= ACTIVATION_TOLERANCE * scale))


def activation_module(layer: Any, module_name: str = "nn.Linear", last_axis: int = -1,
                      extra: tuple[torch.nn.Module, ...] = ()) -> torch.nn.Module | None:
    """The PyTorch module computing a layer's activation; None for none (linear).
    Refused when no module in ACTIVATIONS computes it. The Keras activation runs once on
    the grid; each candidate module is compared with that. A softmax runs along the last
    Keras axis, which is `last_axis` of the PyTorch module's output (1 for a channels_last
    convolution: PyTorch puts channels first); `module_name` is what the activation
    follows in PyTorch, for the refusal's advice; `extra` modules are tried first (an
    activation layer's own settings, such as LeakyReLU's negative_slope)."""
    function = layer.activation
    try:
        values = as_array(function(keras.ops.convert_to_tensor(_GRID_ROWS)), "activation")
    except Exception:  # a custom activation may fail on any input: no module matches it
        values = None
    if values is not None and np.array_equal(values, _GRID_ROWS):
        return None
    for module in (*extra, *(make() for make in ACTIVATIONS.values())):
        if values is not None and _agrees(values, module):
            if isinstance(module, (torch.nn.Softmax, torch.nn.LogSoftmax)):
                module.dim = last_axis
            return module
    name = getattr(function, "__name__", type(function).__name__)
    raise UnsupportedOption(
        f"{layer.name} has activation {name!r}, which none of the PyTorch activations "
        f"this package knows computes ({', '.join(ACTIVATIONS)}; compared as functions, "
        "not by name). Convert a copy with activation=None and the same weights, and "
        f"apply the activation yourself after the {module_name}."
    )


