"""One frozen description per recurrent layer family: gate orders, bias rules, refusals.

A `Family` says how Keras and PyTorch store the same layer: which gate each block of
rows or columns holds on each side, how the bias goes each way, which activations the
PyTorch module computes, and, for a layer no PyTorch module computes, why. The converter
(`weightatlas.recurrent`), the plan and the file inspector read these descriptions and
know no family by name; a new family is one more entry in `FAMILIES`.

NumPy only: importing this module imports neither Keras nor PyTorch.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from weightatlas.arrays import block_permutation
from weightatlas.errors import ConversionError, ShapeMismatch

__all__ = [
    "Block",
    "Gate",
    "Family",
    "FAMILIES",
    "KERAS_REGISTRY",
    "TORCH_REGISTRY",
    "REFERENCE_ACTIVATIONS",
    "SINGLE_LAYERS",
    "CONV_LAYERS",
    "family_for_keras",
    "family_for_torch",
]


@dataclass(frozen=True)
class Block:
    """The entries of one gate in one array: `start` to `stop` (end excluded) along
    `axis`."""

    gate: str
    axis: int
    start: int
    stop: int


@dataclass(frozen=True)
class Gate:
    """One gate, by the letter each library gives it (PyTorch calls the LSTM's
    candidate g and the GRU's n; Keras calls them c and h)."""

    keras: str
    torch: str
    role: str


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # the same function, without overflow


# What PyTorch's modules compute, as functions: Keras activations are compared with these
# on a grid of points, never by name (a function named tanh may compute something else).
REFERENCE_ACTIVATIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "tanh": np.tanh,
    "sigmoid": _sigmoid,
    "relu": lambda x: np.maximum(x, 0.0),
}

BiasRule = Literal["sum", "rows"]

_TORCH_KEY = re.compile(r"(?:.*\.)?(weight|bias)_(ih|hh|hr)_l(\d+)(_reverse)?$")


@dataclass(frozen=True)
class Family:
    """How Keras and PyTorch store one recurrent layer family.

    `gates` lists the gates in Keras' storage order; `torch_order` lists their Keras
    letters in PyTorch's storage order. `bias_rule` is "sum" when the Keras layer has one
    bias that PyTorch splits into bias_ih + bias_hh (only the sum counts), "rows" when
    Keras keeps the two as the rows of a (2, n) bias, one to one. `activations` are the
    values of the Keras `activation` the PyTorch module computes (its `nonlinearity`
    when it takes one); `recurrent_activation` the one its gates use. `refusal`, when
    set, says why no PyTorch module computes this layer.
    """

    name: str
    keras_layer: str
    keras_cell: str
    torch_module: str | None
    gates: tuple[Gate, ...]
    torch_order: tuple[str, ...]
    bias_rule: BiasRule
    activations: tuple[str, ...]
    recurrent_activation: str | None
    takes_nonlinearity: bool
    reset_after: bool | None = None
    refusal: str | None = None

    @property
    def keras_order(self) -> tuple[str, ...]:
        """The Keras letters of the gates, in Keras' storage order."""
        return tuple(gate.keras for gate in self.gates)

    @property
    def torch_letters(self) -> tuple[str, ...]:
        """PyTorch's own letters of the gates, in PyTorch's storage order."""
        by_keras = {gate.keras: gate.torch for gate in self.gates}
        return tuple(by_keras[letter] for letter in self.torch_order)

    @property
    def n_gates(self) -> int:
        return len(self.gates)

    def torch_rows(self, units: int) -> np.ndarray:
        """Row k of a PyTorch weight (or entry k of a bias) is column `torch_rows[k]` of
        the Keras array."""
        return block_permutation(self.keras_order, self.torch_order, units)

    def keras_columns(self, units: int) -> np.ndarray:
        """Column k of a Keras array is row `keras_columns[k]` of the PyTorch one."""
        return block_permutation(self.torch_order, self.keras_order, units)

    def _blocks(self, letters: tuple[str, ...], axis: int, length: int, what: str
                ) -> list[Block]:
        size, remainder = divmod(length, self.n_gates)
        if remainder or not size:
            raise ShapeMismatch(
                f"{what} has {length} entries along axis {axis}: a {self.name} holds "
                f"{self.n_gates} blocks of the same size ({', '.join(letters)})"
            )
        return [Block(gate, axis, k * size, (k + 1) * size)
                for k, gate in enumerate(letters)]

    def keras_blocks(self, array_name: str, shape: tuple[int, ...]) -> list[Block]:
        """The gate blocks of Keras' `kernel`, `recurrent_kernel` or `bias` of `shape`,
        named by Keras' letters, in storage order (`stop` excluded). A (2, n) GRU bias is
        split along its columns; its row 0 joins the input, row 1 the recurrent part."""
        shape = tuple(shape)
        if array_name not in ("kernel", "recurrent_kernel", "bias"):
            raise ConversionError(
                f"a Keras {self.name} has kernel, recurrent_kernel and bias, not "
                f"{array_name!r}"
            )
        axis = len(shape) - 1
        if (array_name != "bias" and len(shape) != 2) or len(shape) not in (1, 2):
            raise ShapeMismatch(f"{array_name} has shape {shape}: expected two axes"
                                if array_name != "bias" else
                                f"bias has shape {shape}: expected one or two axes")
        return self._blocks(self.keras_order, axis, shape[axis], array_name)

    def torch_blocks(self, key_suffix: str, shape: tuple[int, ...]) -> list[Block]:
        """The gate blocks of a PyTorch parameter, by its state_dict key (`weight_ih_l0`,
        `bias_hh_l1_reverse`, `lstm.weight_hh_l0`, ...): rows, named by PyTorch's letters
        in its storage order (`stop` excluded). `weight_hr_l<k>` (an LSTM's proj_size)
        is one block, "projection"."""
        match = _TORCH_KEY.match(key_suffix)
        if not match:
            raise ConversionError(
                f"{key_suffix!r} is not a parameter of nn.{self.torch_module}: expected "
                "weight_ih_l<k>, weight_hh_l<k>, bias_ih_l<k> or bias_hh_l<k> (with "
                "_reverse for the backward direction)"
            )
        shape = tuple(shape)
        if match.group(2) == "hr":  # weight_hr: hidden_size -> proj_size, no gates
            return [Block("projection", 0, 0, shape[0])]
        return self._blocks(self.torch_letters, 0, shape[0], key_suffix)

    def keras_to_torch_bias(self) -> str:
        """The bias rule from Keras to PyTorch, in words."""
        if self.bias_rule == "sum":
            return ("bias goes to bias_ih, bias_hh is zero: PyTorch adds the two, so "
                    "only their sum counts")
        return "bias[0] goes to bias_ih, bias[1] to bias_hh, one to one"

    def torch_to_keras_bias(self) -> str:
        """The bias rule from PyTorch to Keras, in words."""
        if self.bias_rule == "sum":
            return "bias is bias_ih + bias_hh"
        return "bias is bias_ih and bias_hh stacked as its two rows"


SIMPLE_RNN = Family(
    name="SimpleRNN",
    keras_layer="SimpleRNN",
    keras_cell="SimpleRNNCell",
    torch_module="RNN",
    gates=(Gate("h", "h", "candidate"),),
    torch_order=("h",),
    bias_rule="sum",
    activations=("tanh", "relu"),
    recurrent_activation=None,
    takes_nonlinearity=True,
)
LSTM = Family(
    name="LSTM",
    keras_layer="LSTM",
    keras_cell="LSTMCell",
    torch_module="LSTM",
    gates=(Gate("i", "i", "input gate"), Gate("f", "f", "forget gate"),
           Gate("c", "g", "candidate"), Gate("o", "o", "output gate")),
    torch_order=("i", "f", "c", "o"),
    bias_rule="sum",
    activations=("tanh",),
    recurrent_activation="sigmoid",
    takes_nonlinearity=False,
)
GRU = Family(
    name="GRU",
    keras_layer="GRU",
    keras_cell="GRUCell",
    torch_module="GRU",
    gates=(Gate("z", "z", "update gate"), Gate("r", "r", "reset gate"),
           Gate("h", "n", "candidate")),
    torch_order=("r", "z", "h"),
    bias_rule="rows",
    activations=("tanh",),
    recurrent_activation="sigmoid",
    takes_nonlinearity=False,
    reset_after=True,
)
GRU_RESET_BEFORE = Family(
    name="GRU(reset_after=False)",
    keras_layer="GRU",
    keras_cell="GRUCell",
    torch_module=None,
    gates=GRU.gates,
    torch_order=GRU.torch_order,
    bias_rule="sum",
    activations=("tanh",),
    recurrent_activation="sigmoid",
    takes_nonlinearity=False,
    reset_after=False,
    refusal=(
        "GRU(reset_after=False) cannot be converted: it applies the reset gate before "
        "recurrent_kernel, (r * h) @ U, and torch.nn.GRU applies it after, "
        "r * (h @ U + b); no torch.nn.GRU computes the first. Retrain or fine-tune with "
        "reset_after=True (the default), or write the cell in PyTorch yourself."
    ),
)

FAMILIES: tuple[Family, ...] = (SIMPLE_RNN, LSTM, GRU, GRU_RESET_BEFORE)

# Keras' cell and layer class names (GRU's by reset_after), PyTorch's module class names.
KERAS_REGISTRY: dict[tuple[str, bool | None], Family] = {}
for _family in FAMILIES:
    for _name in (_family.keras_cell, _family.keras_layer):
        KERAS_REGISTRY[_name, _family.reset_after] = _family
TORCH_REGISTRY: dict[str, Family] = {
    family.torch_module: family for family in FAMILIES if family.torch_module
}
del _family, _name


# Layers converted one at a time, not as families of gates (weightatlas.dense): Keras
# class -> torch.nn class. Here so that the NumPy-only file reader can name them too.
SINGLE_LAYERS = {"Dense": "Linear", "Embedding": "Embedding"}

# The convolutions (weightatlas.conv), each with the torch.nn class that computes it: a
# depthwise one is a grouped convolution, a separable one a depthwise and a pointwise.
CONV_LAYERS = {
    **{f"Conv{n}D": f"Conv{n}d" for n in (1, 2, 3)},
    **{f"Conv{n}DTranspose": f"ConvTranspose{n}d" for n in (1, 2, 3)},
    **{f"DepthwiseConv{n}D": f"Conv{n}d" for n in (1, 2)},
    **{f"SeparableConv{n}D": f"Conv{n}d" for n in (1, 2)},
}


def family_for_keras(class_name: str, reset_after: bool = True) -> Family | None:
    """The family of a Keras cell or layer class name ("LSTMCell", "GRU", ...), or None.

    A GRU is two families: `reset_after` (Keras' default, True) picks one."""
    for key in ((class_name, None), (class_name, bool(reset_after))):
        if key in KERAS_REGISTRY:
            return KERAS_REGISTRY[key]
    return None


def family_for_torch(class_name: str) -> Family | None:
    """The family of a PyTorch module class name ("RNN", "LSTM", "GRU"), or None."""
    return TORCH_REGISTRY.get(class_name)


def family_for_gate_count(n_gates: int) -> Family | None:
    """The PyTorch-computable family whose arrays hold `n_gates` blocks, or None."""
    found = [family for family in TORCH_REGISTRY.values() if family.n_gates == n_gates]
    return found[0] if len(found) == 1 else None
