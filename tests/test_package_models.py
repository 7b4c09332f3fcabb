"""weightatlas converts whole models: a Keras model that is a chain of dense, embedding,
convolution, pooling, flatten, activation, dropout and recurrent layers to one PyTorch
module, and an nn.Sequential of their modules back to a Keras model. Proven on models
trained here (a CNN on scikit-learn's digits, its channels_first variant, a masked
Embedding -> LSTM -> Dense classifier) and on a set of small models covering each layer's
options; each compared to 1e-5 in float32, round trips exact, refusals named before any
weight is written.
"""

import keras
import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from weightatlas import (ConversionError, UnsupportedLayer, UnsupportedOption, keras_to_torch,
                         plan_for, torch_to_keras)
from weightatlas.models import ConvertedModel, MoveAxes, RecurrentLayer

TOLERANCE = 1e-5
# TensorFlow's CPU kernels run no channels_first convolution or pooling: those models'
# outputs are compared when these tests run under the torch backend (test_package_install).
TENSORFLOW_CPU_LIMIT = "only supports the NHWC tensor format"
CF = {"data_format": "channels_first"}


def keras_values(model, x):
    return keras.ops.convert_to_numpy(model(x))


def torch_values(module, x):
    """The module run on the Keras input x, its axes moved as the module reads them, and
    its output's axes moved back to Keras' order."""
    tensor = torch.from_numpy(np.ascontiguousarray(x))
    if tensor.dim() > 1 and tensor.is_floating_point():
        tensor = tensor.permute(*module.keras_input_axes)
    with torch.no_grad():
        output = module.eval()(tensor)
    return output.permute(*np.argsort(module.keras_output_axes).tolist()).numpy()


def runs_on_this_backend(model, x):
    """Keras' output, or None where TensorFlow's CPU kernels refuse channels_first."""
    try:
        return keras_values(model, x)
    except Exception as error:
        if keras.backend.backend() == "tensorflow" and TENSORFLOW_CPU_LIMIT in str(error):
            return None
        raise


def raised(function, *arguments, error=ConversionError, **options):
    with pytest.raises(error) as caught:
        function(*arguments, **options)
    return str(caught.value)


def randomised(model, seed=0):
    rng = np.random.default_rng(seed)
    model.set_weights([(rng.normal(size=w.shape) / np.sqrt(max(1, np.prod(w.shape[:-1]))))
                       .astype(w.dtype) for w in model.get_weights()])
    return model


# --- Models trained here ----------------------------------------------------------------


def digits():
    data = load_digits()
    images = (data.images[..., None] / 16).astype("float32")  # (1797, 8, 8, 1)
    return images[:1500], data.target[:1500], images[1500:], data.target[1500:]


def digits_cnn(data_format="channels_last"):
    options = {"data_format": data_format}
    shape = (8, 8, 1) if data_format == "channels_last" else (1, 8, 8)
    return keras.Sequential([
        keras.Input(shape),
        keras.layers.Conv2D(8, 3, padding="same", activation="relu", **options),
        keras.layers.MaxPooling2D(**options),
        keras.layers.Conv2D(16, 3, activation="relu", **options),
        keras.layers.Flatten(**options),
        keras.layers.Dropout(0.2),
        keras.layers.Dense(10, activation="softmax"),
    ])


@pytest.fixture(scope="module")
def trained_cnn():
    keras.utils.set_random_seed(0)
    x, y, x_test, y_test = digits()
    model = digits_cnn()
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=12, batch_size=32, verbose=0)
    return model, x_test, y_test


def test_a_cnn_trained_on_digits_converts_whole_and_predicts_the_same(trained_cnn):
    model, x, y = trained_cnn
    expected = keras_values(model, x)
    assert (expected.argmax(1) == y).mean() > 0.8  # it learned the digits (chance: 0.1)
    module = keras_to_torch(model)
    assert isinstance(module, ConvertedModel) and module.keras_input_axes == (0, 3, 1, 2)
    actual = torch_values(module, x)
    assert float(np.abs(actual - expected).max()) <= TOLERANCE
    assert (actual.argmax(1) == expected.argmax(1)).all()


def test_after_flatten_the_dense_kernel_takes_pytorchs_order_or_the_cnn_is_wrong(trained_cnn):
    """The plan permutes the Dense's rows from Flatten's (h, w, c) to (c, h, w); the
    same kernel only transposed, as a layer-by-layer conversion gives it, predicts
    other digits."""
    model, x, y = trained_cnn
    plan = plan_for(model)
    kernel = model.layers[-1].kernel
    dense_kernel = next(row for row in plan.rows() if row[0] == kernel.path)
    assert dense_kernel[1:4] == ("5.0.weight", (64, 10), (10, 64))
    assert dense_kernel[4] == "rows as (2, 2, 16) → (16, 2, 2), Flatten's order in PyTorch; transpose"
    module = keras_to_torch(model)
    with torch.no_grad():
        module[5][0].weight.copy_(torch.from_numpy(kernel.numpy().T.copy()))
    naive = torch_values(module, x)
    right = keras_values(model, x)
    assert float(np.abs(naive - right).max()) > 0.5
    assert (naive.argmax(1) == y).mean() < (right.argmax(1) == y).mean() - 0.3


def test_the_trained_cnn_goes_back_to_keras_exactly_and_to_channels_first(trained_cnn):
    model, x, _ = trained_cnn
    module = keras_to_torch(model)
    back = torch_to_keras(module, input_shape=(1, 8, 8))
    assert back.input_shape == (None, 8, 8, 1)
    np.testing.assert_array_equal(keras_values(back, x), keras_values(model, x))
    first = torch_to_keras(module, input_shape=(1, 8, 8), data_format="channels_first")
    assert first.input_shape == (None, 1, 8, 8)
    values = runs_on_this_backend(first, x.transpose(0, 3, 1, 2))
    if values is not None:
        assert float(np.abs(values - keras_values(model, x)).max()) <= TOLERANCE


def test_a_channels_first_cnn_trained_here_converts_and_moves_to_channels_last():
    """The channels_first variant: its Flatten(data_format="channels_first") lists the
    values as (h, w, c) too, so its Dense takes PyTorch's order the same way; through
    PyTorch it becomes a channels_last Keras model computing the same."""
    keras.utils.set_random_seed(1)
    x, y, x_test, _ = digits()
    model = digits_cnn("channels_first")
    x, x_test = x.transpose(0, 3, 1, 2), x_test.transpose(0, 3, 1, 2)
    if runs_on_this_backend(model, x_test[:2]) is None:
        module = keras_to_torch(model)  # the conversion itself runs on any backend
        assert module.keras_input_axes == (0, 1, 2, 3)
        return
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=5, batch_size=32, verbose=0)
    expected = keras_values(model, x_test)
    module = keras_to_torch(model)
    assert module.keras_input_axes == (0, 1, 2, 3)  # already PyTorch's layout
    assert float(np.abs(torch_values(module, x_test) - expected).max()) <= TOLERANCE
    last = torch_to_keras(module, input_shape=(1, 8, 8), data_format="channels_last")
    moved = keras_values(last, x_test.transpose(0, 2, 3, 1))
    assert float(np.abs(moved - expected).max()) <= TOLERANCE


def test_a_masked_embedding_lstm_dense_classifier_trained_here_converts_whole():
    """The mask of Embedding(mask_zero=True) reaches the LSTM in PyTorch as packed
    sequences: the padded steps change nothing, as in Keras; without the mask they do.
    The classifier is the one the conversion page's snippet trains on padded sequences."""
    from snippets.convert import whole_model

    model, test_tokens = whole_model.model, whole_model.test_tokens
    module = keras_to_torch(model)
    assert module.mask_zero
    expected = keras_values(model, test_tokens)
    assert float(np.abs(torch_values(module, test_tokens) - expected).max()) <= TOLERANCE
    module.mask_zero = False
    unmasked = torch_values(module, test_tokens)
    assert float(np.abs(unmasked - expected).max()) > 1e-2
    module.mask_zero = True
    back = torch_to_keras(module, input_shape=(10,))
    assert back.layers[0].mask_zero
    np.testing.assert_array_equal(keras_values(back, test_tokens), expected)


# --- Small models, each layer's options ---------------------------------------------------


def small_models():
    """(name, model, input) for each layer and option the whole-model conversion
    matches, with the layout moves between them."""
    rng = np.random.default_rng(3)
    image = rng.normal(size=(3, 9, 9, 2)).astype("float32")
    sequence = rng.normal(size=(3, 12, 3)).astype("float32")
    volume = rng.normal(size=(2, 5, 6, 7, 2)).astype("float32")
    tokens = np.array([[4, 5, 6, 0], [7, 1, 0, 0], [2, 2, 2, 2]], dtype="int32")
    L = keras.layers

    def chain(shape, *layers, dtype=None):
        return keras.Sequential([keras.Input(shape, dtype=dtype), *layers])

    inputs = keras.Input((9, 9, 2))
    hidden = L.Conv2D(4, 3, activation="tanh")(inputs)
    functional = keras.Model(inputs, L.Dense(3)(L.GlobalMaxPooling2D()(hidden)))
    return [
        ("max pool same, odd size", chain((9, 9, 2), L.Conv2D(3, 2), L.MaxPooling2D(2, padding="same"),
                                          L.Flatten(), L.Dense(4)), image),
        ("average pool same, even pads", chain((9, 9, 2), L.AveragePooling2D(3, 1, padding="same"),
                                                L.Flatten(), L.Dense(4)), image),
        ("average pool valid, strided", chain((9, 9, 2), L.AveragePooling2D(3, 2), L.Flatten()), image),
        ("flatten last: values in Keras' order", chain((9, 9, 2), L.Conv2D(3, 3), L.Flatten()), image),
        ("flatten, activation, dropout, dense", chain((9, 9, 2), L.Conv2D(3, 3), L.Flatten(),
                                                      L.ReLU(), L.Dropout(0.5), L.Dense(4)), image),
        ("softmax layer after a convolution", chain((9, 9, 2), L.Conv2D(3, 3), L.Softmax()), image),
        ("leaky relu and elu layers", chain((9, 9, 2), L.Conv2D(3, 3), L.LeakyReLU(0.3), L.ELU(0.5),
                                            L.GlobalAveragePooling2D(), L.Dense(2)), image),
        ("global pooling keepdims", chain((9, 9, 2), L.Conv2D(3, 3), L.GlobalAveragePooling2D(keepdims=True),
                                          L.Flatten(), L.Dense(2)), image),
        ("spatial dropout", chain((9, 9, 2), L.Conv2D(3, 3), L.SpatialDropout2D(0.3), L.Flatten(),
                                  L.Dense(2)), image),
        ("dense on images", chain((9, 9, 2), L.Dense(5), L.Conv2D(3, 3), L.Flatten(), L.Dense(2)), image),
        ("functional, global max pooling", functional, image),
        ("conv1d causal, lstm, global average", chain((12, 3), L.Conv1D(5, 3, padding="causal"),
                                                      L.MaxPooling1D(2), L.LSTM(4, return_sequences=True),
                                                      L.GlobalAveragePooling1D(), L.Dense(2)), sequence),
        ("bidirectional last state", chain((12, 3), L.Bidirectional(L.GRU(4)), L.Dense(2)), sequence),
        ("simple rnn stack", chain((12, 3), L.SimpleRNN(4, return_sequences=True), L.SimpleRNN(3),
                                   L.Dense(2)), sequence),
        ("conv3d, pool, flatten", chain((5, 6, 7, 2), L.Conv3D(3, 2, strides=2, padding="same"),
                                        L.MaxPooling3D(2, padding="same"), L.Flatten(), L.Dense(2)), volume),
        ("masked bidirectional, sequences", chain((4,), L.Embedding(9, 3, mask_zero=True),
                                                  L.Bidirectional(L.LSTM(2, return_sequences=True)),
                                                  L.Dense(2), dtype="int32"), tokens),
    ]


SMALL = small_models()


@pytest.mark.parametrize("name, model, x", SMALL, ids=[case[0] for case in SMALL])
def test_small_models_compute_the_same_and_come_back_exactly(name, model, x):
    randomised(model)
    expected = keras_values(model, x)
    module = keras_to_torch(model)
    assert float(np.abs(torch_values(module, x) - expected).max()) <= TOLERANCE
    torch_shape = tuple(np.array(x.shape[1:])[np.array(module.keras_input_axes[1:]) - 1])
    back = torch_to_keras(module, input_shape=torch_shape)
    np.testing.assert_allclose(keras_values(back, x), expected, atol=1e-6, rtol=0)


def test_a_layout_move_is_a_module_only_where_a_layer_needs_it():
    """Conv1D reads channels first in PyTorch and the LSTM after it steps first: a MoveAxes
    between them, none before the convolution (the module's input is channels first)."""
    model = dict((case[0], case[1]) for case in SMALL)["conv1d causal, lstm, global average"]
    module = keras_to_torch(model)
    kinds = [type(part).__name__ for part in module]
    assert kinds == ["Sequential", "MaxPool1d", "MoveAxes", "RecurrentLayer", "MoveAxes",
                     "Sequential", "Linear"]
    assert module[2].dims == (0, 2, 1) and module.keras_input_axes == (0, 2, 1)


def test_the_plan_of_an_nn_sequential_is_what_torch_to_keras_writes(trained_cnn):
    """plan_for(module, input_shape=...) lists every parameter with its Keras path, the
    Linear after nn.Flatten with its columns moved to Keras' order; applied to the
    module's state_dict it gives the converted model's weights."""
    model, _, _ = trained_cnn
    module = keras_to_torch(model)
    plan = plan_for(module, input_shape=(1, 8, 8))
    assert plan.direction == "torch_to_keras"
    assert {row[1] for row in plan.rows()} == set(module.state_dict())
    linear = next(row for row in plan.rows() if row[1] == "5.0.weight")
    assert linear[4].startswith("rows as (2, 2, 16) → (16, 2, 2)")
    back = torch_to_keras(module, input_shape=(1, 8, 8))
    arrays = {key: value.numpy() for key, value in module.state_dict().items()}
    written = plan.apply(arrays)
    # Keras names the layers as it makes them, so the two models' paths differ: their
    # arrays are compared in order, layer by layer.
    planned = [written[path] for path, *_ in plan.rows()]
    kept = [variable.numpy() for layer in back.layers for variable in layer.weights]
    assert len(planned) == len(kept)
    for planned_array, kept_array in zip(planned, kept):
        np.testing.assert_array_equal(planned_array, kept_array)


def test_the_plan_is_what_keras_to_torch_writes(trained_cnn):
    model, _, _ = trained_cnn
    plan = plan_for(model)
    arrays = {v.path: v.numpy() for v in model.weights}
    state = plan.apply(arrays)
    module = keras_to_torch(model)
    assert set(state) == set(module.state_dict())
    for key, value in module.state_dict().items():
        np.testing.assert_array_equal(value.numpy(), state[key])


# --- Refusals ---------------------------------------------------------------------------------


def test_what_a_whole_model_cannot_hold_is_refused_by_name_before_any_weight():
    L = keras.layers
    inputs = keras.Input((4,))
    branched = keras.Model(inputs, L.Add(name="merge")([L.Dense(3)(inputs), L.Dense(3)(inputs)]))
    assert "does not read only the output" in raised(keras_to_torch, branched, error=UnsupportedLayer)
    norm = keras.Sequential([keras.Input((4,)), L.Dense(3), L.BatchNormalization(name="bn")])
    message = raised(keras_to_torch, norm, error=UnsupportedLayer)
    assert "bn (BatchNormalization)" in message and "Nothing was converted" in message
    shared = L.Dense(4, name="shared")
    inputs = keras.Input((4,))
    twice = keras.Model(inputs, shared(shared(inputs)))
    assert "shared is called 2 times" in raised(keras_to_torch, twice, error=UnsupportedLayer)
    pooled = keras.Sequential([keras.Input((5,)), L.Embedding(9, 3, mask_zero=True),
                               L.GlobalAveragePooling1D(name="mean")])
    assert "mean (GlobalAveragePooling1D) receives the mask" in raised(
        keras_to_torch, pooled, error=UnsupportedOption)
    inputs = keras.Input((5, 2))
    output, *_ = L.LSTM(3, return_state=True, name="stateful_output")(inputs)
    state = keras.Model(inputs, L.Dense(2)(output))
    assert "stateful_output has return_state=True" in raised(keras_to_torch, state,
                                                             error=UnsupportedOption)
    uneven = keras.Sequential([keras.Input((8, 8, 1)), L.AveragePooling2D(2, padding="same"),
                               L.Conv2D(2, 1)])
    assert keras_to_torch(uneven)  # 8 by 2: no padding at all
    odd = keras.Sequential([keras.Input((7, 7, 1)), L.AveragePooling2D(2, padding="same", name="avg"),
                            L.Conv2D(2, 1)])
    assert "avg is an AveragePooling" in raised(keras_to_torch, odd, error=UnsupportedOption)
    unbuilt = keras.Sequential([L.Dense(3), L.Dense(2)])
    assert "keras.Input" in raised(keras_to_torch, unbuilt)


def test_what_an_nn_sequential_cannot_hold_is_refused_by_name():
    assert "input_shape" in raised(torch_to_keras, torch.nn.Sequential(torch.nn.Linear(3, 2)))
    norm = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.LayerNorm(2))
    assert "LayerNorm((2,)" in raised(torch_to_keras, norm, input_shape=(3,), error=UnsupportedLayer)
    raw = torch.nn.Sequential(torch.nn.LSTM(3, 2, batch_first=True))
    assert "RecurrentLayer" in raised(torch_to_keras, raw, input_shape=(5, 3), error=UnsupportedLayer)
    counted = torch.nn.Sequential(torch.nn.AvgPool2d(3, 1, padding=1), torch.nn.Flatten())
    assert "zeros counted" in raised(torch_to_keras, counted, input_shape=(1, 5, 5),
                                     error=UnsupportedLayer)
    assert "input_shape" in raised(plan_for, counted)


def test_the_modules_a_converted_model_adds_say_what_they_do():
    assert repr(MoveAxes((0, 2, 1))) == "MoveAxes(dims=(0, 2, 1))"
    layer = RecurrentLayer(torch.nn.GRU(3, 2, batch_first=True, bidirectional=True), False)
    assert "return_sequences=False" in repr(layer)
    assert tuple(layer(torch.zeros(1, 5, 3)).shape) == (1, 4)  # both directions' states
