"""keras_to_torch and torch_to_keras (the weightatlas package) compute the same thing in
both libraries, on a grid of layers; round trips give back the arrays; what has no
equivalent is refused with an error that says why and what to do. The whole file runs under
whatever KERAS_BACKEND is set: tests/test_package_install.py runs it again, against the
installed wheel, under the torch backend.
"""

import keras
import numpy as np
import pytest
import torch

import weightatlas as recurrent
from weightatlas.families import family_for_keras

from facts._converter_grid import TOLERANCE, grid

GRID = [pytest.param(case, id=case_id) for case_id, case in grid()]


def test_the_grid_meets_every_option():
    cases = [case.values[0] for case in GRID]
    for kind in ("SimpleRNN", "LSTM", "GRU"):
        of_kind = [case for case in cases if case["kind"] == kind]
        assert {case["bias"] for case in of_kind} == {True, False}, kind
        assert {case["batch_first"] for case in of_kind} == {True, False}, kind
        assert {case["timesteps"] for case in of_kind} == {1, 6}, kind
        assert {case["num_layers"] for case in of_kind} == {1, 2, 3}, kind
        assert {case["bidirectional"] for case in of_kind} == {True, False}, kind
        for bidirectional in (True, False):
            assert {
                case["bias"]
                for case in of_kind
                if case["bidirectional"] == bidirectional
            } == {True, False}, (kind, bidirectional)
    assert {case["nonlinearity"] for case in cases if case["kind"] == "SimpleRNN"} == {
        "tanh",
        "relu",
    }
    assert {case["input_size"] == case["hidden_size"] for case in cases} == {
        True,
        False,
    }


def torch_module(case, seed):
    torch.manual_seed(seed)
    options = (
        {"nonlinearity": case["nonlinearity"]} if case["kind"] == "SimpleRNN" else {}
    )
    module_class = getattr(torch.nn, family_for_keras(case["kind"]).torch_module)
    module = module_class(
        case["input_size"],
        case["hidden_size"],
        num_layers=case["num_layers"],
        bias=case["bias"],
        batch_first=case["batch_first"],
        bidirectional=case["bidirectional"],
        **options,
    )
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.normal_(std=0.5)  # both biases too: their sum is what Keras gets
    return module


def run_torch(module, inputs):
    """(output, h_n, c_n or None) for batch-major `inputs`, whatever module.batch_first."""
    x = torch.from_numpy(inputs if module.batch_first else inputs.swapaxes(0, 1).copy())
    with torch.no_grad():
        output, state = module(x)
    h_n, c_n = state if isinstance(module, torch.nn.LSTM) else (state, None)
    output = output.numpy() if module.batch_first else output.numpy().swapaxes(0, 1)
    return output, h_n.numpy(), None if c_n is None else c_n.numpy()


def run_keras(layers, inputs):
    """The same three as run_torch, from Keras layers made with return_state=True: their
    final states stacked in PyTorch's order (layer 0 forward, layer 0 backward, layer 1...).
    """
    h, c, x = [], [], inputs
    for layer in layers:
        x, *states = (keras.ops.convert_to_numpy(array) for array in layer(x))
        lstm = isinstance(getattr(layer, "forward_layer", layer), keras.layers.LSTM)
        h += states[0::2] if lstm else states
        c += states[1::2] if lstm else []
    return x, np.stack(h), np.stack(c) if c else None


def assert_same_results(actual, expected):
    for name, a, b in zip(("output", "h_n", "c_n"), actual, expected):
        if b is None:
            assert a is None, name
        else:
            np.testing.assert_allclose(a, b, atol=TOLERANCE, rtol=0, err_msg=name)


@pytest.mark.parametrize("case", GRID)
def test_both_directions_agree_and_round_trips_give_back_the_arrays(case):
    seed = GRID.index(next(param for param in GRID if param.values[0] is case))
    check_case(case, seed)



def check_case(case, seed):
    """Both conversions of one grid case agree with the other library, round trips give
    back every array."""
    original = torch_module(case, seed)
    inputs = (
        np.random.default_rng(seed)
        .normal(size=(2, case["timesteps"], case["input_size"]))
        .astype("float32")
    )
    torch_results = run_torch(original, inputs)

    # PyTorch -> Keras: the Keras layers compute the module's outputs and final states.
    keras_layers = recurrent.torch_to_keras(original, return_state=True)
    assert len(keras_layers) == case["num_layers"]
    keras_results = run_keras(keras_layers, inputs)
    assert_same_results(keras_results, torch_results)

    # Keras -> PyTorch: a new module computes what those Keras layers compute.
    converted = recurrent.keras_to_torch(keras_layers, batch_first=case["batch_first"])
    assert type(converted) is type(original)
    # The module holds exactly what the plan makes of the Keras arrays, key for key.
    keras_arrays = {variable.path: recurrent.as_array(variable)
                    for layer in keras_layers for variable in layer.weights}
    planned = recurrent.plan_for(keras_layers).apply(keras_arrays)
    assert list(planned) == list(converted.state_dict())
    for key, tensor in converted.state_dict().items():
        np.testing.assert_array_equal(tensor.numpy(), planned[key], err_msg=key)
    for option in (
        "num_layers",
        "bias",
        "batch_first",
        "bidirectional",
        "hidden_size",
        "input_size",
    ):
        assert getattr(converted, option) == getattr(original, option), option
    assert_same_results(run_torch(converted, inputs), keras_results)

    # Round trips. Keras -> PyTorch -> Keras gives back every array exactly.
    back = recurrent.torch_to_keras(converted, return_state=True)
    for layer, again in zip(keras_layers, back):
        for array, array_again in zip(layer.get_weights(), again.get_weights()):
            np.testing.assert_array_equal(array_again, array)
    # PyTorch -> Keras -> PyTorch gives back every weight and the GRU's biases exactly;
    # an LSTM's or SimpleRNN's two biases come back as their sum in bias_ih, as Keras
    # stores only the sum.
    before, after = original.state_dict(), converted.state_dict()
    assert list(after) == list(before)
    for name, tensor in before.items():
        if name.startswith("weight") or case["kind"] == "GRU":
            torch.testing.assert_close(after[name], tensor, atol=0, rtol=0)
        elif name.startswith("bias_ih"):
            summed = tensor + before[name.replace("bias_ih", "bias_hh")]
            torch.testing.assert_close(after[name], summed, atol=0, rtol=0)
        else:
            assert torch.all(after[name] == 0), name


# --- Refusals: each says why and what to do ------------------------------------------------


def built(layer, input_dim=3):
    layer.build((None, None, input_dim))
    return layer


KERAS_REFUSALS = {
    "reset_after=False": (
        lambda: built(keras.layers.GRU(4, reset_after=False)),
        ValueError,
        ["reset_after=False", "applies the reset gate before", "Retrain"],
    ),
    "LSTM relu": (
        lambda: built(keras.layers.LSTM(4, activation="relu")),
        ValueError,
        ["activation='relu'", "always uses tanh and sigmoid", "Retrain"],
    ),
    "GRU hard_sigmoid": (
        lambda: built(keras.layers.GRU(4, recurrent_activation="hard_sigmoid")),
        ValueError,
        ["recurrent_activation='hard_sigmoid'", "always uses tanh and sigmoid"],
    ),
    "SimpleRNN sigmoid": (
        lambda: built(keras.layers.SimpleRNN(4, activation="sigmoid")),
        ValueError,
        ["nn.RNN computes only 'tanh' or 'relu'"],
    ),
    "Dense in a stack": (
        lambda: [built(keras.layers.Dense(4))],
        TypeError,
        ["is a Dense in a list or model of layers to stack", "keras_to_torch(dense"],
    ),
    "UnitNormalization": (
        lambda: keras.layers.UnitNormalization(),
        TypeError,
        ["is a UnitNormalization, not a SimpleRNN, LSTM or GRU",
         "a Dense, an Embedding or a convolution (Conv1D to Conv3D"],
    ),
    "ConvLSTM-like cell": (
        lambda: built(
            keras.layers.RNN(
                keras.layers.StackedRNNCells(
                    [keras.layers.LSTMCell(4), keras.layers.LSTMCell(4)]
                )
            )
        ),
        TypeError,
        ["not a SimpleRNN, LSTM or GRU"],
    ),
    "not built": (lambda: keras.layers.LSTM(4), ValueError, ["build it first"]),
    "go_backwards": (
        lambda: built(keras.layers.LSTM(4, go_backwards=True)),
        ValueError,
        ["go_backwards=True", "torch.flip"],
    ),
    "merge_mode": (
        lambda: built(
            keras.layers.Bidirectional(keras.layers.LSTM(4), merge_mode="sum")
        ),
        ValueError,
        ["merge_mode='sum'", "concatenates"],
    ),
    "mixed stack": (
        lambda: [
            built(keras.layers.LSTM(4, return_sequences=True)),
            built(keras.layers.LSTM(5), input_dim=4),
        ],
        ValueError,
        ["units=5 (layer 0: 4)", "one by one"],
    ),
    "stack of mismatched sizes": (
        lambda: [
            built(keras.layers.GRU(4, return_sequences=True)),
            built(keras.layers.GRU(4), input_dim=3),
        ],
        ValueError,
        ["layer 1's kernel has shape (3, 12), expected (4, 12)"],
    ),
}


@pytest.mark.parametrize(
    "make, error, says", KERAS_REFUSALS.values(), ids=KERAS_REFUSALS
)
def test_keras_to_torch_refuses_what_pytorch_cannot_compute(make, error, says):
    with pytest.raises(error) as raised:
        recurrent.keras_to_torch(make())
    for words in says:
        assert words in str(raised.value)


TORCH_REFUSALS = {
    "proj_size": (
        lambda: torch.nn.LSTM(3, 4, proj_size=2),
        ValueError,
        ["proj_size=2", "no projection", "Train without proj_size"],
    ),
    "Bilinear": (
        lambda: torch.nn.Bilinear(3, 3, 4),
        TypeError,
        ["Bilinear is not a torch.nn.RNN, LSTM or GRU, nor an nn.Linear, nn.Embedding, "
         "nn.Conv or nn.ConvTranspose"],
    ),
    "LSTMCell": (lambda: torch.nn.LSTMCell(3, 4), TypeError, ["LSTMCell is not"]),
}


@pytest.mark.parametrize(
    "make, error, says", TORCH_REFUSALS.values(), ids=TORCH_REFUSALS
)
def test_torch_to_keras_refuses_what_keras_cannot_compute(make, error, says):
    with pytest.raises(error) as raised:
        recurrent.torch_to_keras(make())
    for words in says:
        assert words in str(raised.value)


@pytest.mark.parametrize(
    "kind, arrays, says",
    [
        (
            "LSTM",
            [(3, 16), (4, 12), (16,)],
            "recurrent_kernel has shape (4, 12), expected (4, 16)",
        ),
        (
            "LSTM",
            [(3, 12), (4, 16), (16,)],
            "kernel has shape (3, 12), expected (3, 16)",
        ),
        ("GRU", [(3, 12), (4, 12), (12,)], "bias has shape (12,), expected (2, 12)"),
        ("SimpleRNN", [(3, 4), (4, 4), (8,)], "bias has shape (8,), expected (4,)"),
    ],
)
def test_wrong_keras_shapes_raise_a_value_error_naming_the_expected_shape(
    kind, arrays, says
):
    with pytest.raises(ValueError) as raised:
        recurrent.keras_to_torch_arrays(kind, *(np.zeros(shape) for shape in arrays))
    assert says in str(raised.value)


@pytest.mark.parametrize(
    "kind, arrays, says",
    [
        (
            "GRU",
            [(12, 3), (12, 5), (12,), (12,)],
            "weight_hh has shape (12, 5), expected (15, 5)",
        ),
        (
            "LSTM",
            [(12, 3), (16, 4), (16,), (16,)],
            "weight_ih has shape (12, 3), expected (16, 3)",
        ),
        (
            "SimpleRNN",
            [(4, 3), (4, 4), (4,), (3,)],
            "bias_hh has shape (3,), expected (4,)",
        ),
    ],
)
def test_wrong_torch_shapes_raise_a_value_error_naming_the_expected_shape(
    kind, arrays, says
):
    with pytest.raises(ValueError) as raised:
        recurrent.torch_to_keras_arrays(kind, *(np.zeros(shape) for shape in arrays))
    assert says in str(raised.value)

