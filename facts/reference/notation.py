"""Facts on the notation page: which axis holds what, and every name and shape, from real layers.

The Keras/PyTorch weight shapes are the formulas the LSTM page checks; the slices of block k
and the sigmoid are evaluated here against the libraries before the page shows them.
"""
import re

import keras
import numpy as np
import torch

from facts._formulas import evaluate, to_latex
from facts._tables import code, markdown_table, shape_text
from facts._lstm import ACTIVATION, GATE_NAMES, TARGET, checked_equations
from facts._words import ordinal_word, times_word
from facts.lstm.weights import (
    KERAS_SHAPES, SIZES, TORCH_SHAPES, checked_shapes, joined, keras_layer, torch_layer,
    torch_map,
)
from snippets.lstm import gate_order, pytorch_gate_order, pytorch_layout

# Block k of a Keras array is columns [start:stop]; of a PyTorch array, rows [start:stop].
BLOCK_START, BLOCK_STOP = "k * units", "(k + 1) * units"
SIGMOID = "1 / (1 + exp(-z))"
# A step of nn.LSTM(proj_size=...) as Python, PyTorch's parameters by name: the projection
# is the last product; projection_roles() runs it against the library.
PROJECTED_STEP = [
    ("z", "x @ weight_ih_l0.T + h_prev @ weight_hh_l0.T + bias_ih_l0 + bias_hh_l0"),
    ("c", "sigmoid(f) * c_prev + sigmoid(i) * tanh(g)"),
    ("h", "(sigmoid(o) * tanh(c)) @ weight_hr_l0.T"),
]


def checked_block_slices():
    for units, input_dim in SIZES:
        layer = keras.layers.LSTM(units=units)
        layer.build((None, None, input_dim))
        kernel = layer.get_weights()[0]
        for k, block in enumerate(np.split(kernel, 4, axis=1)):
            names = {"k": k, "units": units}
            start, stop = evaluate(BLOCK_START, names), evaluate(BLOCK_STOP, names)
            np.testing.assert_array_equal(kernel[:, start:stop], block)
    keras_slice = f"kernel[:, {BLOCK_START}:{BLOCK_STOP}]"
    torch_slice = f"weight_ih_l0[{BLOCK_START}:{BLOCK_STOP}]".replace("units", "hidden_size")
    return keras_slice, torch_slice


def checked_sigmoid():
    z = np.linspace(-6, 6, 25).astype("float32")
    ours = evaluate(SIGMOID, {"exp": np.exp, "z": z})
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(keras.activations.sigmoid(z)), atol=1e-6)
    np.testing.assert_allclose(ours, torch.sigmoid(torch.from_numpy(z)).numpy(), atol=1e-6)
    return SIGMOID.replace("exp(-z)", "e^{-z}")


def layout(axes: dict[str, int]) -> str:
    """`(T, batch, input_size)` from {name: axis}."""
    return code("(" + ", ".join(sorted(axes, key=axes.get)) + ")")


def checked_transposes():
    """Each PyTorch weight's shape is the Keras one reversed, for every size checked."""
    for units, input_dim in SIZES:
        keras_shapes, _ = keras_layer(units, input_dim)
        torch_shapes, _ = torch_layer(units, input_dim)
        assert torch_shapes["weight_ih_l0"] == keras_shapes["kernel"][::-1]
        assert torch_shapes["weight_hh_l0"] == keras_shapes["recurrent_kernel"][::-1]


def time_axes():
    """{axis name: index} of the output sequence: Keras, PyTorch's default, batch_first=True.

    Sizes are chosen distinct, so each axis is found by its length."""
    batch, timesteps, units = 3, pytorch_layout.timesteps, 2
    keras_output = keras.layers.LSTM(units=units, return_sequences=True)(
        np.zeros((batch, timesteps, 4), dtype="float32"))
    keras_axes = {name: tuple(keras_output.shape).index(size)
                  for name, size in (("batch", batch), ("T", timesteps), ("units", units))}
    torch_axes = {}
    for case, shape in pytorch_layout.output_shapes.items():
        sizes = (("batch", pytorch_layout.batch), ("T", pytorch_layout.timesteps),
                 ("hidden_size", pytorch_layout.hidden_size))
        torch_axes[case] = {name: shape.index(size) for name, size in sizes}
    return keras_axes, torch_axes["batch_first=False"], torch_axes["batch_first=True"]


def names_table():
    """PyTorch parameter names and shapes for each option that adds or changes them."""
    cases = {
        "`num_layers=1` (default)": pytorch_layout.shapes(torch.nn.LSTM(
            pytorch_layout.input_size, pytorch_layout.hidden_size)),
        f"`proj_size={pytorch_layout.proj_size}`": pytorch_layout.projected,
        "`num_layers=2`": pytorch_layout.two_layers,
        "`num_layers=2, bidirectional=True`": pytorch_layout.bidirectional,
    }
    rows = [
        [option, "<br>".join(f"{code(name)} {code(shape_text(shape))}" for name, shape in shapes.items())]
        for option, shapes in cases.items()
    ]
    return markdown_table(["`torch.nn.LSTM(...)` option", "parameters: name and shape"], rows)


def vectors_table(order, torch_order):
    """Each vector's length, read off a real layer: d = input_dim, u = units."""
    units, input_dim = 3, 2
    layer = keras.layers.LSTM(units=units, return_state=True)
    _, h, c = layer(np.zeros((1, 1, input_dim), dtype="float32"))
    kernel = layer.get_weights()[0]
    length = {units: "$u$", input_dim: "$d$"}
    gate_width = kernel.shape[1] // len(order)
    symbols = {"i": "$i_t$", "f": "$f_t$", "c": r"$\tilde{c}_t$", "o": "$o_t$"}
    rows = [
        ["$x_t$", "input at timestep $t$", length[kernel.shape[0]]],
        ["$h_t$", "hidden state, the layer's output at timestep $t$", length[h.shape[-1]]],
        ["$c_t$", "cell state", length[c.shape[-1]]],
    ]
    for gate, torch_gate in zip(order, torch_order):
        also = f"; PyTorch calls it ${torch_gate}_t$" if torch_gate != gate else ""
        assert f"${gate}_t$" not in also  # a second name, never the gate's own letter again
        rows.append([symbols[gate], GATE_NAMES[gate] + also, length[gate_width]])
    return markdown_table(["symbol", "meaning", "length"], rows)


def projection_roles(torch_order):
    """Which parameter projects the hidden state and which multiplies the projected state,
    read off PROJECTED_STEP once a step of it matches nn.LSTM(proj_size=...) from a random
    state."""
    sizes = pytorch_layout.input_size, pytorch_layout.hidden_size, pytorch_layout.proj_size
    input_size, hidden_size, proj_size = sizes
    with torch.random.fork_rng():
        torch.manual_seed(0)
        lstm = torch.nn.LSTM(input_size, hidden_size, proj_size=proj_size)
        x = torch.randn(1, pytorch_layout.batch, input_size)
        h_0 = torch.randn(1, pytorch_layout.batch, proj_size)
        c_0 = torch.randn(1, pytorch_layout.batch, hidden_size)
    with torch.no_grad():
        _, (h_1, c_1) = lstm(x, (h_0, c_0))
    names = {name: parameter.detach().numpy() for name, parameter in lstm.named_parameters()}
    names.update(sigmoid=lambda z: 1 / (1 + np.exp(-z)), tanh=np.tanh,
                 x=x[0].numpy(), h_prev=h_0[0].numpy(), c_prev=c_0[0].numpy())
    for target, expression in PROJECTED_STEP:
        names[target] = evaluate(expression, names)
        if target == "z":
            names.update(zip(torch_order, np.split(names["z"], len(torch_order), axis=-1)))
    np.testing.assert_allclose(names["h"], h_1[0].numpy(), atol=1e-5)
    np.testing.assert_allclose(names["c"], c_1[0].numpy(), atol=1e-5)
    steps = dict(PROJECTED_STEP)
    (projection,) = re.findall(r"\) @ (\w+)\.T", steps["h"])
    (recurrent,) = re.findall(r"h_prev @ (\w+)\.T", steps["z"])
    assert names[projection].shape == (proj_size, hidden_size)  # hidden_size -> proj_size
    return (f"the hidden state is projected to `proj_size` entries by {code(projection)}, "
            f"so {code(recurrent)} multiplies that smaller state")


def parameter_name_parts(positions):
    """How nn.LSTM builds a parameter's name, read off real modules: the part that says what
    the weight multiplies (each weight's role as PROJECTED_STEP uses it, a step
    projection_roles checks against the library), the layer's suffix (counted as
    layer_positions found them), and the suffix a bidirectional layer adds, in the order
    every name puts them."""
    steps = dict(PROJECTED_STEP)
    (input_weight,) = re.findall(r"\bx @ (\w+)\.T", steps["z"])
    (recurrent_weight,) = re.findall(r"h_prev @ (\w+)\.T", steps["z"])
    (projection_weight,) = re.findall(r"\) @ (\w+)\.T", steps["h"])
    input_size, hidden_size, proj_size = (pytorch_layout.input_size, pytorch_layout.hidden_size,
                                          pytorch_layout.proj_size)
    projected = pytorch_layout.projected
    # Input to the gates, the (projected) hidden state to the gates, the hidden state to its
    # projection: what each weight's shape maps from and to.
    assert projected[input_weight] == (4 * hidden_size, input_size)
    assert projected[recurrent_weight] == (4 * hidden_size, proj_size)
    assert projected[projection_weight] == (proj_size, hidden_size)
    roles = {input_weight: "input to hidden", recurrent_weight: "hidden to hidden",
             projection_weight: "hidden to its projection"}
    infixes = {name: name.split("_")[1] for name in roles}
    assert all(name == f"weight_{infix}_l0" for name, infix in infixes.items())
    options = dict(num_layers=len(positions), proj_size=proj_size)
    with torch.random.fork_rng():  # the names only: the global seed stays where it was
        one_way = [name for name, _ in
                   torch.nn.LSTM(input_size, hidden_size, **options).named_parameters()]
        both_ways = [name for name, _ in torch.nn.LSTM(
            input_size, hidden_size, bidirectional=True, **options).named_parameters()]
    (direction,) = {name.removeprefix(base) for name in both_ways for base in one_way
                    if name.startswith(base) and name != base}
    assert {name.removesuffix(direction) for name in both_ways} == set(one_way)
    layers = sorted(positions, key=positions.get)
    orders = set()
    for name in both_ways:
        (infix,) = [infix for infix in infixes.values() if f"_{infix}_" in name]
        (layer,) = [layer for layer in layers if f"_{layer}" in name]
        spans = {"multiplied": name.index(f"_{infix}_"), "layer": name.index(f"_{layer}")}
        if name.endswith(direction):
            spans["direction"] = name.index(direction)
            orders.add(tuple(sorted(spans, key=spans.get)))
        assert spans["multiplied"] < spans["layer"]
    (order,) = orders
    parts = {
        "multiplied": "what it multiplies (" + ", ".join(
            f"{code(infixes[name])}: {role}" for name, role in roles.items()) + ")",
        "layer": "the layer it belongs to (" + ", ".join(map(code, layers)) + ", …)",
        "direction": f"{code(direction)} for the backward direction of a bidirectional layer",
    }
    return ", then ".join(parts[part] for part in order)


def bidirectional_input_times():
    """How many times `hidden_size` a second layer reads: once, twice when bidirectional."""
    hidden_size = pytorch_layout.hidden_size
    assert pytorch_layout.two_layers["weight_ih_l1"][1] == hidden_size
    (width,) = {pytorch_layout.bidirectional[name][1]
                for name in ("weight_ih_l1", "weight_ih_l1_reverse")}
    times = width // hidden_size
    assert times * hidden_size == width  # a whole number of times
    return times_word(times)


def layer_positions():
    """Which layer of a stack each `l<k>` suffix names, counted from the input up: the
    stack's output is its layers run one after another in that order, each a one-layer
    nn.LSTM holding the parameters of its suffix."""
    input_size, hidden_size = pytorch_layout.input_size, pytorch_layout.hidden_size
    with torch.random.fork_rng():
        torch.manual_seed(0)
        stack = torch.nn.LSTM(input_size, hidden_size, num_layers=2)
        x = torch.randn(pytorch_layout.timesteps, pytorch_layout.batch, input_size)
    suffixes = [name.removeprefix("weight_ih_") for name, _ in stack.named_parameters()
                if name.startswith("weight_ih_")]
    assert {f"weight_ih_{suffix}" for suffix in suffixes} <= set(pytorch_layout.two_layers)
    outputs = x
    with torch.no_grad():
        for suffix in suffixes:
            single = torch.nn.LSTM(outputs.shape[-1], hidden_size)
            for name, parameter in single.named_parameters():
                parameter.copy_(getattr(stack, name.replace("_l0", f"_{suffix}")))
            outputs, _ = single(outputs)
        stacked, _ = stack(x)
    np.testing.assert_allclose(outputs.numpy(), stacked.numpy(), atol=1e-6)
    return {suffix: position for position, suffix in enumerate(suffixes)}


def second_layer_reads(positions):
    """What a second layer's weight_ih_l1 reads, checked on real modules: hidden_size
    features, or proj_size with a projection, times the directions. The sentence whole,
    with the layers' positions as layer_positions found them."""
    input_size, hidden_size, proj_size = 4, 5, 2
    times = set()
    for bidirectional in (False, True):
        directions = 1 + bidirectional
        for projection, width in ((0, hidden_size), (proj_size, proj_size)):
            lstm = torch.nn.LSTM(input_size, hidden_size, num_layers=2, proj_size=projection,
                                 bidirectional=bidirectional)
            assert lstm.weight_ih_l1.shape == (4 * hidden_size, directions * width)
        times.add(directions)
    assert times == {1, 2}
    return (f"The {ordinal_word(positions['l1'], 'layer')} reads the "
            f"{ordinal_word(positions['l0'], 'layer')}'s output: "
            f"{code('hidden_size')} features, or {code('proj_size')} with a projection, "
            f"{bidirectional_input_times()} that when bidirectional")


def checked_gate_orders(order, torch_order):
    """Both orders as one statement: PyTorch's g is Keras' c (the tanh block), the rest agree."""
    assert [{"g": "c"}.get(gate, gate) for gate in torch_order] == list(order)
    return f"{', '.join(order)} in Keras and {', '.join(torch_order)} in PyTorch"


def functions_table(order):
    """Which activation each gate uses, from the layer's own defaults."""
    equations = dict(checked_equations(order))  # run against the layer
    assert "tanh(" in equations["h"]
    config = keras.layers.LSTM(units=1).get_config()
    assert (config["recurrent_activation"], config["activation"]) == ("sigmoid", "tanh")
    assert {ACTIVATION[gate] for gate in order} == {"sigmoid", "tanh"}
    # the gates whose checked equation applies the sigmoid, read from the equations
    sigmoid_gates = ", ".join(f"${gate}$" for gate in order
                              if equations[TARGET[gate]].startswith("sigmoid("))
    assert sigmoid_gates.count("$") == 2 * [ACTIVATION[g] for g in order].count("sigmoid")
    return markdown_table(
        ["symbol", "meaning", "Keras", "PyTorch"],
        [
            [r"$\sigma$", f"sigmoid, ${checked_sigmoid()}$, for {sigmoid_gates}",
             f'`recurrent_activation="{config["recurrent_activation"]}"`', "fixed"],
            [r"$\tanh$",
             rf"for $\tilde{{c}}_t$ and for ${to_latex('h')} = {to_latex(equations['h'])}$",
             f'`activation="{config["activation"]}"`', "fixed"],
            [r"$\odot$", "element-wise product", "", ""],
        ],
    )


def make_facts() -> dict[str, str | int]:
    keras_shapes = checked_shapes(KERAS_SHAPES, keras_layer)
    assert keras_shapes["kernel"].startswith("(input_dim,")  # the sizes table: d is kernel's rows
    torch_shapes = checked_shapes(TORCH_SHAPES, torch_layer)
    keras_slice, torch_slice = checked_block_slices()
    keras_axes, default_axes, batch_first_axes = time_axes()
    checked_transposes()
    # The input has the output's layout, with the features in the place of the hidden state.
    default_input = {("input_size" if name == "hidden_size" else name): axis
                     for name, axis in default_axes.items()}
    keras_input = {("input_dim" if name == "units" else name): axis
                   for name, axis in keras_axes.items()}
    # The page: PyTorch's default puts the timesteps first, batch_first=True and Keras the
    # batch; the features (or the hidden state) come last in every layout.
    assert default_axes["T"] == default_input["T"] == 0
    assert batch_first_axes["batch"] == keras_axes["batch"] == keras_input["batch"] == 0
    assert max(default_input, key=default_input.get) == "input_size"
    assert max(keras_input, key=keras_input.get) == "input_dim"
    # The axis each layout puts first, as the page says it: PyTorch's default the timesteps,
    # Keras the batch.
    torch_timesteps_axis, keras_batch_axis = default_input["T"], keras_input["batch"]
    assert torch_timesteps_axis == default_axes["T"] and keras_batch_axis == keras_axes["batch"]
    names = names_table()
    # The page names the projection, the second layer's suffix and the backward direction.
    assert all(name in names for name in ("weight_hr_l0", "_l1", "_reverse"))
    order, torch_order = gate_order.proven_order, pytorch_gate_order.proven_order
    layer_position = layer_positions()
    return {
        "sizes_table": markdown_table(
            ["symbol", "meaning", "Keras", "PyTorch"],
            [
                ["$d$", "features per timestep", "`input_dim`, the rows of `kernel`", "`input_size`"],
                ["$u$", "size of $h_t$ and $c_t$", "`units`", "`hidden_size`"],
                ["$T$", "timesteps", f"`inputs.shape[{keras_axes['T']}]`",
                 f"`input.shape[{default_axes['T']}]` by default (`batch_first=False`); "
                 f"`input.shape[{batch_first_axes['T']}]` with `batch_first=True`"],
            ],
        ),
        "weights_table": markdown_table(
            ["symbol", "meaning", "Keras name and shape", "PyTorch name and shape"],
            [
                ["$W$", "input weights", f"`kernel` `{keras_shapes['kernel']}`",
                 f"`weight_ih_l0` `{torch_shapes['weight_ih_l0']}`"],
                ["$U$", "recurrent weights", f"`recurrent_kernel` `{keras_shapes['recurrent_kernel']}`",
                 f"`weight_hh_l0` `{torch_shapes['weight_hh_l0']}`"],
                ["$b$", "bias", f"`bias` `{keras_shapes['bias']}`",
                 f"`bias_ih_l0` + `bias_hh_l0`, `{torch_shapes['bias_ih_l0']}` each"],
            ],
        ),
        "torch_default_input_shape": layout(default_input),
        "torch_default_output_shape": layout(default_axes),
        "keras_input_shape": layout(keras_input),
        "gate_orders": checked_gate_orders(order, torch_order),
        "second_layer_input": second_layer_reads(layer_position),
        "l1_layer_position": ordinal_word(layer_position["l1"]),
        "torch_timesteps_position": ordinal_word(torch_timesteps_axis),
        "keras_batch_position": ordinal_word(keras_batch_axis),
        "keras_block_slice": code(keras_slice),
        "pytorch_block_slice": code(torch_slice),
        "keras_from_torch": joined([f"{code(name)} is {torch_names}"
                                    for name, torch_names in torch_map().items()]),
        "projection_roles": projection_roles(torch_order),
        "vectors_table": vectors_table(order, torch_order),
        "functions_table": functions_table(order),
        "names_table": names,
        "parameter_name_parts": parameter_name_parts(layer_position),
    }
