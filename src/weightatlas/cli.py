"""The command line: `python -m weightatlas inspect FILE` and `convert FILE -o OUT`.

`inspect` prints where every weight of a file lives: each array of each recurrent layer,
its shape, its gate blocks as row or column ranges (end-exclusive, like Python slices),
and parameter counts per layer and in all; it names every layer it does not read.
`convert` writes the other library's weights file and prints the plan it applied and the
code that loads the result. Files are read as data (`weightatlas.files`): nothing in them
runs, and on any error nothing is written (the output is written to a temporary file
in the same folder and renamed only when complete).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import keyword
import os
import sys
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from weightatlas.errors import ConversionError, UnsupportedOption
from weightatlas.families import FAMILIES, Family, family_for_keras, family_for_torch
from weightatlas.files import (
    KerasRecurrent,
    Progress,
    SkippedLayer,
    TorchRecurrent,
    WeightFile,
    read_weight_file,
)
from weightatlas.layouts import describe, describe_state_dict
from weightatlas.plan import Plan, Step, layer_steps

__all__ = ["main", "inspect_report", "conversion", "Conversion"]

RANGES = ("Ranges are end-exclusive, as in Python: 0:4 is 0, 1, 2 and 3. Gates are named "
          "by each library's own letters.")
# Files at least this large get progress lines on stderr.
PROGRESS_BYTES = 32 * 2**20

DESCRIPTION = """\
Inspect and convert the weights of recurrent layers (SimpleRNN/nn.RNN, LSTM/nn.LSTM,
GRU/nn.GRU, Bidirectional/bidirectional=True) in saved files, without running anything
they hold: .keras archives are read as JSON and HDF5 (no layer is deserialised, so a
Lambda layer or a custom object is named, never run); .weights.h5 files with h5py;
PyTorch .pt/.pth state_dicts with torch.load(weights_only=True).

  python -m weightatlas inspect model.keras          where every weight lives
  python -m weightatlas convert model.keras -o model.pt
  python -m weightatlas convert model.pt -o model.weights.h5

Gate blocks are printed as ranges that exclude their end, like Python slices: 0:4 is
0, 1, 2 and 3. On any error nothing is written."""

CONVERT_HELP = """\
From a Keras file (.keras, or .weights.h5 with --assume-default-options) to OUT.pt: a
PyTorch state_dict of tensors, one module per Keras recurrent layer, keys
"<keras layer name>.weight_ih_l0" (and _reverse for a Bidirectional's backward layer).
Load it with torch.load(OUT, weights_only=True) into the modules the output lists
(load_state_dict of the keys under each prefix); the printed code does exactly that.

From a PyTorch state_dict (.pt/.pth) to OUT.weights.h5: Keras 3's own weights layout, one
Keras layer per PyTorch layer (num_layers=2 gives two), named "<prefix>_l0", ... Load it
with model.load_weights(OUT) into a Keras model made of exactly the layers the output
lists (weightless layers such as Dropout may be added); the printed code builds one.
Or read each array with h5py at the path the plan names and call layer.set_weights.

Layers that are not recurrent (Dense, Embedding, Conv2D, ...) are named and left out: a
file is converted for its recurrent layers (a Dense, an Embedding or a convolution
converts in Python, keras_to_torch(layer)). A layer whose options no module on the other side computes (a
custom activation, reset_after=False, proj_size, merge_mode other than concat, ...) or a
layer that holds code (Lambda, custom objects) stops the conversion, unless
--skip-unconvertible is given: then it is named and left out. On any error nothing is
written."""


# --- inspect ---------------------------------------------------------------------------

def keras_family(layer: KerasRecurrent) -> Family | None:
    return family_for_keras(layer.cell_class, bool(layer.options.get("reset_after", True)))


def torch_family(module: TorchRecurrent) -> Family | None:
    return family_for_torch(module.module)


def gate_roles(family: Family, side: str) -> dict[str, str]:
    """{letter: role} for one library's letters ("f": "forget gate")."""
    roles = {getattr(gate, side): gate.role for gate in family.gates}
    return {**roles, "projection": "projection of h to proj_size (weight_hr)"}


def axis_word(axis: int, ndim: int) -> str:
    return "entries" if ndim == 1 else ("rows", "columns")[axis]


def block_rows(blocks: Sequence[Any], roles: dict[str, str], ndim: int) -> dict[str, Any]:
    """Gate blocks as JSON: the axis in words and each gate's range."""
    return {
        "axis": blocks[0].axis if blocks else None,
        "along": axis_word(blocks[0].axis, ndim) if blocks else None,
        "blocks": [{"gate": block.gate, "role": roles.get(block.gate, block.gate),
                    "start": block.start, "stop": block.stop} for block in blocks],
    }


def keras_layer_report(layer: KerasRecurrent) -> dict[str, Any]:
    family = keras_family(layer)
    roles = gate_roles(family, "keras") if family else {}
    arrays = []
    for direction in layer.directions:
        for stored in direction.arrays:
            blocks = family.keras_blocks(stored.name, stored.shape) if family else []
            entry = {"direction": direction.side or None, "name": stored.name,
                     "location": stored.location, "shape": list(stored.shape),
                     "dtype": str(stored.array.dtype), "parameters": int(stored.array.size),
                     **block_rows(blocks, roles, len(stored.shape))}
            if stored.name == "bias" and len(stored.shape) == 2:
                entry["rows"] = {"0": "added to the input part, x @ kernel",
                                 "1": "added to the recurrent part, h @ recurrent_kernel"}
            arrays.append(entry)
    problems = list(layer.problems)
    if family is not None and family.refusal:
        problems.append(family.refusal)
    class_name = layer.class_name
    if class_name == "Bidirectional" and family is not None:
        class_name = f"Bidirectional({family.keras_layer})"
    return {"name": layer.name, "class_name": class_name, "cell": layer.cell_class,
            "family": family.name if family else None,
            "directions": len(layer.directions), "options": dict(layer.options),
            "parameters": layer.parameters, "arrays": arrays, "problems": problems,
            "notes": list(layer.notes)}


def torch_module_report(module: TorchRecurrent) -> dict[str, Any]:
    family = torch_family(module)
    roles = gate_roles(family, "torch") if family else {}
    arrays = []
    per_layer: dict[str, int] = {}
    for stored in module.arrays:
        blocks = family.torch_blocks(stored.name, stored.shape) if family else []
        layer = stored.name.split("_l")[-1].removesuffix("_reverse")
        per_layer[layer] = per_layer.get(layer, 0) + int(stored.array.size)
        arrays.append({"direction": None,  # the key says: _reverse
                       "name": stored.name, "location": stored.location,
                       "shape": list(stored.shape), "dtype": str(stored.array.dtype),
                       "parameters": int(stored.array.size),
                       **block_rows(blocks, roles, len(stored.shape))})
    problems = []
    if module.proj_size:
        problems.append(f"proj_size={module.proj_size}: Keras' LSTM has no projection "
                        "(weight_hr) of the hidden state it feeds back")
    return {"name": module.prefix or "(the state_dict itself)", "prefix": module.prefix,
            "class_name": f"nn.{module.module}", "family": family.name if family else None,
            "options": {"input_size": module.input_size, "hidden_size": module.hidden_size,
                        "num_layers": module.num_layers, "bias": module.bias,
                        "bidirectional": module.bidirectional, "proj_size": module.proj_size},
            "parameters": module.parameters, "parameters_per_layer": per_layer,
            "arrays": arrays, "problems": problems, "notes": []}


def state_dict_rows(layer: SkippedLayer) -> list[dict[str, Any]]:
    """A state_dict module's entries as JSON, once per module their shapes fit: each
    one's axes there, and the Keras variable torch_to_keras puts it in."""
    shapes = {stored.name: stored.shape for stored in layer.arrays}
    where = {stored.name: stored.location for stored in layer.arrays}
    return [{"name": array.name, "location": where[array.name],
             "shape": list(shapes[array.name]), "module": candidate.module,
             "axes": array.torch_axes,
             "keras": {"layer": candidate.keras_layer, "variable": array.variable,
                       "shape": list(array.keras_shape), "axes": array.keras_axes}}
            for candidate in describe_state_dict(shapes) for array in candidate.arrays]


def single_layer_rows(layer: SkippedLayer) -> list[dict[str, Any]]:
    """A Dense's, an Embedding's or a convolution's arrays as JSON: each one's axes, and
    the PyTorch parameter keras_to_torch(layer) puts it in (weightatlas.layouts); for a
    state_dict's module, state_dict_rows."""
    if layer.class_name.startswith("nn."):
        return state_dict_rows(layer)
    rows = []
    for stored in layer.arrays:
        layout = describe(layer.class_name, stored.name, stored.shape)
        if layout is None:
            return []
        rows.append({"name": stored.name, "location": stored.location,
                     "shape": list(stored.shape), "axes": layout.keras_axes,
                     "pytorch": {"module": layout.module, "parameter": layout.parameter,
                                 "shape": list(layout.torch_shape),
                                 "axes": layout.torch_axes}})
    return rows


def inspect_report(weights: WeightFile) -> dict[str, Any]:
    """Everything `inspect` prints, as JSON-ready data (`--format json` prints it)."""
    layers = [keras_layer_report(layer) for layer in weights.keras_layers]
    layers += [torch_module_report(module) for module in weights.torch_modules]
    read = sum(layer["parameters"] for layer in layers)
    skipped = [{"name": s.name, "class_name": s.class_name, "reason": s.reason,
                "parameters": s.parameters, "holds_code": s.holds_code,
                "arrays": single_layer_rows(s)}
               for s in weights.skipped]
    return {
        "file": str(weights.path), "kind": weights.kind, "ranges": "end-exclusive",
        "families": [family.name for family in FAMILIES],
        "layers": layers, "skipped": skipped, "notes": list(weights.notes),
        "parameters": {"recurrent": read, "skipped": weights.parameters - read,
                       "total": weights.parameters},
    }


KIND_WORDS = {
    "keras": "a Keras 3 model (.keras): config.json read as JSON, weights read with h5py; "
             "no layer was deserialised or run",
    "keras-weights": "Keras 3 weights (.weights.h5), read with h5py",
    "torch": "a PyTorch state_dict, read with torch.load(weights_only=True)",
}


def shape_text(shape: Sequence[int]) -> str:
    """A shape as Python writes a tuple: (5, 480), (480,)."""
    return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")


def options_text(options: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in options.items())


def format_report(report: dict[str, Any]) -> str:
    """The inspect report as text: one block per layer, a line per array."""
    lines = [f"{report['file']}: {KIND_WORDS[report['kind']]}.", RANGES, ""]
    for layer in report["layers"]:
        family = layer["family"] or "no family"
        lines.append(f"{layer['name']}: {layer['class_name']} (family {family}), "
                     f"{layer['parameters']} parameters")
        lines.append(f"  options: {options_text(layer['options'])}")
        if "parameters_per_layer" in layer and len(layer["parameters_per_layer"]) > 1:
            lines.append("  parameters per layer: " + ", ".join(
                f"layer {k}: {n}" for k, n in layer["parameters_per_layer"].items()))
        width = max(len(array_label(a)) for a in layer["arrays"])
        for array in layer["arrays"]:
            shape = "(" + ", ".join(map(str, array["shape"])) + (",)" if len(
                array["shape"]) == 1 else ")")
            ranges = "  ".join(f"{b['gate']} {b['start']}:{b['stop']}"
                               for b in array["blocks"])
            where = (f"   at {array['location']}" if array["location"] != array["name"]
                     else "")
            lines.append(f"  {array_label(array):<{width}}  {shape:<10} "
                         f"{array['along'] or ''}: {ranges}{where}")
            for row, meaning in array.get("rows", {}).items():
                lines.append(f"  {'':<{width}}  row {row}: {meaning}")
        roles = {b["gate"]: b["role"] for a in layer["arrays"] for b in a["blocks"]}
        lines.append("  gates: " + ", ".join(f"{g} = {r}" for g, r in roles.items()))
        lines += [f"  cannot be converted: {problem}" for problem in layer["problems"]]
        lines += [f"  note: {note}" for note in layer["notes"]]
        lines.append("")
    if report["skipped"]:
        lines.append("Other layers, not converted from the file:")
        for skipped in report["skipped"]:
            count = f", {skipped['parameters']} parameters" if skipped["parameters"] else ""
            lines.append(f"  {skipped['name']} ({skipped['class_name']}): "
                         f"{skipped['reason']}{count}")
            for array in skipped.get("arrays", []):
                if "keras" in array:  # a state_dict's entry, as one module stores it
                    keras_side = array["keras"]
                    lines.append(
                        f"    {array['name']} {shape_text(array['shape'])} as {array['module']} "
                        f"{array['axes']} -> {keras_side['layer']} {keras_side['variable']} "
                        f"{shape_text(keras_side['shape'])} {keras_side['axes']}")
                    continue
                torch_side = array["pytorch"]
                lines.append(
                    f"    {array['name']} {shape_text(array['shape'])} {array['axes']} -> "
                    f"{torch_side['module']} {torch_side['parameter']} "
                    f"{shape_text(torch_side['shape'])} {torch_side['axes']}")
        lines.append("")
    lines += [f"note: {note}" for note in report["notes"]]
    counts = report["parameters"]
    lines.append(f"Parameters: {counts['recurrent']} in {len(report['layers'])} recurrent "
                 f"layer(s), {counts['skipped']} in layers not read, "
                 f"{counts['total']} in all.")
    lines.append("Families known: " + ", ".join(report["families"]) + ".")
    return "\n".join(lines)


def array_label(array: dict[str, Any]) -> str:
    return f"{array['direction']} {array['name']}" if array["direction"] else array["name"]


# --- convert ---------------------------------------------------------------------------

@dataclass
class Conversion:
    """A file's conversion, before anything is written: the plan, the arrays it makes
    (keyed by PyTorch key, or by Keras HDF5 path), what was left out and why, and the
    code that loads the result."""

    plan: Plan
    arrays: dict[str, np.ndarray]
    target: str  # "torch" or "keras"
    left_out: list[str]
    load_code: str
    keras_layers: list[KerasLayerSpec] = field(default_factory=list)


def keras_paths(layer: KerasRecurrent, side: str) -> dict[str, str]:
    """Readable Keras paths of one direction's arrays: "lstm/kernel",
    "bidirectional/forward_layer/kernel"."""
    base = f"{layer.name}/{side}" if side else layer.name
    return {name: f"{base}/{name}" for name in ("kernel", "recurrent_kernel", "bias")}


def torch_keys(prefix: str, index: int, reverse: bool) -> dict[str, str]:
    tail = f"_l{index}{'_reverse' if reverse else ''}"
    return {name: f"{prefix}.{name}{tail}" if prefix else f"{name}{tail}"
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")}


def refusals(weights: WeightFile) -> list[str]:
    """What stops this file's conversion, one line per layer."""
    found = [f"{s.name} ({s.class_name}): {s.reason}" for s in weights.skipped
             if s.holds_code]
    for layer in weights.keras_layers:
        family = keras_family(layer)
        reasons = list(layer.problems)
        if family is None:
            reasons.append(f"no family for {layer.cell_class}")
        elif family.refusal:
            reasons.append(family.refusal)
        found += [f"{layer.name} ({layer.class_name}): {reason}" for reason in reasons]
    for module in weights.torch_modules:
        if module.proj_size:
            found.append(
                f"{module.prefix or 'the state_dict'} (nn.LSTM, proj_size="
                f"{module.proj_size}): Keras' LSTM has no projection (weight_hr) of the "
                "hidden state it feeds back; train without proj_size, or write a Keras "
                "cell that projects h yourself")
    return found


def refused_names(weights: WeightFile) -> set[str]:
    names = {s.name for s in weights.skipped if s.holds_code}
    for layer in weights.keras_layers:
        family = keras_family(layer)
        if layer.problems or family is None or family.refusal:
            names.add(layer.name)
    names |= {m.prefix for m in weights.torch_modules if m.proj_size}
    return names


def conversion(weights: WeightFile, *, skip_unconvertible: bool = False,
               assume_default_options: bool = False, output: str = "OUT") -> Conversion:
    """The plan and the converted arrays for a file, or a ConversionError that says
    which layers stop it and why. Nothing is written here."""
    if weights.kind == "keras-weights" and not assume_default_options:
        raise UnsupportedOption(
            f"{weights.path}: a .weights.h5 file stores no layer options, so whether its "
            "layers use tanh and sigmoid, go_backwards or merge_mode='concat' cannot be "
            "checked. Convert the .keras file instead, or pass --assume-default-options "
            "if the layers were built with the defaults."
        )
    stopping = refusals(weights)
    if stopping and not skip_unconvertible:
        raise UnsupportedOption(
            f"{weights.path}: cannot convert without a wrong answer:\n  "
            + "\n  ".join(stopping)
            + "\nNothing was written. Pass --skip-unconvertible to convert the other "
            "layers and leave these out."
        )
    refused = refused_names(weights)
    left_out = [f"{s.name} ({s.class_name}): {s.reason}" for s in weights.skipped]
    left_out += [line for line in stopping if line.split(" (")[0] not in
                 {s.name for s in weights.skipped}]
    if weights.kind == "torch":
        modules = [m for m in weights.torch_modules if m.prefix not in refused]
        return torch_to_keras_conversion(modules, left_out, output)
    layers = [layer for layer in weights.keras_layers if layer.name not in refused]
    return keras_to_torch_conversion(layers, left_out, output)


def keras_to_torch_conversion(layers: list[KerasRecurrent], left_out: list[str],
                              output: str) -> Conversion:
    """One PyTorch module per Keras layer, named by the layer: a stack of Keras layers
    is never merged into num_layers here, so no option of one layer (return_sequences,
    a mask between them) is lost on the way."""
    steps: list[Step] = []
    arrays: dict[str, np.ndarray] = {}
    code = ["import torch", "", f"state = torch.load({output!r}, weights_only=True)"]
    for layer in layers:
        family = keras_family(layer)
        assert family is not None and family.torch_module is not None
        first = layer.directions[0].arrays
        input_size, units = first[0].shape[0], first[1].shape[0]
        layer_plan = Plan("keras_to_torch")
        sources: dict[str, np.ndarray] = {}
        for direction in layer.directions:
            paths = keras_paths(layer, direction.side)
            sources.update({paths[a.name]: a.array for a in direction.arrays})
            layer_plan.steps += layer_steps(
                family, "keras_to_torch", units=units, input_size=input_size,
                use_bias=len(direction.arrays) == 3, keras_paths=paths,
                torch_keys=torch_keys(layer.name, 0, direction.side == "backward_layer"))
        arrays.update(layer_plan.apply(sources))  # one dtype per layer, checked
        steps += layer_plan.steps
        options = [str(input_size), str(units), "batch_first=True"]
        if len(layer.directions) == 2:
            options.append("bidirectional=True")
        if len(first) == 2:
            options.append("bias=False")
        if family.takes_nonlinearity:
            options.append(f"nonlinearity={layer.options.get('activation', 'tanh')!r}")
        if first[0].array.dtype != np.float32:
            options.append(f"dtype=torch.{first[0].array.dtype}")
        variable, prefix = python_name(layer.name), f"{layer.name}."
        code += [
            f"{variable} = torch.nn.{family.torch_module}({', '.join(options)})",
            f"{variable}.load_state_dict({{key.removeprefix({prefix!r}): value "
            f"for key, value in state.items() if key.startswith({prefix!r})}})",
        ]
    return Conversion(Plan("keras_to_torch", steps), arrays, "torch", left_out,
                      "\n".join(code))


@dataclass(frozen=True)
class KerasLayerSpec:
    """One Keras layer that `convert` makes from one layer of a PyTorch module: enough
    to build it (with Keras) and to print the code that builds it (for the reader)."""

    name: str
    family: Family
    units: int
    use_bias: bool
    bidirectional: bool
    dtype: str
    model_input: int      # which keras.Input of the model feeds the chain it is in
    input_size: int | None  # set for the first layer of a chain: the Input's features
    paths: tuple[str, ...]  # readable paths of its arrays, in set_weights order

    def options(self) -> list[str]:
        options = [str(self.units), "return_sequences=True"]
        if not self.use_bias:
            options.append("use_bias=False")
        if self.family.takes_nonlinearity:
            options.append("activation='tanh'")
        if self.dtype != "float32":
            options.append(f"dtype={self.dtype!r}")
        return options

    def code(self) -> str:
        """The Python expression that makes this layer."""
        inner = f"keras.layers.{self.family.keras_layer}({', '.join(self.options())}"
        if self.bidirectional:
            return f"keras.layers.Bidirectional({inner}), name={self.name!r})"
        return f"{inner}, name={self.name!r})"

    def build(self, keras: Any) -> Any:
        """This layer, made with Keras (zeros initializers: its weights are set next)."""
        kwargs: dict[str, Any] = {
            "return_sequences": True, "use_bias": self.use_bias, "dtype": self.dtype,
            "kernel_initializer": "zeros", "recurrent_initializer": "zeros"}
        if self.family.takes_nonlinearity:
            kwargs["activation"] = "tanh"
        if self.family.reset_after is not None:
            kwargs["reset_after"] = self.family.reset_after
        layer_class = getattr(keras.layers, self.family.keras_layer)
        if self.bidirectional:
            return keras.layers.Bidirectional(layer_class(self.units, **kwargs),
                                              name=self.name)
        return layer_class(self.units, name=self.name, **kwargs)


def torch_to_keras_conversion(modules: list[TorchRecurrent], left_out: list[str],
                              output: str) -> Conversion:
    """One Keras layer per PyTorch layer (a Bidirectional when the module is), named
    "<prefix>_l<k>", in a model with one input per module that chains its layers."""
    steps: list[Step] = []
    arrays: dict[str, np.ndarray] = {}
    specs: list[KerasLayerSpec] = []
    for number, module in enumerate(modules):
        family = torch_family(module)
        assert family is not None
        module_plan = Plan("torch_to_keras")
        base = python_name(module.prefix or module.module.lower())
        input_size = module.input_size
        for index in range(module.num_layers):
            name = f"{base}_l{index}"
            paths: list[str] = []
            for side in ["forward_layer", "backward_layer"] if module.bidirectional else [""]:
                side_paths = {key: "/".join(filter(None, (name, side, key)))
                              for key in ("kernel", "recurrent_kernel", "bias")}
                module_plan.steps += layer_steps(
                    family, "torch_to_keras", units=module.hidden_size,
                    input_size=input_size, use_bias=module.bias, keras_paths=side_paths,
                    torch_keys=torch_keys(module.prefix, index, side == "backward_layer"))
                paths += list(side_paths.values())[: 2 + module.bias]
            specs.append(KerasLayerSpec(
                name, family, module.hidden_size, module.bias, module.bidirectional,
                str(module.arrays[0].array.dtype), number,
                module.input_size if index == 0 else None, tuple(paths)))
            input_size = module.hidden_size * (1 + module.bidirectional)
        arrays.update(module_plan.apply({a.location: a.array for a in module.arrays}))
        steps += module_plan.steps  # applied per module: one dtype per module, checked
    return Conversion(Plan("torch_to_keras", steps), arrays, "keras", left_out,
                      keras_code(specs, output), specs)


def keras_code(specs: list[KerasLayerSpec], output: str) -> str:
    """The code that builds the Keras model the .weights.h5 file loads into."""
    code, inputs, outputs = ["import keras", ""], [], []
    previous = ""  # the variable holding the chain's last output
    for spec in specs:
        if spec.input_size is not None:
            if inputs:
                outputs.append(previous)
            inputs.append(f"inputs_{spec.model_input}")
            code.append(f"{inputs[-1]} = keras.Input((None, {spec.input_size}), "
                        f"dtype={spec.dtype!r})")
            previous = inputs[-1]
        if spec.family.takes_nonlinearity:
            code.append("# activation: the nonlinearity the nn.RNN was built with "
                        "(a state_dict does not store it; tanh is its default)")
        code.append(f"{spec.name} = {spec.code()}({previous})")
        previous = spec.name
    outputs.append(previous)
    code += [f"model = keras.Model([{', '.join(inputs)}], [{', '.join(outputs)}])",
             f"model.load_weights({output!r})"]
    return "\n".join(code)


def keras_model(specs: list[KerasLayerSpec]) -> Any:
    """The model `keras_code` prints, made with Keras, with zeros initializers."""
    import keras

    inputs, outputs, tensor = [], [], None
    for spec in specs:
        if spec.input_size is not None:
            if inputs:
                outputs.append(tensor)
            inputs.append(keras.Input((None, spec.input_size), dtype=spec.dtype))
            tensor = inputs[-1]
        tensor = spec.build(keras)(tensor)
    outputs.append(tensor)
    return keras.Model(inputs, outputs)


# Names the printed loading code uses itself, which a layer's variable must not hide.
TAKEN_NAMES = {"torch", "keras", "state", "key", "value", "model"}


def python_name(name: str) -> str:
    """A layer or prefix name as a Python identifier that the loading code does not use
    for anything else."""
    cleaned = "".join(c if c.isalnum() else "_" for c in name)
    if not cleaned[:1].isalpha():
        cleaned = f"layer_{cleaned}"
    if keyword.iskeyword(cleaned) or cleaned in TAKEN_NAMES:
        cleaned = f"{cleaned}_layer"
    return cleaned


# --- writing, atomically ---------------------------------------------------------------

class atomic_output:
    """A temporary file beside `path`, renamed to `path` only when the block succeeds:
    on any error it is deleted, and `path` is left as it was."""

    def __init__(self, path: Path, suffix: str = "") -> None:
        self.path, self.suffix = path, suffix

    def __enter__(self) -> Path:
        handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.",
                                        suffix=f".partial{self.suffix}",
                                        dir=self.path.parent)
        os.close(handle)
        self.temporary = Path(name)
        return self.temporary

    def __exit__(self, kind: object, *exc: object) -> None:
        if kind is None:
            umask = os.umask(0)  # mkstemp makes the file private; give it the usual mode
            os.umask(umask)
            os.chmod(self.temporary, 0o666 & ~umask)
            os.replace(self.temporary, self.path)
        else:
            self.temporary.unlink(missing_ok=True)


def write_state_dict(arrays: dict[str, np.ndarray], path: Path,
                     progress: Progress | None) -> None:
    try:
        import torch
    except ImportError as error:
        raise ConversionError("writing a PyTorch file needs torch: "
                              "pip install 'weight-atlas[torch]'") from error
    state = {}
    for done, (key, array) in enumerate(arrays.items(), 1):
        state[key] = torch.from_numpy(np.ascontiguousarray(array))
        if progress:
            progress(done, len(arrays))
    with atomic_output(path) as temporary:
        torch.save(state, temporary)


def write_keras_weights(result: Conversion, path: Path,
                        progress: Progress | None) -> None:
    """Keras' own .weights.h5: the layers built with Keras, their weights set, saved
    with model.save_weights, so the file is laid out exactly as Keras loads it (Keras
    addresses layers by class and position, which only Keras should decide)."""
    if importlib.util.find_spec("keras") is None:
        raise ConversionError("writing a Keras file needs Keras: "
                              "pip install 'weight-atlas[keras]'")
    model = keras_model(result.keras_layers)
    for done, spec in enumerate(result.keras_layers, 1):
        model.get_layer(spec.name).set_weights([result.arrays[p] for p in spec.paths])
        if progress:
            progress(done, len(result.keras_layers))
    with atomic_output(path, suffix=".weights.h5") as temporary, warnings.catch_warnings():
        # Keras' h5 writer converts its variables with np.array(), which NumPy 2 warns about;
        # the file is right, and a caller running with warnings as errors should not fail.
        warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*__array__.*")
        model.save_weights(temporary)


# --- the command line -----------------------------------------------------------------

def progress_printer(size_of: Path, what: str, stream: TextIO) -> Progress | None:
    """For a large file (`size_of`), a Progress that prints "<what>: 12/40" on `stream`
    about every tenth of the way; None for a small one."""
    if not size_of.exists() or size_of.stat().st_size < PROGRESS_BYTES:
        return None
    print(f"{what} ({size_of.stat().st_size / 2**20:.0f} MiB of input)", file=stream,
          flush=True)
    shown = [-1]

    def report(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth != shown[0]:
            shown[0] = tenth
            print(f"{what}: {done}/{total}", file=stream, flush=True)

    return report


def run_inspect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    path = Path(args.file)
    weights = read_weight_file(path, progress_printer(path, f"reading {path.name}", err))
    report = inspect_report(weights)
    if args.format == "json":
        json.dump(report, out, indent=1)
        out.write("\n")
    else:
        out.write(format_report(report) + "\n")
    return 0


OUTPUT_SUFFIXES = {"torch": (".pt", ".pth"), "keras": (".weights.h5",)}


def run_convert(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    source, target = Path(args.file), Path(args.output)
    if target.resolve() == source.resolve():
        raise ConversionError(f"{target}: the output would overwrite the input")
    if target.exists() and not args.force:
        raise ConversionError(f"{target} exists: pass --force to replace it")
    if not target.parent.is_dir():
        raise ConversionError(f"{target}: no folder {target.parent}")
    weights = read_weight_file(source,
                               progress_printer(source, f"reading {source.name}", err))
    goal = "keras" if weights.kind == "torch" else "torch"
    if not target.name.endswith(OUTPUT_SUFFIXES[goal]):
        raise ConversionError(
            f"{target}: a {weights.kind} file converts to a {goal} file; name the output "
            f"with {' or '.join(OUTPUT_SUFFIXES[goal])}")
    result = conversion(weights, skip_unconvertible=args.skip_unconvertible,
                        assume_default_options=args.assume_default_options,
                        output=str(target))
    if not result.plan.steps:
        raise ConversionError(f"{source}: no recurrent layer to convert; nothing written")
    writing = progress_printer(source, f"writing {target.name}", err)
    if goal == "torch":
        write_state_dict(result.arrays, target, writing)
    else:
        write_keras_weights(result, target, writing)
    if args.format == "json":
        json.dump({"written": str(target), "target": goal,
                   "plan": [list(map(jsonable, row)) for row in result.plan.rows()],
                   "left_out": result.left_out, "load_code": result.load_code},
                  out, indent=1)
        out.write("\n")
        return 0
    lines = [f"Wrote {target}: {len(result.arrays)} arrays "
             f"({sum(a.size for a in result.arrays.values())} parameters).", "",
             "The plan applied, one row per array:", "", result.plan.to_markdown(), ""]
    if result.left_out:
        lines += ["Left out:"] + [f"  {line}" for line in result.left_out] + [""]
    lines += ["Load it:", ""] + [f"    {line}" if line else "" for line in
                                 result.load_code.splitlines()]
    out.write("\n".join(lines) + "\n")
    return 0


def jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="python -m weightatlas", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main_parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser(
        "inspect", help="print where every weight of a file lives",
        description="Print each array of each recurrent layer, its shape, its gate "
                    "blocks as row or column ranges (end-exclusive, like Python slices) "
                    "and parameter counts per layer and in all; name the layers not read.")
    inspect.add_argument("file", help="a .keras, .weights.h5, .pt or .pth file")
    inspect.add_argument("--format", choices=("text", "json"), default="text")
    inspect.set_defaults(run=run_inspect)
    convert = commands.add_parser(
        "convert", help="write the other library's weights file and print the plan",
        description=CONVERT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    convert.add_argument("file", help="a .keras, .weights.h5, .pt or .pth file")
    convert.add_argument("-o", "--output", required=True,
                         help="OUT.pt or OUT.pth from Keras; OUT.weights.h5 from PyTorch")
    convert.add_argument("--skip-unconvertible", action="store_true",
                         help="leave out (and name) layers that cannot be converted or "
                              "that hold code, instead of stopping")
    convert.add_argument("--assume-default-options", action="store_true",
                         help="for a .weights.h5 file, which stores no options: convert "
                              "as if every layer used tanh, sigmoid, go_backwards=False "
                              "and merge_mode='concat'")
    convert.add_argument("--force", action="store_true", help="replace OUT if it exists")
    convert.add_argument("--format", choices=("text", "json"), default="text")
    convert.set_defaults(run=run_convert)
    return main_parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status (0, or 1 for a refused file)."""
    out, err = out or sys.stdout, err or sys.stderr
    args = parser().parse_args(argv)
    try:
        return args.run(args, out, err)
    except ConversionError as error:
        print(f"weightatlas {args.command}: error: {error}", file=err)
        return 1
