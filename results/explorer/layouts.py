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
import torch

from snippets.layers import (conv_groups, dense_higher_rank, keras3_layer, readers_network,
                             unfold_layer)
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
    "return_sequences": True, "reset_after": True,
}
RECURRENT = ("simple_rnn", "lstm", "gru")
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


def keras_other(config):
    kind, units, size = config["layer"], config["units"], config["kernel_size"]
    layer = {
        "dense": lambda: keras.layers.Dense(units, use_bias=config["bias"], name="dense_0"),
        "conv1d": lambda: keras.layers.Conv1D(units, size, use_bias=config["bias"],
                                              name="conv1d_0"),
        "locally_connected": lambda: keras3_layer.LocallyConnected1D(
            filters=units, kernel_size=size, name="locally_connected_0"),
    }[kind]()
    model = keras.Sequential(
        [keras.Input(shape=(config["timesteps"], config["features"])), layer], name="model")
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
        "input_shape": ["batch", config["timesteps"], config["features"]],
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
    elif kind == "conv1d":
        module = torch.nn.Conv1d(features, units, config["kernel_size"], bias=config["bias"])
        inputs = torch.zeros(BATCH, features, steps)
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


def applies(config):
    """Which options the layer reads; the others keep their default."""
    recurrent = config["layer"] in RECURRENT
    keras_layer = config["framework"] == "keras"
    return {
        "kernel_size": config["layer"] in ("conv1d", "locally_connected"),
        "bidirectional": recurrent, "layers": recurrent,
        "bias": config["layer"] != "locally_connected",
        "return_sequences": recurrent and keras_layer,
        "reset_after": keras_layer and config["layer"] == "gru",
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


def grid():
    """Every layer × framework × bidirectional × layers × bias (× return_sequences and
    reset_after in Keras) over SIZES; options that do not apply keep their default."""
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
        for framework, kind, bias in itertools.product(
                ("keras", "pytorch"), ("dense", "conv1d"), flags):
            configs.append(configuration(framework=framework, layer=kind, bias=bias,
                                         **sized(size)))
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
    }


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
    configs += [config for config in named.values() if config not in configs]
    answers = []
    for number, config in enumerate(configs, 1):
        if number % 40 == 0:
            progress(f"configuration {number}/{len(configs)}")
        answers.append({"config": config, "answer": answer(config)})
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
    }

