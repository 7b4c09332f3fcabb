"""What a reader passed: a Keras 3 layer, a Keras 2 one, or a PyTorch module, and how an
error message names it. Shared by every family's converter (recurrent, dense).
"""

from typing import Any

import keras
import numpy as np
import torch

from weightatlas.errors import UnsupportedLayer, UnsupportedOption

__all__ = ["ACTIVATION_GRID", "ACTIVATION_TOLERANCE", "article", "is_torch_module",
           "refuse_keras2", "refuse_own_call"]

# Where activations are compared with PyTorch's: dense enough near zero that a scaled or
# shifted one shows, and reaching far enough that a relu capped at 6 or at 100 does.
ACTIVATION_GRID = np.concatenate([
    np.linspace(-8.0, 8.0, 161), [-1e4, -1e3, -100.0, -30.0, 30.0, 100.0, 1e3, 1e4],
]).astype(np.float32)
ACTIVATION_TOLERANCE = 1e-5


def article(word: str) -> str:
    """'a' or 'an', as the word is spoken: an Embedding, a Dense, an LSTM, a GRU, an
    UpSampling1D, a UnitNormalization."""
    if word[:2].isupper():  # an acronym, spoken letter by letter: "el-es-tee-em"
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    vowel = word[:1].lower() in "aeiou" and not word.lower().startswith(("uni", "use", "uti"))
    return "an" if vowel else "a"


def is_torch_module(value: Any) -> bool:
    """A PyTorch module that is not a Keras layer (under KERAS_BACKEND=torch every Keras
    layer is a torch.nn.Module too)."""
    return isinstance(value, torch.nn.Module) and not isinstance(value, keras.layers.Layer)


def refuse_keras2(layer: Any, recurrent: bool = True) -> None:
    """A Keras 2 layer (tf.keras, tf_keras) is refused: its arrays have the same layout,
    and the message says how to convert them without the layer."""
    if type(layer).__module__.split(".")[0] in ("tf_keras", "tensorflow"):
        name = type(layer).__name__
        how = (f"keras_to_torch_arrays({name!r}, *layer.get_weights()) converts them, "
               "each direction of a Bidirectional on its own." if recurrent else
               f"build a keras.layers.{name} with the same options, give it "
               "layer.get_weights() with set_weights(), and convert that.")
        raise UnsupportedLayer(
            f"{layer.name} is a Keras 2 layer ({type(layer).__module__}); "
            f"keras_to_torch takes Keras 3 layers. Its arrays have the same layout: {how}"
        )


def refuse_own_call(layer: Any, base: str) -> None:
    """A subclass of keras.layers.<base> that overrides call() is refused: its weights do
    not say what it computes."""
    own = type(layer).call is not getattr(keras.layers, base).call
    if own:
        raise UnsupportedOption(
            f"{layer.name} is {article(type(layer).__name__)} {type(layer).__name__}, "
            f"which overrides call() of keras.layers.{base}: what it computes cannot be "
            f"read from its weights. Convert a plain {base} holding the same weights if "
            "it computes what its base does; otherwise write the module in PyTorch."
        )
