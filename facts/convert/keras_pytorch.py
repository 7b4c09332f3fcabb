"""Facts on the Keras ⇄ PyTorch conversion page: gate orders, which array goes where, the
equations it names, measured errors, the test grid.

The orders are recurrent.py's block maps, checked against each library's own source and
documentation (facts/_convert.py) and proven by gru_mistakes.py, where only one of the
GRU's block orders reproduces the trained model. Which bias row goes where is read off
recurrent.py by running it on arrays whose entries say where they came from. Every
equation is the expression run here against the layers the page's snippets build; every
error is measured by a snippet the page shows; the grid is the one
tests/test_converters.py runs (facts/_converter_grid.py).
"""

import inspect
import math
import re
import tomllib
from pathlib import Path

import keras
import keras.src.layers.rnn.gru as keras_gru_source
import numpy as np
import torch
import weightatlas
import weightatlas.conv
import weightatlas.dense

from facts import _releases
from facts._convert import keras_letters, torch_letters
from facts._converter_grid import TOLERANCE, grid
from facts._formulas import checked_term, evaluate, to_latex
from facts._recurrent import blocks, run_equations, scaled_by_the_reset_gate
from facts._spread import over_seeds
from facts._tables import code, markdown_table
from facts._words import count_word, ordinal_word
from snippets.convert import activations, by_hand, gru_mistakes, no_tanh, recurrent
from snippets.convert import plan as plan_snippet
from snippets.convert import reset_after
from snippets.convert import trained_model, usage, whole_model
from weightatlas import recurrent as package_recurrent
from weightatlas.objects import article

# Keras' GRU cell in both variants, as Keras computes it (row vectors times matrices). With
# reset_after=True, bias row bx joins x W and row bh joins h U, inside the reset gate for
# the candidate; with reset_after=False, one bias, and r multiplies h before U.
GRU_AFTER = [
    ("z", "sigmoid(x @ W_z + bx_z + h_prev @ U_z + bh_z)"),
    ("r", "sigmoid(x @ W_r + bx_r + h_prev @ U_r + bh_r)"),
    ("h_tilde", "tanh(x @ W_h + bx_h + r * (h_prev @ U_h + bh_h))"),
    ("h", "z * h_prev + (1 - z) * h_tilde"),
]
GRU_BEFORE = [
    ("z", "sigmoid(x @ W_z + h_prev @ U_z + b_z)"),
    ("r", "sigmoid(x @ W_r + h_prev @ U_r + b_r)"),
    ("h_tilde", "tanh(x @ W_h + (r * h_prev) @ U_h + b_h)"),
    ("h", "z * h_prev + (1 - z) * h_tilde"),
]
# An LSTM's output, as both libraries compute it from the output gate and the cell state.
LSTM_OUTPUT = [("h", "o * tanh(c)")]
# The code the page quotes for "the last timestep of the output".
LAST_STEP = "output[:, -1]"
# What the page calls each GRU gate, by the letter recurrent.py's block maps give it.
GATE_NAMES = {"z": "update gate", "r": "reset gate", "h": "candidate"}


def order(letters):
    return ", ".join(letters)


def in_both(keras_order, torch_order):
    """The two libraries' orders in one statement, each beside its library's name."""
    return f"{order(keras_order)} in Keras and {order(torch_order)} in PyTorch"


def keras_gru_source_link():
    """The line of Keras' GRU source that splits the blocks, at the installed version."""
    lines, first = inspect.getsourcelines(keras_gru_source)
    for number, line in enumerate(lines, max(first, 1)):
        if "x_z, x_r, x_h = ops.split(matrix_x, 3" in line:
            path = inspect.getsourcefile(keras_gru_source)
            relative = path[path.rindex("keras/src/") :]
            return (
                line.strip(),
                f"https://github.com/keras-team/keras/blob/v{keras.version()}/{relative}#L{number}",
            )
    raise LookupError("Keras' GRU source no longer splits its blocks with ops.split")


def marked_gru_arrays(units=2, input_dim=3):
    """Keras GRU arrays whose entries all differ, so each output says where it came from
    (floats: the converter refuses integer arrays, and these integers are exact in float)."""
    columns = len(recurrent.KERAS_BLOCKS["GRU"]) * units
    kernel = np.arange(input_dim * columns, dtype=float).reshape(input_dim, columns)
    recurrent_kernel = 1000 + np.arange(units * columns, dtype=float).reshape(units, columns)
    bias = 2000 + np.arange(2 * columns, dtype=float).reshape(2, columns)
    return kernel, recurrent_kernel, bias, recurrent.torch_rows("GRU", units)


def gru_bias_rows():
    """(the Keras bias row recurrent.py puts in bias_ih, the row it puts in bias_hh)."""
    kernel, recurrent_kernel, bias, rows = marked_gru_arrays()
    _, _, bias_ih, bias_hh = recurrent.keras_to_torch_arrays("GRU", kernel, recurrent_kernel, bias)
    (input_row,) = [k for k in range(len(bias)) if np.array_equal(bias_ih, bias[k, rows])]
    (recurrent_row,) = [k for k in range(len(bias)) if np.array_equal(bias_hh, bias[k, rows])]
    return input_row, recurrent_row


def gru_bias_names():
    """{Keras bias row: the nn.GRU parameter keras_to_torch puts it in}, read off the module
    it makes of a layer whose entries all differ: both are biases of its one layer."""
    kernel, recurrent_kernel, bias, rows = marked_gru_arrays()
    units, _columns = recurrent_kernel.shape
    layer = keras.layers.GRU(units=units)
    layer.build((None, None, len(kernel)))
    layer.set_weights([kernel, recurrent_kernel, bias])
    module = recurrent.keras_to_torch(layer)
    assert module.num_layers == 1 and not hasattr(module, "bias_ih_l1")
    names = {}
    for name, parameter in module.named_parameters():
        array = parameter.detach().numpy()
        matches = [k for k in range(len(bias)) if np.array_equal(array, bias[k, rows])]
        if matches:
            (row,) = matches
            assert name in module._all_weights[0] and array.shape == (len(rows),)
            names[row] = name
    assert sorted(names) == list(range(len(bias)))
    return names


def gru_reset_scaled_map(bias_names, recurrent_row, delta=0.5):
    """Which bias of nn.GRU the reset gate scales, as one statement, run on a real module:
    its reset gate's rows zeroed in both weights and both biases, and then -1e4 in one bias
    shuts it (r = 0), +1e4 opens it (r = 1). Shut, a change to the candidate's rows of one
    bias leaves the output as it is, while the same change to any other gate's rows, or to
    the candidate's rows of the other bias, moves it; open, both biases' candidate rows act
    alike. `bias_names` are the parameters keras_to_torch fills from Keras' bias rows; the
    scaled one is the recurrent row's."""
    blocks = recurrent.TORCH_BLOCKS["GRU"]
    reset = next(gate for gate in blocks if GATE_NAMES[gate] == "reset gate")
    torch.manual_seed(0)
    module = torch.nn.GRU(input_size=3, hidden_size=4, batch_first=True)
    hidden = module.hidden_size
    rows = {gate: slice(k * hidden, (k + 1) * hidden) for k, gate in enumerate(blocks)}
    biases = [name for name in module._all_weights[0] if name.startswith("bias")]
    assert sorted(biases) == sorted(bias_names.values())
    inputs = torch.from_numpy(np.random.default_rng(0).normal(size=(2, 5, 3)).astype("float32"))
    base = {name: parameter.detach().clone() for name, parameter in module.named_parameters()}

    def output(reset_bias, name=None, gate=None):
        state = {key: value.clone() for key, value in base.items()}
        for value in state.values():
            value[rows[reset]] = 0
        state[biases[0]][rows[reset]] = reset_bias
        if name is not None:
            state[name][rows[gate]] += delta
        module.load_state_dict(state)
        with torch.no_grad():
            return module(inputs)[0].numpy()

    scaled_bias, scaled, free_bias = scaled_by_the_reset_gate(
        output, biases, [gate for gate in blocks if gate != reset])
    # The page: the candidate's recurrent bias is inside the reset gate's product.
    assert GATE_NAMES[scaled] == "candidate" and scaled_bias == bias_names[recurrent_row]
    return (f"the {GATE_NAMES[reset]} scales the {GATE_NAMES[scaled]}'s rows of "
            f"{code(scaled_bias)}, not of {code(free_bias)}")


def gate_bias_sum():
    """The two biases each gate of nn.LSTM and nn.RNN adds, as one sum, named by the first
    layer of the modules keras_to_torch makes of by_hand.py's LSTM and SimpleRNN: moving part
    of one into the other leaves the output as it is, and changing one alone moves it."""
    sums = set()
    inputs = torch.from_numpy(by_hand.inputs)
    for layer in (by_hand.keras_lstm, by_hand.keras_rnn):
        module = recurrent.keras_to_torch(layer)
        assert module.num_layers == 1
        first, second = [name for name in module._all_weights[0] if name.startswith("bias")]
        shift = torch.from_numpy(
            np.random.default_rng(0).normal(size=getattr(module, first).shape).astype("float32"))
        with torch.no_grad():
            before, _ = module(inputs)
            getattr(module, first).add_(shift)
            getattr(module, second).sub_(shift)
            moved, _ = module(inputs)
            getattr(module, second).add_(shift)
            changed, _ = module(inputs)
        np.testing.assert_allclose(moved.numpy(), before.numpy(), atol=1e-5)
        assert np.abs(changed.numpy() - before.numpy()).max() > 1e-2
        sums.add((first, second))
    ((first, second),) = sums
    return code(f"{first} + {second}")


def forced_bias_name(bias_names, input_row, recurrent_row):
    """The nn.GRU parameter reset_after.py loads a GRU(reset_after=False)'s one bias into:
    the snippet puts it in the input row of its two-row bias and loads the arrays under
    nn.GRU's own names, so it lands where keras_to_torch puts the input row."""
    assert reset_after.names == [name for name, _ in reset_after.forced.named_parameters()]
    assert np.array_equal(reset_after.two_rows[input_row], reset_after.bias)
    assert not reset_after.two_rows[recurrent_row].any()
    loaded = getattr(reset_after.forced, bias_names[input_row]).detach().numpy()
    *_, bias_ih, _bias_hh = recurrent.keras_to_torch_arrays(
        "GRU", reset_after.kernel, reset_after.recurrent_kernel, reset_after.two_rows)
    np.testing.assert_array_equal(loaded, bias_ih)
    return code(bias_names[input_row])


def projection_weight_name(input_size=5, hidden_size=8, proj_size=4):
    """The parameter nn.LSTM(proj_size=...) multiplies each hidden state by, from a real
    module: the one its first layer has that an LSTM without proj_size lacks, of shape
    (proj_size, hidden_size); the state fed back is that wide, and with it zeroed the output
    is zero."""
    projected = torch.nn.LSTM(input_size=input_size, hidden_size=hidden_size,
                              proj_size=proj_size, batch_first=True)
    plain = torch.nn.LSTM(input_size=input_size, hidden_size=hidden_size, batch_first=True)
    (name,) = [name for name, _ in projected.named_parameters()
               if name not in plain.state_dict()]
    assert projected.num_layers == 1 and name in projected._all_weights[0]
    weight = getattr(projected, name)
    assert tuple(weight.shape) == (proj_size, hidden_size)
    assert projected.weight_hh_l0.shape[1] == proj_size  # what is fed back is projected
    inputs = torch.from_numpy(np.random.default_rng(0).normal(
        size=(2, 6, input_size)).astype("float32"))
    with torch.no_grad():
        output, (h_n, _c_n) = projected(inputs)
        assert output.shape[-1] == h_n.shape[-1] == proj_size and output.abs().max() > 1e-3
        weight.zero_()
        zeroed, _ = projected(inputs)
    assert not zeroed.any()
    return code(name)


def described_mistakes(input_row, recurrent_row, bias_names):
    """What each conversion of gru_mistakes.py does, in words, each description checked by
    running the conversion on marked arrays."""
    kernel, recurrent_kernel, bias, rows = marked_gru_arrays()
    done = {convert.__name__: convert(kernel, recurrent_kernel, bias)
            for convert in gru_mistakes.conversions}
    right = recurrent.keras_to_torch_arrays("GRU", kernel, recurrent_kernel, bias)
    for array, expected in zip(right, (kernel[:, rows].T, recurrent_kernel[:, rows].T,
                                       bias[input_row, rows], bias[recurrent_row, rows])):
        np.testing.assert_array_equal(array, expected)
    for array, expected in zip(done["right"], right):
        np.testing.assert_array_equal(array, expected)
    for array, expected in zip(done["not_reordered"], (kernel.T, recurrent_kernel.T,
                                                       bias[input_row], bias[recurrent_row])):
        np.testing.assert_array_equal(array, expected)
    swapped = done["bias_rows_swapped"]
    for array, expected in zip(swapped, (right[0], right[1], right[3], right[2])):
        np.testing.assert_array_equal(array, expected)
    added = done["bias_rows_added"]
    for array, expected in zip(added, (right[0], right[1], right[2] + right[3], 0 * right[3])):
        np.testing.assert_array_equal(array, expected)
    bias_ih, bias_hh = code(bias_names[input_row]), code(bias_names[recurrent_row])
    return {
        "not_reordered": "transposed, blocks left in Keras' order",
        "bias_rows_swapped": f"reordered and transposed, but {code(f'bias[{recurrent_row}]')} "
        f"into {bias_ih} and {code(f'bias[{input_row}]')} into {bias_hh}",
        "bias_rows_added": f"reordered and transposed, but the {count_word(len(bias), 'row')} "
        f"added into {bias_ih} and {bias_hh} zero",
        "right": "the conversion rules",
    }


def checked_gru_equations(layer, inputs, reset_after, input_row, recurrent_row):
    """Keras' GRU equations for one variant, stepped over `inputs` with `layer`'s arrays
    (cut in Keras' block order, the bias rows where recurrent.py reads them) and compared
    with the layer's own output."""
    equations = GRU_AFTER if reset_after else GRU_BEFORE
    assert layer.reset_after is reset_after and layer.return_sequences
    kernel, recurrent_kernel, bias = layer.get_weights()
    gates = recurrent.KERAS_BLOCKS["GRU"]
    weights = {**blocks("W_", kernel, gates, 1), **blocks("U_", recurrent_kernel, gates, 1)}
    if reset_after:
        weights.update({**blocks("bx_", bias[input_row], gates, 0),
                        **blocks("bh_", bias[recurrent_row], gates, 0)})
    else:
        weights.update(blocks("b_", bias, gates, 0))
    all_h = run_equations(equations, np.asarray(inputs), weights, layer.units)
    np.testing.assert_allclose(all_h, np.asarray(layer(inputs)), atol=1e-5)
    return equations


def checked_lstm_output():
    """h = o * tanh(c) against both libraries' last step in no_tanh.py: PyTorch's output
    gate and final cell state, and Keras' final cell state."""
    for c, output in ((no_tanh.c_n[0].numpy(), no_tanh.torch_output.numpy()),
                      (no_tanh.keras_c, no_tanh.keras_output)):
        h = evaluate(LSTM_OUTPUT[0][1], {"o": no_tanh.o.numpy(), "c": c, "tanh": np.tanh})
        np.testing.assert_allclose(h, output[:, -1], atol=1e-5)
    return LSTM_OUTPUT


def candidate_equation(expression, equations):
    """`\\tilde{h}_t = ...`: the candidate's whole equation in `equations` (which the caller
    has run against the layer), its right side checked whole, so that the page's fact reads
    as an equation and not as one of its terms."""
    assert ("h_tilde", expression) in equations
    return f"{to_latex('h_tilde')} = {checked_term(expression, equations, whole=True)}"


def candidates_by_reset_after(after, before):
    """Keras' two GRU candidates, each in the sentence that names its `reset_after`, the
    default first: one fact, so that no swap can give an equation the other's condition."""
    default = keras.layers.GRU(1).reset_after
    assert default is True  # the sentence: the default computes nn.GRU's candidate
    equations = {True: candidate_equation("tanh(x @ W_h + bx_h + r * (h_prev @ U_h + bh_h))",
                                          after),
                 False: candidate_equation("tanh(x @ W_h + (r * h_prev) @ U_h + b_h)", before)}
    first, second = default, not default
    return (f"With `reset_after={first}`, the default, it computes ${equations[first]}$, "
            f"which is `nn.GRU`'s. With `reset_after={second}`, "
            f"{keras2_reset_after_default()}, it computes ${equations[second]}$")


def last_step_code():
    """`output[:, -1]`, as usage.py and trained_model.py write it: run on the trained
    model's nn.GRU, it is the top layer's state after the last timestep."""
    for module in (usage, trained_model):
        assert LAST_STEP in inspect.getsource(module), module.__name__
    with torch.no_grad():
        output, h_n = trained_model.torch_model.gru(torch.from_numpy(trained_model.x_new))
    last = evaluate(LAST_STEP, {"output": output.numpy()})
    np.testing.assert_array_equal(last, h_n[-1].numpy())
    return code(LAST_STEP)


def converted_arrays(layer):
    """A Keras layer's arrays by name, and the arrays of the module keras_to_torch makes of
    it, whose output matches the layer's."""
    module = recurrent.keras_to_torch(layer)
    with torch.no_grad():
        output, _ = module(torch.from_numpy(by_hand.inputs))
    np.testing.assert_allclose(output.numpy(), np.asarray(layer(by_hand.inputs)), atol=1e-5)
    keras_arrays = {weight.name: np.asarray(weight) for weight in layer.weights}
    torch_arrays = {name: array.detach().numpy() for name, array in module.named_parameters()}
    return keras_arrays, torch_arrays


def transposed_pairs(torch_arrays, keras_arrays):
    """(PyTorch name, Keras name) for each PyTorch weight that is a Keras array transposed."""
    return tuple((torch_name, keras_name)
                 for torch_name, array in torch_arrays.items() if array.ndim == 2
                 for keras_name, keras_array in keras_arrays.items()
                 if keras_array.shape == array.T.shape and np.array_equal(array, keras_array.T))


def transpose_map():
    """Which Keras array each PyTorch weight is the transpose of, read off the modules
    keras_to_torch makes of by_hand.py's LSTM and SimpleRNN, whose blocks keep their order
    and whose arrays are random, so that no two are alike."""
    maps = set()
    for layer in (by_hand.keras_lstm, by_hand.keras_rnn):
        kind = type(layer).__name__
        assert recurrent.TORCH_BLOCKS[kind] == recurrent.KERAS_BLOCKS[kind]
        keras_arrays, torch_arrays = converted_arrays(layer)
        pairs = transposed_pairs(torch_arrays, keras_arrays)
        # every PyTorch weight is found, each once
        assert [name for name, _ in pairs] == [n for n in torch_arrays if n.startswith("weight")]
        maps.add(pairs)
    (pairs,) = maps
    return " and ".join(f"{code(torch_name)} is {code(keras_name + '.T')}"
                        for torch_name, keras_name in pairs)


def single_bias_split():
    """Where keras_to_torch puts an LSTM's or a SimpleRNN's one bias: the PyTorch bias that
    holds it whole, and the one left zero."""
    maps = set()
    for layer in (by_hand.keras_lstm, by_hand.keras_rnn):
        keras_arrays, torch_arrays = converted_arrays(layer)
        biases = [name for name in torch_arrays if name.startswith("bias")]
        (whole,) = [n for n in biases if np.array_equal(torch_arrays[n], keras_arrays["bias"])]
        (zero,) = [n for n in biases if not torch_arrays[n].any()]
        maps.add((whole, zero))
    ((whole, zero),) = maps
    return f"{code('bias')} goes to {code(whole)}, and {code(zero)} is zero"


def linear_weight_map():
    """Which array of the trained model's Dense layer nn.Linear's weight is the transpose
    of, in trained_model.py's conversion, whose predictions match Keras'."""
    assert trained_model.largest_difference < TOLERANCE
    dense = trained_model.model.layers[-1]
    assert isinstance(dense, keras.layers.Dense)
    keras_arrays = {weight.name: np.asarray(weight) for weight in dense.weights}
    torch_arrays = {name: array.detach().numpy()
                    for name, array in trained_model.torch_model.dense.named_parameters()}
    ((torch_name, keras_name),) = transposed_pairs(torch_arrays, keras_arrays)
    return f"{code(torch_name)} is {code(keras_name + '.T')}"


def torch_option_for(keras_variant):
    """The nn module's option that a change to a plain Keras LSTM turns into, and its new
    value: both converted by weightatlas.keras_to_torch, and the one option that differs."""
    def converted(layer):
        layer.build((None, 5, 3))
        return weightatlas.keras_to_torch(layer)

    plain, changed = converted(keras.layers.LSTM(4)), converted(keras_variant)
    # nn.LSTM takes (*args, **kwargs); nn.RNNBase, the base of each, names the options
    assert isinstance(plain, torch.nn.RNNBase) and isinstance(changed, torch.nn.RNNBase)
    parameters = [name for name in inspect.signature(torch.nn.RNNBase.__init__).parameters if name != "self"]
    options = [name for name in parameters
               if hasattr(plain, name) and getattr(plain, name) != getattr(changed, name)]
    (option,) = options
    return option, getattr(changed, option)


def rnn_nonlinearities():
    """The nonlinearities nn.RNN takes, as its error for another one lists them."""
    try:
        torch.nn.RNN(1, 1, nonlinearity="gelu")
    except ValueError as error:
        return set(re.findall(r"'(\w+)'", str(error))) - {"gelu"}
    raise AssertionError("nn.RNN took nonlinearity='gelu'")


def grid_table():
    """Each option the grid varies and the values it takes, read off the grid itself."""
    cases = [case for _id, case in grid()]

    def values(key, show=str, of=cases):
        return ", ".join(show(value) for value in sorted({case[key] for case in of}))

    # The activation row is the SimpleRNN cases' (no other kind runs one): the page says the
    # options take turns, so they meet each of nn.RNN's nonlinearities.
    simple_rnns = [case for case in cases if case["kind"] == "SimpleRNN"]
    assert {case["nonlinearity"] for case in simple_rnns} == rnn_nonlinearities()

    sizes = sorted({(case["input_size"], case["hidden_size"]) for case in cases})
    directions = sorted({1 + case["bidirectional"] for case in cases})
    assert directions == [1, 2]
    bias_option, _ = torch_option_for(keras.layers.LSTM(4, use_bias=False))
    assert bias_option in cases[0]  # the grid varies it under its PyTorch name
    direction_option, both = torch_option_for(keras.layers.Bidirectional(keras.layers.LSTM(4)))
    assert both is True and direction_option in cases[0]
    rows = [
        [
            "layer",
            values(
                "kind",
                lambda kind: f"{code(kind)} ⇄ {code('nn.' + recurrent.TORCH_MODULES[kind].__name__)}",
            ),
        ],
        [
            "directions",
            ", ".join(count_word(n) for n in directions)
            + " ("
            + code(keras.layers.Bidirectional.__name__)
            + " ⇄ "
            + code(f"{direction_option}={both!r}")
            + ")",
        ],
        ["layers in the stack", values("num_layers")],
        [code("use_bias") + " / " + code(bias_option), values(bias_option)],
        [code("batch_first"), values("batch_first")],
        ["timesteps", values("timesteps")],
        [
            code("(input_size, hidden_size)"),
            ", ".join(code(str(size)) for size in sizes),
        ],
        [code("SimpleRNN") + " activation", values("nonlinearity", code, simple_rnns)],
    ]
    return markdown_table(["option", "values in the grid"], rows)


def spread(values, style):
    """A measurement taken once per seed (a list in the snippet), as its spread."""
    return over_seeds(lambda seed: values[seed], range(len(values)), style)


def value_range(values, style="{:.2f}"):
    """"0.61–1.18", or for an agreement (below the tolerance) its largest value: a bound."""
    if max(values) < TOLERANCE:
        return f"{max(values):.1e}"
    low, high = style.format(min(values)), style.format(max(values))
    assert float(low) > 0, values  # a range reads as errors: an agreement would read 0.00
    return f"{low}–{high}"


def keras2_reset_after_default():
    """Where old GRUs with reset_after=False come from: multi-backend Keras 2's default, read
    from that release's own source."""
    checked = _releases.keras2_gru_reset_after_default()
    assert checked.value is False
    return (f"the default of multi-backend Keras 2 ({code(checked.where)} of "
            f"{checked.release})")


def stack_input_layer_index(keras_grus):
    """The index, in the list of Keras layers trained_model.py converts as a stack, of the
    layer whose arrays keras_to_torch puts in the module's bottom layer (l0, which reads
    the input); every other layer k goes to layer l{k} likewise."""
    gru = trained_model.torch_model.gru
    assert gru.num_layers == len(keras_grus)
    placed = []
    for layer in keras_grus:
        weight_ih, weight_hh, _, _ = recurrent.keras_to_torch_arrays("GRU", *layer.get_weights())
        (torch_layer,) = [k for k in range(gru.num_layers)
                          if np.array_equal(getattr(gru, f"weight_hh_l{k}").detach().numpy(),
                                            weight_hh)
                          and np.array_equal(getattr(gru, f"weight_ih_l{k}").detach().numpy(),
                                             weight_ih)]
        placed.append(torch_layer)
    assert placed == list(range(len(keras_grus)))  # layer k of the list is PyTorch's layer k
    return placed.index(0)


def stack_module_count():
    """How many recurrent modules trained_model.py's Keras GRU stack becomes: the
    torch.nn.RNNBase modules in its PyTorch model, whose num_layers covers the stack."""
    rnn_modules = [module for module in trained_model.torch_model.modules()
                   if isinstance(module, torch.nn.RNNBase)]
    assert rnn_modules == [trained_model.torch_model.gru]
    return len(rnn_modules)


def keras_layers_per_torch_layer() -> int:
    """How many Keras layers torch_to_keras returns for each layer of a stacked module, on
    a three-layer nn.LSTM and a two-layer bidirectional nn.GRU."""
    counts = set()
    for module in (torch.nn.LSTM(3, 4, num_layers=3, batch_first=True),
                   torch.nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True)):
        layers = package_recurrent.torch_to_keras(module)
        per_layer, left = divmod(len(layers), module.num_layers)
        assert left == 0
        counts.add(per_layer)
    (count,) = counts
    return count


def backward_state_index():
    """The timestep of a bidirectional nn.LSTM's output where the backward direction's
    final state sits: usage.py's converted Bidirectional layer run on its last inputs, the
    output's backward half compared with h_n at each timestep."""
    module = usage.torch_bidirectional
    with torch.no_grad():
        output, (h_n, _c_n) = module(torch.from_numpy(usage.x))
    units = module.hidden_size
    backward_final = h_n[-1].numpy()
    (index,) = [t for t in range(output.shape[1])
                if np.array_equal(output[:, t, units:].numpy(), backward_final)]
    # The forward direction's final state is the output's last step, as usage.py asserts.
    np.testing.assert_array_equal(output[:, -1, :units].numpy(), h_n[-2].numpy())
    assert index == 0  # the page: the backward state sits at the opposite end
    return index


def activation_grid_points():
    """Where the package compares an activation with PyTorch's, read off its own grid: how
    many points and the range they span, from far below zero to far above it. A relu capped
    at 100, which agrees with relu up to 100, is refused there."""
    grid = package_recurrent.ACTIVATION_GRID
    low, high = float(grid.min()), float(grid.max())
    assert low <= -1000 and high >= 1000 and np.any(grid == 0)

    def capped_relu(x):
        return keras.ops.minimum(keras.ops.relu(x), 100.0)

    capped = keras.layers.SimpleRNN(units=2, activation=capped_relu)
    capped.build((None, None, 3))
    try:
        recurrent.keras_to_torch(capped)
        raise AssertionError("a relu capped at 100 was converted")
    except ValueError as error:
        assert "capped_relu" in str(error), error
    return f"{len(grid)} points from {low:g} to {high:g}"


def converter_functions():
    """The package's converters, named from the functions a real call proves: the one that
    turns by_hand.py's Keras LSTM into an nn.LSTM, the one that turns that module back into
    Keras layers, and their twins that take and return the weight arrays alone, no layer."""
    layer = by_hand.keras_lstm
    layer_to_module, module_to_layers = weightatlas.keras_to_torch, weightatlas.torch_to_keras
    arrays_to_torch = weightatlas.keras_to_torch_arrays
    arrays_to_keras = weightatlas.torch_to_keras_arrays
    module = layer_to_module(layer)
    assert isinstance(module, torch.nn.RNNBase) and not isinstance(module, keras.layers.Layer)
    (back,) = module_to_layers(module)
    assert isinstance(back, type(layer))
    for array, again in zip(layer.get_weights(), back.get_weights()):
        np.testing.assert_array_equal(array, again)
    kind = type(layer).__name__
    torch_arrays = arrays_to_torch(kind, *layer.get_weights())
    for array, (_name, parameter) in zip(torch_arrays, module.named_parameters()):
        assert isinstance(array, np.ndarray)
        np.testing.assert_array_equal(array, parameter.detach().numpy())
    keras_arrays = arrays_to_keras(kind, *torch_arrays)
    for array, again in zip(layer.get_weights(), keras_arrays):
        assert isinstance(again, np.ndarray)
        np.testing.assert_array_equal(array, again)
    for function in (layer_to_module, module_to_layers, arrays_to_torch, arrays_to_keras):
        assert getattr(weightatlas, function.__name__) is function  # the package exports it
    for function in (arrays_to_torch, arrays_to_keras):  # a family's name and arrays, no layer
        assert "layer" not in inspect.signature(function).parameters

    def qualified(function):
        return code(f"{weightatlas.__name__}.{function.__name__}")

    return {
        "keras_layer_converter": qualified(layer_to_module),
        "torch_module_converter": qualified(module_to_layers),
        "layer_converters": f"{code(layer_to_module.__name__)} and "
        f"{code(module_to_layers.__name__)}",
        "weight_array_converters": f"{code(arrays_to_torch.__name__)} and "
        f"{code(arrays_to_keras.__name__)}",
    }


def framework_extras():
    """The extras of the package's pyproject.toml, each requiring the framework it is named
    for, while the package itself requires NumPy alone."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"  # the project's own
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    assert [requirement.split(">")[0].split("=")[0].strip()
            for requirement in project["dependencies"]] == ["numpy"]
    extras = project["optional-dependencies"]
    for extra, requirements in extras.items():
        assert [r.split(">")[0].split("=")[0].strip() for r in requirements] == [extra]
    assert sorted(extras) == ["keras", "torch"]
    return " and ".join(code(extra) for extra in extras)


def stack_shared_options():
    """The options the layers of a list must share for keras_to_torch to make one module of
    them: for each, a two-layer stack that differs in that option alone is refused, with an
    error that names the upper layer and the option, while the same stack without the
    difference converts. Shown as code when it is an argument of the Keras layer."""
    layers = keras.layers
    stacks = {
        "kind": lambda: (layers.LSTM(4, return_sequences=True), layers.GRU(4)),
        "units": lambda: (layers.LSTM(4, return_sequences=True), layers.LSTM(5)),
        "use_bias": lambda: (layers.LSTM(4, return_sequences=True),
                             layers.LSTM(4, use_bias=False)),
        "activation": lambda: (layers.SimpleRNN(4, return_sequences=True),
                               layers.SimpleRNN(4, activation="relu")),
        "directions": lambda: (layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
                               layers.LSTM(4)),
        "dtype": lambda: (layers.LSTM(4, return_sequences=True), layers.LSTM(4, dtype="float64")),
    }
    alike = (layers.LSTM(4, return_sequences=True), layers.LSTM(4))
    alike[0].build((None, None, 3))
    alike[1].build((None, None, 4))
    assert isinstance(package_recurrent.keras_to_torch(list(alike)), torch.nn.LSTM)
    shown = []
    for option, make in stacks.items():
        lower, upper = make()
        lower.build((None, None, 3))
        upper.build((None, None, lower.compute_output_shape((None, None, 3))[-1]))
        try:
            package_recurrent.keras_to_torch([lower, upper])
            raise AssertionError(f"a stack whose layers differ in {option} was converted")
        except weightatlas.ConversionError as error:
            message = str(error)
        assert upper.name in message and option.rstrip("s") in message, message
        arguments = inspect.signature(type(upper).__init__).parameters
        shown.append(code(option) if option in arguments else option)
    return ", ".join(shown[:-1]) + f" and {shown[-1]}"


def error_base_classes():
    """The base class of every error the package raises, and the built-in exception it is
    itself: read off the classes weightatlas exports, so `except` of either catches them."""
    errors = [getattr(weightatlas, name) for name in weightatlas.__all__
              if isinstance(getattr(weightatlas, name), type)
              and issubclass(getattr(weightatlas, name), Exception)]
    (base,) = [error for error in errors if all(issubclass(other, error) for other in errors)]
    builtin = next(cls for cls in base.__mro__[1:] if cls.__module__ == "builtins")
    assert issubclass(base, builtin) and builtin is not Exception and len(errors) > 2
    try:
        package_recurrent.keras_to_torch(reset_after.old_gru)
        raise AssertionError("GRU(reset_after=False) was converted")
    except builtin as error:
        assert isinstance(error, base)
    return f"{code(base.__name__)}, itself a {code(builtin.__name__)}"


def dense_module():
    """What trained_model.py's Dense layer becomes, converted on its own by
    keras_to_torch: the module class holding its arrays, and which of them its weight is,
    in a conversion whose predictions match Keras'. In the list of layers to stack, the
    same Dense is refused and sent to be converted on its own."""
    module = trained_model.torch_model.dense
    dense = trained_model.model.layers[-1]
    assert type(package_recurrent.keras_to_torch(dense)) is type(module)
    try:
        package_recurrent.keras_to_torch([dense])
        raise AssertionError("keras_to_torch stacked a Dense layer")
    except weightatlas.UnsupportedLayer as error:
        assert f"keras_to_torch({dense.name})" in str(error)
    assert type(module).__module__.startswith("torch.nn")
    return f"an {code('nn.' + type(module).__name__)} whose {linear_weight_map()}"


def single_layer_modules():
    """What keras_to_torch returns for each layer it converts on its own (weightatlas.dense's
    classes), each built and converted here, and torch_to_keras takes back to that class:
    'a `Dense` or an `Embedding` layer ... an `nn.Linear` or an `nn.Embedding`'."""
    pairs = []
    for kind in weightatlas.dense.KERAS_CLASSES:
        layer = getattr(keras.layers, kind)(*((4,) if kind == "Dense" else (10, 4)))
        layer.build((None, 5) if kind == "Dense" else (None,))
        module = package_recurrent.keras_to_torch(layer)
        (back,) = package_recurrent.torch_to_keras(module)
        assert type(back) is type(layer) and module.__module__.startswith("torch.nn")
        pairs.append((kind, "nn." + type(module).__name__))
    layers = " or ".join(f"{article(k)} {code(k)}" for k, _ in pairs)
    modules = " or ".join(f"{article(m[3:])} {code(m)}" for _, m in pairs)
    return f"{layers} layer, passed on its own, becomes {modules}"


def convolution_modules():
    """What keras_to_torch returns for each convolution (weightatlas.conv's classes), each
    built and converted here: the PyTorch convolution classes it holds, and whether the
    module is one of them or an nn.Sequential around them."""
    rows = []
    for kind in weightatlas.conv.KERAS_CLASSES:
        cls = getattr(keras.layers, kind)
        rank = int(kind.split("Conv")[1][0])
        layer = cls(3) if kind.startswith("Depthwise") else cls(4, 3)
        layer.build((None, *([6] * rank), 2))
        module = package_recurrent.keras_to_torch(layer)
        convs = [m for m in module.modules() if isinstance(m, torch.nn.modules.conv._ConvNd)]
        names = " then ".join(
            code("nn." + type(m).__name__)
            + (" with `groups=in_channels`" if m.groups > 1 else "")
            for m in convs)
        assert all(m.groups in (1, m.in_channels) for m in convs)
        rows.append(f"{code(kind)} → {names}")
    return "; ".join(rows)


def whole_model_modules():
    """What keras_to_torch makes of a whole model, built and converted here: the classes
    of its Keras layers and of the PyTorch modules they become, one for one, and the
    class of the module holding them; torch_to_keras takes it back to those layers."""
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3),
                              keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                              keras.layers.Dense(10)])
    module = weightatlas.keras_to_torch(model)
    assert len(module) == len(model.layers)
    back = weightatlas.torch_to_keras(module, input_shape=(1, 8, 8))
    assert [type(layer) for layer in back.layers] == [type(layer) for layer in model.layers]
    layers = ", ".join(code(type(layer).__name__) for layer in model.layers)
    parts = ", ".join(code("nn." + type(part).__name__) for part in module)
    return (f"a `Sequential` model of {layers} becomes {article(type(module).__name__)} "
            f"{code(type(module).__name__)} (an `nn.Sequential`) of {parts}")


def whole_model_answer():
    """What the whole-model snippet's conversion returned and how close it came, read from
    its module and its run: the parts in order, and the two largest differences."""
    snippet = whole_model
    module = snippet.module
    assert snippet.module_classes == [type(part).__name__ for part in module]
    embedding, recurrent_layer, head = module
    assert isinstance(recurrent_layer.rnn, torch.nn.LSTM) and module.mask_zero
    assert snippet.largest_difference < TOLERANCE < snippet.unmasked_difference
    head_parts = " and ".join(code("nn." + type(part).__name__) for part in head)
    return (f"`keras_to_torch(model)` returns {article(type(module).__name__)} "
            f"{code(type(module).__name__)}: an {code('nn.' + type(embedding).__name__)}, "
            f"a `RecurrentLayer` holding the {code('nn.' + type(recurrent_layer.rnn).__name__)}, "
            f"and an `nn.Sequential` of {head_parts}. It masks the token ids that are 0, as "
            "the Keras `Embedding(mask_zero=True)` does, and feeds the LSTM packed "
            f"sequences: its probabilities agree with Keras' to {TOLERANCE:g}, and with the "
            "mask turned off they do not")


def gru_stack_module(keras_grus):
    """What trained_model.py's GRU stack becomes: one recurrent module, its class, and its
    num_layers, one layer per Keras GRU."""
    gru = trained_model.torch_model.gru
    assert gru.num_layers == len(keras_grus) and isinstance(gru, torch.nn.RNNBase)
    assert {type(layer).__name__ for layer in keras_grus} == {type(gru).__name__}
    return (f"{count_word(stack_module_count())} {code('nn.' + type(gru).__name__)} with "
            f"{code(f'num_layers={gru.num_layers}')}")


def make_facts() -> dict[str, str | int]:
    # The orders: recurrent.py's maps, as each library names them, and the one GRU order
    # that reproduces the trained model.
    assert list(gru_mistakes.proven_torch_order) == recurrent.TORCH_BLOCKS["GRU"]
    keras_gru, torch_gru = keras_letters("GRU"), torch_letters("GRU")
    keras_lstm, torch_lstm = keras_letters("LSTM"), torch_letters("LSTM")
    # The page says: swap the GRU's first blocks; the LSTM keeps its order.
    moved = [k for k, gate in enumerate(recurrent.TORCH_BLOCKS["GRU"]) if gate != keras_gru[k]]
    assert moved == list(range(len(moved))) and len(moved) == 2  # a swap of the first ones
    assert recurrent.TORCH_BLOCKS["GRU"] == keras_gru[: len(moved)][::-1] + keras_gru[len(moved):]
    assert recurrent.TORCH_BLOCKS["LSTM"] == keras_lstm  # the LSTM keeps its order
    # Each layer's kernel holds one block of `units` columns per letter.
    for layer in (by_hand.keras_lstm, by_hand.keras_gru, by_hand.keras_rnn):
        kind = type(layer).__name__
        assert layer.get_weights()[0].shape[1] == len(recurrent.KERAS_BLOCKS[kind]) * layer.units
    # PyTorch's candidate letter beside Keras' for the same block.
    candidate = {kind: (torch_letters(kind)[recurrent.TORCH_BLOCKS[kind].index(letter)], letter)
                 for kind, letter in (("GRU", "h"), ("LSTM", "c"))}
    for kind, (torch_letter, keras_letter) in candidate.items():
        assert keras_letter in keras_letters(kind) and torch_letter in torch_letters(kind)

    input_row, recurrent_row = gru_bias_rows()
    gru_bias = by_hand.keras_gru.get_weights()[2]
    assert len(gru_bias) == len([name for name in recurrent.TORCH_NAMES if "bias" in name])
    after = checked_gru_equations(by_hand.keras_gru, by_hand.inputs, True,
                                  input_row, recurrent_row)
    kernel, recurrent_kernel, _ = reset_after.old_gru.get_weights()
    checked_gru_equations(reset_after.old_gru, reset_after.inputs, False,
                          input_row, recurrent_row)  # Keras' initial weights: a zero bias
    random_bias = keras.layers.GRU(units=reset_after.old_gru.units, reset_after=False,
                                   return_sequences=True)
    random_bias.build(reset_after.inputs.shape)
    random_bias.set_weights([kernel, recurrent_kernel,
                             np.random.default_rng(0).normal(size=kernel.shape[1])])
    before = checked_gru_equations(random_bias, reset_after.inputs, False,
                                   input_row, recurrent_row)

    # The trained model: its Keras GRU layers become one nn.GRU with that many layers.
    keras_grus = [layer for layer in trained_model.model.layers
                  if isinstance(layer, keras.layers.GRU)]
    assert len(keras_grus) == trained_model.torch_model.gru.num_layers

    errors = gru_mistakes.error  # one largest error per trained model
    bias_names = gru_bias_names()
    mistakes = described_mistakes(input_row, recurrent_row, bias_names)
    wrong = {name: values for name, values in errors.items() if name != "right"}
    assert list(errors) == list(mistakes)
    n_models = len(gru_mistakes.models)
    # The page: with each model, each mistake moves the predictions by the smallest of these
    # or more, far beyond the tolerance the right conversion meets.
    smallest_mistake = spread([min(values[k] for values in wrong.values())
                               for k in range(n_models)], "{:.3f}")
    assert smallest_mistake.low > 1000 * TOLERANCE and max(errors["right"]) < TOLERANCE
    not_reordered = spread(errors["not_reordered"], "{:.2f}")
    assert not_reordered.low > 1000 * TOLERANCE
    prediction_scale = spread(gru_mistakes.prediction_scales, "{:.2f}")
    assert prediction_scale.low > smallest_mistake.high  # the mistakes are not noise
    # atlas: allow unchecked-fact: a quoted source line and its link (keras_letters checks it)
    source_line, source_url = keras_gru_source_link()
    exponent = math.log10(TOLERANCE)
    assert exponent == round(exponent)
    # One case per (kind, directions, layers) combination, and no other case.
    cases = [case for _id, case in grid()]
    structures = {(c["kind"], c["bidirectional"], c["num_layers"]) for c in cases}
    kinds, directions, depths = (set(parts) for parts in zip(*structures))
    assert len(structures) == len(cases) == len(kinds) * len(directions) * len(depths)
    by_order = sorted(gru_mistakes.order_error.items(), key=lambda item: max(item[1]))
    # The page: of the orders of the three blocks (all of them), one reproduces each model,
    # PyTorch's, and it heads the table.
    assert len(by_order) == math.factorial(len(keras_gru))
    reproducing_orders = [letters for letters, values in by_order if max(values) < TOLERANCE]
    assert reproducing_orders == ["".join(gru_mistakes.proven_torch_order)] == [by_order[0][0]]
    assert all(min(values) > 1000 * TOLERANCE for _letters, values in by_order[1:])
    extra_tanh = spread(no_tanh.extra_tanh_errors, "{:.2f}")
    assert extra_tanh.low > 1000 * TOLERANCE  # the page: one more tanh puts it off
    last_step = spread(usage.last_step_errors, "{:.2f}")
    assert last_step.low > 1000 * TOLERANCE  # the page: output[:, -1] is not Keras' output
    forced_reset_after = spread(reset_after.reset_after_errors, "{:.3f}")
    assert forced_reset_after.low > 1000 * TOLERANCE  # the page: forced through, it misses
    reset_after_scale = spread(reset_after.output_scales, "{:.2f}")
    assert reset_after_scale.low > forced_reset_after.high / 10  # outputs, not rounding
    no_tanh_difference = max(no_tanh.largest_differences)
    assert no_tanh_difference < TOLERANCE
    # The page says "from each of N seeds" of these snippets: they draw the same number.
    seeds = {len(values) for values in (usage.last_step_errors, no_tanh.extra_tanh_errors,
                                        reset_after.reset_after_errors)}
    assert seeds == {n_models}, seeds
    assert max(by_hand.lstm_error, by_hand.gru_error, by_hand.simple_rnn_error) < 1e-6
    loss_ratio = spread([fall[-1] / fall[0] for fall in gru_mistakes.losses_by_seed], "{:.0%}")
    assert loss_ratio.high < 0.5  # the page: trained from each seed, the loss falls
    # The plan the page shows: one row per array of the converted module's state_dict.
    gru_plan = plan_snippet.plan
    assert sorted(row[1] for row in gru_plan.rows()) == sorted(plan_snippet.state_dict)
    assert plan_snippet.table.splitlines()[2:] == [
        line for line in str(gru_plan).splitlines() if "`" in line]
    gru_bias_map = (f"{code(f'bias[{input_row}]')} to {code(bias_names[input_row])}, "
                    f"{code(f'bias[{recurrent_row}]')} to {code(bias_names[recurrent_row])}")
    n_gru_layers = len(keras_grus)
    stack_input_layer = stack_input_layer_index(keras_grus)
    assert stack_input_layer == 0  # the page: the list starts with the layer reading the input
    n_stack_modules = stack_module_count()
    assert n_stack_modules == 1 < n_gru_layers  # the page: a stack becomes one module
    backward_state = backward_state_index()
    return {
        "stack_input_layer_position": ordinal_word(stack_input_layer),
        "n_stack_modules": count_word(n_stack_modules, "module"),
        "n_keras_layers_per_torch_layer": count_word(keras_layers_per_torch_layer()),
        "backward_state_position": ordinal_word(backward_state),
        "activation_grid_points": activation_grid_points(),
        "gru_orders": in_both(keras_gru, torch_gru),
        "lstm_orders": in_both(keras_lstm, torch_lstm),
        # "the first two blocks": where the swapped blocks start, and how many they are
        "gru_blocks_to_swap": f"{ordinal_word(moved[0])} {count_word(len(moved), 'block')}",
        "simplernn_blocks": count_word(len(recurrent.KERAS_BLOCKS["SimpleRNN"]), "block"),
        "gru_candidate_letters": "PyTorch's ${}$ is the candidate Keras calls ${}$".format(
            *candidate["GRU"]),
        "lstm_candidate_letters": "PyTorch writing the candidate ${}$ where Keras writes ${}$"
        .format(*candidate["LSTM"]),
        "proven_gru_order": order(gru_mistakes.proven_torch_order),
        "gru_bias_map": gru_bias_map,
        "gru_bias_rows_map": f"{count_word(len(gru_bias), 'row')}, which map one to one: "
        f"{gru_bias_map}",
        "gru_plan_table": plan_snippet.table,
        "transpose_map": transpose_map(),
        "single_bias_split": single_bias_split(),
        "dense_module": dense_module(),
        "single_layer_modules": single_layer_modules(),
        "convolution_modules": convolution_modules(),
        "whole_model_modules": whole_model_modules(),
        "whole_model_answer": whole_model_answer(),
        "gru_stack_module": gru_stack_module(keras_grus),
        "error_base_classes": error_base_classes(),
        "stack_shared_options": stack_shared_options(),
        "framework_extras": framework_extras(),
        **converter_functions(),
        "reset_scaled_map": gru_reset_scaled_map(bias_names, recurrent_row),
        "gate_bias_sum": gate_bias_sum(),
        "forced_bias_name": forced_bias_name(bias_names, input_row, recurrent_row),
        "projection_weight_name": projection_weight_name(),
        "gru_reset_term": checked_term("r * (h_prev @ U_h + bh_h)", after),
        "gru_candidates": candidates_by_reset_after(after, before),
        "lstm_output_term": checked_term("o * tanh(c)", checked_lstm_output()),
        "last_step_code": last_step_code(),
        "n_gru_layers": count_word(n_gru_layers, "stacked GRU layer"),
        "n_cases": len(grid()),
        "tolerance": f"$10^{{{int(exponent)}}}$",
        "grid_table": grid_table(),
        "trained_difference": f"{trained_model.largest_difference:.1e}",
        "prediction_scale": str(prediction_scale),
        "n_models": count_word(n_models, "model"),
        "n_seeds": count_word(n_models, "seed"),
        "n_activations": activations.n_activations,
        "loss_fall": f"falls to {loss_ratio} of its first epoch's value",
        "n_epochs": len(trained_model.losses),
        "mistakes_table": markdown_table(
            ["conversion", "what it does",
             f"largest error in the predictions, over {count_word(n_models, 'model')}"],
            [[code(name), mistakes[name], value_range(errors[name], "{:.3f}")]
             for name in mistakes],
        ),
        "smallest_mistake_error": str(smallest_mistake),
        "not_reordered_error": str(not_reordered),
        "orders_table": markdown_table(
            [
                "Keras blocks, in the order copied into PyTorch",
                f"largest error in the predictions, over {count_word(n_models, 'model')}",
            ],
            [[order(letters), value_range(values)] for letters, values in by_order],
        ),
        "n_block_orders": len(by_order),
        "n_reproducing_orders": count_word(len(reproducing_orders)),
        "extra_tanh_error": str(extra_tanh),
        "no_tanh_difference": f"{no_tanh_difference:.1e}",
        "last_step_error": str(last_step),
        "reset_after_error": str(forced_reset_after),
        "reset_after_scale": str(reset_after_scale),
        "keras_gru_source_line": code(source_line),
        "keras_gru_source_url": source_url,
    }
