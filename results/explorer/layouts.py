"""Every array, gate block, count and shape of real Keras and PyTorch layers over a grid.

The layout explorer (docs/explorer/layouts.md) computes these answers in the browser;
tests/test_explorer.py compares its answers with these for the whole grid. Each answer is
read from a layer built by the library: names and shapes from `model.weights` (Keras) or
`named_parameters()` (PyTorch), the count from `count_params()` or the sum of `numel()`,
output and state shapes from a symbolic Keras model or a PyTorch forward pass. A PyTorch
recurrent layer is built with batch_first=True, as the explorer's code builds it, and again
with PyTorch's default (batch_first=False), whose input and output shapes the answer keeps
too. Gate orders come from the snippets that prove them, never typed here.
"""
import inspect
import itertools

import keras
import numpy as np
import tensorflow as tf
import torch

from snippets.layers import (conv_depthwise, conv_groups, dense_higher_rank, embedding_layout,
                             keras3_layer, readers_network, unfold_layer)
from snippets.lstm import gate_order as lstm_keras_order
from snippets.lstm import pytorch_gate_order as lstm_torch_order
from snippets.lstm import reader_model
from snippets.pytorch import gru_gate_order as gru_torch_order
from snippets.pytorch import names as torch_names
from snippets.rnn import bidirectional_weights, gru_layout, simple_rnn_weights
from snippets.rnn import gru_gate_order as gru_keras_order

# What a configuration holds, and its value when an option does not apply to the layer
# (the explorer's JavaScript uses the same defaults: docs/javascripts/explorer.js).
DEFAULTS = {
    "framework": "keras", "layer": "lstm", "features": 5, "units": 3, "timesteps": 7,
    "kernel_size": 3, "bidirectional": False, "layers": 1, "bias": True,
    "return_sequences": True, "reset_after": True, "strides": 1, "dilation": 1,
    "padding": "valid", "groups": 1, "depth_multiplier": 1, "data_format": "channels_last",
}
RECURRENT = ("simple_rnn", "lstm", "gru")
# Each convolution the explorer offers: its family and its number of spatial axes. A
# depthwise convolution is PyTorch's Conv with groups=in_channels; a separable one adds a
# 1 x 1 Conv after it (docs/layers/convolutions.md proves both).
CONVOLUTIONS = {
    "conv1d": ("conv", 1), "conv2d": ("conv", 2), "conv3d": ("conv", 3),
    "conv1d_transpose": ("transpose", 1), "conv2d_transpose": ("transpose", 2),
    "conv3d_transpose": ("transpose", 3),
    "depthwise_conv1d": ("depthwise", 1), "depthwise_conv2d": ("depthwise", 2),
    "separable_conv1d": ("separable", 1), "separable_conv2d": ("separable", 2),
}
KERAS_CONVOLUTIONS = {
    "conv1d": keras.layers.Conv1D, "conv2d": keras.layers.Conv2D, "conv3d": keras.layers.Conv3D,
    "conv1d_transpose": keras.layers.Conv1DTranspose,
    "conv2d_transpose": keras.layers.Conv2DTranspose,
    "conv3d_transpose": keras.layers.Conv3DTranspose,
    "depthwise_conv1d": keras.layers.DepthwiseConv1D,
    "depthwise_conv2d": keras.layers.DepthwiseConv2D,
    "separable_conv1d": keras.layers.SeparableConv1D,
    "separable_conv2d": keras.layers.SeparableConv2D,
}
# What either library raises for a configuration it refuses (the explorer refuses the same).
REFUSALS = (ValueError, RuntimeError, TypeError)
# A batch size no size of the grid uses: where it appears in a shape, the shape says "batch".
BATCH = 97

GATE_ORDERS = {
    ("keras", "simple_rnn"): ("h",),
    ("keras", "lstm"): lstm_keras_order.proven_order,
    ("keras", "gru"): gru_keras_order.proven_order,
    ("pytorch", "simple_rnn"): ("h",),
    ("pytorch", "lstm"): lstm_torch_order.proven_order,
    ("pytorch", "gru"): gru_torch_order.proven_order,
}
KERAS_CLASSES = {
    "simple_rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU,
}
TORCH_CLASSES = {"simple_rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}

# (features, units, timesteps, kernel_size): GRU(3) on 12 features is a reader's question.
SIZES = [(5, 3, 7, 2), (12, 3, 4, 3), (1, 1, 1, 1)]


def shape_of(shape, batch_axis=None):
    """A shape as the explorer writes it: "batch" for the batch axis."""
    return ["batch" if size is None or (axis == batch_axis) else int(size)
            for axis, size in enumerate(shape)]


def blocks_of(name, shape, order, units):
    """Which axis of an array holds the gate blocks, checked: one block of `units` per gate."""
    if len(order) < 2:
        return None
    axis = 0 if name.split("/")[-1].startswith(("weight", "bias_")) else len(shape) - 1
    assert shape[axis] == len(order) * units, (name, shape, order, units)
    return {"axis": axis, "gates": list(order)}


def keras_recurrent(config):
    kind, units, count = config["layer"], config["units"], config["layers"]
    layers = []
    for index in range(count):
        last = index == count - 1
        options = {"use_bias": config["bias"], "name": f"{kind}_{index}",
                   "return_sequences": config["return_sequences"] or not last,
                   "return_state": last}
        if kind == "gru":
            options["reset_after"] = config["reset_after"]
        layer = KERAS_CLASSES[kind](units, **options)
        if config["bidirectional"]:
            layer = keras.layers.Bidirectional(layer, name=f"bidirectional_{index}")
        layers.append(layer)
    model = keras.Sequential(
        [keras.Input(shape=(config["timesteps"], config["features"])), *layers], name="model")
    output, *states = model.output_shape
    order = GATE_ORDERS["keras", kind]
    return model, order, shape_of(output), [shape_of(state) for state in states]


def keras_convolution(config):
    """The Keras layer of a convolution configuration, named as the explorer names it."""
    kind = config["layer"]
    family, _ = CONVOLUTIONS[kind]
    options = {"kernel_size": config["kernel_size"], "strides": config["strides"],
               "dilation_rate": config["dilation"], "padding": config["padding"],
               "data_format": config["data_format"], "use_bias": config["bias"],
               "name": f"{kind}_0"}
    if family != "depthwise":
        options["filters"] = config["units"]
    if family in ("depthwise", "separable"):
        options["depth_multiplier"] = config["depth_multiplier"]
    if family == "conv":
        options["groups"] = config["groups"]
    return KERAS_CONVOLUTIONS[kind](**options)


def keras_input(config):
    kind, steps, features = config["layer"], config["timesteps"], config["features"]
    if kind == "embedding":
        return keras.Input(shape=(steps,), dtype="int32")
    if kind in CONVOLUTIONS:
        spatial = (steps,) * CONVOLUTIONS[kind][1]
        if config["data_format"] == "channels_first":
            return keras.Input(shape=(features, *spatial))
        return keras.Input(shape=(*spatial, features))
    return keras.Input(shape=(steps, features))


def keras_other(config):
    kind, units, size = config["layer"], config["units"], config["kernel_size"]
    if kind in CONVOLUTIONS:
        layer = keras_convolution(config)
    else:
        layer = {
            "dense": lambda: keras.layers.Dense(units, use_bias=config["bias"], name="dense_0"),
            "embedding": lambda: keras.layers.Embedding(config["features"], units,
                                                        name="embedding_0"),
            "locally_connected": lambda: keras3_layer.LocallyConnected1D(
                filters=units, kernel_size=size, name="locally_connected_0"),
        }[kind]()
    inputs = keras_input(config)
    model = keras.Sequential([inputs, layer], name="model")
    return model, (), shape_of(model.output_shape), []


def keras_answer(config):
    build = keras_recurrent if config["layer"] in RECURRENT else keras_other
    model, order, output, states = build(config)
    arrays = [
        {"name": weight.path, "shape": [int(size) for size in weight.shape],
         "blocks": blocks_of(weight.path, weight.shape, order, config["units"])}
        for weight in model.weights
    ]
    return {
        "arrays": arrays, "gate_order": list(order), "parameters": int(model.count_params()),
        "input_shape": shape_of(model.input_shape),
        "output_shape": output, "state_shapes": states, "without_batch_first": None,
    }


def torch_answer(config):
    kind, features, units, steps = (config[key] for key in
                                    ("layer", "features", "units", "timesteps"))
    order, without_batch_first = (), None
    if kind in RECURRENT:
        options = {"num_layers": config["layers"], "bias": config["bias"],
                   "bidirectional": config["bidirectional"]}
        module = TORCH_CLASSES[kind](features, units, batch_first=True, **options)
        order = GATE_ORDERS["pytorch", kind]
        inputs = torch.zeros(BATCH, steps, features)
        without_batch_first = default_layout(TORCH_CLASSES[kind](features, units, **options),
                                             steps, features)
    elif kind == "dense":
        module = torch.nn.Linear(features, units, bias=config["bias"])
        inputs = torch.zeros(BATCH, steps, features)
    elif kind == "embedding":
        module = torch.nn.Embedding(features, units)
        inputs = torch.zeros(BATCH, steps, dtype=torch.long)
    elif kind in CONVOLUTIONS:
        module = torch_convolution(config)
        inputs = torch.zeros(BATCH, features, *(steps,) * CONVOLUTIONS[kind][1])
    else:
        assert features == units == 1, "the site's unfold layer has one channel, one filter"
        module = unfold_layer.LocallyConnected1d(steps, config["kernel_size"])
        inputs = torch.zeros(BATCH, steps)
    with torch.no_grad():
        outputs = module(inputs)
    output, states = (outputs[0], outputs[1]) if kind in RECURRENT else (outputs, ())
    states = (states,) if isinstance(states, torch.Tensor) else states
    arrays = [
        {"name": name, "shape": list(parameter.shape),
         "blocks": blocks_of(name, parameter.shape, order, units)}
        for name, parameter in module.named_parameters()
    ]
    return {
        "arrays": arrays, "gate_order": list(order),
        "parameters": sum(parameter.numel() for parameter in module.parameters()),
        "input_shape": shape_of(inputs.shape, batch_axis=0),
        "output_shape": shape_of(output.shape, batch_axis=0),
        "state_shapes": [shape_of(state.shape, batch_axis=1) for state in states],
        "without_batch_first": without_batch_first,
    }


def torch_convolution(config):
    """The PyTorch module of a convolution configuration: a depthwise convolution is a Conv
    with groups=in_channels and depth_multiplier filters per channel; a separable one is
    that Conv, without bias, then a 1 x 1 Conv with the bias."""
    family, rank = CONVOLUTIONS[config["layer"]]
    features, units, bias = config["features"], config["units"], config["bias"]
    options = {"kernel_size": config["kernel_size"], "stride": config["strides"],
               "dilation": config["dilation"]}
    conv = getattr(torch.nn, f"Conv{rank}d")
    if family == "transpose":
        # Its padding is a number of zeros cropped: 0 for "valid"; "same" is passed on
        # and raises when the module runs, as it does for a reader who tries it.
        padding = 0 if config["padding"] == "valid" else config["padding"]
        return getattr(torch.nn, f"ConvTranspose{rank}d")(
            features, units, groups=config["groups"], bias=bias, padding=padding, **options)
    options["padding"] = config["padding"]
    if family == "conv":
        return conv(features, units, groups=config["groups"], bias=bias, **options)
    channels = features * config["depth_multiplier"]
    if family == "depthwise":
        return conv(features, channels, groups=features, bias=bias, **options)
    return torch.nn.Sequential(conv(features, channels, groups=features, bias=False, **options),
                               conv(channels, units, 1, bias=bias))


def default_layout(module, steps, features):
    """The input and output shapes of a PyTorch recurrent layer built without batch_first,
    PyTorch's default: the batch is the second axis."""
    default = inspect.signature(torch.nn.RNNBase.__init__).parameters["batch_first"].default
    assert module.batch_first is default is False
    inputs = torch.zeros(steps, BATCH, features)
    with torch.no_grad():
        output = module(inputs)[0]
    return {"input_shape": shape_of(inputs.shape, batch_axis=1),
            "output_shape": shape_of(output.shape, batch_axis=1)}


def answer(config):
    return (keras_answer if config["framework"] == "keras" else torch_answer)(config)


def attempt(config):
    """(the answer, None) when the library builds and runs this configuration, (None, what
    it raises) when it refuses it."""
    try:
        return answer(config), None
    except REFUSALS as error:
        return None, f"{type(error).__name__}: {error}"


def applies(config):
    """Which options the layer reads; the others keep their default."""
    kind = config["layer"]
    recurrent = kind in RECURRENT
    keras_layer = config["framework"] == "keras"
    family = CONVOLUTIONS.get(kind, (None,))[0]
    return {
        "units": family != "depthwise",
        "kernel_size": family is not None or kind == "locally_connected",
        "bidirectional": recurrent, "layers": recurrent,
        "bias": kind not in ("locally_connected", "embedding"),
        "return_sequences": recurrent and keras_layer,
        "reset_after": keras_layer and kind == "gru",
        "strides": family is not None, "dilation": family is not None,
        "padding": family is not None,
        "groups": family == "conv" or (family == "transpose" and not keras_layer),
        "depth_multiplier": family in ("depthwise", "separable"),
        "data_format": family is not None and keras_layer,
    }


def configuration(**options):
    """A full configuration: the options given that the layer reads, defaults for the rest."""
    unknown = set(options) - set(DEFAULTS)
    assert not unknown, unknown
    config = {**DEFAULTS, **options}
    for option, used in applies(config).items():
        if not used:
            config[option] = DEFAULTS[option]
    return config


def sized(size):
    features, units, timesteps, kernel_size = size
    return {"features": features, "units": units, "timesteps": timesteps,
            "kernel_size": kernel_size}


# The options each convolution is built with at every size of SIZES: the defaults, then
# strides, dilation and padding, alone and together.
CONV_VARIANTS = [{}, {"padding": "same"}, {"strides": 2}, {"strides": 2, "padding": "same"},
                 {"dilation": 2, "bias": False}]
# Channels that groups and depth multipliers divide: (features, units, timesteps, kernel).
CHANNELS = (6, 4, 6, 3)
CHANNEL_VARIANTS = [{"groups": 2}, {"groups": 2, "strides": 2, "bias": False},
                    {"depth_multiplier": 2}, {"depth_multiplier": 3, "dilation": 2},
                    {"data_format": "channels_first"},
                    {"data_format": "channels_first", "strides": 2, "padding": "same"}]
# Configurations one library or both refuse, besides those the variants above meet: the
# explorer must refuse them too.
REFUSED = [
    {"layer": "conv1d", "strides": 2, "dilation": 2},
    {"layer": "conv2d_transpose", "strides": 2, "dilation": 2},
    {"layer": "conv2d", "features": 5, "units": 4, "groups": 2},
    {"layer": "conv1d", "features": 6, "units": 3, "groups": 2},
    {"layer": "conv1d", "framework": "pytorch", "features": 5, "units": 4, "groups": 2},
    {"layer": "conv1d_transpose", "framework": "pytorch", "features": 6, "units": 3,
     "groups": 2},
    {"layer": "depthwise_conv1d", "timesteps": 4, "kernel_size": 5},
    {"layer": "conv3d", "framework": "pytorch", "timesteps": 3, "kernel_size": 2,
     "dilation": 3},
]


def tensorflow_refusal(config, answer):
    """What TensorFlow's CPU kernels raise when the Keras layer of this configuration runs
    (the first line of the kernel's message), or None: the explorer's code picks Keras'
    torch backend for exactly these."""
    assert keras.backend.backend() == "tensorflow"
    layer = keras_convolution(config)
    try:
        layer(np.zeros((2, *answer["input_shape"][1:]), "float32"))
    except (tf.errors.InvalidArgumentError, tf.errors.UnimplementedError) as error:
        return error.message.splitlines()[0]
    return None


def convolutions():
    """Each convolution in both frameworks over SIZES × CONV_VARIANTS and CHANNELS ×
    CHANNEL_VARIANTS, with REFUSED: (the answers of the configurations the libraries build,
    the ones they refuse with what they raise). An option a layer does not read keeps its
    default, so a variant may repeat another: it is kept once."""
    candidates = [configuration(framework=framework, layer=kind, **sized(size), **variant)
                  for size in SIZES for variant in CONV_VARIANTS
                  for kind in CONVOLUTIONS for framework in ("keras", "pytorch")]
    candidates += [configuration(framework=framework, layer=kind, **sized(CHANNELS), **variant)
                   for variant in CHANNEL_VARIANTS
                   for kind in CONVOLUTIONS for framework in ("keras", "pytorch")]
    candidates += [configuration(**options) for options in REFUSED]
    built, refused, seen = [], [], []
    for config in candidates:
        if config in seen:
            continue
        seen.append(config)
        result, error = attempt(config)
        if error is None:
            built.append({"config": config, "answer": result})
        else:
            refused.append({"config": config, "error": error})
    return built, refused


def grid():
    """Every layer × framework × bidirectional × layers × bias (× return_sequences and
    reset_after in Keras) over SIZES, with Embedding; options that do not apply keep their
    default. The convolutions are convolutions()'s."""
    configs = []
    flags = (False, True)
    for size in SIZES:
        for kind, bidirectional, layers, bias in itertools.product(
                RECURRENT, flags, (1, 2), flags):
            common = {"layer": kind, "bidirectional": bidirectional, "layers": layers,
                      "bias": bias, **sized(size)}
            configs.append(configuration(framework="pytorch", **common))
            resets = flags if kind == "gru" else (True,)
            for return_sequences, reset_after in itertools.product(flags, resets):
                configs.append(configuration(
                    framework="keras", return_sequences=return_sequences,
                    reset_after=reset_after, **common))
        for framework, bias in itertools.product(("keras", "pytorch"), flags):
            configs.append(configuration(framework=framework, layer="dense", bias=bias,
                                         **sized(size)))
        for framework in ("keras", "pytorch"):
            configs.append(configuration(framework=framework, layer="embedding", **sized(size)))
        configs.append(configuration(layer="locally_connected", **sized(size)))
    for timesteps, kernel_size in ((8, 3), (5, 1), (4, 4)):
        configs.append(configuration(framework="pytorch", layer="locally_connected",
                                     features=1, units=1, timesteps=timesteps,
                                     kernel_size=kernel_size))
    return configs


def presets():
    """The example of each page about a layer, as the explorer opens on it: its sizes read
    from the snippet that page shows."""
    lc_model = keras3_layer.keras_model
    local = lc_model.layers[1]
    _, local_steps, local_channels = lc_model.layers[0].output.shape
    conv = readers_network.readers_net[0]
    return {
        "lstm": configuration(layer="lstm", features=reader_model.input_dim,
                              units=reader_model.units),
        "gru": configuration(layer="gru", features=gru_layout.input_dim,
                             units=gru_layout.units),
        "simple_rnn": configuration(layer="simple_rnn", features=simple_rnn_weights.input_dim,
                                    units=simple_rnn_weights.units,
                                    timesteps=simple_rnn_weights.timesteps),
        "bidirectional": configuration(layer="gru", bidirectional=True,
                                       features=bidirectional_weights.input_dim,
                                       units=bidirectional_weights.units),
        "pytorch": configuration(framework="pytorch", layer="lstm", layers=2,
                                 bidirectional=True, features=torch_names.input_size,
                                 units=torch_names.hidden_size),
        "locally_connected": configuration(layer="locally_connected", features=local_channels,
                                           units=local.filters, timesteps=local_steps,
                                           kernel_size=local.kernel_size),
        "conv1d": configuration(framework="pytorch", layer="conv1d",
                                features=conv.in_channels, units=conv.out_channels,
                                kernel_size=conv.kernel_size[0],
                                timesteps=readers_network.x.shape[-1]),
        "parameter_counts": configuration(layer="gru", features=gru_layout.input_dim,
                                          units=gru_layout.units, reset_after=False),
        "dense": configuration(layer="dense", features=dense_higher_rank.x.shape[-1],
                               units=dense_higher_rank.dense.units,
                               timesteps=dense_higher_rank.x.shape[1]),
        "conv1d_keras": conv1d_keras_preset(),
        "depthwise": depthwise_preset(),
        "embedding": configuration(layer="embedding",
                                   features=embedding_layout.embedding.input_dim,
                                   units=embedding_layout.embedding.output_dim,
                                   timesteps=embedding_layout.tokens.shape[1]),
    }


def depthwise_preset():
    """The convolutions page's DepthwiseConv2D on its square input."""
    layer = conv_depthwise.depthwise
    *kernel_size, channels, multiplier = layer.kernel.shape
    _, height, width, _ = conv_depthwise.x.shape
    assert len(set(kernel_size)) == 1 and height == width
    assert multiplier == layer.depth_multiplier
    return configuration(layer="depthwise_conv2d", features=channels,
                         kernel_size=kernel_size[0], depth_multiplier=multiplier,
                         timesteps=height)


def conv1d_keras_preset():
    """The convolutions page's Conv1D, from the row of its table of ranks."""
    rank, kernel_shape, _, _ = conv_groups.ranks[0]
    assert rank == 1
    kernel_size, features, units = kernel_shape
    return configuration(layer="conv1d", features=features, units=units,
                         kernel_size=kernel_size, timesteps=conv_groups.SPATIAL_SIZE)


def make_results(progress) -> dict:
    configs = grid()
    named = presets()
    progress("convolutions")
    built, refused = convolutions()
    configs += [config for config in named.values()
                if config not in configs and config not in [entry["config"] for entry in built]]
    answers = []
    for number, config in enumerate(configs, 1):
        if number % 40 == 0:
            progress(f"configuration {number}/{len(configs)}")
        answers.append({"config": config, "answer": answer(config)})
    answers += built
    progress("convolutions run by TensorFlow")
    on_tensorflow = [
        {"config": entry["config"],
         "error": tensorflow_refusal(entry["config"], entry["answer"])}
        for entry in built if entry["config"]["framework"] == "keras"]
    # The block layout the explorer draws, checked on one layer per kind: block k of each
    # array is rows or columns k * units to (k + 1) * units.
    for entry in answers:
        for array in entry["answer"]["arrays"]:
            if array["blocks"]:
                assert array["shape"][array["blocks"]["axis"]] == (
                    len(array["blocks"]["gates"]) * entry["config"]["units"])
    gate_letters = sorted({gate for entry in answers for gate in entry["answer"]["gate_order"]})
    return {
        "defaults": DEFAULTS,
        "presets": named,
        "gate_orders": {f"{framework}/{kind}": list(order)
                        for (framework, kind), order in GATE_ORDERS.items()},
        "gate_letters": gate_letters,
        "answers": answers,
        "refused": refused,
        # Each Keras convolution of the grid run on TensorFlow's CPU kernels: what they
        # raised, or None.
        "tensorflow_cpu": on_tensorflow,
    }

