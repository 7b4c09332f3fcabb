"""Facts on the PyTorch recurrent-layers page: names, shapes, gate orders, the GRU's
equations, b_hn, batch_first, the forget-gate slice, and the cuDNN bias story.

Shapes are formulas evaluated over a grid against real modules; the GRU's equations are the
Python expressions run here against the nn.GRU that snippets/pytorch/gru_gate_order.py proves
the order with; source lines are found in the installed Keras and checked against the proofs.
"""
import copy
import functools
import inspect
import itertools
import math
import os
import re
import subprocess
import sys

import keras
import numpy as np
import tf_keras
import tf_keras.api._v1.keras as tf_keras_v1
import tf_keras.api._v2.keras as tf_keras_v2
import torch

from facts._formulas import aligned, checked_term, evaluate
from facts._recurrent import run_equations, source_line
from facts._spread import over_seeds
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, ordinal_word, times_word
from snippets.lstm import gate_order as keras_lstm_proof
from snippets.lstm import pytorch_gate_order as lstm_proof
from snippets.lstm import unit_forget_bias
from snippets.pytorch import batch_first, cudnn_biases, every_configuration
from snippets.pytorch import forget_bias, gru_b_hn, gru_gate_order, h_n_layout, initialisation
from snippets.pytorch import names, padded_batches, proj_size, relu_rnn
from snippets.rnn import gru_gate_order as keras_gru_proof
from weightatlas import keras_to_torch_arrays

GRU_EQUATIONS = [
    ("r", "sigmoid(x @ W_ir + b_ir + h_prev @ W_hr + b_hr)"),
    ("z", "sigmoid(x @ W_iz + b_iz + h_prev @ W_hz + b_hz)"),
    ("n", "tanh(x @ W_in + b_in + r * (h_prev @ W_hn + b_hn))"),
    ("h", "(1 - z) * n + z * h_prev"),
]
# The candidate with its bias terms gathered, as nn.GRU computes it, and as it would be with
# bias_hh's candidate block folded into bias_ih's: the reset gate scales b_hn, not b_in.
CANDIDATE_BIASES = "b_in + r * b_hn"
FOLDED_BIASES = "b_in + b_hn"
CANDIDATE = "tanh(x @ W_in + r * (h_prev @ W_hn) + {biases})"
GATE_NAMES = {"r": "reset gate", "z": "update gate", "n": "candidate"}
GATE_BLOCKS = {"RNN": 1, "GRU": 3, "LSTM": 4}
SHAPES = {
    "weight_ih_l0": ("{g}hidden_size", "input_size"),
    "weight_hh_l0": ("{g}hidden_size", "hidden_size"),
    "bias_ih_l0": ("{g}hidden_size",),
    "bias_hh_l0": ("{g}hidden_size",),
}
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (hidden_size, input_size)
# The symbol of each array's blocks in GRU_EQUATIONS: W_ir is weight_ih's r block.
BLOCK_PREFIXES = {"weight_ih": "W_i", "weight_hh": "W_h", "bias_ih": "b_i", "bias_hh": "b_h"}
# What the equations' operands are, in words.
OPERANDS = {"x": "the input", "h_prev": "the previous hidden state"}
# Block k of a PyTorch array is rows [k * hidden_size:(k + 1) * hidden_size].
BLOCK_ROWS = ("k * hidden_size", "(k + 1) * hidden_size")
# The layouts the page states for every configuration (D directions, H_out what h holds),
# evaluated over every configuration snippets/pytorch/every_configuration.py checks.
DIRECTIONS = "1 + bidirectional"
H_OUT = "proj_size or hidden_size"
LAYOUTS = {
    "output": ("T", "batch", "D * H_out"),
    "output_batch_first": ("batch", "T", "D * H_out"),
    "h_n": ("D * num_layers", "batch", "H_out"),
    "c_n": ("D * num_layers", "batch", "hidden_size"),
}
# Above the first layer, weight_ih_l{k} has a column per feature of the layer below.
ABOVE_FIRST_COLUMNS = "D * H_out"
# The arrays of one layer and direction: two weights, two biases with bias=True, and
# weight_hr with a projection.
ARRAYS_PER_DIRECTION = "2 + 2 * bias + (proj_size > 0)"
SEEDS = range(5)


def shape_formulas(kind):
    multiplier = "" if GATE_BLOCKS[kind] == 1 else f"{GATE_BLOCKS[kind]} * "
    return {name: tuple(term.format(g=multiplier) for term in formula)
            for name, formula in SHAPES.items()}


def checked_names_table():
    rows = []
    for kind, blocks in GATE_BLOCKS.items():
        formulas = shape_formulas(kind)
        shapes = {name: code("(" + ", ".join(f) + (",)" if len(f) == 1 else ")"))
                  for name, f in formulas.items()}
        for hidden_size, input_size in GRID:
            module = getattr(torch.nn, kind)(input_size, hidden_size)
            sizes = {"hidden_size": hidden_size, "input_size": input_size}
            for name, parameter in module.named_parameters():
                # the cell as the table shows it, read as Python, is the shape
                assert evaluate(shapes[name].strip("`"), sizes) == tuple(parameter.shape)
        assert names.gate_blocks[kind] == blocks
        order = {"RNN": count_word(blocks, "block"), "GRU": ", ".join(gru_gate_order.proven_order),
                 "LSTM": ", ".join(lstm_proof.proven_order)}[kind]
        assert shapes["bias_ih_l0"] == shapes["bias_hh_l0"]
        proofs = {"GRU": gru_gate_order, "LSTM": lstm_proof}
        assert kind not in proofs or order.split(", ") == list(proofs[kind].proven_order)  # as proven
        rows.append([code(f"nn.{kind}"), order, shapes["weight_ih_l0"],
                     shapes["weight_hh_l0"], shapes["bias_ih_l0"]])
    return markdown_table(
        ["module", "row blocks", "`weight_ih_l0`", "`weight_hh_l0`",
         "`bias_ih_l0`, `bias_hh_l0` (each)"], rows)


def suffix_table():
    rows = []
    deep = names.deep
    for name, shape in names.deep_shapes.items():
        layer = int(name.split("_l")[1].split("_")[0])
        direction = "backward" if name.endswith("_reverse") else "forward"
        reads = {"ih": "the layer's input", "hh": "its own previous $h$"}[name.split("_")[1]]
        # What the row says, on the module: weight_ih reads the input (layer 0) or every
        # direction of the layer below; weight_hh reads the layer's own h.
        if name.startswith("weight"):
            below = (2 if deep.bidirectional else 1) * deep.hidden_size
            widths = {"ih": deep.input_size if layer == 0 else below, "hh": deep.hidden_size}
            assert shape[1] == widths[name.split("_")[1]], name
        rows.append([code(name), code(shape_text(shape)), str(layer), direction,
                     reads if name.startswith("weight") else "added"])
    assert {(row[2], row[3]) for row in rows} == {  # every layer, both directions
        (str(layer), direction) for layer in range(deep.num_layers)
        for direction in ("forward", "backward")}
    return markdown_table(["name", "shape", "layer", "direction", "multiplies"], rows)


@functools.cache
def gate_axis():
    """The axis of `weight_ih_l0` along which the gate blocks stack, read off each kind's
    layer in names.py: the one `gate_blocks * hidden_size` long (input_size differs).
    gru_weights cuts along it, so the GRU's equations check it against nn.GRU too."""
    assert names.input_size != names.hidden_size
    axes = set()
    for kind, layer in names.layers.items():
        rows = names.gate_blocks[kind] * names.hidden_size
        (axis,) = [a for a, size in enumerate(layer.weight_ih_l0.shape) if size == rows]
        axes.add(axis)
    (axis,) = axes
    return axis


def gru_weights(order, weight_ih, weight_hh, bias_ih, bias_hh):
    """{"W_ir": ..., "b_hn": ...}: an nn.GRU's arrays cut into one block per gate, the
    weights along the gate axis."""
    arrays = {"weight_ih": weight_ih, "weight_hh": weight_hh,
              "bias_ih": bias_ih, "bias_hh": bias_hh}
    weights = {}
    for name, prefix in BLOCK_PREFIXES.items():
        array = np.asarray(arrays[name])
        # weights and biases alike: a bias's one axis is the gate axis (0) of the weights
        for gate, block in zip(order, np.split(array, 3, axis=gate_axis())):
            # a weight is stored as rows: x @ block.T
            weights[f"{prefix}{gate}"] = block.T if name.startswith("weight") else block
    return weights


def weight_prefixes(equations):
    """{"weight_ih": "W_i", ...}: the symbol of each weight's blocks in the equations."""
    prefixes = {name: prefix for name, prefix in BLOCK_PREFIXES.items()
                if name.startswith("weight")}
    for prefix in prefixes.values():
        assert any(re.search(rf"\b{prefix}\w\b", expression) for _, expression in equations)
    return prefixes


def block_symbols(equations):
    """How the page writes the blocks of weight_ih_l0 and weight_hh_l0: the symbols
    gru_weights cuts them into, in the equations checked against nn.GRU."""
    (ih, ih_prefix), (hh, hh_prefix) = weight_prefixes(equations).items()

    def symbol(prefix):
        letter, side = prefix.split("_")
        return f"${letter}_{{{side}\\cdot}}$"

    return (f"the blocks of {code(ih + '_l0')} written {symbol(ih_prefix)} and those of "
            f"{code(hh + '_l0')} {symbol(hh_prefix)}")


def multiplies_map(equations):
    """What each weight multiplies, read off the GRU equations checked against nn.GRU (each
    block symbol is the weight gru_weights cut it from), and the shapes of every kind's
    layer in names.py (input_size and hidden_size differ)."""
    assert names.input_size != names.hidden_size
    for layer in names.layers.values():
        assert layer.weight_ih_l0.shape[1] == names.input_size
        assert layer.weight_hh_l0.shape[1] == names.hidden_size
    said = []
    for name, prefix in weight_prefixes(equations).items():
        operands = {operand for _, expression in equations
                    for operand in re.findall(rf"(\w+) @ {prefix}\w\b", expression)}
        (operand,) = operands
        said.append((code(f"{name}_l{{k}}"), OPERANDS[operand]))
    (first, first_operand), (second, second_operand) = said
    return f"{first} multiplies {first_operand}, {second} {second_operand}"


@functools.cache
def projection_arrays():
    """Which array of names.py's projected nn.LSTM projects h down to proj_size entries,
    and which multiplies the projected state, read off the shapes (input_size,
    hidden_size and proj_size all differ), with the output as wide as the projection."""
    module, shapes = names.projected, names.projected_shapes
    size, hidden = module.proj_size, module.hidden_size
    assert len({size, hidden, module.input_size}) == 3
    (projects,) = [name for name, shape in shapes.items() if shape == (size, hidden)]
    (multiplies,) = [name for name, shape in shapes.items()
                     if len(shape) == 2 and shape[1] == size]
    assert names.output.shape[-1] == names.h_n.shape[-1] == size
    assert names.c_n.shape[-1] == hidden
    return projects, multiplies


def projection_map():
    projects, multiplies = projection_arrays()
    return (f"{code(projects)} projects each hidden state down to {code('proj_size')} "
            f"entries, which {code(multiplies)} multiplies")


def projection_weight_name(input_layer):
    """The projection's array, the one proj_size.py's hand-computed step applies to the
    unprojected hidden state: the input layer's (the one-layer module's only layer), in the
    state_dict, with no bias beside it."""
    projects, _ = projection_arrays()
    assert layer_suffix(projects) == f"_{input_layer}"
    assert projects in names.projected.state_dict()
    assert projects in dict(proj_size.lstm.named_parameters())
    assert tuple(getattr(proj_size.lstm, projects).shape) == (proj_size.proj_size,
                                                               proj_size.hidden_size)
    assert not any(name.startswith("bias_hr") for name in names.projected.state_dict())
    return code(projects)


def layer_suffix(name):
    """`weight_ih_l1_reverse` -> `_l1`: the layer suffix in a parameter's name."""
    return "_l" + name.split("_l")[1].split("_")[0]


def l1_suffix_map(layer_positions):
    """The question's `_l1`, taken from names.deep's parameters, and its place in the stack
    (run by stack_positions); a one-layer module has no array with that suffix."""
    suffixes = {layer_suffix(name) for name in names.deep.state_dict()}
    (suffix,) = [s for s in suffixes if s == "_l1"]  # the suffix the question asks about
    for layer in names.layers.values():
        assert suffix not in {layer_suffix(name) for name in layer.state_dict()}
    return (f"{code(suffix)} is the {ordinal_word(layer_positions[suffix.removeprefix('_')])} "
            f"layer of {code('num_layers')}")


def cell_suffix_name(input_layer):
    """The suffix a layer's names add to its cell's, found in names.py's layers and cells:
    the input layer's. A cell given the arrays under those names and stepped over a
    sequence ends on the layer's h_n, run here."""
    suffixes = set()
    inputs = torch.randn(6, 3, names.input_size, generator=torch.Generator().manual_seed(0))
    for layer, cell in zip(names.layers.values(), names.cells.values()):
        assert type(cell).__name__ == type(layer).__name__ + "Cell"
        layer_names = list(layer.state_dict())
        found = {name: [n.removeprefix(name) for n in layer_names if n.startswith(f"{name}_l")]
                 for name in cell.state_dict()}
        ((suffix,),) = {tuple(s) for s in found.values()}
        suffixes.add(suffix)
        stepped = copy.deepcopy(cell)
        stepped.load_state_dict({name: layer.state_dict()[name + suffix] for name in found})
        with torch.no_grad():
            _, h_n = layer(inputs)
            state = torch.zeros(3, names.hidden_size)
            state = (state, state) if isinstance(cell, torch.nn.LSTMCell) else state
            for x in inputs:
                state = stepped(x, state)
        h = state[0] if isinstance(cell, torch.nn.LSTMCell) else state
        h_n = h_n[0] if isinstance(layer, torch.nn.LSTM) else h_n
        torch.testing.assert_close(h, h_n[0])
    (suffix,) = suffixes
    assert suffix == f"_{input_layer}"
    return code(suffix)


def forget_rows_facts(forget_rows, ih_forget_bias, hh_forget_bias):
    """forget_bias.py's set section, read off its LSTM: which bias holds the wanted value in
    the forget rows and which holds the other's (both the input layer's, of one shape)."""
    lstm = forget_bias.lstm
    biases = [name for name, _ in lstm.named_parameters() if name.startswith("bias")]
    held = {name: set(getattr(lstm, name)[forget_bias.forget].tolist()) for name in biases}
    (wanted,) = [name for name in biases if held[name] == {ih_forget_bias}]
    (other,) = [name for name in biases if held[name] == {hh_forget_bias}]
    assert wanted != other and ih_forget_bias != hh_forget_bias  # two biases, a value each
    assert getattr(lstm, wanted).shape == getattr(lstm, other).shape
    assert {layer_suffix(wanted), layer_suffix(other)} == {"_l0"} == {
        layer_suffix(name) for name in lstm.state_dict()}
    rows = code(f"{wanted}[{forget_rows}]")
    return {
        "forget_rows_map": f"{rows} and the same rows of {code(other)}",
        "forget_rows_set_map": (f"{rows} to the value you want and the same rows of "
                                f"{code(other)} to {count_word(int(hh_forget_bias))}"),
    }


def scaled_candidate_bias_map(order):
    """Which of the candidate's biases the reset gate scales, run: gru_b_hn.py's nn.GRU with
    its reset gate shut (the gate's input bias block far negative: r is 0), each other
    gate's bias blocks nudged in turn. The candidate's recurrent block then stops moving the
    output, its input block does not; with the gate open, every block moves it."""
    (reset,) = [gate for gate in order if GATE_NAMES[gate] == "reset gate"]
    hidden = gru_b_hn.hidden_size
    biases = [name for name, _ in gru_b_hn.gru.named_parameters() if name.startswith("bias")]
    input_bias, recurrent_bias = biases  # bias_ih, then bias_hh
    assert input_bias.startswith("bias_ih") and recurrent_bias.startswith("bias_hh")

    def rows(gate):
        return slice(order.index(gate) * hidden, (order.index(gate) + 1) * hidden)

    def output(module):
        with torch.no_grad():
            return module(gru_b_hn.inputs)[0]

    def moves(module, name, gate):
        nudged = copy.deepcopy(module)
        with torch.no_grad():
            getattr(nudged, name)[rows(gate)] += 1.0
        return not torch.equal(output(nudged), output(module))

    shut = copy.deepcopy(gru_b_hn.gru)
    with torch.no_grad():
        shut.bias_ih_l0[rows(reset)] = -1e4
    others = [gate for gate in order if gate != reset]
    assert all(moves(gru_b_hn.gru, name, gate) for name in biases for gate in others)
    (scaled,) = [gate for gate in others if not moves(shut, recurrent_bias, gate)]
    assert moves(shut, input_bias, scaled)
    assert GATE_NAMES[scaled] == "candidate"  # the sentence's gate
    symbol = {name: BLOCK_PREFIXES[name.removesuffix("_l0")] for name in biases}
    b_h, b_i = (f"${symbol[name].split('_')[0]}_{{{symbol[name].split('_')[1]}{scaled}}}$"
                for name in (recurrent_bias, input_bias))
    return f"the {GATE_NAMES[reset]} scales {b_h} and not {b_i}"


def family_sizes(num_layers, bidirectional, proj):
    """The sizes a configuration of every_configuration.py gives the layout formulas."""
    c = every_configuration
    sizes = {"num_layers": num_layers, "bidirectional": bidirectional, "proj_size": proj,
             "hidden_size": c.hidden_size, "batch": c.batch, "T": c.timesteps}
    sizes["D"] = evaluate(DIRECTIONS, sizes)
    sizes["H_out"] = evaluate(H_OUT, sizes)
    return sizes


def layout(name, sizes):
    return tuple(evaluate(term, sizes) for term in LAYOUTS[name])


def stack_positions():
    """Each layer suffix's place in names.deep's stack, found by running it: one-layer GRUs
    given each suffix's arrays, run one after another in the stack's order, give the
    stack's output, and in no other order (a layer given the wrong width cannot run)."""
    deep = names.deep
    suffixes = sorted({name.split("_l")[1].split("_")[0] for name in names.deep_shapes})
    inputs = torch.randn(6, 3, deep.input_size, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        expected, _ = deep(inputs)

    def one_layer(suffix):
        arrays = {name.replace(f"_l{suffix}", "_l0"): parameter
                  for name, parameter in deep.named_parameters()
                  if name.split("_l")[1].split("_")[0] == suffix}
        layer = torch.nn.GRU(arrays["weight_ih_l0"].shape[1], deep.hidden_size,
                             bidirectional=deep.bidirectional)
        layer.load_state_dict(arrays)
        return layer

    matching = []
    for order in itertools.permutations(suffixes):
        outputs = inputs
        try:
            with torch.no_grad():
                for suffix in order:
                    outputs, _ = one_layer(suffix)(outputs)
        except RuntimeError:  # a layer read the wrong number of features
            continue
        if torch.allclose(outputs, expected, atol=1e-6):
            matching.append(order)
    (order,) = matching
    return {f"l{suffix}": order.index(suffix) for suffix in suffixes}


def keras_recurrent_bias_row():
    """Which row of a default Keras GRU's two-row bias holds what each bias of nn.GRU
    holds: the package converts a Keras GRU with random weights, the converted nn.GRU gives
    Keras' outputs, and each bias row holds one bias's numbers, reordered by gate."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    units, input_dim = cudnn_biases.units, cudnn_biases.input_dim
    layer = keras.layers.GRU(units, return_sequences=True)
    layer.build((None, None, input_dim))
    assert layer.reset_after is True  # the default
    layer.set_weights([rng.normal(size=w.shape).astype("float32") for w in layer.weights])
    kernel, recurrent_kernel, bias = layer.get_weights()
    inputs = rng.normal(size=(3, 6, input_dim)).astype("float32")
    module = torch.nn.GRU(input_dim, units, batch_first=True)
    converted = keras_to_torch_arrays("GRU", kernel, recurrent_kernel, bias)
    module.load_state_dict({name: torch.from_numpy(np.asarray(array)) for (name, _), array
                            in zip(module.named_parameters(), converted)})
    with torch.no_grad():
        output, _ = module(torch.from_numpy(inputs))
    np.testing.assert_allclose(output.numpy(), keras.ops.convert_to_numpy(layer(inputs)),
                               atol=1e-5)
    rows = {}
    for name, parameter in module.named_parameters():
        if name.startswith("bias"):
            held = np.sort(parameter.detach().numpy())
            (rows[name],) = [r for r in range(len(bias)) if np.array_equal(np.sort(bias[r]), held)]
    assert sorted(rows.values()) == list(range(len(bias)))  # each row, one bias each
    return rows


def keras_bias_rows_map(rows):
    """Which bias of nn.GRU each row of the default Keras GRU's bias holds, as found by
    keras_recurrent_bias_row."""
    by_row = sorted(rows, key=rows.get)
    (first, second) = by_row
    return (f"Keras' {ordinal_word(rows[first])} bias row holds what {code(first)} holds, "
            f"its {ordinal_word(rows[second])} what {code(second)} holds")


def checked_family():
    """The page's layouts, evaluated over every configuration the proof ran (its expected()
    equals what PyTorch built, for each of them): the output, h_n and c_n shapes, what
    weight_ih reads above the first layer, and how many arrays each layer and direction
    holds. Returns what the page says of the family."""
    c = every_configuration
    assert len({c.input_size, c.hidden_size, c.proj_size, c.batch, c.timesteps}) == 5
    defaults = inspect.signature(torch.nn.RNNBase.__init__).parameters
    assert defaults["bias"].default is True and defaults["proj_size"].default == 0
    assert c.gate_blocks == names.gate_blocks
    per_direction = {}
    for kind, num_layers, bidirectional, bias, proj in c.checked:
        arrays, output, h_n = c.expected(kind, num_layers, bidirectional, bias, proj)
        sizes = family_sizes(num_layers, bidirectional, proj)
        assert layout("output", sizes) == tuple(output)
        assert layout("output_batch_first", sizes) == (output[1], output[0], output[2])
        assert layout("h_n", sizes) == tuple(h_n)
        assert layout("c_n", sizes)[:2] == tuple(h_n)[:2]
        groups = {}
        for name, shape in arrays.items():
            k = int(name.split("_l")[1].split("_")[0])
            groups.setdefault((k, name.endswith("_reverse")), []).append(name)
            if name.startswith("weight_ih"):  # the input's features, then the layer below's
                reads = evaluate(ABOVE_FIRST_COLUMNS, sizes) if k > 0 else c.input_size
                assert shape[1] == reads, (kind, name)
                if proj and k > 0:
                    assert shape[1] != sizes["D"] * c.hidden_size  # the old claim fails
        assert len(groups) == sizes["D"] * num_layers
        for group in groups.values():
            assert len(group) == evaluate(ARRAYS_PER_DIRECTION, {"bias": bias, "proj_size": proj})
            per_direction.setdefault((bias, bool(proj)), set()).add(
                tuple(name.split("_l")[0] for name in group))
    (bare,) = per_direction[False, False]  # weight_ih, weight_hh
    (biased,) = per_direction[True, False]
    (projected,) = per_direction[False, True]
    biases = [name for name in biased if name not in bare]
    (extra,) = [name for name in projected if name not in bare]
    kinds = sorted({kind for kind, *_ in c.checked})
    depths = sorted({num_layers for _, num_layers, *_ in c.checked})
    projecting = sorted({kind for kind, *_, proj in c.checked if proj})
    return {
        "arrays_per_direction": (
            f"{count_word(len(bare), 'weight array')}, "
            f"{' and '.join(code(name + '_l{k}') for name in bare)}; "
            f"{count_word(len(biases), 'bias', 'biases')} more, "
            f"{' and '.join(code(name + '_l{k}') for name in biases)}, with "
            f"{code('bias=True')} (the default); and {code(extra + '_l{k}')} in an "
            f"{' or '.join(code('nn.' + kind) for kind in projecting)} with a "
            f"{code('proj_size')}"),
        "family_kinds": ", ".join(code(f"nn.{kind}") for kind in kinds),
        "family_depths": f"{count_word(depths[0])} to {count_word(depths[-1])}",
        "family_count": len(c.checked),
        "state_layout": code("(" + ", ".join(LAYOUTS["h_n"]) + ")"),
        "cell_state_layout": code("(" + ", ".join(LAYOUTS["c_n"]) + ")"),
        "output_layout": code("(" + ", ".join(LAYOUTS["output_batch_first"]) + ")"),
        "default_output_layout": code("(" + ", ".join(LAYOUTS["output"]) + ")"),
        "above_first_columns": code(ABOVE_FIRST_COLUMNS),
        "layout_symbols": symbols_defined(),
    }


def symbols_defined():
    """`D` and `H_out` in words, from the formulas evaluated over the family."""
    hidden, proj = every_configuration.hidden_size, every_configuration.proj_size
    values = {flag: family_sizes(1, flag, 0)["D"] for flag in (False, True)}
    assert family_sizes(1, False, proj)["H_out"] == proj
    assert family_sizes(1, False, 0)["H_out"] == hidden
    return (f"{code('D')} is {values[True]} for a bidirectional layer and {values[False]} "
            f"otherwise, and {code('H_out')} is {code('proj_size')} when it is set, "
            f"{code('hidden_size')} otherwise")


def projected_stack_example():
    """names.py's stacked, bidirectional, projected nn.LSTM: weight_ih_l1 reads
    D * proj_size features, the issue's own example."""
    lstm = names.projected_stack
    sizes = family_sizes(lstm.num_layers, lstm.bidirectional, lstm.proj_size)
    shape = tuple(lstm.weight_ih_l1.shape)
    assert shape[1] == evaluate(ABOVE_FIRST_COLUMNS, sizes) != sizes["D"] * lstm.hidden_size
    call = (f"nn.LSTM({lstm.input_size}, {lstm.hidden_size}, num_layers={lstm.num_layers}, "
            f"bidirectional={lstm.bidirectional}, proj_size={lstm.proj_size})")
    return f"{code(call)} has {code('weight_ih_l1')} of shape {code(shape_text(shape))}"


def h_n_facts():
    """Which half of the output is which direction, which entry of h_n is which, and which
    time step each direction's final state is: found in h_n_layout.py's arrays, not typed."""
    s = h_n_layout
    H, T = s.hidden_size, s.timesteps
    # Each half of the one-layer output, against each direction's arrays run alone (the
    # backward ones from the last step, put back in time order).
    alone = {"forward": s.forward_alone, "backward": s.backward_alone.flip(0)}
    slices = {":hidden_size": s.both[..., :H], "hidden_size:": s.both[..., H:]}
    direction_of = {}
    for text, half in slices.items():
        (direction,) = [d for d, run in alone.items() if torch.allclose(half, run, atol=1e-6)]
        direction_of[text] = direction
    # The stacked layer: h_n entry by (layer, direction), and the step each state equals.
    halves = {"forward": s.forward, "backward": s.backward}
    torch.testing.assert_close(s.output, torch.cat(list(halves.values()), dim=-1))
    assert [direction_of[text] for text in slices] == list(halves)
    words = {0: "the first step", T - 1: "the last step"}
    steps, entry_of = {}, {}
    for d, (direction, half) in enumerate(halves.items()):
        (step,) = [t for t in range(T) if torch.allclose(half[t], s.by_layer[-1, d])]
        steps[direction] = step
        (entry_of[direction],) = [index for index in range(-len(s.h_n), 0)
                                  if torch.equal(s.h_n[index], s.by_layer[-1, d])]
    (forward_text, backward_text) = slices
    first, second = sorted(entry_of, key=entry_of.get, reverse=True)  # h_n[-1] first
    # A layer's entries of h_n in order: the forward direction's place among them.
    within_layer = sorted(entry_of, key=entry_of.get)
    assert len(within_layer) == s.by_layer.shape[1]
    forward_direction_position = within_layer.index("forward")
    return {
        "output_halves": (f"{code(f'output[..., {forward_text}]')} is the "
                          f"{direction_of[forward_text]} direction and "
                          f"{code(f'output[..., {backward_text}]')} the "
                          f"{direction_of[backward_text]} one"),
        "h_n_last": (f"{code(f'h_n[{entry_of[first]}]')} is the last layer's {first} direction "
                     f"and {code(f'h_n[{entry_of[second]}]')} its {second} one"),
        "forward_direction_position": ordinal_word(forward_direction_position),
        "h_n_steps": "; ".join(
            f"the last layer's {direction} state is the {direction} half of the output at "
            f"{words[step]}, {code(f'output[{step - T if step else step}]')}"
            for direction, step in steps.items()),
    }


def projection_facts():
    """proj_size.py: what each state holds, the errors, and that the projection adds no
    bias (its weight_hr is the projected stack's only array past the biases)."""
    ps = proj_size
    hidden, size = ps.hidden_size, ps.proj_size
    assert size < hidden
    widths = {"h_0": ps.h_0.shape[-1], "h_n": ps.h_1.shape[-1],
              "c_0": ps.c_0.shape[-1], "c_n": ps.c_1.shape[-1]}
    by_width = {width: [code(name) for name, w in widths.items() if w == width]
                for width in (size, hidden)}
    assert all(by_width.values()) and sum(map(len, by_width.values())) == len(widths)
    assert all(widths[name.strip("`")] == width for width, listed in by_width.items() for name in listed)
    names_of = [name for name, _ in ps.lstm.named_parameters()]
    assert not any(name.startswith("bias_hr") for name in names_of)
    return {
        "proj_states": (f"{' and '.join(by_width[size])} hold {code('proj_size')} entries, "
                        f"{' and '.join(by_width[hidden])} {code('hidden_size')}"),
        "h_0_error": code(ps.h_0_error),
        "proj_too_wide_error": code(ps.too_wide_error),
        "proj_size_error": code(names.proj_size_error),
    }


def relu_facts():
    """relu_rnn.py: the default nonlinearity, the error for another, the layers that take
    none."""
    r = relu_rnn
    assert r.rnn.nonlinearity == "relu" and r.default.nonlinearity == "tanh"
    refusing = [f"nn.{name}" for name in r.refused]
    assert sorted(refusing) == ["nn.GRU", "nn.LSTM"]
    return {
        "rnn_default_nonlinearity": code(f"nonlinearity={r.default.nonlinearity!r}"),
        "rnn_nonlinearity_error": code(r.rnn_error),
        "nonlinearity_refused_by": " and ".join(code(name) for name in refusing),
    }


def initialisation_facts():
    """initialisation.py: the modules it tested, read from torch.nn, and the bound."""
    i = initialisation
    kinds = [kind.__name__ for kind in i.kinds]
    assert {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"} == set(kinds)
    assert i.bound == 1 / i.math.sqrt(i.hidden_size) and i.hidden_size != i.input_size
    tested = {module for module, _ in i.tested}
    assert set(kinds) <= tested
    return {
        "init_kinds": ", ".join(code(f"nn.{kind}") for kind in kinds),
        "init_arrays_tested": len(i.tested),
    }


def checked_gru_equations(order):
    weights = gru_weights(order, gru_gate_order.weight_ih, gru_gate_order.weight_hh,
                          gru_gate_order.bias_ih, gru_gate_order.bias_hh)
    all_h = run_equations(GRU_EQUATIONS, gru_gate_order.inputs.numpy(), weights,
                          gru_gate_order.hidden_size)
    np.testing.assert_allclose(all_h, gru_gate_order.all_h.numpy(), atol=1e-6)
    return GRU_EQUATIONS


def module_arrays(module):
    return [parameter.detach().numpy() for parameter in module.parameters()]


def checked_candidate_biases(order):
    """The GRU's equations with the candidate's biases gathered, run against gru_b_hn.py's
    nn.GRU, and again with b_hn folded into b_in, run against the folded copy it builds."""
    checked = {}
    for biases, module in ((CANDIDATE_BIASES, gru_b_hn.gru),
                           (FOLDED_BIASES, gru_b_hn.fold_into_bias_ih(gru_b_hn.gru, "n"))):
        equations = [(target, CANDIDATE.format(biases=biases) if target == "n" else expression)
                     for target, expression in GRU_EQUATIONS]
        weights = gru_weights(order, *module_arrays(module))
        if biases == FOLDED_BIASES:  # the folded copy keeps b_hn's sum in b_in, zero in b_hn
            unfolded = gru_weights(order, *module_arrays(gru_b_hn.gru))
            weights.update(b_in=unfolded["b_in"], b_hn=unfolded["b_hn"])
        # both run on the original biases: the fold is checked in their terms, not in the
        # folded copy's own b_hn, which is zeros
        assert np.abs(weights["b_hn"]).min() > 0
        with torch.no_grad():
            expected, _ = module(gru_b_hn.inputs)
        all_h = run_equations(equations, gru_b_hn.inputs.numpy(), weights, gru_b_hn.hidden_size)
        np.testing.assert_allclose(all_h, expected.numpy(), atol=1e-5)
        checked[biases] = checked_term(biases, equations)
    return checked


def fold_spreads(order):
    """How far folding each gate's bias_hh block into bias_ih moves nn.GRU's output, over
    seeds: the reset and update gates' within float rounding in every seed, b_hn's far."""
    errors = [gru_b_hn.fold_errors(*gru_b_hn.random_gru(seed)) for seed in SEEDS]
    assert errors[0] == gru_b_hn.max_error  # seed 0 is the snippet's own GRU
    spreads = {gate: over_seeds(lambda seed: errors[seed][gate], SEEDS, "{:.2f}")
               for gate in order}
    assert all(spreads[gate].high < 1e-6 for gate in order if gate != "n")
    assert spreads["n"].low > 1e-2  # the page: folding b_hn moves the output, every seed
    return spreads


def fold_table(order, spreads):
    """Each gate's bias_hh block folded into bias_ih, and how far the output moves: float
    rounding (the largest over the seeds) or a measured spread."""
    rows = []
    for gate in order:
        spread = spreads[gate]
        rows.append([f"$b_{{h{gate}}}$ into $b_{{i{gate}}}$",
                     f"at most {spread.high:.1e}, float rounding" if spread.high < 1e-5
                     else str(spread)])
    # the page: folding b_hr or b_hz leaves the output to float rounding, b_hn's moves it
    assert [gate for gate, row in zip(order, rows) if row[1].endswith("float rounding")] == [
        gate for gate in order if gate != "n"]
    return markdown_table(["block folded into `bias_ih_l0`", "largest change in the output"],
                          rows)


def order_spreads(order):
    """The GRU order proof over seeds: the proven order matches in every seed, and the
    closest other order's error, as a spread."""
    errors = [gru_gate_order.order_errors(*gru_gate_order.random_gru(seed)) for seed in SEEDS]
    assert errors[0] == gru_gate_order.max_error  # seed 0 is the snippet's own GRU
    proven = "".join(order)
    for seed_errors in errors:
        assert seed_errors[proven] < 1e-6
        assert all(error > 1e-2 for other, error in seed_errors.items() if other != proven)
    closest = over_seeds(lambda seed: min(e for o, e in errors[seed].items() if o != proven),
                         SEEDS, "{:.2f}")
    return max(seed_errors[proven] for seed_errors in errors), closest


def multiple(k):
    """k * hidden_size as a reader writes it: 0, hidden_size, 2 * hidden_size."""
    return {0: "0", 1: "hidden_size"}.get(k, f"{k} * hidden_size")


# The TF1 API's layers as TensorFlow exports them when TF_USE_LEGACY_KERAS=1.
TF1_API_LAYERS = "tf.compat.v1.keras.layers"
CUDNN_LAYERS = ("CuDNNGRU", "CuDNNLSTM")


def legacy_keras_is_tf_keras_v1():
    """With TF_USE_LEGACY_KERAS=1, tf.compat.v1.keras.layers is the module the snippets import
    as tf_keras.api._v1.keras.layers: its old cuDNN layers and its GRU are the same classes.
    Returns the module's name as the check imports it."""
    check = "import tensorflow as tf, tf_keras.api._v1.keras as v1\n" + "".join(
        f"assert {TF1_API_LAYERS}.{name} is v1.layers.{name}\n" for name in (*CUDNN_LAYERS, "GRU"))
    subprocess.run([sys.executable, "-c", check], check=True, capture_output=True,
                   env={**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"})
    return TF1_API_LAYERS


def cudnn_modules():
    """Where the old cuDNN layers are: tf_keras' TF2 API (tf_keras.layers, whose layers are
    tf_keras.api._v2's) and Keras 3 have none of them, its TF1 API has both (run with
    TF_USE_LEGACY_KERAS=1 as TensorFlow exports it)."""
    assert tf_keras.__version__.split(".")[0] == "2" and keras.__version__.split(".")[0] == "3"
    assert tf_keras.layers.GRU is tf_keras_v2.layers.GRU
    assert tf_keras.layers.LSTM is tf_keras_v2.layers.LSTM
    without = [module for module in (keras.layers, tf_keras.layers)
               if not any(hasattr(module, name) for name in CUDNN_LAYERS)]
    assert without == [keras.layers, tf_keras.layers]
    assert all(hasattr(tf_keras_v1.layers, name) for name in CUDNN_LAYERS)
    tf1_api_layers = legacy_keras_is_tf_keras_v1()
    (tf2_keras_layers,) = [module.__name__ for module in without if module is not keras.layers]
    return {"tf2_keras_layers": code(tf2_keras_layers), "tf1_api_layers": code(tf1_api_layers)}


def projection_facts_by_layer():
    """Which recurrent layer of torch.nn (every_configuration.py reads them from the module)
    takes proj_size and which refuse it: each built with proj_size=0 and with a projection.
    The refusing ones raise names.py's ValueError for both; the one that takes it gains
    weight_hr_l0 with a projection."""
    c = every_configuration
    taking, refusing = [], []
    for kind in sorted(c.kinds, key=lambda kind: kind.__name__):
        errors = []
        for size in (0, c.proj_size):
            try:
                layer = kind(c.input_size, c.hidden_size, proj_size=size)
            except ValueError as error:
                errors.append(str(error))
                continue
            assert ("weight_hr_l0" in dict(layer.named_parameters())) == (size > 0)
        if errors:
            assert errors == [names.proj_size_error] * 2  # even proj_size=0
            refusing.append(kind)
        else:
            taking.append(kind)
    (projection_layer,) = taking
    assert projection_layer is torch.nn.LSTM is type(proj_size.lstm) and refusing
    layers_that_refuse_the_argument = " and ".join(code(f"nn.{kind.__name__}") for kind in refusing)
    return {
        "projection_layer": code(f"nn.{projection_layer.__name__}"),
        "layers_that_refuse_the_argument": layers_that_refuse_the_argument,
    }


def recurrent_modules():
    """The recurrent layers of torch.nn, as every_configuration.py reads them from the module
    and checks each configuration of: every kind it checked."""
    c = every_configuration
    kinds = sorted(kind.__name__ for kind in c.kinds)
    assert kinds == sorted({kind for kind, *_ in c.checked})
    *others, last = (code(f"nn.{kind}") for kind in kinds)
    return f"{', '.join(others)} and {last}"


def padding_functions():
    """padded_batches.py's two functions, told apart by running them on its batch: the one
    that takes the padded batch and its lengths packs it (nn.GRU then stops at each last
    real step), the one that takes the packed output gives a padded output back, zeros
    after each sequence's end."""
    s = padded_batches
    functions = (s.pack_padded_sequence, s.pad_packed_sequence)
    packing, padding = [], []
    for function in functions:
        try:
            packed = function(torch.from_numpy(s.x), torch.tensor(s.lengths), batch_first=True,
                              enforce_sorted=False)
        except TypeError:  # takes no lengths
            pass
        else:
            assert isinstance(packed, torch.nn.utils.rnn.PackedSequence)
            with torch.no_grad():
                _, h_n = s.gru(packed)
            torch.testing.assert_close(h_n, s.h_n)
            packing.append(function)
        try:
            output, lengths = function(s.packed_output, batch_first=True)
        except TypeError:  # needs the lengths
            continue
        torch.testing.assert_close(output, s.output)
        for i, n in enumerate(s.lengths):
            assert lengths[i] == n and not output[i, n:].any()
        padding.append(function)
    (packing_given_lengths,), (padded_output_function,) = packing, padding
    return {
        "packing_given_lengths": code(packing_given_lengths.__name__),
        "padded_output_function": code(padded_output_function.__name__),
    }


def make_facts() -> dict[str, str | int]:
    order = gru_gate_order.proven_order
    keras_order = keras_gru_proof.proven_order
    lstm_order = lstm_proof.proven_order
    forget = lstm_order.index("f")
    sizes = {"hidden_size": gru_b_hn.hidden_size}
    forget_rows = f"{multiple(forget)}:{multiple(forget + 1)}"
    start, stop = (evaluate(term, sizes) for term in forget_rows.split(":"))
    assert (start, stop) == (evaluate(BLOCK_ROWS[0], {**sizes, "k": forget}),
                             evaluate(BLOCK_ROWS[1], {**sizes, "k": forget}))

    # Keras' TensorFlow backend, where it hands a layer to cuDNN: a zero input bias for the
    # LSTM, and the GRU's gates swapped into cuDNN's order.
    # atlas: allow unchecked-fact: a quoted source line and its link, found by its pattern
    pad_line, pad_url, _ = source_line(
        "keras.src.backend.tensorflow.rnn", r"full_bias = tf\.concat\(\(tf\.zeros_like\(bias\), bias\)")
    _, _, orders = source_line(
        "keras.src.backend.tensorflow.rnn",
        r"canonical format is \[(\w), (\w), (\w)\], whereas cuDNN is \[(\w), (\w), (\w)\]")
    assert orders.groups()[:3] == keras_order
    assert orders.groups()[3:] == order[:2] + ("h",) and order[2] == "n"  # n is Keras' h
    # atlas: allow unchecked-fact: the link to the quoted line (the line is asserted below)
    swap_line, swap_url, _ = source_line(
        "keras.src.backend.tensorflow.rnn",
        r"weights\[0\], weights\[1\] = weights\[1\], weights\[0\]")
    # Keras' PyTorch backend hands a GRU to torch's own kernel: transposed, reordered.
    # atlas: allow unchecked-fact: a quoted source line and its link; its match is asserted
    torch_line, torch_url, torch_match = source_line(
        "keras.src.backend.torch.rnn", r"weight_ih = torch\.cat\(\[(\w)_k, (\w)_k, (\w)_k\], dim=1\)\.T")
    assert torch_match.groups() == order[:2] + ("h",)

    counts = cudnn_biases.counts
    assert cudnn_biases.bidirectional_extra == {
        "CuDNNLSTM": 2 * (counts["CuDNNLSTM"] - counts["LSTM"]),
        "CuDNNGRU": 2 * (counts["CuDNNGRU"] - counts["GRU"]),
    }
    units = cudnn_biases.units
    fold = gru_b_hn.max_error

    # With the default options each layer holds the same arrays; the biases among them add.
    arrays = {kind: list(names.shapes(layer)) for kind, layer in names.layers.items()}
    (layer_arrays,) = {tuple(names_of) for names_of in arrays.values()}
    biases = [name for name in layer_arrays if name.startswith("bias")]
    assert biases == ["bias_ih_l0", "bias_hh_l0"]  # the page: one per product, added
    # Above the first layer, weight_ih reads every direction of the layer below.
    directions = 1 + names.deep.bidirectional
    assert names.deep_shapes["weight_ih_l1"][1] == directions * names.hidden_size
    family = checked_family()
    # The old cuDNN layers' extra parameters: a second bias, one block per gate per unit.
    extra = {kind: counts[f"CuDNN{kind}"] - counts[kind] for kind in ("LSTM", "GRU")}
    per_unit = {kind: extra[kind] // units for kind in extra}
    for kind in extra:
        assert extra[kind] == per_unit[kind] * units == names.gate_blocks[kind] * units
    bidirectional_times = {cudnn_biases.bidirectional_extra[f"CuDNN{kind}"] // extra[kind]
                           for kind in extra}
    (bidirectional_times,) = bidirectional_times
    assert bidirectional_times == directions
    # Keras' TensorFlow backend swaps the blocks that differ between its order and cuDNN's.
    cudnn_order = orders.groups()[3:]
    moved = [k for k, (mine, theirs) in enumerate(zip(keras_order, cudnn_order)) if mine != theirs]
    assert moved == [0, 1] and swap_line == "weights[0], weights[1] = weights[1], weights[0]"
    swapped_gate_blocks_position = " and ".join(ordinal_word(k) for k in moved) + " gate blocks"
    # The recipe that sets both biases: the forget gate's bias is their sum.
    (recipe_bias,) = set((forget_bias.both.bias_ih_l0 + forget_bias.both.bias_hh_l0)
                         [forget_bias.forget].tolist())
    assert recipe_bias == int(recipe_bias)
    # The set section: the forget rows of bias_ih_l0 hold the bias, bias_hh_l0's hold this.
    (ih_forget_bias,) = set(forget_bias.lstm.bias_ih_l0[forget_bias.forget].tolist())
    (hh_forget_bias,) = set(forget_bias.lstm.bias_hh_l0[forget_bias.forget].tolist())
    assert hh_forget_bias == int(hh_forget_bias) == 0 and ih_forget_bias == 1  # "to one"
    assert forget_bias.forget == slice(start, stop)  # the rows the page names
    # proj_size's default: no projection, no weight_hr_l0.
    proj_size_default = inspect.signature(torch.nn.RNNBase.__init__).parameters[
        "proj_size"].default
    assert proj_size_default == 0 == names.layers["LSTM"].proj_size
    assert not any(name.startswith("weight_hr") for name in names.shapes(names.layers["LSTM"]))
    # b_hn can fold into b_in without changing the output only when it holds this: the
    # folded copy's b_hn, which folds again without moving the output.
    folded = gru_b_hn.fold_into_bias_ih(gru_b_hn.gru, "n")
    n_rows = slice(gru_b_hn.blocks["n"] * gru_b_hn.hidden_size,
                   (gru_b_hn.blocks["n"] + 1) * gru_b_hn.hidden_size)
    (foldable_b_hn,) = set(folded.bias_hh_l0[n_rows].tolist())
    assert foldable_b_hn == int(foldable_b_hn) == 0
    assert gru_b_hn.fold_errors(folded, gru_b_hn.inputs)["n"] == 0
    assert gru_b_hn.max_error["n"] > 1e-2  # and the snippet's own b_hn does not fold
    # The layer suffixes' places in the stack, run; the gate axis; the old cuDNN layers'
    # extra bias: their bias holds one bias more than the plain layers', the extra's size.
    layer_positions = stack_positions()
    assert list(layer_positions) == ["l0", "l1"]
    (input_layer,) = [f"l{k}" for k in range(names.deep.num_layers)
                      if names.deep_shapes[f"weight_ih_l{k}"][1] == names.deep.input_size]
    assert input_layer == "l0"  # the page: the _l0 arrays are the layer that reads the input
    shapes = cudnn_biases.bias_shapes
    held = {kind: shapes[f"CuDNN{kind}"][0] // shapes[kind][0] for kind in ("LSTM", "GRU")}
    # A plain layer's bias is whole biases, a block per gate per unit, none left over
    # (divmod, not a ratio: its two sides are equal, so a ratio read upside down is the same).
    plain = {}
    for kind in held:
        plain[kind], left_over = divmod(shapes[kind][0], names.gate_blocks[kind] * units)
        assert left_over == 0, kind
    (cudnn_extra_bias,) = {plain[kind] for kind in held}  # the bias past the plain ones
    for kind in held:
        assert held[kind] == plain[kind] + 1
        assert extra[kind] == shapes[f"CuDNN{kind}"][0] - shapes[kind][0] == shapes[kind][0]
    keras_bias_rows = keras_recurrent_bias_row()
    keras_recurrent_row = keras_bias_rows["bias_hh_l0"]
    equations = checked_gru_equations(order)
    proven_error, closest_wrong = order_spreads(order)
    fold = fold_spreads(order)
    candidate_biases = checked_candidate_biases(order)
    # batch_first.py's layer is one configuration of the family: its shapes fit the layouts.
    first_sizes = family_sizes(batch_first.num_layers, batch_first.lstm.bidirectional, 0)
    first_sizes.update(batch=batch_first.batch, T=batch_first.timesteps)
    assert tuple(batch_first.h_n.shape) == layout("h_n", first_sizes)
    assert tuple(batch_first.output.shape) == layout("output_batch_first", first_sizes)
    # The states' layer-and-direction axis, in batch_first.py's batch-first layer: the one
    # num_layers * D long (batch and hidden_size differ from it), where the layout puts it.
    entries = first_sizes["D"] * batch_first.num_layers
    assert len({entries, batch_first.batch, batch_first.hidden_size}) == 3
    (state_layer_axis,) = [axis for axis, size in enumerate(batch_first.h_n.shape)
                           if size == entries]
    assert LAYOUTS["h_n"][state_layer_axis] == "D * num_layers" == LAYOUTS["c_n"][state_layer_axis]
    # Each order of the GRU's gate letters was tried: as many orders as their permutations.
    gru_letters = len(order)
    assert len(gru_gate_order.max_error) == math.factorial(gru_letters)
    # Keras' default LSTM starts its forget block at this value; forget_bias.py's set
    # section puts the same value in bias_ih_l0's forget rows.
    (keras_forget_bias,) = unit_forget_bias.bias_blocks_unique[keras_lstm_proof.proven_order.index("f")]
    assert keras_forget_bias == int(keras_forget_bias) == ih_forget_bias
    # The recipe fills the forget rows of every bias with this value.
    (forget_row_fill,) = {value for name in ("bias_ih_l0", "bias_hh_l0")
                          for value in getattr(forget_bias.both, name)[forget_bias.forget].tolist()}
    assert forget_row_fill == int(forget_row_fill) and recipe_bias == 2 * forget_row_fill
    # The folded and the layer's own candidate biases, run: where the reset gate is this,
    # and only there, they agree.
    rng = np.random.default_rng(0)
    operands = {"b_in": rng.normal(size=4), "b_hn": rng.normal(size=4)}
    agreeing = [r for r in np.linspace(0, 1, 5)
                if np.allclose(evaluate(CANDIDATE_BIASES, {**operands, "r": r}),
                               evaluate(FOLDED_BIASES, {**operands, "r": r}))]
    (agreeing_reset_gate,) = agreeing
    assert agreeing_reset_gate == int(agreeing_reset_gate)
    return {
        "gru_gate_order": ", ".join(order),
        "lstm_gate_order": ", ".join(lstm_order),
        "keras_gru_gate_order": ", ".join(keras_order),
        "names_table": checked_names_table(),
        "suffix_table": suffix_table(),
        "n_deep_parameters": len(names.deep_shapes),
        "gru_equations": aligned(equations),
        "gru_gate_order_named": "{} ({})".format(
            ", ".join(order), ", ".join(f"{GATE_NAMES[gate]} {gate}" for gate in order)),
        "block_symbols": block_symbols(equations),
        "multiplies_map": multiplies_map(equations),
        "projection_map": projection_map(),
        "gru_orders_both": f"{', '.join(order)} in PyTorch and {', '.join(keras_order)} in Keras",
        "n_biases": count_word(len(biases), "bias", "biases"),
        "gru_b_hn_term": checked_term("r * (h_prev @ W_hn + b_hn)", equations),
        "unfolded_biases": candidate_biases[CANDIDATE_BIASES],
        "scaled_candidate_bias_map": scaled_candidate_bias_map(order),
        "keras_bias_rows_map": keras_bias_rows_map(keras_bias_rows),
        "l1_suffix_map": l1_suffix_map(layer_positions),
        "cell_suffix_name": cell_suffix_name(input_layer),
        "projection_weight_name": projection_weight_name(input_layer),
        **forget_rows_facts(forget_rows, ih_forget_bias, hh_forget_bias),
        "folded_biases": candidate_biases[FOLDED_BIASES],
        "fold_table": fold_table(order, fold),
        "recipe_forget_bias": count_word(int(recipe_bias)),
        "hh_forget_bias_word": count_word(int(hh_forget_bias)),
        "forget_bias_word": count_word(int(ih_forget_bias)),
        "keras_forget_bias_word": count_word(int(keras_forget_bias)),
        "forget_row_fill_word": count_word(int(forget_row_fill)),
        "agreeing_reset_gate_word": count_word(int(agreeing_reset_gate)),
        "default_proj_size_word": count_word(proj_size_default),
        "foldable_b_hn_word": count_word(int(foldable_b_hn)),
        "input_layer_position": ordinal_word(layer_positions[input_layer]),
        "gate_axis_position": ordinal_word(gate_axis()),
        "cudnn_extra_bias_position": ordinal_word(cudnn_extra_bias),
        "keras_recurrent_bias_row_position": ordinal_word(keras_recurrent_row),
        "forget_block_position": ordinal_word(forget),
        "state_layer_axis_position": ordinal_word(state_layer_axis),
        "cudnn_lstm_extra_text": f"{extra['LSTM']} parameters for {units} LSTM units, "
        f"{count_word(per_unit['LSTM'])} per unit",
        "cudnn_gru_extra_text": f"{extra['GRU']} parameters for {units} GRU units, "
        f"{count_word(per_unit['GRU'])} per unit",
        "bidirectional_extra_times": times_word(bidirectional_times),
        "swapped_gate_blocks_position": swapped_gate_blocks_position,
        "n_other_orders": len(gru_gate_order.max_error) - 1,
        "n_gru_letters": count_word(gru_letters, "letter"),
        "gru_proven_error": f"{proven_error:.1e}",
        "gru_smallest_wrong_error": str(closest_wrong),
        "fold_n_error": str(fold["n"]),
        "fold_rz_error": f"{max(fold[gate].high for gate in order if gate != 'n'):.1e}",
        "n_seeds": len(SEEDS),
        **family,
        **h_n_facts(),
        **projection_facts(),
        **relu_facts(),
        **cudnn_modules(),
        **projection_facts_by_layer(),
        "recurrent_modules": recurrent_modules(),
        **padding_functions(),
        **initialisation_facts(),
        "projected_stack_example": projected_stack_example(),
        "state_error": code(batch_first.state_error),
        "batch_first_docstring": batch_first.batch_first_says,
        "cudnn_counts_table": markdown_table(
            ["layer", f"count, {units} units on {cudnn_biases.input_dim} features", "`bias` shape"],
            [[code(name), str(count), code(shape_text(cudnn_biases.bias_shapes[name]))]
             for name, count in counts.items()],
        ),
        "keras_pad_line": code(pad_line),
        "keras_pad_url": pad_url,
        "keras_swap_line": code(swap_line),
        "keras_swap_url": swap_url,
        "cudnn_gru_order": ", ".join(orders.groups()[3:]),
        "keras_torch_line": code(torch_line),
        "keras_torch_url": torch_url,
    }
