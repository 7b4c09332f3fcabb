"""Each library's own letters for the gate blocks, read from its source and documentation,
and checked against the families of the weightatlas package (src/weightatlas/families.py).

The package names every block by the Keras letter of its gate; PyTorch writes the same
LSTM candidate as g and the GRU candidate as n. The letters shown on the page and in the
figure are PyTorch's own, read from the `(W_ir|W_iz|W_in)` notation of its docstrings.
"""

import inspect
import re

import keras.src.layers.rnn.gru as keras_gru_source
import keras.src.layers.rnn.lstm as keras_lstm_source
import torch

from weightatlas.families import family_for_torch

# Each kind's blocks in storage order, by Keras letter, as the package's families hold them.
KERAS_BLOCKS = {kind: list(family_for_torch(kind).keras_order) for kind in ("LSTM", "GRU")}
TORCH_BLOCKS = {kind: list(family_for_torch(kind).torch_order) for kind in ("LSTM", "GRU")}

# PyTorch's letter -> the Keras letter of the same gate (the candidate, under two names).
KERAS_LETTER_OF = {"g": "c", "n": "h"}
# Where each Keras layer's source splits its gates into blocks, in storage order.
KERAS_SPLITS = {
    "LSTM": (
        keras_lstm_source,
        r"k_(\w), k_(\w), k_(\w), k_(\w) = ops\.split\(self\.kernel, 4",
    ),
    "GRU": (keras_gru_source, r"x_(\w), x_(\w), x_(\w) = ops\.split\(matrix_x, 3"),
}


def keras_letters(kind: str) -> list[str]:
    """The letters Keras' own source gives the blocks, e.g. `x_z, x_r, x_h = ops.split(...)`."""
    source_module, pattern = KERAS_SPLITS[kind]
    (letters,) = set(re.findall(pattern, inspect.getsource(source_module)))
    assert list(letters) == KERAS_BLOCKS[kind], (kind, letters)
    return list(letters)


def torch_letters(kind: str) -> list[str]:
    """The letters PyTorch's docstring gives the blocks of weight_ih_l[k]: `(W_ir|W_iz|W_in)`."""
    module = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}[kind]
    (blocks,) = set(re.findall(r"\((W_i\w(?:\|W_i\w)+)\)", module.__doc__))
    letters = [block[-1] for block in blocks.split("|")]
    assert [KERAS_LETTER_OF.get(letter, letter) for letter in letters] == TORCH_BLOCKS[
        kind
    ]
    assert tuple(letters) == family_for_torch(kind).torch_letters, (kind, letters)
    return letters


def torch_letter(kind: str, keras_letter: str) -> str:
    """PyTorch's letter for the gate Keras calls `keras_letter`."""
    return torch_letters(kind)[TORCH_BLOCKS[kind].index(keras_letter)]
