"""Read weight files as data, never as code.

Three kinds of file are read, each without running anything it holds:

- a Keras 3 model, `.keras`: a zip archive whose `config.json` is read as JSON and whose
  `model.weights.h5` is read with h5py. No layer is deserialised, so a `Lambda` layer,
  a custom object or a function-valued option (a custom activation) is named, never run.
- Keras 3 weights, `.weights.h5` (`model.save_weights`): read with h5py. The file holds
  no layer classes, so each recurrent layer's family is recognised from its arrays'
  shapes (`recurrent_kernel` is `(units, k * units)`: k = 1, 3 or 4 blocks).
  An activation stored as a name ("tanh") is the function Keras itself loads for that
  name; one stored as code (a lambda, a function) or as a registered custom object is
  named, never run, and stops a conversion.
- a PyTorch `state_dict`, `.pt` or `.pth`: opened with `torch.load(weights_only=True)`,
  which refuses any pickle that asks to call a function or build an object other than
  tensors and plain containers. A whole pickled `nn.Module` or TorchScript archive is
  refused too: save `module.state_dict()` instead.

A file that cannot be read raises `UnreadableFile`; one that would run code to be read
raises `UnsafeFile`. Both name the file and say why. Reading never writes anything.
"""
from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from weightatlas.errors import ConversionError, UnreadableFile, UnsafeFile
from weightatlas.families import CONV_LAYERS, FAMILIES, SINGLE_LAYERS, family_for_keras
from weightatlas.layouts import WHOLE_MODEL_LAYERS, describe_state_dict, variable_names

__all__ = [
    "UnreadableFile", "StoredArray", "KerasDirection", "KerasRecurrent", "TorchRecurrent",
    "SkippedLayer", "WeightFile", "read_weight_file", "file_kind",
]

# Reports progress as (arrays done, arrays in all); the CLI prints it for large files.
Progress = Callable[[int, int], None]

# A config.json larger than this is not a model configuration a reader wrote.
MAX_CONFIG_BYTES = 64 * 2**20

# Read from the families, so that a family added there is found in files too: Keras layer
# class -> its cell class; gate blocks per array -> the Keras cell, the PyTorch module.
KERAS_CELLS = {family.keras_layer: family.keras_cell for family in FAMILIES}
KERAS_CELL_BY_BLOCKS = {family.n_gates: family.keras_cell for family in FAMILIES}
TORCH_MODULE_BY_BLOCKS = {family.n_gates: family.torch_module for family in FAMILIES
                          if family.torch_module}
# The Keras names of a recurrent cell's arrays, in the order Keras creates (and saves) them.
KERAS_ARRAY_NAMES = ("kernel", "recurrent_kernel", "bias")
# Layers that hold Python code in their config: read it and you would have to run it.
CODE_LAYERS = {"Lambda"}
# Containers whose config lists the layers inside them.
MODEL_CLASSES = {"Sequential", "Functional", "Model"}
# What a stateless reader can name but must not treat as a layer it converts.
MASKING_LAYERS = {"Masking"}

TORCH_KEY = re.compile(
    r"^(?:(?P<prefix>.*)\.)?(?P<suffix>(?P<kind>weight|bias)_(?P<part>ih|hh|hr)"
    r"_l(?P<layer>\d+)(?P<reverse>_reverse)?)$"
)


@dataclass(frozen=True)
class StoredArray:
    """One array as the file stores it: where (`location`), under which name, its values."""

    location: str  # the HDF5 dataset path, or the state_dict key
    name: str      # "kernel", "recurrent_kernel", "bias"; or "weight_ih_l0", ...
    array: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.array.shape)


@dataclass(frozen=True)
class KerasDirection:
    """The arrays of one recurrent cell: a layer's, or one side of a Bidirectional."""

    side: str  # "" for a plain layer, "forward_layer" or "backward_layer"
    arrays: tuple[StoredArray, ...]
    go_backwards: bool = False


@dataclass(frozen=True)
class KerasRecurrent:
    """A Keras recurrent layer found in a file, with its arrays and its options.

    `options` holds the layer's config values that decide what it computes (activation,
    recurrent_activation, reset_after, go_backwards, stateful, use_bias, units) as JSON
    values; for a `.weights.h5` file only what the shapes show (units, use_bias,
    reset_after for a GRU). `problems` lists, in words, what stops a conversion to
    PyTorch (a custom activation, merge_mode other than concat, go_backwards, ...).
    """

    name: str
    class_name: str  # "LSTM", "GRU", "SimpleRNN", "RNN", or "Bidirectional"
    cell_class: str  # "LSTMCell", "GRUCell", "SimpleRNNCell"
    directions: tuple[KerasDirection, ...]
    options: Mapping[str, Any]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def parameters(self) -> int:
        return sum(a.array.size for d in self.directions for a in d.arrays)


@dataclass(frozen=True)
class TorchRecurrent:
    """A PyTorch nn.RNN, nn.LSTM or nn.GRU recognised in a state_dict by its keys
    (`<prefix>.weight_ih_l0`, ...) and shapes. `module` is the class name the shapes
    fit ("RNN", "LSTM", "GRU"); nn.RNN's nonlinearity is not stored in a state_dict."""

    prefix: str  # "" for the state_dict of the module itself
    module: str
    input_size: int
    hidden_size: int
    num_layers: int
    bidirectional: bool
    bias: bool
    proj_size: int
    arrays: tuple[StoredArray, ...]

    @property
    def parameters(self) -> int:
        return sum(a.array.size for a in self.arrays)

    def key(self, suffix: str) -> str:
        return f"{self.prefix}.{suffix}" if self.prefix else suffix

    def array(self, suffix: str) -> np.ndarray | None:
        for stored in self.arrays:
            if stored.name == suffix:
                return stored.array
        return None


@dataclass(frozen=True)
class SkippedLayer:
    """A layer (or state_dict entry) the file holds that no family here converts."""

    name: str
    # The Keras class; for a state_dict, the modules its entries fit ("nn.Linear or
    # nn.Embedding"), or "tensor" for an entry that fits none
    class_name: str
    reason: str
    parameters: int = 0
    holds_code: bool = False
    # A Dense's, an Embedding's or a convolution's arrays, named (weightatlas.layouts)
    arrays: tuple[StoredArray, ...] = ()


@dataclass(frozen=True)
class WeightFile:
    """What a weight file holds, read as data: recurrent layers found, the rest named."""

    path: Path
    kind: str  # "keras", "keras-weights" or "torch"
    keras_layers: tuple[KerasRecurrent, ...] = ()
    torch_modules: tuple[TorchRecurrent, ...] = ()
    skipped: tuple[SkippedLayer, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def parameters(self) -> int:
        found = sum(layer.parameters for layer in self.keras_layers)
        found += sum(module.parameters for module in self.torch_modules)
        return found + sum(layer.parameters for layer in self.skipped)


KIND_NAMES = {"torch": "torch.save(module.state_dict())", "keras": "Keras 3's model.save",
              "keras-weights": "Keras 3's model.save_weights"}


def file_kind(path: Path) -> str:
    """"keras", "keras-weights" or "torch", from the file's name, checked against its
    first bytes, so that a renamed file is refused before any reader opens it."""
    name = path.name.lower()
    if not path.is_file():
        raise UnreadableFile(f"{path}: no such file")
    with open(path, "rb") as handle:
        head = handle.read(8)
    is_zip, is_hdf5 = head.startswith(b"PK\x03\x04"), head.startswith(b"\x89HDF\r\n\x1a\n")
    if name.endswith(".keras"):
        if not is_zip:
            raise UnreadableFile(f"{path}: not a zip archive, so not a Keras 3 .keras file")
        return "keras"
    if name.endswith(".h5") or name.endswith(".hdf5"):
        if not is_hdf5:
            raise UnreadableFile(f"{path}: not an HDF5 file")
        return "keras-weights"
    if name.endswith((".pt", ".pth")):
        if is_hdf5:
            raise UnreadableFile(f"{path}: an HDF5 file named like a PyTorch file")
        return "torch"
    raise UnreadableFile(
        f"{path}: unknown kind of file; weightatlas reads .keras, .weights.h5, .pt and "
        ".pth files"
    )


def read_weight_file(path: str | Path, progress: Progress | None = None) -> WeightFile:
    """Read `path` as data: its recurrent layers and their arrays, the rest named.

    Raises `UnreadableFile` (missing, unknown kind, damaged) or `UnsafeFile` (a pickle
    that would run code, a TorchScript archive or a pickled module)."""
    path = Path(path)
    kind = file_kind(path)
    reader = {"torch": read_torch_file, "keras": read_keras_archive,
              "keras-weights": read_keras_weights}[kind]
    try:
        return reader(path, progress)
    except ConversionError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError, OSError) as error:
        # A file laid out otherwise than its library writes it: say so, never a traceback.
        raise UnreadableFile(
            f"{path}: not laid out as {KIND_NAMES[kind]} writes it "
            f"({type(error).__name__}: {error})"
        ) from None


# --- PyTorch -------------------------------------------------------------------------

def read_torch_file(path: Path, progress: Progress | None = None) -> WeightFile:
    """A state_dict saved with torch.save, opened with weights_only=True."""
    try:
        import torch
    except ImportError as error:
        raise UnreadableFile(
            f"{path}: reading a PyTorch file needs torch: pip install 'weight-atlas[torch]'"
        ) from error
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
        if any(re.search(r"(^|/)(code|constants\.pkl)(/|$)", name) for name in names):
            raise UnsafeFile(
                f"{path}: refused: a TorchScript archive holds a program, not only "
                "weights. Save the module's weights instead: "
                "torch.save(module.state_dict(), path)."
            )
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True, mmap=False)
    except Exception as error:  # torch raises UnpicklingError, RuntimeError, EOFError...
        reason = str(error)
        detail = re.search(r"WeightsUnpickler error: ([^\n]*)", reason)
        if detail or "Weights only load failed" in reason:
            what = detail.group(1) if detail else reason.splitlines()[0]
            what = what.split(". Please use")[0]  # torch's advice is to trust the file
            raise UnsafeFile(
                f"{path}: refused: reading it would run code or build objects other "
                f"than tensors ({what.strip()}). weightatlas opens PyTorch files with "
                "weights_only=True and never runs a pickle. If you trust the file, load "
                "it yourself and save only the weights: "
                "torch.save(module.state_dict(), 'weights.pt')."
            ) from None
        raise UnreadableFile(
            f"{path}: torch.load(weights_only=True) could not read it: "
            f"{type(error).__name__}: {reason.splitlines()[0] if reason else ''}"
        ) from None
    if not isinstance(loaded, Mapping):
        raise UnreadableFile(
            f"{path}: holds a {type(loaded).__name__}, not a state_dict (a mapping of "
            "names to tensors): save one with torch.save(module.state_dict(), path)"
        )
    tensors: dict[str, np.ndarray] = {}
    skipped: list[SkippedLayer] = []
    entries = list(flat_items(loaded))
    for done, (key, value) in enumerate(entries, 1):
        if isinstance(value, torch.Tensor):
            tensors[key] = tensor_to_numpy(value)
        else:
            skipped.append(SkippedLayer(key, type(value).__name__, "not a tensor"))
        if progress:
            progress(done, len(entries))
    modules, rest = group_torch_modules(path, tensors)
    skipped += other_modules(rest, tensors)
    notes = ()
    if any(module.module == "RNN" for module in modules):
        notes = ("nn.RNN's nonlinearity (tanh or relu) is not stored in a state_dict: "
                 "say which with --rnn-nonlinearity when converting",)
    return WeightFile(path, "torch", torch_modules=tuple(modules),
                      skipped=tuple(skipped), notes=notes)


def other_modules(keys: list[str], tensors: Mapping[str, np.ndarray]) -> list[SkippedLayer]:
    """The state_dict entries of no recurrent module, one SkippedLayer per module prefix
    when its entries fit a module described by weightatlas.layouts (a Linear, an
    Embedding, a convolution: `class_name` names the candidates), else one per entry."""
    by_prefix: dict[str, dict[str, str]] = {}
    for key in keys:
        prefix, _, name = key.rpartition(".")
        by_prefix.setdefault(prefix, {})[name] = key
    skipped = []
    for prefix, names in by_prefix.items():
        shapes = {name: tensors[key].shape for name, key in names.items()}
        candidates = describe_state_dict(shapes)
        if not candidates:
            skipped += [SkippedLayer(key, "tensor", "not an nn.RNN, nn.LSTM or nn.GRU "
                                     "parameter", int(tensors[key].size))
                        for key in names.values()]
            continue
        modules = " or ".join(candidate.module for candidate in candidates)
        skipped.append(SkippedLayer(
            prefix or "(the state_dict itself)", modules,
            "the modules its shapes fit (a state_dict stores no class); files are converted "
            "for their recurrent modules only: build the module, load these entries and "
            "convert it in Python, torch_to_keras(module)",
            sum(int(tensors[key].size) for key in names.values()),
            arrays=tuple(StoredArray(key, name, tensors[key]) for name, key in names.items()),
        ))
    return skipped


def flat_items(mapping: Mapping, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted key, value) for every leaf of nested mappings: a checkpoint that holds
    {"model": state_dict, "epoch": 3} gives "model.lstm.weight_ih_l0", ..., "epoch"."""
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from flat_items(value, f"{name}.")
        else:
            yield name, value


def tensor_to_numpy(tensor: Any) -> np.ndarray:
    """A CPU NumPy copy; bfloat16, which NumPy lacks, becomes float32 (exactly)."""
    import torch

    tensor = tensor.detach().cpu()
    if tensor.dtype == torch.bfloat16:
        tensor = tensor.to(torch.float32)
    return tensor.numpy().copy()


def group_torch_modules(
    path: Path, tensors: Mapping[str, np.ndarray]
) -> tuple[list[TorchRecurrent], list[str]]:
    """Recurrent modules recognised by their key names, and the keys that are not one."""
    by_prefix: dict[str, dict[str, np.ndarray]] = {}
    rest = []
    for key, array in tensors.items():
        match = TORCH_KEY.match(key)
        if match:
            by_prefix.setdefault(match["prefix"] or "", {})[match["suffix"]] = array
        else:
            rest.append(key)
    modules = []
    for prefix, arrays in by_prefix.items():
        modules.append(torch_module(path, prefix, arrays))
    return modules, rest


def torch_module(path: Path, prefix: str, arrays: Mapping[str, np.ndarray]) -> TorchRecurrent:
    """One recurrent module's description from its parameters' names and shapes."""
    where = f"{path}: {prefix or 'the state_dict'}"
    if "weight_hh_l0" not in arrays or "weight_ih_l0" not in arrays:
        raise UnreadableFile(f"{where}: has {sorted(arrays)} but no weight_ih_l0 and "
                             "weight_hh_l0: not an nn.RNN, nn.LSTM or nn.GRU state_dict")
    weight_hh = arrays["weight_hh_l0"]
    projection = arrays.get("weight_hr_l0")
    hidden_size = projection.shape[1] if projection is not None else weight_hh.shape[1]
    if weight_hh.ndim != 2 or hidden_size == 0 or weight_hh.shape[0] % hidden_size:
        raise UnreadableFile(f"{where}: weight_hh_l0 has shape {weight_hh.shape}, which "
                             "no nn.RNN, nn.LSTM or nn.GRU has")
    blocks = weight_hh.shape[0] // hidden_size
    if blocks not in TORCH_MODULE_BY_BLOCKS:
        raise UnreadableFile(
            f"{where}: weight_hh_l0 has shape {weight_hh.shape}: {blocks} blocks of "
            f"{hidden_size} rows, which no nn.RNN (1), nn.GRU (3) or nn.LSTM (4) has"
        )
    layers = 1 + max(int(TORCH_KEY.match(s)["layer"]) for s in arrays)
    bidirectional = any(suffix.endswith("_reverse") for suffix in arrays)
    bias = "bias_ih_l0" in arrays
    proj_size = projection.shape[0] if projection is not None else 0
    expected = {
        f"{kind}_{part}_l{layer}{side}"
        for layer in range(layers) for side in ("", "_reverse")[: 1 + bidirectional]
        for kind, part in [("weight", "ih"), ("weight", "hh")]
        + [("bias", "ih"), ("bias", "hh")] * bias + [("weight", "hr")] * bool(proj_size)
    }
    if set(arrays) != expected:
        missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        raise UnreadableFile(
            f"{where}: its keys do not make one recurrent module (missing {missing}, "
            f"unexpected {extra})"
        )
    order = sorted(arrays, key=lambda s: torch_key_order(s))
    stored = tuple(StoredArray(f"{prefix}.{s}" if prefix else s, s, arrays[s]) for s in order)
    return TorchRecurrent(
        prefix=prefix, module=TORCH_MODULE_BY_BLOCKS[blocks],
        input_size=int(arrays["weight_ih_l0"].shape[1]), hidden_size=int(hidden_size),
        num_layers=layers, bidirectional=bidirectional, bias=bias,
        proj_size=int(proj_size), arrays=stored,
    )


def torch_key_order(suffix: str) -> tuple[int, int, int]:
    """The order nn.LSTM registers its parameters in: by layer, direction, then name."""
    match = TORCH_KEY.match(suffix)
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr"]
    return (int(match["layer"]), bool(match["reverse"]),
            names.index(f"{match['kind']}_{match['part']}"))


# --- Keras ---------------------------------------------------------------------------

def read_keras_archive(path: Path, progress: Progress | None = None) -> WeightFile:
    """A .keras file: config.json as JSON, model.weights.h5 with h5py."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            for needed in ("config.json", "model.weights.h5"):
                if needed not in names:
                    raise UnreadableFile(
                        f"{path}: the archive has no {needed} (it holds "
                        f"{sorted(names)}); weightatlas reads Keras 3 .keras files "
                        "saved with model.save('model.keras')"
                    )
            if archive.getinfo("config.json").file_size > MAX_CONFIG_BYTES:
                raise UnreadableFile(f"{path}: config.json is larger than "
                                     f"{MAX_CONFIG_BYTES} bytes")
            config = json.loads(archive.read("config.json"))
            weights = io.BytesIO(archive.read("model.weights.h5"))
    except (zipfile.BadZipFile, json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UnreadableFile(f"{path}: damaged: {error}") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise UnreadableFile(f"{path}: config.json is not a Keras model configuration")
    with open_hdf5(path, weights) as h5:
        if "layers" not in h5 and config.get("class_name") not in MODEL_CLASSES:
            raise UnreadableFile(f"{path}: model.weights.h5 has no 'layers' group")
        found, skipped = walk_keras_config(path, config, h5, "", progress)
    return WeightFile(path, "keras", keras_layers=tuple(found), skipped=tuple(skipped),
                      )


def read_keras_weights(path: Path, progress: Progress | None = None) -> WeightFile:
    """A .weights.h5 file: layers recognised by their arrays' shapes."""
    with open_hdf5(path, path) as h5:
        if "layer_names" in h5.attrs or "model_weights" in h5:
            raise UnreadableFile(
                f"{path}: a Keras 2 (legacy HDF5) file; weightatlas reads Keras 3 files. "
                "Load it with Keras and save again: model.save('model.keras')"
            )
        if "layers" not in h5:
            raise UnreadableFile(f"{path}: no 'layers' group: not a Keras 3 .weights.h5 "
                                 "file (model.save_weights('model.weights.h5'))")
        found, skipped = walk_keras_groups(path, h5["layers"], progress)
    notes = ("a .weights.h5 file holds no layer classes or options: each family is "
             "recognised from its arrays' shapes, and activations cannot be checked",)
    return WeightFile(path, "keras-weights", keras_layers=tuple(found),
                      skipped=tuple(skipped), notes=notes)


class open_hdf5:
    """h5py.File(source, "r") that raises UnreadableFile naming `path` when it fails."""

    def __init__(self, path: Path, source: Any) -> None:
        self.path, self.source = path, source

    def __enter__(self) -> Any:
        try:
            import h5py
        except ImportError as error:
            raise UnreadableFile(f"{self.path}: reading Keras files needs h5py: "
                                 "pip install 'weight-atlas[keras]'") from error
        try:
            self.file = h5py.File(self.source, "r")
        except OSError as error:
            raise UnreadableFile(f"{self.path}: damaged HDF5 data: {error}") from None
        return self.file

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def cell_arrays(group: Any, where: str) -> tuple[StoredArray, ...] | None:
    """kernel, recurrent_kernel[, bias] stored under `group`/cell/vars, or None."""
    if "cell" not in group or "vars" not in group["cell"]:
        return None
    variables = group["cell"]["vars"]
    indices = sorted(variables, key=int)
    if not 2 <= len(indices) <= 3:
        return None
    return tuple(
        StoredArray(f"{where}/cell/vars/{index}", name, np.asarray(variables[index]))
        for index, name in zip(indices, KERAS_ARRAY_NAMES)
    )


def count_parameters(group: Any) -> int:
    """Every number stored under an HDF5 group."""
    total = 0

    def add(_name: str, item: Any) -> None:
        nonlocal total
        if hasattr(item, "shape"):
            total += int(np.prod(item.shape))

    group.visititems(add)
    return total


def blocks_of(arrays: tuple[StoredArray, ...]) -> int | None:
    """k for a recurrent_kernel of shape (units, k * units), else None."""
    shape = arrays[1].shape
    if len(shape) != 2 or shape[0] == 0 or shape[1] % shape[0]:
        return None
    return shape[1] // shape[0]


def shape_options(arrays: tuple[StoredArray, ...]) -> dict[str, Any]:
    """What the shapes say about a cell: units, use_bias, and reset_after for a GRU."""
    units = arrays[1].shape[0]
    options: dict[str, Any] = {"units": units, "use_bias": len(arrays) == 3}
    if len(arrays) == 3 and blocks_of(arrays) == 3:
        options["reset_after"] = len(arrays[2].shape) == 2
    return options


def walk_keras_groups(path: Path, layers: Any, progress: Progress | None
                      ) -> tuple[list[KerasRecurrent], list[SkippedLayer]]:
    """Recurrent layers of a .weights.h5 by shape: a group with cell/vars, or a
    Bidirectional's forward_layer and backward_layer; nested models' layers too."""
    found: list[KerasRecurrent] = []
    skipped: list[SkippedLayer] = []
    names = list(layers)
    for done, key in enumerate(names, 1):
        group, where = layers[key], f"{layers.name.lstrip('/')}/{key}"
        name = stored_name(layers.file, where) or key
        if "layers" in group:  # a model inside the model
            inner, inner_skipped = walk_keras_groups(path, group["layers"], None)
            found += inner
            skipped += inner_skipped
            continue
        if "forward_layer" in group and "backward_layer" in group:
            sides = [("forward_layer", False), ("backward_layer", True)]
        else:
            sides = [("", False)]
        directions = []
        for side, backwards in sides:
            arrays = cell_arrays(group[side] if side else group,
                                 f"{where}/{side}" if side else where)
            if arrays is None or blocks_of(arrays) not in KERAS_CELL_BY_BLOCKS:
                break
            directions.append(KerasDirection(side, arrays, backwards))
        cells = {KERAS_CELL_BY_BLOCKS[blocks_of(d.arrays)] for d in directions}
        if len(directions) == len(sides) and len(cells) == 1:
            class_name = "Bidirectional" if sides[0][0] else cells.copy().pop()[:-4]
            options = shape_options(directions[0].arrays)
            if len(sides) == 2:
                options["merge_mode"] = "unknown: not stored in a .weights.h5 file"
            found.append(KerasRecurrent(name, class_name, cells.pop(), tuple(directions),
                                        options))
        else:
            count = count_parameters(group)
            skipped.append(SkippedLayer(
                name, "unknown", "no recurrent cell's arrays" if count else
                "holds no weights", count))
        if progress:
            progress(done, len(names))
    return found, skipped


def walk_keras_config(path: Path, config: Mapping, h5: Any, where: str,
                      progress: Progress | None
                      ) -> tuple[list[KerasRecurrent], list[SkippedLayer]]:
    """Every layer the model config lists, nested models included, matched with its
    weights under `where`/layers/<name> in the HDF5 file."""
    found: list[KerasRecurrent] = []
    skipped: list[SkippedLayer] = []
    layers = (config.get("config") or {}).get("layers") or []
    masked = False  # a Masking layer or Embedding(mask_zero=True) came before
    for done, (layer, group_path) in enumerate(
            zip(layers, keras_group_paths(path, layers, h5, where)), 1):
        class_name = str(layer.get("class_name"))
        name = str((layer.get("config") or {}).get("name", "?"))
        group = h5[group_path] if group_path in h5 else None
        parameters = count_parameters(group) if group is not None else 0
        custom = custom_object(layer)
        if class_name in MODEL_CLASSES and not custom:
            inner, inner_skipped = walk_keras_config(path, layer, h5, f"{group_path}/",
                                                     None)
            found += inner
            skipped += inner_skipped
        elif custom:
            skipped.append(SkippedLayer(
                name, class_name, f"a custom object ({custom}): its code is not in the "
                "file and is never imported", parameters, holds_code=True))
        elif class_name in CODE_LAYERS:
            skipped.append(SkippedLayer(
                name, class_name, "holds Python code (serialised bytecode), never run",
                parameters, holds_code=True))
        elif class_name == "InputLayer":
            pass
        elif recurrent_cell(layer)[0] is not None and group is None:
            skipped.append(SkippedLayer(name, class_name, "its weights are not in the "
                                        "file (was the layer ever built?)"))
        else:
            recurrent = keras_recurrent(path, layer, group, group_path, masked)
            if recurrent is not None:
                found.append(recurrent)
            else:
                skipped.append(SkippedLayer(name, class_name, skip_reason(class_name),
                                            parameters, arrays=single_layer_arrays(
                                                layer, group, group_path)))
        layer_config = layer.get("config") or {}
        masked |= class_name in MASKING_LAYERS or (
            class_name == "Embedding" and bool(layer_config.get("mask_zero")))
        if progress:
            progress(done, len(layers))
    return found, skipped


def single_layer_arrays(layer: Mapping, group: Any, where: str) -> tuple[StoredArray, ...]:
    """A Dense's, an Embedding's or a convolution's arrays under `group`/vars, named in
    the order Keras saves them; none when the count does not fit (a LoRA or quantized
    layer saves more)."""
    config = layer.get("config") or {}
    names = variable_names(str(layer.get("class_name")), bool(config.get("use_bias", True)))
    if names is None or group is None or "vars" not in group:
        return ()
    variables = group["vars"]
    indices = sorted(variables, key=int)
    if len(indices) != len(names):
        return ()
    return tuple(StoredArray(f"{where}/vars/{index}", name, np.asarray(variables[index]))
                 for index, name in zip(indices, names))


def skip_reason(class_name: str) -> str:
    """Why a layer of `class_name` is left out of a file conversion."""
    if class_name in SINGLE_LAYERS or class_name in CONV_LAYERS:
        return ("files are converted for their recurrent layers only; convert this one "
                "in Python, keras_to_torch(layer)")
    if class_name in WHOLE_MODEL_LAYERS:
        return "no weights; keras_to_torch(model) converts it within the whole model"
    return "no family in weightatlas converts it"


def to_snake_case(name: str) -> str:
    """Keras' own rule (keras.src.utils.naming.to_snake_case): "SimpleRNN" ->
    "simple_rnn"."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def keras_group_paths(path: Path, layers: list[Mapping], h5: Any, where: str
                      ) -> list[str]:
    """Where Keras 3 keeps each listed layer's weights. Keras addresses a layer by its
    class and position, not by its name: layers/<snake_case class name>, then _1, _2,
    ... for the next layers of the same class. When Keras wrote the layer's name beside
    its weights (the `name` attribute of <group>/vars), that name must match the
    config's; if it does not, the group holding that name is used instead."""
    used: dict[str, int] = {}
    named: dict[str, str] | None = None
    paths = []
    for layer in layers:
        base = to_snake_case(str(layer.get("class_name")))
        used[base] = used.get(base, -1) + 1
        group_path = f"{where}layers/{base}" + (f"_{used[base]}" if used[base] else "")
        name = (layer.get("config") or {}).get("name")
        if stored_name(h5, group_path) not in (None, name):
            if named is None:  # every group's stored name, looked up once
                parent = h5[f"{where}layers"] if f"{where}layers" in h5 else {}
                named = {stored_name(h5, f"{where}layers/{key}"): f"{where}layers/{key}"
                         for key in parent}
            if name not in named:
                raise UnreadableFile(f"{path}: no weights for layer {name!r} in "
                                     "model.weights.h5")
            group_path = named[name]
        paths.append(group_path)
    return paths


def stored_name(h5: Any, group_path: str) -> str | None:
    """The layer name Keras writes as the `name` attribute of <group>/vars, if any."""
    if f"{group_path}/vars" not in h5:
        return None
    value = h5[f"{group_path}/vars"].attrs.get("name")
    return value.decode() if isinstance(value, bytes) else value


def custom_object(layer: Mapping) -> str:
    """Why a serialised object is not one of Keras' own, or "" if it is."""
    module = str(layer.get("module") or "")
    registered = layer.get("registered_name")
    if not module.startswith("keras") or registered not in (None, layer.get("class_name")):
        return f"module {module!r}, registered_name {registered!r}"
    return ""


def function_problems(config: Mapping, cell_class: str) -> list[str]:
    """The cell's activations that its family's PyTorch module does not compute, and
    those stored as code or a custom object, which a file reader never runs."""
    family = family_for_keras(cell_class, config.get("reset_after", True) is not False)
    if family is None:
        return [f"no family for {cell_class}"]
    expected = {"activation": family.activations,
                "recurrent_activation": (family.recurrent_activation,)}
    problems = []
    for option, allowed in expected.items():
        if option not in config and allowed == (None,):
            continue  # a SimpleRNN has no recurrent_activation
        value = config.get(option)
        if not isinstance(value, str):
            problems.append(f"{option} is code or a custom object ({describe(value)}), "
                            "which is never run here")
        elif value not in allowed:
            problems.append(f"{option}={value!r}: torch.nn.{family.torch_module} computes "
                            f"{' or '.join(map(str, allowed))}")
    return problems  # reset_after=False is the family's own refusal


def readable(value: Any) -> Any:
    """A config value to show: JSON scalars as they are, code described in words."""
    return value if value is None or isinstance(value, (str, int, float)) else describe(value)


def describe(value: Any) -> str:
    """A short description of a serialised function, without its bytecode."""
    if isinstance(value, Mapping):
        if "value" in value or value.get("class_name") == "__lambda__":
            return "a lambda"
        return f"{value.get('class_name')} {value.get('config')!r}"
    return repr(value)[:60]


def keras_recurrent(path: Path, layer: Mapping, group: Any, where: str,
                    masked: bool = False) -> KerasRecurrent | None:
    """A Keras LSTM, GRU, SimpleRNN, RNN(cell) or Bidirectional of one, or None."""
    class_name, config = layer["class_name"], layer.get("config") or {}
    name = str(config.get("name"))
    if class_name == "Bidirectional":
        sides = [("forward_layer", config.get("layer")),
                 ("backward_layer", config.get("backward_layer") or config.get("layer"))]
    else:
        sides = [("", layer)]
    directions, problems, cell_classes, options = [], [], set(), {}
    for side, side_layer in sides:
        if not isinstance(side_layer, Mapping):
            return None
        cell_class, cell_config = recurrent_cell(side_layer)
        if cell_class is None or group is None:
            return None
        if custom_object(side_layer):
            return None
        cell_classes.add(cell_class)
        arrays = cell_arrays(group[side] if side else group,
                             f"{where}/{side}" if side else where)
        if arrays is None:
            raise UnreadableFile(f"{path}: layer {name} ({class_name}) has no cell "
                                 f"arrays under {where}")
        layer_config = side_layer.get("config") or {}
        backwards = bool(layer_config.get("go_backwards"))
        directions.append(KerasDirection(side, arrays, backwards))
        if side != "backward_layer":
            options = {key: readable(cell_config.get(key, layer_config.get(key)))
                       for key in ("units", "activation", "recurrent_activation",
                                   "use_bias", "reset_after")
                       if key in cell_config or key in layer_config}
            options.update({key: layer_config.get(key) for key in (
                "return_sequences", "go_backwards", "stateful") if key in layer_config})
        own = function_problems(cell_config, cell_class)
        if backwards != (side == "backward_layer"):
            own.append(f"go_backwards={backwards}, which PyTorch has no option for (flip "
                       "the time axis of the input instead)")
        problems += [f"{side}: {problem}" if side else problem for problem in own]
    if len(cell_classes) != 1:
        problems.append("its two directions are different cells")
    notes = []
    if class_name == "Bidirectional":
        options["merge_mode"] = config.get("merge_mode")
        if config.get("merge_mode") != "concat":
            problems.append(f"merge_mode={config.get('merge_mode')!r}: PyTorch "
                            "concatenates the two directions")
    if masked:
        notes.append("a Masking layer or an Embedding(mask_zero=True) comes before it in "
                     "the model, so a mask may reach it: PyTorch's module ignores masks; "
                     "feed it a torch.nn.utils.rnn.pack_padded_sequence of the unpadded "
                     "lengths (weightatlas.pack_padded)")
    if options.get("stateful"):
        notes.append("stateful=True: the state carried between batches is not in the "
                     "file; pass PyTorch's (h, c) from one call to the next yourself")
    return KerasRecurrent(name, class_name, cell_classes.pop(), tuple(directions),
                          options, tuple(dict.fromkeys(problems)), tuple(notes))


def recurrent_cell(layer: Mapping) -> tuple[str | None, Mapping]:
    """(cell class, the config holding its options) for a recurrent layer's config."""
    class_name, config = layer.get("class_name"), layer.get("config") or {}
    if class_name in KERAS_CELLS:
        return KERAS_CELLS[class_name], config
    if class_name == "RNN" and isinstance(config.get("cell"), Mapping):
        cell = config["cell"]
        if cell.get("class_name") in KERAS_CELLS.values() and not custom_object(cell):
            return cell["class_name"], cell.get("config") or {}
    return None, config

