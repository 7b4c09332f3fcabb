"""Weight Atlas: convert recurrent layers, Dense and Embedding layers, convolutions and
whole models made of them between Keras 3 and PyTorch 2, weights included, with a plan
of every array moved and no silent wrong answer: `keras_to_torch`, `torch_to_keras` and
`plan_for` (examples that run are in the docstrings of `weightatlas.recurrent`,
`weightatlas.dense`, `weightatlas.conv` and `weightatlas.models`).

Importing the package imports neither Keras nor PyTorch: each name below is loaded
from its module when first used, and the NumPy-only modules (`weightatlas.arrays`,
`weightatlas.families`, `weightatlas.plan`, `weightatlas.errors`) never need them.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Public name -> the module that defines it.
_EXPORTS = {
    "keras_to_torch": "convert",
    "torch_to_keras": "convert",
    "keras_to_torch_arrays": "recurrent",
    "torch_to_keras_arrays": "recurrent",
    "plan_for": "convert",
    "LayerOptions": "recurrent",
    "masked_forward": "masks",
    "pack_padded": "masks",
    "load_into": "loading",
    "LoadReport": "loading",
    "Plan": "plan",
    "Step": "plan",
    "Block": "families",
    "Family": "families",
    "Gate": "families",
    "family_for_keras": "families",
    "family_for_torch": "families",
    "as_array": "arrays",
    "ConversionError": "errors",
    "UnsupportedLayer": "errors",
    "UnsupportedOption": "errors",
    "ShapeMismatch": "errors",
    "LooksTransposed": "errors",
    "UnsupportedDtype": "errors",
    "UnsafeFile": "errors",
    "UnreadableFile": "errors",
}

# Written out (not built from _EXPORTS) so that tools reading the source, such as
# mkdocstrings, see the public names; a test checks that the two agree.
__all__ = [
    "__version__",
    "keras_to_torch",
    "torch_to_keras",
    "keras_to_torch_arrays",
    "torch_to_keras_arrays",
    "plan_for",
    "LayerOptions",
    "masked_forward",
    "pack_padded",
    "load_into",
    "LoadReport",
    "Plan",
    "Step",
    "Block",
    "Family",
    "Gate",
    "family_for_keras",
    "family_for_torch",
    "as_array",
    "ConversionError",
    "UnsupportedLayer",
    "UnsupportedOption",
    "ShapeMismatch",
    "LooksTransposed",
    "UnsupportedDtype",
    "UnsafeFile",
    "UnreadableFile",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(f"weightatlas.{_EXPORTS[name]}"), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'weightatlas' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:  # what type checkers and mkdocstrings see
    from weightatlas.arrays import as_array
    from weightatlas.errors import (ConversionError, LooksTransposed, ShapeMismatch,
                                    UnreadableFile, UnsafeFile, UnsupportedDtype,
                                    UnsupportedLayer, UnsupportedOption)
    from weightatlas.families import Block, Family, Gate, family_for_keras, family_for_torch
    from weightatlas.loading import LoadReport, load_into
    from weightatlas.masks import masked_forward, pack_padded
    from weightatlas.plan import Plan, Step
    from weightatlas.convert import keras_to_torch, plan_for, torch_to_keras
    from weightatlas.recurrent import (LayerOptions, keras_to_torch_arrays,
                                       torch_to_keras_arrays)
