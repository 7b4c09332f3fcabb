"""weightatlas converts every Keras convolution to PyTorch and every nn.Conv and
nn.ConvTranspose to Keras with no silent wrong answer: a grid over kernel sizes (odd and
even), strides, dilation, padding (valid, same, causal; PyTorch's numbers), groups,
depth multipliers, output padding, data formats and bias on and off, each configuration
run through both libraries and compared to 1e-5 in float32; exact round trips; and every
refusal named. `make test` runs each grid's all-pairs sample, `make test-whole` all of it
(tests/sampling.py).
"""

import itertools
import warnings

import keras
import numpy as np
import pytest
import torch

from weightatlas import (ConversionError, UnsupportedLayer, UnsupportedOption, keras_to_torch,
                         plan_for, torch_to_keras)
from weightatlas import conv as package_conv

from tests.sampling import sampled

TOLERANCE = 1e-5
# Spatial sizes, odd and even so that strided "same" pads both ways, and larger than
# every channel count below: see test_keras_adds_a_channels_first_bias_along_the_last_axis.
SIZES = (13, 14, 12)


def randomised(layer, input_shape, seed=0):
    """The layer built for `input_shape`, its weights drawn at the scale of an
    initialiser (outputs near 1, so 1e-5 is a float32 comparison, not a loose one)."""
    layer.build(input_shape)
    rng = np.random.default_rng(seed)
    arrays = []
    for array in layer.get_weights():
        fan_in = max(1, int(np.prod(array.shape[:-1])))
        arrays.append((rng.normal(size=array.shape) / np.sqrt(fan_in)).astype(array.dtype))
    layer.set_weights(arrays)
    return layer


def channels_first(x, data_format):
    return x if data_format == "channels_first" else np.moveaxis(x, -1, 1)


def keras_output(layers, x):
    for layer in layers:
        x = layer(x)
    return keras.ops.convert_to_numpy(x)


def torch_output(module, x):
    with torch.no_grad(), warnings.catch_warnings():
        # PyTorch's own padding="same" with an even kernel says it copies the input
        warnings.filterwarnings("ignore", "Using padding='same' with even kernel")
        return module(torch.from_numpy(np.ascontiguousarray(x))).numpy()


def input_of(rank, channels, data_format, seed=1):
    spatial = SIZES[:rank]
    shape = (2, *spatial, channels) if data_format == "channels_last" else (2, channels, *spatial)
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# What TensorFlow's CPU kernels do not compute: some channels_first convolutions and
# dilated transposed ones raise. Such a case's outputs are compared when these tests run
# under the torch backend (test_package_install); its weights are converted under both.
TENSORFLOW_CPU_LIMITS = ("only supports NHWC", "only supports NDHWC",
                         "only supports the NHWC tensor format",
                         "do not yet support dilation rates larger than 1",
                         "does not yet support dilation rates larger than 1")


def assert_same_outputs(keras_layers, module, x, data_format):
    try:
        keras_values = keras_output(keras_layers, x)
    except Exception as error:
        if keras.backend.backend() != "tensorflow" or not any(
                limit in str(error) for limit in TENSORFLOW_CPU_LIMITS):
            raise
        return
    expected = channels_first(keras_values, data_format)
    actual = torch_output(module, channels_first(x, data_format))
    assert actual.shape == expected.shape
    assert float(np.max(np.abs(actual - expected))) <= TOLERANCE


def case_id(case):
    return "-".join(f"{key}={value}" for key, value in case.items() if key != "cls")


def round_trips(layer, module):
    """Keras -> PyTorch -> Keras gives every array back exactly (in channels_last for
    one spatial axis: keras.layers.Cropping1D has no data_format)."""
    data_format = layer.data_format if layer.rank > 1 else "channels_last"
    back = torch_to_keras(module if not isinstance(module, torch.nn.Sequential) else
                          next(m for m in module if isinstance(m, torch.nn.modules.conv._ConvNd)),
                          data_format=data_format)
    conv = next(layer for layer in back if "Conv" in type(layer).__name__)
    for array, again in zip(layer.get_weights(), conv.get_weights(), strict=True):
        np.testing.assert_array_equal(again, array)


# --- Keras -> PyTorch: the grid -------------------------------------------------------------

def varied(cases):
    """The cases, each given bias on or off and a data format in turn: every option of a
    case meets both of each, at a quarter of the product's size."""
    for index, case in enumerate(cases):
        yield {**case, "bias": index % 2 == 0,
               "data_format": ("channels_last", "channels_first")[index // 2 % 2]}


def _forward_cases():
    for rank, kernel, (stride, dilation), padding, groups in itertools.product(
            (1, 2, 3), (3, 2), ((1, 1), (2, 1), (1, 2)), ("valid", "same", "causal"), (1, 2)):
        if padding == "causal" and rank != 1:
            continue
        yield dict(cls=f"Conv{rank}D", rank=rank, kernel=kernel, stride=stride,
                   dilation=dilation, padding=padding, groups=groups)


FORWARD_GRID = sampled("converter: keras convolutions", list(varied(_forward_cases())))


@pytest.mark.parametrize("case", FORWARD_GRID, ids=case_id)
def test_keras_convolutions_and_their_modules_compute_the_same(case):
    channels = 4
    layer = getattr(keras.layers, case["cls"])(
        4, case["kernel"], strides=case["stride"], dilation_rate=case["dilation"],
        padding=case["padding"], groups=case["groups"], use_bias=case["bias"],
        data_format=case["data_format"])
    x = input_of(case["rank"], channels, case["data_format"])
    randomised(layer, (None, *x.shape[1:]))
    module = keras_to_torch(layer)
    assert_same_outputs([layer], module, x, case["data_format"])
    round_trips(layer, module)


def _transposed_cases():
    for rank, kernel, (stride, dilation), padding, output_padding in itertools.product(
            (1, 2, 3), (3, 4, 1), ((1, 1), (2, 1), (3, 1), (1, 2)), ("valid", "same"),
            (None, 0, 1)):
        if output_padding is not None and output_padding >= stride:
            continue  # Keras refuses it
        yield dict(cls=f"Conv{rank}DTranspose", rank=rank, kernel=kernel, stride=stride,
                   dilation=dilation, padding=padding, output_padding=output_padding)


TRANSPOSED_GRID = sampled("converter: keras transposed convolutions", list(varied(_transposed_cases())))


@pytest.mark.parametrize("case", TRANSPOSED_GRID, ids=case_id)
def test_keras_transposed_convolutions_and_their_modules_compute_the_same(case):
    layer = getattr(keras.layers, case["cls"])(
        5, case["kernel"], strides=case["stride"], dilation_rate=case["dilation"],
        padding=case["padding"], output_padding=case["output_padding"],
        use_bias=case["bias"], data_format=case["data_format"])
    x = input_of(case["rank"], 3, case["data_format"])
    randomised(layer, (None, *x.shape[1:]))
    span_odd = case["kernel"] % 2 if case["dilation"] == 1 else 1
    if keras.backend.backend() == "tensorflow" and case["padding"] == "same" and \
            case["output_padding"] is not None and \
            not 0 < span_odd + case["output_padding"] <= case["stride"]:
        # TensorFlow cannot run it: refused, and the layer indeed raises
        with pytest.raises(UnsupportedOption, match="TensorFlow cannot run it"):
            keras_to_torch(layer)
        if case["data_format"] == "channels_last":  # channels_first never runs there
            with pytest.raises(Exception, match="doesn't match computed"):
                keras_output([layer], x)
        return
    module = keras_to_torch(layer)
    assert_same_outputs([layer], module, x, case["data_format"])
    round_trips(layer, module)


def _depthwise_cases():
    for cls, rank in (("DepthwiseConv1D", 1), ("DepthwiseConv2D", 2),
                      ("SeparableConv1D", 1), ("SeparableConv2D", 2)):
        for kernel, (stride, dilation), padding, multiplier in itertools.product(
                (3, 2), ((1, 1), (2, 1), (1, 2)), ("valid", "same"), (1, 2)):
            yield dict(cls=cls, rank=rank, kernel=kernel, stride=stride, dilation=dilation,
                       padding=padding, multiplier=multiplier)


DEPTHWISE_GRID = sampled("converter: keras depthwise and separable convolutions", list(varied(_depthwise_cases())))


@pytest.mark.parametrize("case", DEPTHWISE_GRID, ids=lambda c: c["cls"] + "-" + case_id(c))
def test_keras_depthwise_and_separable_convolutions_compute_the_same(case):
    options = dict(strides=case["stride"], dilation_rate=case["dilation"],
                   padding=case["padding"], depth_multiplier=case["multiplier"],
                   use_bias=case["bias"], data_format=case["data_format"])
    cls = getattr(keras.layers, case["cls"])
    layer = cls(5, case["kernel"], **options) if "Separable" in case["cls"] else \
        cls(case["kernel"], **options)
    x = input_of(case["rank"], 2, case["data_format"])
    randomised(layer, (None, *x.shape[1:]))
    module = keras_to_torch(layer)
    assert_same_outputs([layer], module, x, case["data_format"])
    convs = [m for m in (module if isinstance(module, torch.nn.Sequential) else [module])
             if isinstance(m, torch.nn.modules.conv._ConvNd)]
    assert convs[0].groups == 2 and convs[0].out_channels == 2 * case["multiplier"]
    assert len(convs) == (2 if "Separable" in case["cls"] else 1)


# --- PyTorch -> Keras: the grid -------------------------------------------------------------

def _torch_cases():
    for rank, kernel, stride, dilation, padding, groups in itertools.product(
            (1, 2, 3), (3, 2), (1, 2), (1, 2), (0, 1, 2, "same"), (1, 2)):
        if padding == "same" and stride != 1:
            continue  # PyTorch refuses it
        yield dict(rank=rank, kernel=kernel, stride=stride, dilation=dilation,
                   padding=padding, groups=groups)


TORCH_GRID = sampled("converter: nn.Conv", list(varied(_torch_cases())))


def torch_randomised(module, seed=0):
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.randn(parameter.shape, generator=generator)
                            / np.sqrt(max(1, parameter[0].numel())))
    return module


@pytest.mark.parametrize("case", TORCH_GRID, ids=case_id)
def test_torch_convolutions_and_their_keras_layers_compute_the_same(case):
    data_format = case["data_format"]
    module = torch_randomised(getattr(torch.nn, f"Conv{case['rank']}d")(
        4, 4, case["kernel"], stride=case["stride"], dilation=case["dilation"],
        padding=case["padding"], groups=case["groups"], bias=case["bias"]))
    if case["stride"] > 1 and case["dilation"] > 1:
        with pytest.raises(UnsupportedOption, match="Keras cannot build"):
            torch_to_keras(module, data_format=data_format)
        return
    layers = torch_to_keras(module, data_format=data_format)
    assert_same_outputs(layers, module, input_of(case["rank"], 4, data_format), data_format)


def _torch_transposed_cases():
    for rank, kernel, stride, dilation, padding, output_padding in itertools.product(
            (1, 2, 3), (3, 4), (1, 2, 3), (1, 2), (0, 1, 2), (0, 1, 2)):
        if output_padding >= max(stride, dilation):
            continue  # PyTorch refuses it
        yield dict(rank=rank, kernel=kernel, stride=stride, dilation=dilation,
                   padding=padding, output_padding=output_padding)


TORCH_TRANSPOSED_GRID = sampled("converter: nn.ConvTranspose", list(varied(_torch_transposed_cases())))


@pytest.mark.parametrize("case", TORCH_TRANSPOSED_GRID, ids=case_id)
def test_torch_transposed_convolutions_and_their_keras_layers_compute_the_same(case):
    module = torch_randomised(getattr(torch.nn, f"ConvTranspose{case['rank']}d")(
        3, 5, case["kernel"], stride=case["stride"], dilation=case["dilation"],
        padding=case["padding"], output_padding=case["output_padding"], bias=case["bias"]))
    # Cropping1D reads channels last only: refused in channels_first (tested below)
    data_format = case["data_format"] if case["rank"] > 1 else "channels_last"
    expect_refusal = (case["stride"] > 1 and case["dilation"] > 1) or \
        case["output_padding"] - case["padding"] >= case["stride"]
    if expect_refusal:
        with pytest.raises(UnsupportedOption, match="Keras cannot build"):
            torch_to_keras(module, data_format=data_format)
        return
    layers = torch_to_keras(module, data_format=data_format)
    assert_same_outputs(layers, module, input_of(case["rank"], 3, data_format), data_format)


# --- What the grid found in the libraries ---------------------------------------------------

def test_keras_adds_a_channels_first_bias_along_the_last_axis_when_its_size_is_the_filters():
    """Keras' ops.add on TensorFlow runs x + bias.reshape(1, C, 1) as a bias_add, and
    takes x for channels_last whenever x's last axis also has C entries: a channels_first
    convolution whose last spatial size equals its filters adds its bias along that axis.
    The converted module adds it per channel, as the layer means to, and as it does on
    the torch backend and on TensorFlow when the sizes differ (the grid above)."""
    # Conv3D: TensorFlow's CPU runs channels_first 3-D convolutions (Keras compiles them)
    layer = randomised(keras.layers.Conv3D(4, 2, data_format="channels_first"),
                       (None, 3, 6, 6, 5))
    x = input_of(3, 3, "channels_first")[:, :, :6, :6, :5]
    module = keras_to_torch(layer)
    per_channel = torch_output(module, x)
    assert per_channel.shape[1:] == (4, 5, 5, 4)  # filters == last spatial size
    bias = layer.get_weights()[1]
    along_last_axis = per_channel - bias[None, :, None, None, None] + bias
    keras_values = keras_output([layer], x)
    if keras.backend.backend() == "tensorflow":
        np.testing.assert_allclose(keras_values, along_last_axis, atol=TOLERANCE)
        assert float(np.max(np.abs(keras_values - per_channel))) > 0.1
    else:
        np.testing.assert_allclose(keras_values, per_channel, atol=TOLERANCE)


# --- Options that need more than the kernel --------------------------------------------------

def test_strided_same_padding_needs_the_input_size_and_is_right_for_it():
    """TensorFlow's strided "same" pads by size % stride: known from the build, or given."""
    layer = keras.layers.Conv2D(4, 3, strides=2, padding="same", name="down")
    randomised(layer, (None, None, None, 3))
    with pytest.raises(ConversionError, match=r"down has padding='same' and strides=\(2, 2\)"):
        keras_to_torch(layer)
    for size in (13, 14):  # 13 pads (1, 1), 14 pads (0, 1): two different modules
        x = np.random.default_rng(size).normal(size=(2, size, size, 3)).astype("float32")
        module = keras_to_torch(layer, input_shape=(None, size, size, 3))
        assert_same_outputs([layer], module, x, "channels_last")
        plan = plan_for(layer, input_shape=(None, size, size, 3))
        assert plan.rows()[0][1] == ("1.weight" if isinstance(module, torch.nn.Sequential)
                                     else "weight")


def test_a_convolution_activation_becomes_a_module_after_it():
    layer = randomised(keras.layers.Conv2D(4, 3, activation="relu"), (None, 13, 14, 3))
    module = keras_to_torch(layer)
    assert isinstance(module, torch.nn.Sequential) and isinstance(module[1], torch.nn.ReLU)
    assert_same_outputs([layer], module, input_of(2, 3, "channels_last"), "channels_last")


def test_a_softmax_runs_along_the_channels_of_a_channels_last_layer():
    """Keras' softmax takes the last axis: the channels in channels_last, which are
    PyTorch's axis 1; in channels_first, the last spatial axis, PyTorch's too."""
    for data_format, dim in (("channels_last", 1), ("channels_first", -1)):
        layer = randomised(keras.layers.Conv3D(4, 2, activation="softmax",
                                               data_format=data_format),
                           (None, 13, 14, 12, 3) if data_format == "channels_last"
                           else (None, 3, 13, 14, 12))
        module = keras_to_torch(layer)
        assert module[-1].dim == dim
        assert_same_outputs([layer], module, input_of(3, 3, data_format), data_format)


def test_an_activation_no_module_computes_is_refused_naming_the_convolution():
    layer = randomised(keras.layers.Conv1D(4, 3, activation=lambda x: 3 * x), (None, 13, 2))
    with pytest.raises(UnsupportedOption, match=r"yourself after the nn\.Conv1d"):
        keras_to_torch(layer)


def test_a_lora_convolution_converts_with_its_update_added():
    layer = randomised(keras.layers.Conv2D(4, 3), (None, 13, 14, 3))
    layer.enable_lora(2)
    rng = np.random.default_rng(3)
    for variable in (layer.lora_kernel_a, layer.lora_kernel_b):
        variable.assign(rng.normal(size=variable.shape).astype("float32") / 3)
    module = keras_to_torch(layer)
    assert_same_outputs([layer], module, input_of(2, 3, "channels_last"), "channels_last")
    assert "LoRA update added" in plan_for(layer).rows()[0][-1]


def test_float64_convolutions_stay_float64():
    layer = randomised(keras.layers.Conv1D(4, 3, dtype="float64"), (None, 13, 2))
    module = keras_to_torch(layer)
    assert module.weight.dtype == torch.float64
    (back,) = torch_to_keras(module)
    assert back.dtype == "float64"


def test_plans_name_every_array_moved():
    conv = randomised(keras.layers.Conv2D(4, (3, 5), name="conv"), (None, 13, 14, 2))
    assert plan_for(conv).rows() == [
        ("conv/kernel", "weight", (3, 5, 2, 4), (4, 2, 3, 5), "axes (h, w, in, out) → (out, in, h, w)"),
        ("conv/bias", "bias", (4,), (4,), "copy"),
    ]
    up = randomised(keras.layers.Conv1DTranspose(4, 3, name="up"), (None, 13, 2))
    assert plan_for(up).rows()[0] == (
        "up/kernel", "weight", (3, 4, 2), (2, 4, 3), "axes (w, out, in) → (in, out, w)")
    separable = randomised(keras.layers.SeparableConv2D(5, 3, depth_multiplier=2, name="sep"),
                           (None, 13, 14, 3))
    assert plan_for(separable, torch_prefix="block.").rows() == [
        ("sep/depthwise_kernel", "block.0.weight", (3, 3, 3, 2), (6, 1, 3, 3),
         "reshape (h, w, in, multiplier) → (h, w, 1, in · multiplier); "
         "axes (h, w, in, out) → (out, in, h, w)"),
        ("sep/pointwise_kernel", "block.1.weight", (1, 1, 6, 5), (5, 6, 1, 1),
         "axes (h, w, in, out) → (out, in, h, w)"),
        ("sep/bias", "block.1.bias", (5,), (5,), "copy"),
    ]
    module = torch.nn.Conv3d(2, 4, 3, bias=False)
    (layer,) = torch_to_keras(module)
    assert plan_for(module, keras_layers=[layer]).rows() == [
        (layer.kernel.path, "weight", (3, 3, 3, 2, 4), (4, 2, 3, 3, 3),
         "axes (d, h, w, in, out) → (out, in, d, h, w)")]


def test_pytorch_padding_becomes_a_padding_or_cropping_layer_only_when_needed():
    def classes(module):
        return [type(layer).__name__ for layer in torch_to_keras(module)]

    assert classes(torch.nn.Conv2d(3, 4, 3, padding=1)) == ["Conv2D"]  # Keras' "same"
    assert classes(torch.nn.Conv2d(3, 4, 3, padding=2)) == ["ZeroPadding2D", "Conv2D"]
    assert classes(torch.nn.Conv2d(3, 4, 3, stride=2, padding=1)) == ["ZeroPadding2D", "Conv2D"]
    assert classes(torch.nn.ConvTranspose2d(3, 4, 4, stride=2, padding=1)) == ["Conv2DTranspose"]
    assert classes(torch.nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)) == [
        "Conv2DTranspose", "Cropping2D"]


# --- Refusals ----------------------------------------------------------------------------------

def test_an_unbuilt_layer_is_refused_saying_how_to_build_it():
    with pytest.raises(ConversionError, match=r"build it first.*\(None, \.\.\., \.\.\., channels\)"):
        keras_to_torch(keras.layers.Conv2D(3, 3))


def test_a_subclass_that_computes_something_else_is_refused():
    class Doubled(keras.layers.Conv1D):
        def call(self, inputs):
            return 2 * super().call(inputs)

    layer = randomised(Doubled(3, 2), (None, 13, 2))
    with pytest.raises(UnsupportedOption, match="overrides call"):
        keras_to_torch(layer)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
def test_padding_other_than_zeros_is_refused(mode):
    with pytest.raises(UnsupportedOption, match=f"padding_mode='{mode}'"):
        torch_to_keras(torch.nn.Conv2d(3, 4, 3, padding=1, padding_mode=mode))


def test_a_grouped_transposed_convolution_is_refused():
    with pytest.raises(UnsupportedOption, match=r"groups=2\) has no Keras equivalent"):
        torch_to_keras(torch.nn.ConvTranspose2d(4, 6, 3, groups=2))


def test_a_cropping_one_dimensional_layer_needs_channels_last():
    with pytest.raises(UnsupportedOption, match="Cropping1D reads channels last only"):
        torch_to_keras(torch.nn.ConvTranspose1d(3, 4, 3, padding=2), data_format="channels_first")


def test_an_uninitialised_lazy_module_is_refused():
    with pytest.raises(ConversionError, match="run it once on data first"):
        torch_to_keras(torch.nn.LazyConv2d(4, 3))


def test_a_convolution_in_a_stack_is_sent_to_be_converted_on_its_own():
    lstm = keras.layers.LSTM(3)
    lstm.build((None, None, 2))
    conv = randomised(keras.layers.Conv1D(3, 2, name="features"), (None, 13, 3))
    with pytest.raises(UnsupportedLayer, match=r"convert the Conv1D on its own, "
                                               r"keras_to_torch\(features\)"):
        keras_to_torch([conv, lstm])


def test_every_keras_convolution_is_converted():
    """Every convolution keras.layers has, but the recurrent ConvLSTMs (no torch.nn
    module computes them)."""
    convolutions = {name for name in dir(keras.layers)
                    if "Conv" in name and not name.startswith("ConvLSTM")
                    and isinstance(getattr(keras.layers, name), type)}
    aliases = {name for name in convolutions if name.startswith(("Convolution", "Separable"))
               and getattr(keras.layers, name).__name__ != name}
    assert convolutions - aliases == set(package_conv.KERAS_CLASSES)
