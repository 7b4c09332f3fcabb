"""Loading converted weights into a reader's own nn.Module, whose names differ.

`load_into` pairs the source arrays with the module's `state_dict` entries by order,
checks each pair's shape and dtype, and reports every pair before writing anything.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from weightatlas.arrays import as_array
from weightatlas.errors import ShapeMismatch

__all__ = ["LoadRow", "LoadReport", "load_into"]


@dataclass(frozen=True)
class LoadRow:
    """One pair: the source name and the module's key it goes to, with both shapes and
    the verdict ("ok", or what is wrong); `note` warns when order alone decides."""

    source: str
    target: str
    source_shape: tuple[int, ...] | None
    target_shape: tuple[int, ...] | None
    status: str
    note: str = ""


@dataclass
class LoadReport:
    """What `load_into` paired, and whether it wrote the weights."""

    rows: list[LoadRow] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        """Every source array has a target of its shape and dtype, and none is left."""
        return all(row.status == "ok" for row in self.rows)

    def to_markdown(self) -> str:
        """The pairs as a Markdown table."""
        lines = ["| source | target | source shape | target shape | status | note |",
                 "| --- | --- | --- | --- | --- | --- |"]
        for row in self.rows:
            lines.append(f"| `{row.source}` | `{row.target}` | {row.source_shape} | "
                         f"{row.target_shape} | {row.status} | {row.note} |")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_markdown()


def _source_items(source: Any) -> list[tuple[str, np.ndarray]]:
    if isinstance(source, torch.nn.Module):
        source = source.state_dict()
    if isinstance(source, Mapping):
        return [(str(name), as_array(value, str(name))) for name, value in source.items()]
    return [(f"[{index}]", as_array(value, f"array {index}"))
            for index, value in enumerate(source)]


def load_into(module: torch.nn.Module, source: Any, dry_run: bool = True) -> LoadReport:
    """Copy `source` into `module` by order and shape, names aside.

    `source`: a state_dict (or any mapping of names to arrays), a converted module, or
    a sequence of arrays (NumPy, tensors with grad, lists). Its k-th array goes to the
    k-th entry of `module.state_dict()`. With `dry_run=True` (the default) nothing is
    written: the report says what would go where. With `dry_run=False` the weights are
    written only if every pair has the same shape and dtype and no array is left over;
    otherwise `ShapeMismatch` is raised with the report and nothing is written.

    To fill part of a larger model, pass the submodule that receives the arrays
    (`load_into(model.encoder, ...)`): every entry of `module.state_dict()`, buffers
    included, needs a source array.

    Order is the contract: two entries of one shape in swapped order (weight_ih and
    weight_hh when input and hidden sizes are equal) cannot be told apart, and the
    report's note marks every pair whose shape occurs more than once.
    """
    sources = _source_items(source)
    targets = list(module.state_dict().items())
    target_shapes = [tuple(tensor.shape) for _, tensor in targets]
    report = LoadReport()
    for index in range(max(len(sources), len(targets))):
        name, array = sources[index] if index < len(sources) else ("(none)", None)
        key, tensor = targets[index] if index < len(targets) else ("(none)", None)
        source_shape = None if array is None else tuple(array.shape)
        target_shape = None if tensor is None else tuple(tensor.shape)
        if array is None:
            status = "no source array for this entry"
        elif tensor is None:
            status = "no entry left in the module"
        elif source_shape != target_shape:
            status = f"shape differs: {source_shape} into {target_shape}"
        elif str(tensor.dtype).removeprefix("torch.") != str(array.dtype):
            status = f"dtype differs: {array.dtype} into {tensor.dtype}"
        else:
            status = "ok"
        note = ("order decides: another entry has this shape"
                if target_shape is not None and target_shapes.count(target_shape) > 1 else "")
        report.rows.append(LoadRow(name, key, source_shape, target_shape, status, note))
    if dry_run:
        return report
    if not report.ok:
        raise ShapeMismatch("nothing written: the arrays do not fit the module by order "
                            f"and shape\n{report.to_markdown()}")
    with torch.no_grad():
        for (_, array), (_, tensor) in zip(sources, targets):
            tensor.copy_(torch.from_numpy(np.ascontiguousarray(array)))
    report.written = True
    return report
