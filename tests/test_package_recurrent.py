"""The weightatlas package's recurrent converter gives no silent wrong answer.

Each case issue 21 found (a wrong model returned without a word, or an unclear error) is
here, run against the real Keras and PyTorch: refused with an error naming the layer,
the array, what was expected and what to do, or converted correctly and compared with
the other library. Also: the plan lists exactly what the conversion moves, load_into
maps by order and shape, and the package imports without Keras or PyTorch.
"""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np
import pytest
import torch

import weightatlas
from weightatlas import (ConversionError, LooksTransposed, ShapeMismatch,
                         UnsupportedDtype, UnsupportedLayer, UnsupportedOption,
                         keras_to_torch, keras_to_torch_arrays, load_into, masked_forward,
                         plan_for, torch_to_keras, torch_to_keras_arrays)
from tests.project import ROOT

TOLERANCE = 1e-5
RNG = np.random.default_rng(21)


def inputs(batch=2, timesteps=5, features=3, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, timesteps, features)).astype(
        "float32")


def numpy_of(value):
    return keras.ops.convert_to_numpy(value)


def randomised(layer, features=3):
    """`layer` built with random weights (biases too, so that no block looks like
    another)."""
    layer.build((None, None, features))
    layer.set_weights([RNG.normal(size=w.shape).astype(w.dtype) for w in layer.get_weights()])
    return layer


def run(module, x):
    with torch.no_grad():
        output, state = module(torch.from_numpy(x))
    return output.numpy(), state


def raised(function, *arguments, error=ConversionError, **options):
    with pytest.raises(error) as caught:
        function(*arguments, **options)
    return str(caught.value)


# --- The import-time self-check, now a test ------------------------------------------


def test_a_small_gru_converted_both_ways_agrees_and_round_trips_exactly():
    gru = randomised(keras.layers.GRU(units=3, return_sequences=True), features=2)
    x = inputs(features=2)
    output, _ = run(keras_to_torch(gru), x)
    np.testing.assert_allclose(output, numpy_of(gru(x)), atol=TOLERANCE, rtol=0)
    [back] = torch_to_keras(keras_to_torch(gru))
    for original, again in zip(gru.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(again, original)


# --- Silent wrong results, now refused or right ---------------------------------------


def encoder_decoder():
    """LSTM(8) -> RepeatVector -> LSTM(8): the lower layer returns its last step only."""
    encoder = keras.layers.LSTM(8)
    decoder = keras.layers.LSTM(8, return_sequences=True)
    keras.Sequential([keras.Input((None, 3)), encoder, keras.layers.RepeatVector(4),
                      decoder])
    return encoder, decoder


def test_a_lower_layer_returning_its_last_step_only_is_refused():
    message = raised(keras_to_torch, list(encoder_decoder()), error=UnsupportedOption)
    assert "return_sequences=False" in message and "RepeatVector" in message
    assert "Convert the two separately" in message


def test_a_layer_between_two_layers_of_a_stack_is_refused():
    lower = keras.layers.GRU(4, return_sequences=True)
    upper = keras.layers.GRU(4, return_sequences=True)
    keras.Sequential([keras.Input((None, 4)), lower, keras.layers.Dense(4), upper])
    message = raised(keras_to_torch, [lower, upper], error=UnsupportedOption)
    assert "reads the output of dense" in message and f"({lower.name})" in message


def test_dropout_between_two_layers_of_a_stack_is_allowed():
    lower = keras.layers.GRU(4, return_sequences=True)
    upper = keras.layers.GRU(4, return_sequences=True)
    model = keras.Sequential([keras.Input((None, 3)), lower, keras.layers.Dropout(0.5),
                              upper])
    x = inputs()
    output, _ = run(keras_to_torch([lower, upper]), x)
    np.testing.assert_allclose(output, numpy_of(model(x)), atol=TOLERANCE, rtol=0)


def scaled_tanh(x):
    return 2.0 * keras.ops.tanh(x)


scaled_tanh.__name__ = "tanh"  # named like PyTorch's activation, computing another


@pytest.mark.parametrize("make", [
    lambda: keras.layers.LSTM(4, activation=scaled_tanh),
    lambda: keras.layers.GRU(4, recurrent_activation=scaled_tanh),
    lambda: keras.layers.SimpleRNN(4, activation=scaled_tanh),
], ids=["LSTM", "GRU", "SimpleRNN"])
def test_an_activation_named_tanh_that_computes_another_function_is_refused(make):
    message = raised(keras_to_torch, randomised(make()), error=UnsupportedOption)
    assert "'tanh'" in message and "tanh gives" in message


def test_an_activation_that_computes_tanh_converts_whatever_its_name():
    layer = randomised(keras.layers.LSTM(4, return_sequences=True,
                                         activation=lambda x: keras.ops.tanh(x)))
    x = inputs()
    output, _ = run(keras_to_torch(layer), x)
    np.testing.assert_allclose(output, numpy_of(layer(x)), atol=TOLERANCE, rtol=0)


def test_a_lambda_activation_is_named_without_its_serialised_code():
    layer = randomised(keras.layers.LSTM(4, activation=lambda x: x * 0.5))
    message = raised(keras_to_torch, layer, error=UnsupportedOption)
    assert "activation='a lambda'" in message
    assert "base64" not in message and "__lambda__" not in message and len(message) < 600


def masked_model(kind):
    """A model whose LSTM receives a mask, from an Embedding or a Masking layer."""
    lstm = keras.layers.LSTM(4, return_sequences=True)
    if kind == "Embedding":
        layers = [keras.Input((None,), dtype="int32"),
                  keras.layers.Embedding(10, 3, mask_zero=True), lstm]
    else:
        layers = [keras.Input((None, 3)), keras.layers.Masking(0.0), lstm]
    return keras.Sequential(layers), lstm


@pytest.mark.parametrize("kind", ["Embedding", "Masking"])
def test_a_layer_that_receives_a_mask_is_refused_with_the_packing_recipe(kind):
    _model, lstm = masked_model(kind)
    message = raised(keras_to_torch, lstm, error=UnsupportedOption)
    assert "receives a mask" in message and "pack_padded_sequence" in message
    assert "an Embedding(mask_zero=True)" in message and "allow_mask=True" in message


def padded_batch(lengths=(5, 3, 1), timesteps=5, features=3):
    x = inputs(batch=len(lengths), timesteps=timesteps, features=features, seed=4)
    mask = np.arange(timesteps)[None, :] < np.array(lengths)[:, None]
    return np.where(mask[..., None], x, 0.0).astype("float32"), mask


@pytest.mark.parametrize("bidirectional", [False, True], ids=["forward", "bidirectional"])
def test_masked_forward_matches_the_masked_keras_layer(bidirectional):
    lstm = keras.layers.LSTM(4, return_sequences=True, return_state=True)
    layer = keras.layers.Bidirectional(lstm) if bidirectional else lstm
    randomised(layer)
    x, mask = padded_batch()
    keras_output, *keras_states = (numpy_of(a) for a in layer(x, mask=mask))
    module = keras_to_torch(layer, allow_mask=True)
    with torch.no_grad():
        output, (h_n, c_n) = masked_forward(module, x, mask)
    np.testing.assert_allclose(output.numpy(), keras_output, atol=TOLERANCE, rtol=0)
    torch_h = [h_n[k].numpy() for k in range(len(h_n))]
    np.testing.assert_allclose(np.stack(torch_h), np.stack(keras_states[0::2]),
                               atol=TOLERANCE, rtol=0)
    # Fed the padded batch as it is, the module reads the padding: the padded rows miss.
    unpacked, _ = run(module, x)
    assert np.abs(unpacked[1:] - keras_output[1:]).max() > 1e-2


def test_a_mask_with_a_gap_cannot_be_packed():
    x, mask = padded_batch()
    mask[0, 1] = False
    module = keras_to_torch(randomised(keras.layers.GRU(4)))
    message = raised(masked_forward, module, x, mask)
    assert "row 0 of the mask" in message and "Pad at the end" in message


def test_a_stateful_layer_is_refused():
    layer = keras.layers.LSTM(4, stateful=True)
    layer.build((2, None, 3))
    message = raised(keras_to_torch, layer, error=UnsupportedOption)
    assert "stateful=True" in message and "carry the state yourself" in message


LAYOUTS = {  # kind: Keras arrays for units=4, features=3
    "LSTM": [(3, 16), (4, 16), (16,)],
    "GRU": [(3, 12), (4, 12), (2, 12)],
}


@pytest.mark.parametrize("kind", LAYOUTS)
def test_arrays_in_pytorch_layout_are_said_to_look_transposed(kind):
    kernel, recurrent_kernel, bias = (RNG.normal(size=s) for s in LAYOUTS[kind])
    for arrays in ([kernel.T, recurrent_kernel.T, bias],  # both, as PyTorch stores them
                   [kernel.T, recurrent_kernel, bias],  # the kernel alone
                   [kernel, recurrent_kernel.T, bias]):  # the recurrent kernel alone
        for call in ((kind, *arrays), arrays):  # kind given, or read from the shapes
            message = raised(keras_to_torch_arrays, *call, error=LooksTransposed)
            assert "looks transposed (PyTorch layout?)" in message


def test_a_keras_array_given_to_torch_to_keras_arrays_looks_transposed():
    weight_ih, weight_hh = RNG.normal(size=(16, 3)), RNG.normal(size=(16, 4))
    message = raised(torch_to_keras_arrays, weight_ih, weight_hh.T, error=LooksTransposed)
    assert "looks transposed (Keras layout?)" in message


def test_the_docstring_says_which_transposed_arrays_cannot_be_detected():
    """A square kernel (features == gates * units) passed transposed has the right shape:
    its values cannot say which way round it is, and the docstring says so."""
    kernel = RNG.normal(size=(16, 16))
    keras_to_torch_arrays("LSTM", kernel.T, RNG.normal(size=(4, 16)), RNG.normal(size=16))
    doc = " ".join(keras_to_torch_arrays.__doc__.split())
    assert "a kernel whose shape is square" in doc and "cannot say which way" in doc


def test_mixed_float32_and_float64_arrays_are_refused():
    kernel, recurrent_kernel, bias = (RNG.normal(size=s) for s in LAYOUTS["LSTM"])
    message = raised(keras_to_torch_arrays, "LSTM", kernel.astype("float32"),
                     recurrent_kernel, bias.astype("float32"), error=UnsupportedDtype)
    assert "float32 and float64" in message and "recurrent_kernel is float64" in message


def test_a_stack_mixing_float32_and_float64_layers_is_refused():
    lower = randomised(keras.layers.LSTM(4, return_sequences=True))
    upper = keras.layers.LSTM(4, dtype="float64")
    upper.build((None, None, 4))
    message = raised(keras_to_torch, [lower, upper], error=UnsupportedDtype)
    assert "float32" in message and "float64" in message and "mix dtypes" in message


@pytest.mark.parametrize("dtype", ["int64", "int32", "bool"])
def test_integer_and_boolean_arrays_are_refused(dtype):
    arrays = [np.ones(shape, dtype=dtype) for shape in LAYOUTS["LSTM"]]
    message = raised(keras_to_torch_arrays, "LSTM", *arrays, error=UnsupportedDtype)
    assert f"kernel holds {dtype} values" in message


# --- Crashes and unclear errors, now clear or working ----------------------------------


def in_subprocess(code, **environment):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
        text=True, timeout=600, env={**os.environ, **environment},
    )


def test_the_package_and_the_snippet_work_under_the_torch_backend():
    result = in_subprocess("""
        import keras, numpy as np, torch
        import snippets.convert.recurrent  # it checks the package on import
        from weightatlas import keras_to_torch, torch_to_keras, plan_for
        assert keras.backend.backend() == "torch"
        x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32")
        for layer in (keras.layers.LSTM(4, return_sequences=True),
                      keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True))):
            expected = keras.ops.convert_to_numpy(layer(x))
            with torch.no_grad():
                output, _ = keras_to_torch(layer)(torch.from_numpy(x))
            np.testing.assert_allclose(output.numpy(), expected, atol=1e-5, rtol=0)
            [back] = torch_to_keras(keras_to_torch(layer))
            again = keras.ops.convert_to_numpy(back(x))
            np.testing.assert_allclose(again, expected, atol=1e-5, rtol=0)
            assert len(plan_for(layer).steps) > 0
        print("ok")
    """, KERAS_BACKEND="torch")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split()[-1:] == ["ok"]


@pytest.mark.parametrize("module_class", [torch.nn.RNN, torch.nn.LSTM, torch.nn.GRU])
def test_torch_to_keras_arrays_takes_a_modules_parameters(module_class):
    torch.manual_seed(0)
    module = module_class(3, 4, batch_first=True)
    arrays = torch_to_keras_arrays(*module.parameters())  # they require grad
    assert all(type(array) is np.ndarray for array in arrays)
    kind = {torch.nn.RNN: "SimpleRNN"}.get(module_class, module_class.__name__)
    layer = getattr(keras.layers, kind)(4, return_sequences=True)
    layer.build((None, None, 3))
    layer.set_weights(arrays)
    x = inputs()
    np.testing.assert_allclose(numpy_of(layer(x)), run(module, x)[0], atol=TOLERANCE,
                               rtol=0)


def test_keras_variables_lists_and_a_none_bias_are_read():
    layer = randomised(keras.layers.GRU(4))
    expected = keras_to_torch_arrays("GRU", *layer.get_weights())
    from_variables = keras_to_torch_arrays(*layer.weights)
    from_lists = keras_to_torch_arrays("GRU", *(w.tolist() for w in layer.get_weights()))
    for a, b, c in zip(expected, from_variables, from_lists):
        np.testing.assert_array_equal(b, a)
        np.testing.assert_array_equal(c, a)
    no_bias = keras_to_torch_arrays("GRU", *layer.get_weights()[:2], None)
    assert no_bias[2:] == (None, None)


def test_a_none_weight_is_refused_by_name():
    message = raised(keras_to_torch_arrays, "LSTM", None, np.zeros((4, 16)), np.zeros(16))
    assert message.startswith("kernel is None")


def test_an_nn_lstm_given_to_keras_to_torch_names_the_right_function():
    message = raised(keras_to_torch, torch.nn.LSTM(3, 4), error=UnsupportedLayer)
    assert "a PyTorch module" in message and "torch_to_keras(module)" in message
    message = raised(torch_to_keras, randomised(keras.layers.LSTM(4)),
                     error=UnsupportedLayer)
    assert "a Keras layer" in message and "keras_to_torch(layer)" in message


def test_bfloat16_parameters_convert_widened_to_float32():
    torch.manual_seed(0)
    module = torch.nn.GRU(3, 4, batch_first=True).to(torch.bfloat16)
    [layer] = torch_to_keras(module)
    assert all(str(w.dtype) == "float32" for w in layer.get_weights())
    widened = torch.nn.GRU(3, 4, batch_first=True)
    widened.load_state_dict({k: v.float() for k, v in module.state_dict().items()})
    x = inputs()
    np.testing.assert_allclose(numpy_of(layer(x)), run(widened, x)[0], atol=TOLERANCE,
                               rtol=0)
    arrays = torch_to_keras_arrays(*module.parameters())
    assert [a.dtype for a in arrays] == [np.float32] * 3


def test_a_subclass_of_nn_lstm_is_accepted():
    class Encoder(torch.nn.LSTM):
        pass

    torch.manual_seed(0)
    module = Encoder(3, 4, batch_first=True, num_layers=2)
    layers = torch_to_keras(module)
    x = inputs()
    y = x
    for layer in layers:
        y = layer(y)
    np.testing.assert_allclose(numpy_of(y), run(module, x)[0], atol=TOLERANCE, rtol=0)


@pytest.mark.parametrize("make, says, on_its_own", [
    (lambda: [keras.layers.Embedding(10, 4)], "is an Embedding in a list", True),
    (lambda: keras.layers.UnitNormalization(), "is a UnitNormalization", False),
    (lambda: [keras.layers.Conv1D(4, 3)], "is a Conv1D in a list", True),
    (lambda: keras.layers.ConvLSTM2D(4, 3), "convolutional LSTM", False),
    (lambda: [keras.layers.Dense(4)], "is a Dense in a list", True),
], ids=["Embedding", "UnitNormalization", "Conv1D", "ConvLSTM2D", "Dense"])
def test_a_layer_that_is_not_recurrent_is_named_with_the_right_article_and_hint(
    make, says, on_its_own
):
    """A layer no family converts is refused; a Dense, an Embedding or a convolution in a
    stack is sent to be converted on its own (weightatlas.dense and weightatlas.conv
    convert it alone)."""
    layer = make()
    message = raised(keras_to_torch, layer, error=UnsupportedLayer)
    assert says in message and " a Embedding" not in message
    assert ("on its own, keras_to_torch(" in message) == on_its_own


def test_gru_reset_after_false_arrays_are_refused_when_the_kind_is_read_from_shapes():
    layer = randomised(keras.layers.GRU(4, reset_after=False))
    message = raised(keras_to_torch_arrays, *layer.get_weights(), error=UnsupportedOption)
    assert message.startswith("GRU(reset_after=False) cannot be converted")


def test_the_errors_are_value_errors_with_public_names():
    assert issubclass(ConversionError, ValueError)
    assert issubclass(UnsupportedLayer, TypeError)
    assert issubclass(LooksTransposed, ShapeMismatch)
    assert ConversionError.__module__ == "weightatlas"
    assert weightatlas.UnsupportedOption is UnsupportedOption
    # Every error, the file ones too, is public and a ConversionError.
    from weightatlas import errors
    for name in errors.__all__:
        error = getattr(weightatlas, name)
        assert issubclass(error, ConversionError) and error.__module__ == "weightatlas", name


# --- Speed: no random initialisers --------------------------------------------------


def test_converted_keras_layers_keep_kerass_default_initializers():
    """torch_to_keras builds with zeros (fast) and sets Keras' defaults back, so the
    layer's config clones into an ordinary, randomly initialised layer."""
    [layer] = torch_to_keras(torch.nn.LSTM(3, 4, bidirectional=True))
    default = keras.layers.LSTM(4).get_config()
    for direction in (layer.forward_layer, layer.backward_layer):
        config = direction.get_config()
        for name in ("kernel_initializer", "recurrent_initializer", "bias_initializer"):
            assert config[name] == default[name], name


# --- The plan -------------------------------------------------------------------------


def stack_of_two():
    layers = [keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True)),
              keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True))]
    model = keras.Sequential([keras.Input((None, 3)), *layers])
    for layer in layers:
        layer.set_weights([RNG.normal(size=w.shape).astype("float32")
                           for w in layer.get_weights()])
    return model, layers


def test_the_plan_lists_every_array_with_its_real_shapes_and_the_conversion_applies_it():
    model, layers = stack_of_two()
    plan = plan_for(model, torch_prefix="gru.")
    module = keras_to_torch(layers)
    state = {f"gru.{key}": tensor.numpy() for key, tensor in module.state_dict().items()}
    keras_arrays = {w.path: weightatlas.as_array(w) for layer in layers for w in layer.weights}
    assert sorted(step.torch_key for step in plan.steps) == sorted(state)
    assert {step.keras_path.split("[")[0] for step in plan.steps} == set(keras_arrays)
    for keras_path, torch_key, keras_shape, torch_shape, operation in plan.rows():
        assert keras_arrays[keras_path.split("[")[0]].shape == keras_shape, keras_path
        assert state[torch_key].shape == torch_shape, torch_key
        assert operation
    for key, array in plan.apply(keras_arrays).items():  # exactly what the module holds
        np.testing.assert_array_equal(state[key], array)
    table = plan.to_markdown().splitlines()
    assert len(table) == 2 + len(plan.steps)
    assert "`gru.bias_ih_l1_reverse`" in plan.to_markdown()


def test_the_gru_rows_of_the_plan_name_the_reorder_and_the_bias_rows():
    _model, layers = stack_of_two()
    rows = {torch_key: operation for _k, torch_key, _a, _b, operation
            in plan_for(layers[0]).rows()}
    assert rows["weight_ih_l0"] == "blocks z, r, h → r, z, h; transpose"
    assert rows["bias_hh_l0_reverse"] == "row 1; blocks z, r, h → r, z, h"


def test_the_torch_to_keras_plan_matches_the_layers_it_names():
    torch.manual_seed(0)
    module = torch.nn.LSTM(3, 4, num_layers=2)
    layers = torch_to_keras(module)
    plan = plan_for(module, keras_layers=layers)
    weights = {w.path: weightatlas.as_array(w) for layer in layers for w in layer.weights}
    converted = plan.apply({k: v.numpy() for k, v in module.state_dict().items()})
    assert sorted(converted) == sorted(weights)
    for path, array in converted.items():
        np.testing.assert_array_equal(weights[path], array)
    sums = [step for step in plan.steps if step.torch_key.endswith("bias_hh_l1")]
    assert [step.operation for step in sums] == ["sum: bias_ih_l1 + bias_hh_l1"]


def test_a_model_of_recurrent_layers_converts_to_one_module_and_one_with_a_dense_whole():
    """Only recurrent layers: one nn.GRU of two layers. With a Dense: the whole model
    (weightatlas.models); a layer no converter knows is refused by name."""
    model, layers = stack_of_two()
    x = inputs()
    module = keras_to_torch(model)
    assert isinstance(module, torch.nn.GRU) and module.num_layers == 2
    output, _ = run(module, x)
    np.testing.assert_allclose(output, numpy_of(model(x)), atol=TOLERANCE, rtol=0)
    with_dense = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(4),
                                   keras.layers.Dense(2, name="head")])
    with torch.no_grad():
        whole = keras_to_torch(with_dense)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(whole, numpy_of(with_dense(x)), atol=TOLERANCE, rtol=0)
    with_norm = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(4),
                                  keras.layers.LayerNormalization(name="norm")])
    message = raised(keras_to_torch, with_norm, error=UnsupportedLayer)
    assert "norm (LayerNormalization)" in message


# --- Loading into a reader's own module ------------------------------------------------


class ReaderModel(torch.nn.Module):
    """A reader's module: the recurrent layer under a name of its own."""

    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.LSTM(3, 4, batch_first=True)

    def forward(self, x):
        return self.encoder(x)[0]


def test_load_into_reports_before_writing_and_then_writes_by_order_and_shape():
    layer = randomised(keras.layers.LSTM(4, return_sequences=True))
    converted = keras_to_torch(layer)
    reader = ReaderModel()
    before = {k: v.clone() for k, v in reader.state_dict().items()}
    report = load_into(reader, converted.state_dict())
    assert report.ok and not report.written
    assert [(row.source, row.target) for row in report.rows] == [
        (key, f"encoder.{key}") for key in converted.state_dict()]
    for key, tensor in reader.state_dict().items():  # a dry run writes nothing
        torch.testing.assert_close(tensor, before[key], atol=0, rtol=0)
    assert load_into(reader, converted.state_dict(), dry_run=False).written
    x = inputs()
    with torch.no_grad():
        output = reader(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(output, numpy_of(layer(x)), atol=TOLERANCE, rtol=0)


def test_load_into_refuses_arrays_that_do_not_fit_and_writes_nothing():
    reader = ReaderModel()
    before = {k: v.clone() for k, v in reader.state_dict().items()}
    wrong = keras_to_torch(randomised(keras.layers.LSTM(5))).state_dict()
    report = load_into(reader, wrong)
    assert not report.ok
    assert "shape differs: (20, 3) into (16, 3)" in report.to_markdown()
    message = raised(load_into, reader, wrong, dry_run=False, error=ShapeMismatch)
    assert message.startswith("nothing written")
    for key, tensor in reader.state_dict().items():
        torch.testing.assert_close(tensor, before[key], atol=0, rtol=0)


# --- Importable without Keras or PyTorch -----------------------------------------------


def test_the_numpy_modules_import_neither_keras_nor_torch():
    result = in_subprocess("""
        import sys
        import weightatlas
        from weightatlas import arrays, errors, families, plan
        from weightatlas.families import family_for_keras
        assert family_for_keras("GRUCell").torch_order == ("r", "z", "h")
        print(weightatlas.__version__, "keras" in sys.modules, "torch" in sys.modules)
    """)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.split() == ["0.1.0", "False", "False"]


# --- The families' blocks ----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["SimpleRNN", "LSTM", "GRU"])
def test_each_keras_block_lands_in_the_pytorch_block_of_the_same_gate(kind):
    """The families' block maps agree with the conversion: the Keras columns of gate g
    become the rows PyTorch's block of g spans."""
    family = weightatlas.family_for_keras(kind)
    units, features = 3, 2
    columns = family.n_gates * units
    kernel = np.tile(np.arange(columns, dtype=float), (features, 1))  # entry = column
    recurrent_kernel = np.tile(np.arange(columns, dtype=float), (units, 1))
    weight_ih, *_ = keras_to_torch_arrays(kind, kernel, recurrent_kernel)
    torch_blocks = {block.gate: block for block in
                    family.torch_blocks("weight_ih_l0", weight_ih.shape)}
    for gate, block in zip(family.gates, family.keras_blocks("kernel", kernel.shape)):
        assert block.gate == gate.keras and block.axis == 1
        rows = torch_blocks[gate.torch]
        assert rows.axis == 0 and rows.stop - rows.start == block.stop - block.start
        np.testing.assert_array_equal(weight_ih[rows.start:rows.stop, 0],
                                      np.arange(block.start, block.stop))


def test_blocks_of_a_projection_and_of_a_shape_that_does_not_split():
    lstm = weightatlas.family_for_torch("LSTM")
    assert lstm.torch_blocks("rnn.weight_hr_l1_reverse", (2, 4)) == [
        weightatlas.Block("projection", 0, 0, 2)]
    with pytest.raises(ShapeMismatch):
        lstm.keras_blocks("kernel", (3, 10))
    gru = weightatlas.family_for_keras("GRUCell")
    assert [b.gate for b in gru.keras_blocks("bias", (2, 6))] == ["z", "r", "h"]
    assert [b.gate for b in gru.torch_blocks("bias_hh_l0", (6,))] == ["r", "z", "n"]
    assert weightatlas.family_for_keras("GRU", reset_after=False).refusal


def test_a_relu_capped_far_from_zero_is_not_relu():
    layer = randomised(keras.layers.SimpleRNN(
        4, activation=lambda x: keras.activations.relu(x, max_value=100.0)))
    message = raised(keras_to_torch, layer, error=UnsupportedOption)
    assert "computes only 'tanh' or 'relu'" in message


def test_a_keras_cell_subclass_that_overrides_call_is_refused_and_one_that_does_not_converts():
    class NormalisedCell(keras.layers.LSTMCell):
        def call(self, inputs, states, training=False):
            output, new_states = super().call(inputs, states, training)
            return 2.0 * output, new_states

    class NamedCell(keras.layers.LSTMCell):
        pass

    overriding = randomised(keras.layers.RNN(NormalisedCell(4)))
    message = raised(keras_to_torch, overriding, error=UnsupportedOption)
    assert "overrides call() of keras.layers.LSTMCell" in message
    plain = randomised(keras.layers.RNN(NamedCell(4), return_sequences=True))
    x = inputs()
    output, _ = run(keras_to_torch(plain), x)
    np.testing.assert_allclose(output, numpy_of(plain(x)), atol=TOLERANCE, rtol=0)


def test_every_public_name_is_listed_and_loads():
    assert set(weightatlas.__all__) == {"__version__", *weightatlas._EXPORTS}
    for name in weightatlas.__all__:
        assert getattr(weightatlas, name) is not None, name


def test_masked_forward_pads_with_zeros_for_a_layer_that_zeroes_masked_outputs():
    gru = randomised(keras.layers.GRU(4, return_sequences=True, zero_output_for_mask=True))
    x, mask = padded_batch()
    keras_output = numpy_of(gru(x, mask=mask))
    module = keras_to_torch(gru, allow_mask=True)
    with torch.no_grad():
        output, _ = masked_forward(module, x, mask, zero_output=True)
    np.testing.assert_allclose(output.numpy(), keras_output, atol=TOLERANCE, rtol=0)
    assert not keras_output[2, 1:].any()


def test_the_examples_in_the_package_docstrings_run():
    """The API page (docs/convert/api.md) shows the modules' docstrings: their `>>>`
    examples are run here, as every example on the site is."""
    import doctest
    import importlib
    import pkgutil

    import weightatlas
    for info in pkgutil.iter_modules(weightatlas.__path__, "weightatlas."):
        if info.name.endswith("__main__"):
            continue
        failed, _ = doctest.testmod(importlib.import_module(info.name), optionflags=doctest.NORMALIZE_WHITESPACE)
        assert failed == 0, f"{info.name}: {failed} docstring example(s) failed"
