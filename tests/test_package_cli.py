"""`python -m weightatlas inspect` and `convert`, run in a subprocess as a reader runs them.

What inspect prints is checked against the layers themselves: the rows or columns it
calls gate f are put into a NumPy cell as gate f, and the cell must compute what the
library's layer computes. Converted files are loaded with the code convert prints, and
compute what the originals compute. Files that would run code (a crafted pickle, a
Lambda layer) are refused or skipped by name, run nothing and write nothing.
"""
import importlib.util
import io
import json
import os
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import h5py
import keras
import numpy as np
import pytest
import torch

from snippets.lstm import gate_order as keras_lstm_proof
from snippets.lstm import pytorch_gate_order as torch_lstm_proof
from snippets.pytorch import gru_gate_order as torch_gru_proof
from snippets.rnn import gru_gate_order as keras_gru_proof

TOLERANCE = 1e-5
# A Keras output as NumPy under either backend (np.asarray fails on a torch tensor that
# requires grad).
numpy_of = keras.ops.convert_to_numpy
BATCH, TIMESTEPS = 2, 5


# Where the package this run imports lives (src/ here; a fresh venv's site-packages when
# tests/test_package_install.py runs these tests against the wheel): the command line runs
# the same package.
PACKAGE_PATH = str(Path(importlib.util.find_spec("weightatlas").origin).parents[1])


def weightatlas(*args, cwd):
    """The command line in a fresh interpreter, from a folder outside the project."""
    env = {**os.environ, "PYTHONPATH": PACKAGE_PATH}
    return subprocess.run([sys.executable, "-m", "weightatlas", *map(str, args)],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def json_of(args, cwd):
    run = weightatlas(*args, "--format", "json", cwd=cwd)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def run_main(*args):
    """The command line in this process, for checks that need no fresh interpreter."""
    from weightatlas import cli

    out, err = io.StringIO(), io.StringIO()
    status = cli.main(list(map(str, args)), out, err)
    return status, out.getvalue(), err.getvalue()


def randomised(layer, seed):
    """Normal random weights, biases included, so that no gate block looks like another."""
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.get_weights()])
    return layer


# --- the files ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def keras_model(folder):
    """An LSTM (named unlike its class: Keras files address layers by class), a
    Bidirectional GRU and a Dense, saved as .keras and .weights.h5. Each layer is named:
    Keras' automatic names count the layers made earlier in the session ("gru_3")."""
    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((None, 4)),
        keras.layers.LSTM(5, return_sequences=True, name="encoder"),
        keras.layers.Bidirectional(keras.layers.GRU(3, return_sequences=True, name="gru"),
                                   name="bidirectional"),
        keras.layers.Dense(2, name="head"),
    ], name="model")
    for seed, layer in enumerate(model.layers):
        randomised(layer, seed)
    with warnings.catch_warnings():
        # Keras' HDF5 writer calls np.array on TensorFlow variables, whose __array__
        # takes no copy keyword: NumPy 2 warns about their code, not this test's.
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        model.save(folder / "model.keras")
        model.save_weights(folder / "model.weights.h5")
    return model


@pytest.fixture(scope="module")
def projected_lstm(folder):
    """A two-layer bidirectional nn.LSTM with proj_size, its state_dict saved."""
    torch.manual_seed(0)
    module = torch.nn.LSTM(4, 6, num_layers=2, bidirectional=True, proj_size=3,
                           batch_first=True)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.normal_()
    torch.save(module.state_dict(), folder / "projected.pt")
    return module


@pytest.fixture(scope="module")
def inputs():
    return np.random.default_rng(7).normal(size=(BATCH, TIMESTEPS, 4)).astype("float32")


def arrays_by_name(layer_report):
    return {(array["direction"], array["name"]): array for array in layer_report["arrays"]}


def order_of(array):
    """The gates of an array in storage order, after checking that its blocks tile the
    axis they split: equal, adjacent, from 0 to the end, each end excluded."""
    blocks = sorted(array["blocks"], key=lambda block: block["start"])
    size = blocks[0]["stop"] - blocks[0]["start"]
    assert [(b["start"], b["stop"]) for b in blocks] == [
        (k * size, (k + 1) * size) for k in range(len(blocks))]
    assert blocks[-1]["stop"] == array["shape"][array["axis"]]
    return "".join(block["gate"] for block in blocks)


def slices(array):
    """{gate: slice} as inspect reports them, end excluded as it says."""
    return {block["gate"]: slice(block["start"], block["stop"]) for block in array["blocks"]}


# --- inspect: Keras ------------------------------------------------------------------

def test_inspect_keras_lists_every_array_where_the_file_keeps_it(keras_model, folder):
    report = json_of(["inspect", "model.keras"], folder)
    layers = {layer["name"]: layer for layer in report["layers"]}
    assert set(layers) == {"encoder", "bidirectional"}
    # The archive's weights, read at the locations inspect names.
    weights = h5py.File(io.BytesIO(zipfile.ZipFile(folder / "model.keras").read(
        "model.weights.h5")), "r")
    for name, expected in (("encoder", keras_model.get_layer("encoder").get_weights()),
                           ("bidirectional",
                            keras_model.get_layer("bidirectional").get_weights())):
        arrays = layers[name]["arrays"]
        assert [tuple(a["shape"]) for a in arrays] == [w.shape for w in expected]
        for array, weight in zip(arrays, expected):
            np.testing.assert_array_equal(weights[array["location"]], weight)
        assert layers[name]["parameters"] == sum(w.size for w in expected)
    assert [(s["name"], s["class_name"]) for s in report["skipped"]] == [("head", "Dense")]
    assert report["ranges"] == "end-exclusive"
    assert report["parameters"] == {
        "recurrent": keras_model.get_layer("encoder").count_params()
        + keras_model.get_layer("bidirectional").count_params(),
        "skipped": keras_model.get_layer("head").count_params(),
        "total": keras_model.count_params()}


def layer_zoo():
    """A model with every Keras layer inspect describes without a family, and one with an
    Embedding, each layer named."""
    L = keras.layers
    images = keras.Sequential([
        keras.Input((9, 9, 2)), L.Conv2D(4, 3, groups=2, name="conv"),
        L.DepthwiseConv2D(3, depth_multiplier=2, name="depthwise"),
        L.SeparableConv2D(5, 2, name="separable"),
        L.Conv2DTranspose(3, 2, strides=2, use_bias=False, name="up"),
        L.Reshape((-1, 3)), L.Conv1D(2, 3, name="conv1d"),
        L.Conv1DTranspose(2, 3, name="up1d"), L.Flatten(name="flatten"),
        L.Dense(6, name="dense")])
    volumes = keras.Sequential([keras.Input((4, 5, 6, 2)), L.Conv3D(3, 2, name="conv3d"),
                                L.Conv3DTranspose(2, 2, name="up3d")])
    sequences = keras.Sequential([keras.Input((7, 3)),
                                  L.DepthwiseConv1D(2, depth_multiplier=3, name="depthwise1d"),
                                  L.SeparableConv1D(2, 3, use_bias=False, name="separable1d")])
    tokens = keras.Sequential([keras.Input((5,), dtype="int32"),
                               L.Embedding(11, 4, name="embedding")])
    return [images, volumes, sequences, tokens]


def test_inspect_names_each_dense_embedding_and_convolution_array_where_keras_to_torch_puts_it(
        folder):
    """Without Keras or PyTorch (weightatlas.layouts), inspect says which PyTorch parameter
    each array of a Dense, an Embedding or a convolution becomes: the shapes are those of
    the converter's own plan for the layer."""
    from weightatlas import plan_for

    for number, model in enumerate(layer_zoo()):
        with warnings.catch_warnings():  # Keras' HDF5 writer: see keras_model above
            warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
            model.save(folder / f"zoo{number}.keras")
        report = json_of(["inspect", f"zoo{number}.keras"], folder)
        described = {s["name"]: s for s in report["skipped"] if s["arrays"]}
        weighted = [layer for layer in model.layers if layer.weights]
        assert set(described) == {layer.name for layer in weighted}
        for layer in weighted:
            plan = {path.rsplit("/", 1)[-1]: torch_shape
                    for path, _, _, torch_shape, _ in plan_for(layer).rows()}
            arrays = described[layer.name]["arrays"]
            names = [variable.path.rsplit("/", 1)[-1] for variable in layer.weights]
            assert [array["name"] for array in arrays] == names
            for array, variable in zip(arrays, layer.weights):
                assert tuple(array["shape"]) == tuple(variable.shape)
                assert tuple(array["pytorch"]["shape"]) == plan[array["name"]], layer.name
        flatten = [s for s in report["skipped"] if s["class_name"] == "Flatten"]
        assert all("keras_to_torch(model)" in s["reason"] for s in flatten)


def module_zoo():
    """A state_dict's modules inspect describes by their shapes, each named for its class;
    a BatchNorm it does not describe."""
    torch.manual_seed(3)
    return torch.nn.ModuleDict({
        "linear": torch.nn.Linear(5, 3), "unbiased": torch.nn.Linear(4, 6, bias=False),
        "embedding": torch.nn.Embedding(7, 4), "conv1d": torch.nn.Conv1d(2, 3, 2),
        "conv2d": torch.nn.Conv2d(4, 6, 3, groups=2), "conv3d": torch.nn.Conv3d(2, 3, 2),
        "up1d": torch.nn.ConvTranspose1d(3, 3, 2, bias=False),
        "up2d": torch.nn.ConvTranspose2d(3, 2, 2), "up3d": torch.nn.ConvTranspose3d(2, 2, 2),
        "norm": torch.nn.BatchNorm1d(3)})


def test_inspect_names_the_modules_a_state_dict_entry_fits_and_where_torch_to_keras_puts_it(
        folder):
    """A state_dict stores no class: inspect names the modules whose entries have these
    shapes, the true one among them, and for each the Keras variable the entry becomes:
    its shape is that of torch_to_keras(module)'s variable, its values the entry's moved
    as the listed axes say (a kernel's last two axes are the weight's first two,
    swapped)."""
    from weightatlas import torch_to_keras

    modules = module_zoo()
    torch.save(modules.state_dict(), folder / "zoo.pt")
    report = json_of(["inspect", "zoo.pt"], folder)
    described = {s["name"]: s for s in report["skipped"] if s["arrays"]}
    assert set(described) == set(modules) - {"norm"}
    assert all(s["reason"].startswith("not an nn.RNN") for s in report["skipped"]
               if s["name"].startswith("norm."))
    for name, described_module in described.items():
        module = modules[name]
        rows = [row for row in described_module["arrays"]
                if row["module"] == f"nn.{type(module).__name__}"]
        assert rows, (name, described_module["class_name"])
        (layer,) = [layer for layer in torch_to_keras(module) if layer.weights]
        variables = dict(zip([variable.path.rsplit("/", 1)[-1] for variable in layer.weights],
                             layer.get_weights()))
        assert [row["keras"]["layer"] for row in rows] == [type(layer).__name__] * len(rows)
        for row in rows:
            value = variables[row["keras"]["variable"]]
            assert tuple(row["keras"]["shape"]) == value.shape, name
            entry = module.state_dict()[row["name"]].numpy()
            # The move the axes name: Dense's kernel is the weight transposed, a
            # convolution's (spatial..., second, first), anything else the entry itself.
            if row["keras"]["variable"] == "kernel":
                moved = entry.transpose(*range(2, entry.ndim), 1, 0)
                assert row["keras"]["axes"].endswith(
                    ("(in, out)", "in / groups, out)", "out, in)")), row
            else:
                moved = entry
            np.testing.assert_array_equal(moved, value, err_msg=name)


def test_the_weightless_layers_inspect_names_are_those_a_whole_model_converts():
    from weightatlas import keras_to_torch
    from weightatlas.layouts import WHOLE_MODEL_LAYERS

    for name in sorted(WHOLE_MODEL_LAYERS):
        rank = int(name[-2]) if name[-2:] in ("1D", "2D", "3D") else 1
        options = ({"rate": 0.5} if "Dropout" in name else
                   {"activation": "relu"} if name == "Activation" else
                   {"pool_size": 2} if name.startswith("AveragePooling") else {})
        layer = getattr(keras.layers, name)(**options)
        model = keras.Sequential([keras.Input((*[4] * rank, 2)), layer,
                                  keras.layers.Flatten(), keras.layers.Dense(2)])
        assert isinstance(keras_to_torch(model), torch.nn.Sequential), name


def test_inspect_keras_lstm_columns_drive_the_gates_it_names(keras_model, folder, inputs):
    report = json_of(["inspect", "model.keras"], folder)
    [encoder] = [layer for layer in report["layers"] if layer["name"] == "encoder"]
    arrays = arrays_by_name(encoder)
    orders = {order_of(arrays[None, name]) for name in
              ("kernel", "recurrent_kernel", "bias")}
    assert orders == {"".join(keras_lstm_proof.proven_order)}
    [order] = orders
    layer = keras_model.get_layer("encoder")
    numpy_all_h, _, _ = keras_lstm_proof.lstm_numpy(inputs, *layer.get_weights(), order)
    np.testing.assert_allclose(numpy_all_h, numpy_of(layer(inputs)), atol=TOLERANCE)


def test_inspect_keras_gru_columns_drive_the_gates_it_names(keras_model, folder, inputs):
    report = json_of(["inspect", "model.keras"], folder)
    [gru] = [layer for layer in report["layers"] if layer["name"] == "bidirectional"]
    assert gru["class_name"] == "Bidirectional(GRU)" and gru["directions"] == 2
    arrays = arrays_by_name(gru)
    bidirectional = keras_model.get_layer("bidirectional")
    features = numpy_of(keras_model.get_layer("encoder")(inputs))
    for side, layer, sequence in (
        ("forward_layer", bidirectional.forward_layer, features),
        ("backward_layer", bidirectional.backward_layer, features[:, ::-1]),
    ):
        orders = {order_of(arrays[side, name]) for name in
                  ("kernel", "recurrent_kernel", "bias")}
        assert orders == {"".join(keras_gru_proof.proven_order)}
        assert arrays[side, "bias"]["axis"] == 1  # (2, 3 * units): gates along columns
        [order] = orders
        numpy_all_h = keras_gru_proof.gru_numpy(sequence, *layer.get_weights(), order)
        np.testing.assert_allclose(numpy_all_h, numpy_of(layer(features)),
                                   atol=TOLERANCE)


def test_inspect_weights_h5_finds_the_same_arrays_by_their_shapes(keras_model, folder):
    from_archive = json_of(["inspect", "model.keras"], folder)
    from_weights = json_of(["inspect", "model.weights.h5"], folder)
    def arrays(report):
        return {(layer["name"], a["direction"], a["name"]): (a["shape"], a["blocks"])
                for layer in report["layers"] for a in layer["arrays"]}
    assert arrays(from_weights) == arrays(from_archive)
    assert from_weights["parameters"] == from_archive["parameters"]


def test_inspect_text_says_ranges_exclude_their_end_and_names_the_skipped(
        keras_model, folder):
    run = weightatlas("inspect", "model.keras", cwd=folder)
    assert run.returncode == 0, run.stderr
    assert "end-exclusive" in run.stdout
    assert "head (Dense): files are converted for their recurrent layers only; convert this one in Python, keras_to_torch(layer)" in run.stdout
    assert f"{keras_model.count_params()} in all" in run.stdout
    for location in ("layers/lstm/cell/vars/0",
                     "layers/bidirectional/backward_layer/cell/vars/2"):
        assert location in run.stdout


# --- inspect: PyTorch --------------------------------------------------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def projected_lstm_numpy(sequence, arrays, report_arrays, layer, reverse):
    """One direction of one layer of nn.LSTM with proj_size, written from PyTorch's
    documented equations, each gate read from the rows inspect says it has."""
    tail = f"_l{layer}{'_reverse' if reverse else ''}"
    W, U = arrays[f"weight_ih{tail}"], arrays[f"weight_hh{tail}"]
    b = arrays[f"bias_ih{tail}"] + arrays[f"bias_hh{tail}"]
    rows = slices(report_arrays[f"weight_ih{tail}"])
    assert slices(report_arrays[f"weight_hh{tail}"]) == rows
    assert slices(report_arrays[f"bias_ih{tail}"]) == rows
    projection = arrays[f"weight_hr{tail}"]
    h = np.zeros((sequence.shape[0], projection.shape[0]))
    c = np.zeros((sequence.shape[0], W.shape[0] // 4))
    all_h = []
    steps = sequence.transpose(1, 0, 2)
    for x in (steps[::-1] if reverse else steps):
        z = {gate: x @ W[r].T + h @ U[r].T + b[r] for gate, r in rows.items()}
        c = sigmoid(z["f"]) * c + sigmoid(z["i"]) * np.tanh(z["g"])
        h = (sigmoid(z["o"]) * np.tanh(c)) @ projection.T
        all_h.append(h)
    all_h = np.stack(all_h[::-1] if reverse else all_h, axis=1)
    return all_h


# PyTorch's CPU kernels for LSTM(proj_size=...) fall back from oneDNN, and say so.
@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_inspect_state_dict_rows_drive_the_gates_it_names(projected_lstm, folder, inputs):
    report = json_of(["inspect", "projected.pt"], folder)
    [module] = report["layers"]
    assert module["class_name"] == "nn.LSTM" and module["options"] == {
        "input_size": 4, "hidden_size": 6, "num_layers": 2, "bias": True,
        "bidirectional": True, "proj_size": 3}
    state = {key: value.detach().numpy() for key, value in projected_lstm.state_dict().items()}
    report_arrays = {array["name"]: array for array in module["arrays"]}
    assert {name: tuple(a["shape"]) for name, a in report_arrays.items()} == {
        name: value.shape for name, value in state.items()}
    for name, array in report_arrays.items():
        if name.startswith("weight_hr"):
            assert [b["gate"] for b in array["blocks"]] == ["projection"]
        else:
            assert order_of(array) == "".join(torch_lstm_proof.proven_order)
    per_layer = {}
    for name, parameter in projected_lstm.named_parameters():
        layer = name.split("_l")[-1].removesuffix("_reverse")
        per_layer[layer] = per_layer.get(layer, 0) + parameter.numel()
    assert module["parameters_per_layer"] == per_layer
    assert report["parameters"]["total"] == sum(per_layer.values())
    with torch.no_grad():
        expected = projected_lstm(torch.from_numpy(inputs))[0].numpy()
    sequence = inputs.astype("float64")
    for layer in range(2):
        both = [projected_lstm_numpy(sequence, state, report_arrays, layer, reverse)
                for reverse in (False, True)]
        sequence = np.concatenate(both, axis=-1)
    np.testing.assert_allclose(sequence, expected, atol=TOLERANCE)
    assert any("proj_size=3" in problem for problem in module["problems"])


def test_inspect_gru_state_dict_rows_follow_the_proven_order(folder):
    torch.manual_seed(1)
    torch.save(torch.nn.GRU(3, 4).state_dict(), folder / "gru.pt")
    status, out, _ = run_main("inspect", folder / "gru.pt", "--format", "json")
    assert status == 0
    [module] = json.loads(out)["layers"]
    for array in module["arrays"]:
        assert order_of(array) == "".join(torch_gru_proof.proven_order)


# --- convert -------------------------------------------------------------------------

def load(code, folder):
    """Run the loading code convert printed, in the folder holding the file it names."""
    namespace, cwd = {}, os.getcwd()
    try:
        os.chdir(folder)
        exec(code, namespace)
    finally:
        os.chdir(cwd)
    return namespace


@pytest.fixture(scope="module")
def keras_converted(keras_model, folder):
    """model.keras converted to model.pt: what convert printed."""
    return json_of(["convert", "model.keras", "-o", "model.pt"], folder)


@pytest.fixture(scope="module")
def torch_modules(folder):
    """A two-layer bidirectional nn.LSTM, an nn.GRU and an nn.Linear, their state_dict
    saved as modules.pt."""
    torch.manual_seed(2)
    modules = torch.nn.ModuleDict({
        "encoder": torch.nn.LSTM(4, 6, num_layers=2, bidirectional=True, batch_first=True),
        "decoder": torch.nn.GRU(12, 5, batch_first=True),
        "head": torch.nn.Linear(5, 2)})
    with torch.no_grad():
        for parameter in modules.parameters():
            parameter.normal_()
    torch.save(modules.state_dict(), folder / "modules.pt")
    return modules


@pytest.fixture(scope="module")
def torch_converted(torch_modules, folder):
    """modules.pt converted to modules.weights.h5 (under the TensorFlow backend)."""
    return json_of(["convert", "modules.pt", "-o", "modules.weights.h5"], folder)


def test_convert_keras_to_state_dict_loads_with_the_printed_code(
        keras_model, keras_converted, folder, inputs):
    assert keras_converted["left_out"] == [
        "head (Dense): files are converted for their recurrent layers only; convert this one in Python, keras_to_torch(layer)"]
    assert [row[1] for row in keras_converted["plan"]][:2] == [
        "encoder.weight_ih_l0", "encoder.weight_hh_l0"]
    namespace = load(keras_converted["load_code"], folder)
    features = np.array(numpy_of(keras_model.get_layer("encoder")(inputs)))  # a writable copy
    with torch.no_grad():
        encoder = namespace["encoder"](torch.from_numpy(inputs))[0].numpy()
        gru = namespace["bidirectional"](torch.from_numpy(features))[0].numpy()
    np.testing.assert_allclose(encoder, features, atol=TOLERANCE)
    np.testing.assert_allclose(
        gru, numpy_of(keras_model.get_layer("bidirectional")(features)), atol=TOLERANCE)


def test_convert_state_dict_to_keras_weights_loads_with_the_printed_code(
        torch_modules, torch_converted, folder, inputs):
    [head] = torch_converted["left_out"]
    assert head.startswith("head (nn.Linear): the modules its shapes fit")
    model = load(torch_converted["load_code"], folder)["model"]
    with torch.no_grad():
        encoded = torch_modules["encoder"](torch.from_numpy(inputs))[0]
        decoded = torch_modules["decoder"](encoded)[0].numpy()
    keras_encoded, keras_decoded = model([inputs, encoded.numpy()])
    np.testing.assert_allclose(numpy_of(keras_encoded), encoded.numpy(), atol=TOLERANCE)
    np.testing.assert_allclose(numpy_of(keras_decoded), decoded, atol=TOLERANCE)


def test_convert_to_keras_writes_the_same_file_under_the_torch_backend(
        torch_converted, folder):
    run = subprocess.run(
        [sys.executable, "-m", "weightatlas", "convert", "modules.pt", "-o",
         "modules_torch_backend.weights.h5"], cwd=folder, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": PACKAGE_PATH, "KERAS_BACKEND": "torch"},
        timeout=300)
    assert run.returncode == 0, run.stderr

    def arrays(name):
        found = {}
        with h5py.File(folder / name, "r") as h5:
            h5.visititems(lambda key, item: found.update(
                {key: np.asarray(item)} if isinstance(item, h5py.Dataset) else {}))
        return found

    tensorflow = arrays("modules.weights.h5")
    torch_backend = arrays("modules_torch_backend.weights.h5")
    assert sorted(torch_backend) == sorted(tensorflow) and len(tensorflow) == 15
    for key, array in tensorflow.items():
        np.testing.assert_array_equal(torch_backend[key], array)


def test_convert_refuses_proj_size_and_writes_nothing(projected_lstm, folder):
    before = sorted(os.listdir(folder))
    run = weightatlas("convert", "projected.pt", "-o", "projected.weights.h5", cwd=folder)
    assert run.returncode == 1
    assert "proj_size=3" in run.stderr and "weight_hr" in run.stderr
    assert "Nothing was written" in run.stderr
    assert sorted(os.listdir(folder)) == before


def test_convert_weights_h5_needs_the_defaults_assumed(keras_model, keras_converted,
                                                      folder):
    run = weightatlas("convert", "model.weights.h5", "-o", "from_weights.pt", cwd=folder)
    assert run.returncode == 1 and "--assume-default-options" in run.stderr
    assert not (folder / "from_weights.pt").exists()
    result = json_of(["convert", "model.weights.h5", "-o", "from_weights.pt",
                      "--assume-default-options"], folder)
    state = torch.load(folder / "from_weights.pt", weights_only=True)
    reference = torch.load(folder / "model.pt", weights_only=True)
    assert set(state) == set(reference) and len(result["plan"]) == 12
    for key, value in reference.items():
        torch.testing.assert_close(state[key], value, rtol=0, atol=0)


# --- files that would run code ---------------------------------------------------------

class WritesMarker:
    """Unpickling this calls exec, which writes the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"__import__('pathlib').Path({self.marker!r}).write_text('ran')",)


@pytest.fixture(params=["zip", "legacy"])
def crafted_pickle(request, tmp_path):
    """A .pt file that writes `marker` when unpickled, in torch.save's zip format or its
    legacy one. Proven to run code when opened unsafely."""
    marker, path = tmp_path / "marker", tmp_path / "crafted.pt"
    contents = {"weight_ih_l0": torch.zeros(4, 2), "payload": WritesMarker(marker)}
    torch.save(contents, path, _use_new_zipfile_serialization=request.param == "zip")
    torch.load(path, weights_only=False)  # what weightatlas must never do
    assert marker.read_text() == "ran"
    marker.unlink()
    return path, marker


def test_a_crafted_pickle_is_refused_runs_nothing_and_writes_nothing(crafted_pickle):
    path, marker = crafted_pickle
    before = sorted(os.listdir(path.parent))
    inspected = weightatlas("inspect", path.name, cwd=path.parent)
    converted = weightatlas("convert", path.name, "-o", "out.weights.h5", cwd=path.parent)
    for run in (inspected, converted):
        assert run.returncode == 1 and run.stdout == ""
        assert f"{path.name}: refused" in run.stderr and "weights_only=True" in run.stderr
    assert not marker.exists()
    assert sorted(os.listdir(path.parent)) == before


def test_a_pickled_module_is_refused(tmp_path):
    torch.save(torch.nn.LSTM(2, 3), tmp_path / "module.pt")
    status, _, err = run_main("inspect", tmp_path / "module.pt")
    assert status == 1
    assert "module.pt: refused" in err and "state_dict()" in err


def test_a_torchscript_archive_is_refused(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # torch.jit.script is
        torch.jit.script(torch.nn.GRU(2, 3)).save(tmp_path / "scripted.pt")  # deprecated
    status, out, err = run_main("inspect", tmp_path / "scripted.pt")
    assert status == 1 and out == ""
    assert "scripted.pt: refused: a TorchScript archive holds a program" in err


@pytest.fixture
def lambda_model(tmp_path):
    """A .keras file with a Lambda layer that writes `marker` when it runs, proven to
    run when the file is loaded unsafely and the model called."""
    marker = tmp_path / "marker"
    writes = eval(
        f"lambda x: (__import__('pathlib').Path({str(marker)!r}).write_text('ran'), x)[1]")
    model = keras.Sequential([keras.Input((None, 3)),
                              keras.layers.LSTM(4, return_sequences=True, name="lstm"),
                              keras.layers.Lambda(writes, name="side_effect")])
    with warnings.catch_warnings():
        # Keras warns that a lambda in a file is unsafe: the point of this file.
        warnings.filterwarnings("ignore", "The object being serialized includes a `lambda`")
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        model.save(tmp_path / "lambda.keras")
    marker.unlink(missing_ok=True)
    loaded = keras.saving.load_model(tmp_path / "lambda.keras", safe_mode=False)
    loaded(np.zeros((1, 2, 3), "float32"))
    assert marker.read_text() == "ran"
    marker.unlink()
    return tmp_path / "lambda.keras", marker


def test_a_lambda_layer_is_named_and_never_run(lambda_model):
    path, marker = lambda_model
    report = json_of(["inspect", path.name], path.parent)
    assert [(s["name"], s["class_name"], s["holds_code"]) for s in report["skipped"]] == [
        ("side_effect", "Lambda", True)]
    assert [layer["name"] for layer in report["layers"]] == ["lstm"]
    before = sorted(os.listdir(path.parent))
    refused = weightatlas("convert", path.name, "-o", "out.pt", cwd=path.parent)
    assert refused.returncode == 1
    assert "side_effect (Lambda): holds Python code" in refused.stderr
    assert sorted(os.listdir(path.parent)) == before
    converted = json_of(["convert", path.name, "-o", "out.pt", "--skip-unconvertible"],
                        path.parent)
    assert converted["left_out"] == [
        "side_effect (Lambda): holds Python code (serialised bytecode), never run"]
    assert (path.parent / "out.pt").exists()
    assert not marker.exists()


def scaled_tanh(x):
    return 2 * keras.ops.tanh(x)


def test_a_custom_activation_is_named_not_run(tmp_path):
    model = keras.Sequential([keras.Input((None, 3)),
                              keras.layers.GRU(2, activation=scaled_tanh, name="gru")])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        model.save(tmp_path / "custom.keras")
    report = json_of(["inspect", "custom.keras"], tmp_path)
    [gru] = report["layers"]
    assert gru["problems"] == ["activation is code or a custom object (function "
                               "'scaled_tanh'), which is never run here"]
    run = weightatlas("convert", "custom.keras", "-o", "custom.pt", cwd=tmp_path)
    assert run.returncode == 1 and "scaled_tanh" in run.stderr
    assert not (tmp_path / "custom.pt").exists()


# --- unreadable files, and the help ----------------------------------------------------

@pytest.mark.parametrize("name, contents, says", [
    ("damaged.keras", b"PK\x03\x04 not really a zip", "damaged"),
    ("text.keras", b"hello", "not a zip archive"),
    ("empty.pt", b"", "could not read it"),
    ("model.onnx", b"\x08\x07", "unknown kind of file"),
])
def test_an_unreadable_file_gets_a_clear_error(tmp_path, name, contents, says):
    (tmp_path / name).write_bytes(contents)
    status, out, err = run_main("inspect", tmp_path / name)
    assert status == 1 and out == ""
    assert err.startswith(f"weightatlas inspect: error: {tmp_path / name}: ")
    assert says in err


def test_keras_names_its_weight_groups_by_class_as_files_assumes():
    from keras.src.utils.naming import to_snake_case as keras_rule

    from weightatlas.files import to_snake_case

    for name in ("SimpleRNN", "LSTM", "GRU", "Bidirectional", "InputLayer", "RNN",
                 "ConvLSTM2D", "MultiHeadAttention", "Dense"):
        assert to_snake_case(name) == keras_rule(name)


def test_help_says_what_each_command_writes(tmp_path):
    run = weightatlas("convert", "--help", cwd=tmp_path)
    assert run.returncode == 0
    for words in ("state_dict", "load_weights", "weights_only=True", "nothing is written"):
        assert words in run.stdout.replace("\n", " ")


# --- in-process: progress, dtypes, the atomic write -------------------------------------

def test_large_files_report_progress_on_stderr(keras_model, folder, monkeypatch):
    from weightatlas import cli

    monkeypatch.setattr(cli, "PROGRESS_BYTES", 0)  # every file counts as large
    status, out, err = run_main("inspect", folder / "model.keras")
    assert status == 0 and "reading model.keras: 4/4" in err and "reading" not in out
    status, _, err = run_main("convert", folder / "model.keras", "-o",
                              folder / "progress.pt")
    assert status == 0 and "writing progress.pt: 12/12" in err


def test_mixed_precisions_in_one_module_are_refused_before_writing(tmp_path):
    module = torch.nn.GRU(2, 3)
    state = module.state_dict()
    state["weight_ih_l0"] = state["weight_ih_l0"].double()
    torch.save(state, tmp_path / "mixed.pt")
    status, out, err = run_main("convert", tmp_path / "mixed.pt", "-o",
                                tmp_path / "mixed.weights.h5")
    assert status == 1 and out == ""
    assert "float32 and float64" in err
    assert sorted(os.listdir(tmp_path)) == ["mixed.pt"]


def test_an_interrupted_write_leaves_no_file_behind(tmp_path):
    from weightatlas.cli import atomic_output

    target = tmp_path / "out.pt"
    target.write_text("the reader's earlier file")
    with pytest.raises(KeyboardInterrupt):
        with atomic_output(target) as temporary:
            temporary.write_text("half of it")
            raise KeyboardInterrupt
    assert sorted(os.listdir(tmp_path)) == ["out.pt"]
    assert target.read_text() == "the reader's earlier file"


def save(model, path):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "__array__ implementation", DeprecationWarning)
        model.save(path)


def test_nested_models_and_repeated_classes_are_found_where_keras_put_them(tmp_path):
    keras.utils.set_random_seed(3)
    inner = keras.Sequential([keras.Input((None, 4)),
                              keras.layers.GRU(3, return_sequences=True, name="inner")],
                             name="block")
    features = keras.Input((None, 4))
    hidden = keras.layers.LSTM(5, return_sequences=True, name="zeta")(inner(features))
    hidden = keras.layers.Masking(name="masking")(hidden)
    hidden = keras.layers.LSTM(6, name="alpha")(hidden)  # a second LSTM: lstm_1
    model = keras.Model(features, keras.layers.Dense(2, name="head")(hidden))
    save(model, tmp_path / "nested.keras")
    status, out, _ = run_main("inspect", tmp_path / "nested.keras", "--format", "json")
    assert status == 0
    report = json.loads(out)
    layers = {layer["name"]: layer for layer in report["layers"]}
    archive = zipfile.ZipFile(tmp_path / "nested.keras")
    weights = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    for name, layer in (("inner", inner.get_layer("inner")),
                        ("zeta", model.get_layer("zeta")),
                        ("alpha", model.get_layer("alpha"))):
        for array, expected in zip(layers[name]["arrays"], layer.get_weights()):
            np.testing.assert_array_equal(weights[array["location"]], expected)
    assert any("Masking" in note for note in layers["alpha"]["notes"])
    assert not layers["zeta"]["notes"]


def test_gru_reset_after_false_is_inspected_and_refused_with_the_reason(tmp_path):
    model = keras.Sequential([keras.Input((None, 2)),
                              keras.layers.GRU(3, reset_after=False, name="gru")])
    save(model, tmp_path / "reset_before.keras")
    status, out, _ = run_main("inspect", tmp_path / "reset_before.keras", "--format", "json")
    [gru] = json.loads(out)["layers"]
    assert gru["family"] == "GRU(reset_after=False)"
    assert [a["shape"] for a in gru["arrays"]] == [[2, 9], [3, 9], [9]]
    status, out, err = run_main("convert", tmp_path / "reset_before.keras", "-o",
                                tmp_path / "reset_before.pt")
    assert status == 1 and "reset_after=False" in err and "Nothing was written" in err
    assert not (tmp_path / "reset_before.pt").exists()


def test_convert_keeps_an_existing_output_unless_forced(keras_converted, folder):
    before = (folder / "model.pt").read_bytes()
    status, out, err = run_main("convert", folder / "model.keras", "-o", folder / "model.pt")
    assert status == 1 and out == "" and "exists: pass --force" in err
    assert (folder / "model.pt").read_bytes() == before
    status, _, err = run_main("convert", folder / "model.keras", "-o", folder / "model.pt",
                              "--force")
    assert status == 0, err
    state = torch.load(folder / "model.pt", weights_only=True)
    assert sorted(state) == sorted(row[1] for row in keras_converted["plan"])
