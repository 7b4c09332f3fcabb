"""The conversion plan: every array moved, from where to where, and how.

A `Plan` lists `Step`s: the Keras path (`lstm/lstm_cell/kernel`), the PyTorch
`state_dict` key (`lstm.weight_ih_l0`), the shape on each side and the operation in
words (transpose, block reorder, bias split or sum). The converters build a plan and then
apply exactly it (`Plan.apply`), so the plan a reader prints is what ran. NumPy only.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from weightatlas.arrays import as_array, block_permutation, common_dtype, transposed
from weightatlas.errors import ConversionError, LooksTransposed, ShapeMismatch
from weightatlas.families import Family

__all__ = ["Step", "Plan", "layer_steps"]

Direction = Literal["keras_to_torch", "torch_to_keras"]
Combine = Literal["one", "row0", "row1", "sum", "stack", "zeros"]
COLUMNS = ("Keras path", "PyTorch key", "Keras shape", "PyTorch shape", "operation")


@dataclass(frozen=True)
class Step:
    """One array moved: its Keras path and PyTorch key, its shape on each side, and the
    operation in words. The fields after `operation` say the same for the code that
    applies it: which source arrays it reads (`sources`), how it combines them, whether
    it reorders blocks (from one storage order to the other, blocks of `block_size`),
    whether it transposes, and for arrays of more than two axes, the axes of the Keras
    array in the PyTorch one's order (`axes`), read after reshaping the Keras array to
    `keras_as` (a depthwise kernel's (..., in, multiplier) as (..., 1, in * multiplier))."""

    keras_path: str
    torch_key: str
    keras_shape: tuple[int, ...]
    torch_shape: tuple[int, ...]
    operation: str
    sources: tuple[str, ...] = field(default=(), repr=False)
    combine: Combine = field(default="one", repr=False)
    reorder: tuple[tuple[str, ...], tuple[str, ...], int] | None = field(
        default=None, repr=False)
    transpose: bool = field(default=False, repr=False)
    axes: tuple[int, ...] | None = field(default=None, repr=False)
    keras_as: tuple[int, ...] | None = field(default=None, repr=False)

    def row(self) -> tuple[str, str, tuple[int, ...], tuple[int, ...], str]:
        """The step as a table row: Keras path, PyTorch key, the two shapes, operation."""
        return (self.keras_path, self.torch_key, self.keras_shape, self.torch_shape,
                self.operation)


def _shape(array: np.ndarray) -> tuple[int, ...]:
    return tuple(int(n) for n in np.shape(array))


@dataclass
class Plan:
    """The steps of one conversion, in `direction` ("keras_to_torch" or
    "torch_to_keras"). `rows()` gives them as tuples, `to_markdown()` as a table;
    `apply(arrays)` runs them on arrays keyed by Keras path (keras_to_torch) or
    PyTorch key (torch_to_keras) and returns the other side's, keyed the other way."""

    direction: Direction
    steps: list[Step] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str, tuple[int, ...], tuple[int, ...], str]]:
        """One (Keras path, PyTorch key, Keras shape, PyTorch shape, operation) per step."""
        return [step.row() for step in self.steps]

    def to_markdown(self) -> str:
        """The plan as a Markdown table, one row per array moved."""
        def cell(value: object) -> str:
            return str(value).replace("|", "\\|")

        lines = ["| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
        for keras_path, torch_key, keras_shape, torch_shape, operation in self.rows():
            values = [f"`{keras_path}`", f"`{torch_key}`", f"`{cell(keras_shape)}`",
                      f"`{cell(torch_shape)}`", cell(operation)]
            lines.append("| " + " | ".join(values) + " |")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_markdown()

    @property
    def source_keys(self) -> list[str]:
        """Every array the plan reads, once each, in order."""
        return list(dict.fromkeys(key for step in self.steps for key in step.sources))

    def target_key(self, step: Step) -> str:
        """The name the step's result goes by: its PyTorch key or its Keras path."""
        return step.torch_key if self.direction == "keras_to_torch" else step.keras_path

    def apply(self, arrays: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The plan run on `arrays` (NumPy, keyed by the source side's names): the target
        side's arrays, each checked against the shape the plan states."""
        missing = [key for key in self.source_keys if key not in arrays]
        if missing:
            raise ConversionError(f"the plan reads {missing}, which are not given")
        arrays = {key: as_array(arrays[key], key) for key in self.source_keys}
        common_dtype(arrays, "the arrays")
        result: dict[str, np.ndarray] = {}
        for step in self.steps:
            target_shape = (step.torch_shape if self.direction == "keras_to_torch"
                            else step.keras_shape)
            for key in step.sources:
                _check_source(key, arrays[key], step, self.direction)
            array = _run(step, [arrays[key] for key in step.sources], self.direction)
            if _shape(array) != target_shape:  # a plan that contradicts itself
                raise ShapeMismatch(f"{self.target_key(step)}: the plan made shape "
                                    f"{_shape(array)}, it states {target_shape}")
            if any(np.may_share_memory(array, arrays[key]) for key in step.sources):
                array = array.copy()  # the result never aliases a source's memory
            result[self.target_key(step)] = np.ascontiguousarray(array)
        return result


def _check_source(key: str, array: np.ndarray, step: Step, direction: Direction) -> None:
    """Each source array has the shape its side of the step states."""
    expected = step.keras_shape if direction == "keras_to_torch" else step.torch_shape
    actual = _shape(array)
    if actual != expected:
        _raise_shape(key, actual, expected, direction)


def _raise_shape(key: str, actual: tuple[int, ...], expected: tuple[int, ...],
                 direction: Direction) -> None:
    if len(actual) == 2 and actual == expected[::-1]:
        other = "PyTorch" if direction == "keras_to_torch" else "Keras"
        raise LooksTransposed(
            f"{key} has shape {actual}, the transpose of the expected {expected}: it looks "
            f"transposed ({other} layout?). A Keras kernel is (inputs, outputs), a PyTorch "
            "weight (outputs, inputs): pass each array in its own library's layout"
        )
    raise ShapeMismatch(f"{key} has shape {actual}, expected {expected}")


def _run(step: Step, sources: Sequence[np.ndarray], direction: Direction) -> np.ndarray:
    """One step's operation. Keras to PyTorch: pick, reorder the Keras columns, transpose.
    PyTorch to Keras: combine, transpose, reorder into Keras' columns."""
    index = block_permutation(*step.reorder) if step.reorder else None
    if step.combine == "zeros":
        dtype = sources[0].dtype if sources else np.float32
        return np.zeros(step.torch_shape if direction == "keras_to_torch"
                        else step.keras_shape, dtype=dtype)
    if direction == "keras_to_torch":
        array = sources[0]
        if step.combine in ("row0", "row1"):
            array = array[int(step.combine[-1])]
        if index is not None:
            array = array[..., index]
        if step.keras_as is not None:
            array = array.reshape(step.keras_as)
        if step.axes is not None:  # reshaped after: a kernel whose rows were unflattened
            return np.transpose(array, step.axes).reshape(step.torch_shape)
        return transposed(array) if step.transpose else array
    if step.combine == "sum":
        array = sources[0] + sources[1]
    elif step.combine == "stack":
        array = np.stack(sources)
    else:
        array = sources[0]
    if step.axes is not None:
        if step.keras_as is not None:  # the PyTorch array with the Keras one's axes
            array = array.reshape(tuple(step.keras_as[axis] for axis in step.axes))
        array = np.transpose(array, np.argsort(step.axes))
        return array.reshape(step.keras_shape) if step.keras_as is not None else array
    if step.transpose:
        array = transposed(array)
    return array[..., index] if index is not None else array


def _order(letters: Sequence[str]) -> str:
    return ", ".join(letters)


def layer_steps(
    family: Family,
    direction: Direction,
    *,
    units: int,
    input_size: int,
    use_bias: bool,
    keras_paths: Mapping[str, str],
    torch_keys: Mapping[str, str],
) -> list[Step]:
    """The steps that move one direction of one layer of `family`.

    `keras_paths` maps "kernel", "recurrent_kernel" and "bias" to the Keras paths;
    `torch_keys` maps "weight_ih", "weight_hh", "bias_ih" and "bias_hh" to the PyTorch
    keys."""
    gates = family.n_gates * units
    keras_order, torch_order = family.keras_order, family.torch_order
    reordered = keras_order != torch_order
    to_torch = direction == "keras_to_torch"
    reorder = ((keras_order, torch_order, units) if to_torch
               else (torch_order, keras_order, units)) if reordered else None
    moved = (f"blocks {_order(keras_order)} → {_order(torch_order)}" if to_torch else
             f"blocks {_order(torch_order)} → {_order(keras_order)}")

    def words(*parts: str) -> str:
        return "; ".join(part for part in parts if part)

    steps = []
    for keras_name, torch_name, keras_shape in (
        ("kernel", "weight_ih", (input_size, gates)),
        ("recurrent_kernel", "weight_hh", (units, gates)),
    ):
        operation = (words(moved if reordered else "", "transpose") if to_torch
                     else words("transpose", moved if reordered else ""))
        steps.append(Step(
            keras_paths[keras_name], torch_keys[torch_name], keras_shape,
            keras_shape[::-1], operation,
            sources=(keras_paths[keras_name] if to_torch else torch_keys[torch_name],),
            reorder=reorder, transpose=True,
        ))
    if not use_bias:
        return steps
    bias_path, bias_ih, bias_hh = keras_paths["bias"], torch_keys["bias_ih"], torch_keys["bias_hh"]
    if family.bias_rule == "rows":
        if to_torch:
            for row, key in enumerate((bias_ih, bias_hh)):
                steps.append(Step(
                    f"{bias_path}[{row}]", key, (2, gates), (gates,),
                    words(f"row {row}", moved if reordered else ""),
                    sources=(bias_path,), combine="row0" if row == 0 else "row1",
                    reorder=reorder,
                ))
        else:
            steps.append(Step(
                bias_path, f"{bias_ih}, {bias_hh}", (2, gates), (gates,),
                words("stacked as rows 0 and 1", moved if reordered else ""),
                sources=(bias_ih, bias_hh), combine="stack", reorder=reorder,
            ))
        return steps
    if to_torch:
        steps.append(Step(bias_path, bias_ih, (gates,), (gates,),
                          words(moved if reordered else "", "copy"),
                          sources=(bias_path,), reorder=reorder))
        steps.append(Step(bias_path, bias_hh, (gates,), (gates,),
                          f"zeros (PyTorch adds {bias_hh} to {bias_ih}: only the sum counts)",
                          sources=(bias_path,), combine="zeros"))
    else:
        steps.append(Step(bias_path, f"{bias_ih} + {bias_hh}", (gates,), (gates,),
                          words(f"sum: {bias_ih} + {bias_hh}", moved if reordered else ""),
                          sources=(bias_ih, bias_hh), combine="sum", reorder=reorder))
    return steps
