"""What other releases did, checked against those releases' own code.

A page that says what Keras 1, multi-backend Keras 2, the TF1 API or an old PyTorch did (a
default, an argument's name, a storage order, a removed function) takes it from here, and
names the release it was checked in (`checked.release`, never typed on the page):

    from facts import _releases
    name = _releases.keras1_units_argument()  # a Checked
    str(name), name.release, name.where  # the argument's name, the release, the file in it

How each release is checked:

- **Run it where it runs.** The TF1 API's layers are in the pinned tf_keras
  (`tf_keras.api._v1.keras.layers`, the `gru_v1`/`lstm_v1` layers): built and asked here.
  (The pinned TensorFlow's own `tf.compat.v1.keras.layers.GRU` is Keras 3's GRU.)
- **Else read its source, from the release itself.** `release_file(package, version,
  member)` downloads exactly `package==version` from PyPI with pip (the smallest artifact
  that holds the file: an sdist, a pure wheel, or PyTorch's macOS arm64 wheel), checks its
  sha256 against ARTIFACTS below, keeps it under `.cache/releases/<sha256>/<file name>` (the
  hash is the key: a file already there is not downloaded again, a corrupted one is fetched
  again), and returns one member's text. The functions parse that text with `ast` (the
  class, its `__init__` defaults, the list `build` stores) rather than search it.

Each function asserts the claim a page makes (`expected=`, the page's claim by default),
so a page whose sentence is flipped, or a release whose code says otherwise, fails here.
A change between two releases (`torch.solve` stopped solving; Keras 2 changed its recurrent
activation) is checked in both: the last release with the old behaviour is `.before`, and
the two are consecutive on PyPI (pre-releases aside) when they are pinned below.

The checks (each returns a `Checked`: `.value`, `.release`, `.where`, `str()` the value):
keras1_units_argument, keras1_lstm_weight_order, keras1_lstm_kernel_order,
keras2_gru_reset_after_default, keras2_legacy_units_argument,
keras2_recurrent_activation_change, keras2_recurrent_activation_default, keras2_hard_sigmoid,
tf1_recurrent_activation_default, tf1_gru_reset_after_default, torch_solve_removed,
torch_solve_today.
"""
import ast
import dataclasses
import functools
import hashlib
import importlib.metadata
import inspect
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ReleaseError(RuntimeError):
    """A release could not be fetched or read: names the package, version and member."""


@dataclasses.dataclass(frozen=True)
class Artifact:
    """One file of a release on PyPI, pinned by its sha256."""

    filename: str  # as PyPI names it: the package and version are read from it
    sha256: str

    @property
    def package(self) -> str:
        return self.filename.split("-")[0].lower()

    @property
    def version(self) -> str:
        return self.filename.removesuffix(".tar.gz").split("-")[1]

    @property
    def release(self) -> str:
        return f"{self.package} {self.version}"

    def pip_options(self) -> list[str]:
        """What makes `pip download` pick this very file among the release's files."""
        if self.filename.endswith(".tar.gz"):
            return ["--no-binary", ":all:"]
        python, abi, platform = self.filename.removesuffix(".whl").split("-")[2:]
        if platform == "any":
            return ["--only-binary", ":all:"]
        return ["--only-binary", ":all:", "--platform", platform, "--abi", abi,
                "--implementation", python[:2], "--python-version", python[2:]]


# The artifacts read here, each the smallest of its release that holds the files needed.
# Sizes: Keras 175 kB (sdist), 336 kB, 378 kB, 378 kB (wheels); PyTorch 43 MB and 49 MB
# (macOS arm64 wheels, a third of a Linux one). Consecutive pairs: KERAS_HARD_SIGMOID and
# KERAS_SIGMOID, TORCH_SOLVES and TORCH_SOLVE_REMOVED.
# atlas: allow typed-version-code: Keras 1's last release, read for its argument names
KERAS_1 = Artifact("Keras-1.2.2.tar.gz",
                   "d2b18c4336eb9c4f0d03469870257efa7980a9b036c9d46dcf4d49e7f4487e2d")
# atlas: allow typed-version-code: the last release whose recurrent layers use hard_sigmoid
KERAS_HARD_SIGMOID = Artifact("Keras-2.2.5-py2.py3-none-any.whl",
                              "5a75cfdf69c6cb9de81a82aa19542ac69a5c2e78a48a58c1649fc5cdb55c917c")
# atlas: allow typed-version-code: the first release whose recurrent layers use sigmoid
KERAS_SIGMOID = Artifact("Keras-2.3.0-py2.py3-none-any.whl",
                         "ff7db814756d9106c273afc4bd798f48924fa66f9328157a4b722d535baef363")
# atlas: allow typed-version-code: multi-backend Keras 2's last release
KERAS_2 = Artifact("Keras-2.3.1-py2.py3-none-any.whl",
                   "d08a57bd63546175f8f19232ba05906514d419da3e0af8ef7437fa1c11442e20")
# atlas: allow typed-version-code: the last release in which torch.solve solves
TORCH_SOLVES = Artifact("torch-1.11.0-cp310-none-macosx_11_0_arm64.whl",
                        "b5a38682769b544c875ecc34bcb81fbad5c922139b61319aacffcfd8a32f528c")
# atlas: allow typed-version-code: the first release in which torch.solve only raises
TORCH_SOLVE_REMOVED = Artifact("torch-1.12.0-cp37-none-macosx_11_0_arm64.whl",
                               "72207b8733523388c49d43ffcc4416d1d8cd64c40f7826332e714605ace9b1d2")
ARTIFACTS = {(artifact.package, artifact.version): artifact for artifact in (
    KERAS_1, KERAS_HARD_SIGMOID, KERAS_SIGMOID, KERAS_2, TORCH_SOLVES, TORCH_SOLVE_REMOVED)}


# --- Downloading, by hash ----------------------------------------------------------------

def releases_dir() -> Path:
    """Where artifacts are kept: one folder per machine (WEIGHT_ATLAS_RELEASES, else the user's
    cache), not the project's cache, which the tests make afresh for copies of the project:
    a file named by its hash is the same file for all of them."""
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "weight-atlas" / "releases"
    return Path(os.environ.get("WEIGHT_ATLAS_RELEASES", default))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _hash_of(path: Path, _mtime_ns: int, _size: int) -> str:
    """A file's sha256, computed once per process while the file is unchanged."""
    return sha256_of(path)


def _intact(path: Path, artifact: Artifact) -> bool:
    if not path.is_file():
        return False
    stat = path.stat()
    return _hash_of(path, stat.st_mtime_ns, stat.st_size) == artifact.sha256


def artifact_path(artifact: Artifact) -> Path:
    """The artifact in the cache, downloaded first if it is missing or does not match its
    hash (a corrupted or truncated file is replaced, never read)."""
    path = releases_dir() / artifact.sha256 / artifact.filename
    if _intact(path, artifact):
        return path
    releases_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=releases_dir(), prefix="tmp-") as scratch:
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-cache-dir",
                   "--quiet", "--dest", scratch, *artifact.pip_options(),
                   f"{artifact.package}=={artifact.version}"]
        done = subprocess.run(command, capture_output=True, text=True)
        saved = Path(scratch) / artifact.filename
        if done.returncode or not saved.is_file():
            raise ReleaseError(
                f"{artifact.release}: `pip download` did not give {artifact.filename} "
                f"(got {sorted(p.name for p in Path(scratch).iterdir())}):\n{done.stderr[-2000:]}")
        found = sha256_of(saved)
        if found != artifact.sha256:
            raise ReleaseError(f"{artifact.release}: {artifact.filename} has sha256 {found}, "
                               f"not the pinned {artifact.sha256}: refused")
        path.parent.mkdir(exist_ok=True)
        os.replace(saved, path)  # atomic: a reader sees the whole file or none
    return path


def member_text(artifact: Artifact, member: str) -> str:
    """The text of `member` (a path inside the package: an sdist's top folder left out),
    reading that member alone."""
    path = artifact_path(artifact)
    data = None
    if path.name.endswith(".whl"):
        with zipfile.ZipFile(path) as archive:
            try:
                data = archive.read(member)
            except KeyError:
                pass  # named below
    else:
        with tarfile.open(path, "r:gz") as archive:
            for info in archive:  # stops at the member: no need to read the rest
                if info.isfile() and info.name.partition("/")[2] == member:
                    data = archive.extractfile(info).read()
                    break
    if data is None:
        raise ReleaseError(f"{artifact.release}: no {member} in {artifact.filename}")
    return data.decode("utf-8")


def release_file(package: str, version: str, member: str) -> str:
    """The text of `member` in `package==version` as PyPI has it (pinned in ARTIFACTS)."""
    artifact = ARTIFACTS.get((package.lower(), version))
    if artifact is None:
        raise ReleaseError(f"{package} {version} is not pinned in facts/_releases.py: add the "
                           f"file name and sha256 of its smallest artifact holding {member}")
    return member_text(artifact, member)


# --- What a check returns ----------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Checked:
    """A fact about a release, as that release's code has it."""

    value: object  # "output_dim", False, ("i", "c", "f", "o"), ...
    release: str  # the package and its version, space-separated: the page names it
    where: str  # the file inside the release: "keras/layers/recurrent.py"
    before: "Checked | None" = None  # for a change: the last release before it

    def __str__(self) -> str:
        if isinstance(self.value, tuple) and all(isinstance(v, str) for v in self.value):
            return ", ".join(self.value)
        return str(self.value)


@dataclasses.dataclass(frozen=True)
class HardSigmoid:
    """`hard_sigmoid` as a line clipped to [low, high]."""

    slope: float
    shift: float
    low: float
    high: float

    def __call__(self, x):
        import numpy as np

        return np.clip(self.slope * np.asarray(x) + self.shift, self.low, self.high)

    def __str__(self) -> str:
        return f"{self.slope:g} x + {self.shift:g}, clipped to [{self.low:g}, {self.high:g}]"


# --- Reading source with ast --------------------------------------------------------------

def parsed(artifact: Artifact, member: str) -> ast.Module:
    return ast.parse(member_text(artifact, member), filename=f"{artifact.release}/{member}")


def top_level(tree: ast.Module, name: str, kind=ast.ClassDef):
    found = [node for node in tree.body if isinstance(node, kind) and node.name == name]
    if len(found) != 1:
        raise ReleaseError(f"{len(found)} top-level definitions named {name}, not one")
    return found[0]


def method(classdef: ast.ClassDef, name: str) -> ast.FunctionDef:
    return top_level(ast.Module(body=classdef.body, type_ignores=[]), name, ast.FunctionDef)


def literal(node: ast.AST | None):
    """A default as Python has it (`0.`, `'tanh'`, `None`), its code if it is not a literal,
    `...` when there is none."""
    if node is None:
        return ...
    try:
        return ast.literal_eval(node)
    except ValueError:
        return ast.unparse(node)


def init_arguments(classdef: ast.ClassDef) -> dict[str, object]:
    """`__init__`'s arguments after `self`, in order, each with its default (or `...`)."""
    arguments = method(classdef, "__init__").args
    positional = [argument.arg for argument in arguments.args[1:]]
    defaults = [None] * (len(positional) - len(arguments.defaults)) + arguments.defaults
    named = zip(arguments.kwonlyargs, arguments.kw_defaults)
    return {argument: literal(default) for argument, default in
            [*zip(positional, defaults), *((a.arg, d) for a, d in named)]}


def init_default(artifact: Artifact, member: str, classes: tuple[str, ...], argument: str):
    """The default of `argument` in each class's `__init__`, asserted to agree."""
    tree = parsed(artifact, member)
    found = {name: init_arguments(top_level(tree, name)).get(argument, "(no such argument)")
             for name in classes}
    assert len(set(map(repr, found.values()))) == 1, (artifact.release, argument, found)
    return found[classes[0]]


# --- Keras 1 ------------------------------------------------------------------------------

RECURRENT = "keras/layers/recurrent.py"


def keras1_units_argument(expected="output_dim") -> Checked:
    """The first argument of Keras 1's recurrent layers (Keras 2 and 3 call it `units`)."""
    tree = parsed(KERAS_1, RECURRENT)
    firsts = {name: next(iter(init_arguments(top_level(tree, name))))
              for name in ("SimpleRNN", "GRU", "LSTM")}
    assert set(firsts.values()) == {expected}, (KERAS_1.release, firsts, expected)
    return Checked(expected, KERAS_1.release, RECURRENT)


def _keras1_lstm_build() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the order LSTM stores its arrays in, the order it concatenates kernels in), read from
    the branch of `LSTM.build` that the default `consume_less` takes."""
    tree = parsed(KERAS_1, RECURRENT)
    consume_less = init_arguments(top_level(tree, "Recurrent"))["consume_less"]
    build = method(top_level(tree, "LSTM"), "build")
    (branch,) = [node for node in ast.walk(build) if isinstance(node, ast.If)
                 and ast.unparse(node.test) == "self.consume_less == 'gpu'"]
    assert consume_less != "gpu", (KERAS_1.release, consume_less)  # the default: `orelse`
    assigned = {ast.unparse(node.targets[0]): node.value for statement in branch.orelse
                for node in ast.walk(statement) if isinstance(node, ast.Assign)}
    stored = [element.attr for element in assigned["self.trainable_weights"].elts]
    triples = [stored[start:start + 3] for start in range(0, len(stored), 3)]
    gates = tuple(triple[0].split("_")[1] for triple in triples)
    assert all(triple == [f"{kind}_{gate}" for kind in "WUb"]
               for triple, gate in zip(triples, gates)), (KERAS_1.release, stored)
    (kernel,) = assigned["self.W"].args
    concatenated = tuple(element.attr.split("_")[1] for element in kernel.elts)
    assert sorted(gates) == sorted(concatenated) and len(set(gates)) == len(gates), (
        KERAS_1.release, gates, concatenated)
    return gates, concatenated


def keras1_lstm_weight_order(expected="i, c, f, o") -> Checked:
    """The gate order of the arrays Keras 1's LSTM stores (`trainable_weights`: W, U, b for
    each gate), which a Keras 1 HDF5 file holds."""
    stored, _ = _keras1_lstm_build()
    checked = Checked(stored, KERAS_1.release, RECURRENT)
    assert str(checked) == expected, (KERAS_1.release, str(checked), expected)
    return checked


def keras1_lstm_kernel_order(expected="i, f, c, o") -> Checked:
    """The gate order in which Keras 1's LSTM concatenates those arrays to compute."""
    _, concatenated = _keras1_lstm_build()
    checked = Checked(concatenated, KERAS_1.release, RECURRENT)
    assert str(checked) == expected, (KERAS_1.release, str(checked), expected)
    return checked


# --- Multi-backend Keras 2 ----------------------------------------------------------------

def multi_backend(artifact: Artifact) -> list[str]:
    """The backends a Keras 2 release ships besides TensorFlow (their modules exist)."""
    others = [name for name in ("theano", "cntk")
              if member_text(artifact, f"keras/backend/{name}_backend.py")]
    assert others, artifact.release
    return others


def keras2_gru_reset_after_default(expected=False) -> Checked:
    """`reset_after`'s default in multi-backend Keras 2's GRU and GRUCell."""
    multi_backend(KERAS_2)
    default = init_default(KERAS_2, RECURRENT, ("GRU", "GRUCell"), "reset_after")
    assert default is expected, (KERAS_2.release, default, expected)
    return Checked(default, KERAS_2.release, RECURRENT)


def keras2_legacy_units_argument(expected="output_dim") -> Checked:
    """The Keras 1 name that Keras 2's legacy interface converts to `units` for LSTM."""
    member = "keras/legacy/interfaces.py"
    (interface,) = [node.value for node in parsed(KERAS_2, member).body
                    if isinstance(node, ast.Assign)
                    and ast.unparse(node.targets[0]) == "legacy_recurrent_support"]
    keywords = {keyword.arg: ast.literal_eval(keyword.value) for keyword in interface.keywords
                if keyword.arg in ("allowed_positional_args", "conversions")}
    old = [old for old, new in keywords["conversions"] if new == "units"]
    decorators = method(top_level(parsed(KERAS_2, RECURRENT), "LSTM"), "__init__").decorator_list
    assert "interfaces.legacy_recurrent_support" in map(ast.unparse, decorators)
    assert keywords["allowed_positional_args"] == ["units"] and old == [expected], (
        KERAS_2.release, keywords, expected)
    return Checked(expected, KERAS_2.release, member)


def keras2_recurrent_activation_change(expected=("hard_sigmoid", "sigmoid")) -> Checked:
    """`recurrent_activation`'s default in Keras 2's LSTM and GRU: its value from the release
    that changed it, with `.before` the value of the release just before."""
    found = [Checked(init_default(artifact, RECURRENT, ("LSTM", "GRU", "LSTMCell", "GRUCell"),
                                  "recurrent_activation"), artifact.release, RECURRENT)
             for artifact in (KERAS_HARD_SIGMOID, KERAS_SIGMOID)]
    assert all(map(multi_backend, (KERAS_HARD_SIGMOID, KERAS_SIGMOID)))
    assert tuple(checked.value for checked in found) == expected, (found, expected)
    return dataclasses.replace(found[1], before=found[0])


def keras2_recurrent_activation_default(expected="hard_sigmoid") -> Checked:
    """The default most Keras 2 answers ran with: that of the last release before it
    changed (`keras2_recurrent_activation_change`)."""
    checked = keras2_recurrent_activation_change().before
    assert checked.value == expected, (checked, expected)
    return checked


def keras2_hard_sigmoid() -> Checked:
    """`hard_sigmoid` of Keras 2's TensorFlow backend, in a release whose LSTM used it by
    default: `x = (a * x) + b` then `tf.clip_by_value(x, low, high)`, read from its code."""
    member = "keras/backend/tensorflow_backend.py"
    function = top_level(parsed(KERAS_HARD_SIGMOID, member), "hard_sigmoid", ast.FunctionDef)
    (x,) = [argument.arg for argument in function.args.args]
    constants, line, clipped = {}, None, None
    for statement in function.body:
        if isinstance(statement, ast.Assign):
            (target,) = [node.id for node in statement.targets]
            value = statement.value
            if isinstance(value, ast.Call) and ast.unparse(value.func) == "_to_tensor":
                constants[target] = ast.literal_eval(value.args[0])
            elif isinstance(value, ast.BinOp) and target == x and line is None:
                product, shift = value.left, value.right
                assert isinstance(value.op, ast.Add) and isinstance(product.op, ast.Mult)
                assert ast.unparse(product.right) == x, ast.unparse(value)
                line = ast.literal_eval(product.left), ast.literal_eval(shift)
            elif isinstance(value, ast.Call) and ast.unparse(value.func) == "tf.clip_by_value":
                clipped_x, low, high = (ast.unparse(argument) for argument in value.args)
                assert clipped_x == x and target == x
                clipped = constants[low], constants[high]
        elif isinstance(statement, ast.Return):
            assert ast.unparse(statement.value) == x
    assert line is not None and clipped is not None, (KERAS_HARD_SIGMOID.release, line, clipped)
    return Checked(HardSigmoid(*line, *clipped), KERAS_HARD_SIGMOID.release, member)


# --- The TF1 API: run in the pinned tf_keras -------------------------------------------

def _tf1_layer(name: str):
    """(a layer of the TF1 API built with its defaults, the file that defines it, the release)."""
    import tf_keras.api._v1.keras as tf1
    from tf_keras.src.layers.rnn import gru_v1, lstm_v1

    layer_class = getattr(tf1.layers, name)
    assert layer_class is {"GRU": gru_v1.GRU, "LSTM": lstm_v1.LSTM}[name], layer_class
    source = Path(inspect.getsourcefile(layer_class))
    where = source.relative_to(Path(tf1.__file__).parents[4]).as_posix()  # tf_keras/src/...
    return layer_class(1), where, f"tf_keras {importlib.metadata.version('tf_keras')}"


def tf1_recurrent_activation_default(expected="hard_sigmoid") -> Checked:
    """`recurrent_activation`'s default in the TF1 API's LSTM and GRU, run here."""
    found = {name: _tf1_layer(name) for name in ("LSTM", "GRU")}
    names = {name: layer.cell.recurrent_activation.__name__
             for name, (layer, _, _) in found.items()}
    assert set(names.values()) == {expected}, (names, expected)
    _, where, release = found["LSTM"]
    return Checked(expected, release, where)


def tf1_gru_reset_after_default(expected=False) -> Checked:
    """`reset_after`'s default in the TF1 API's GRU, run here."""
    layer, where, release = _tf1_layer("GRU")
    assert layer.reset_after is expected and layer.cell.reset_after is expected, (
        release, layer.reset_after, expected)
    return Checked(layer.reset_after, release, where)


# --- PyTorch: torch.solve -----------------------------------------------------------------

def torch_solve_solves(artifact: Artifact) -> Checked:
    """Whether `torch.solve` solves in a PyTorch release: True when it is the native
    operator (declared in `torch/_C/_VariableFunctions.pyi`), False when `torch/__init__.py`
    exports `_linalg_utils.solve`, a function that only raises RuntimeError."""
    stub = "torch/_C/_VariableFunctions.pyi"
    native = any(isinstance(node, ast.FunctionDef) and node.name == "solve"
                 for node in parsed(artifact, stub).body)
    exported = any(isinstance(node, ast.ImportFrom) and node.module == "_linalg_utils"
                   and node.level == 1 and "solve" in [alias.name for alias in node.names]
                   for node in ast.walk(parsed(artifact, "torch/__init__.py")))
    if exported:
        replacement = "torch/_linalg_utils.py"
        body = top_level(parsed(artifact, replacement), "solve", ast.FunctionDef).body
        (statement,) = [node for node in body if not isinstance(node, ast.Expr)]  # docstring
        assert isinstance(statement, ast.Raise) and ast.unparse(statement.exc.func) == "RuntimeError"
        assert "removed" in ast.unparse(statement.exc), (artifact.release, ast.unparse(statement))
    assert native != exported, (artifact.release, native, exported)
    return Checked(native, artifact.release, stub if native else "torch/_linalg_utils.py")


def torch_solve_today(expected="RuntimeError") -> Checked:
    """What calling `torch.solve` does in the installed PyTorch: the error's type."""
    import torch

    try:
        torch.solve(torch.ones(2, 1), torch.eye(2))
    except Exception as error:  # the type is the fact
        found, message = type(error).__name__, str(error)
    else:
        found, message = "nothing", ""
    assert found == expected and "torch.linalg.solve" in message, (found, message, expected)
    where = Path(inspect.getsourcefile(torch.solve)).relative_to(
        Path(torch.__file__).parents[1]).as_posix()
    return Checked(found, f"torch {importlib.metadata.version('torch')}", where)


def torch_solve_removed(last_with: Artifact = TORCH_SOLVES,
                        first_without: Artifact = TORCH_SOLVE_REMOVED) -> Checked:
    """The first PyTorch release in which `torch.solve` no longer solves (its version is
    the value), with `.before` the last one in which it does; the installed PyTorch still
    only raises (torch_solve_today)."""
    before, after = torch_solve_solves(last_with), torch_solve_solves(first_without)
    assert before.value and not after.value, (before, after)
    torch_solve_today()
    return Checked(first_without.version, after.release, after.where,
                   before=Checked(last_with.version, before.release, before.where))
