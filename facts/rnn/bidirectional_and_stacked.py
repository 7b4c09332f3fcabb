"""Facts on the Bidirectional and stacked page: the weight list, the output width for each
merge_mode, what return_state returns and in which order (each entry compared with a
standalone forward or backward layer), the next layer's count, and which array belongs to
which stacked layer."""
import inspect

import keras
import numpy as np
import torch

from facts._formulas import checked_term, evaluate
from facts._recurrent import count_latex
from facts._tables import code, markdown_table, shape_text
from facts._words import capitalised, count_word, ordinal_word, times_word
from snippets.rnn import (
    bidirectional_backward_layer, bidirectional_merge_modes, bidirectional_next_layer,
    bidirectional_states, bidirectional_weights, stacked_layers,
)

WIDTHS = {"concat": "2 * units", "sum": "units", "mul": "units", "ave": "units"}
MERGES = {"concat": "forward and backward side by side", "sum": "forward + backward",
          "mul": "forward × backward, element-wise", "ave": "(forward + backward) / 2"}
BIDIRECTIONAL_LSTM = "2 * 4 * (units * (input_dim + units) + units)"
NEXT_LSTM = "4 * (next_units * (2 * units + next_units) + next_units)"
GRID = [(1, 1, 1), (2, 3, 1), (8, 4, 3), (5, 7, 2)]  # (units, input_dim, next_units)
STATE_NAMES = {"LSTM": ("h", "c"), "GRU": ("h",)}




def returned_in_order(kind, merge_mode, units=3, input_dim=4):
    """What Bidirectional(kind(return_state=True)) returns, each entry named after the
    standalone forward or backward layer output it equals. With return_sequences=True an
    output (a sequence) cannot be mistaken for a state (the last h)."""
    rng = np.random.default_rng(0)
    inputs = rng.normal(size=(2, 5, input_dim)).astype("float32")
    layer_class = getattr(keras.layers, kind)
    bidirectional = keras.layers.Bidirectional(
        layer_class(units, return_sequences=True, return_state=True), merge_mode=merge_mode)
    bidirectional.build((None, None, input_dim))
    bidirectional.set_weights([rng.normal(size=w.shape) for w in bidirectional.weights])
    weights = bidirectional.get_weights()
    half = len(weights) // 2
    candidates = {}
    for direction, arrays, backwards in (("forward", weights[:half], False),
                                         ("backward", weights[half:], True)):
        single = layer_class(units, return_sequences=True, return_state=True,
                             go_backwards=backwards)
        single.build((None, None, input_dim))
        single.set_weights(arrays)
        output, *states = (np.asarray(a) for a in single(inputs))
        # h, the first state, is the last step of the output sequence; an LSTM's c is not.
        np.testing.assert_allclose(states[0], output[:, -1], atol=1e-6)
        assert all(not np.allclose(state, states[0]) for state in states[1:])
        # go_backwards returns its sequence last step first; Bidirectional puts it back in
        # time order.
        candidates[f"{direction}_output"] = output[:, ::-1] if backwards else output
        for name, state in zip(STATE_NAMES[kind], states):
            candidates[f"{direction}_{name}"] = state
    merged = np.concatenate([candidates["forward_output"], candidates["backward_output"]], -1)
    names = []
    for array in (np.asarray(a) for a in bidirectional(inputs)):
        if merge_mode == "concat" and array.shape == merged.shape:
            np.testing.assert_allclose(array, merged, atol=1e-6)
            names.append("output")
            continue
        (match,) = [name for name, candidate in candidates.items()
                    if candidate.shape == array.shape and np.allclose(candidate, array, atol=1e-6)]
        names.append(match)
    return names


def checked_next_layer():
    for units, input_dim, next_units in GRID:
        model = keras.Sequential([
            keras.Input(shape=(None, input_dim)),
            keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True)),
            keras.layers.LSTM(next_units),
        ])
        sizes = {"units": units, "input_dim": input_dim, "next_units": next_units}
        counts = [layer.count_params() for layer in model.layers]
        assert counts == [evaluate(BIDIRECTIONAL_LSTM, sizes), evaluate(NEXT_LSTM, sizes)]
    n = bidirectional_next_layer
    sizes = {"units": n.units, "input_dim": n.input_dim, "next_units": n.next_units}
    assert n.counts[:2] == [evaluate(BIDIRECTIONAL_LSTM, sizes), evaluate(NEXT_LSTM, sizes)]
    return sizes


def returned_words(names):
    """["output", "forward_h", "forward_c", ...] -> "The output, then the forward h and c,
    then ...": the order the layer returns, in words, as the comparison found it."""
    assert names[0] == "output"
    directions = {}
    for name in names[1:]:
        direction, state = name.split("_", 1)
        directions.setdefault(direction, []).append(state)
    return ", then ".join(["The output"] + [f"the {direction} {' and '.join(states)}"
                                           for direction, states in directions.items()])


def returns_order(returned):
    """What a Bidirectional layer with return_state=True returns, in words: its output, then
    each direction's states, in the order the comparison found them, the same for an LSTM
    and a GRU under the default merge_mode."""
    found = set()
    for kind in ("LSTM", "GRU"):
        output, *states = returned[(kind, "concat")]
        assert output == "output"
        directions = list(dict.fromkeys(name.split("_", 1)[0] for name in states))
        by_direction = [[name for name in states if name.startswith(f"{d}_")] for d in directions]
        assert sum(by_direction, []) == states  # each direction's states together
        found.add(tuple(directions))
    (directions,) = found
    return ", then ".join(["its output"] + [f"the {direction} layer's states"
                                            for direction in directions])


def naive_state_position(returned):
    """Where the backward output lands among the "states" of `output, *states = returned`
    with merge_mode=None: before any state."""
    naive_states = returned[("LSTM", None)][1:]
    position = naive_states.index("backward_output")
    assert position < min(naive_states.index(name) for name in naive_states if "_output" not in name)
    return position


def per_direction_arrays():
    """How many arrays each direction of a Bidirectional GRU and LSTM holds: the wrapped
    layer's own, once per copy."""
    counts, kinds = set(), []
    for kind in ("GRU", "LSTM"):
        single = getattr(keras.layers, kind)(3)
        single.build((None, None, 4))
        bidirectional = keras.layers.Bidirectional(getattr(keras.layers, kind)(3))
        bidirectional.build((None, None, 4))
        copies, rest = divmod(len(bidirectional.weights), len(single.weights))
        assert rest == 0 and copies == 2
        assert len(bidirectional.forward_layer.weights) == len(single.weights)
        counts.add(len(single.weights))
        kinds.append(type(single).__name__)
    (count,) = counts
    return copies, count, kinds


def article(name):
    """"a" or "an" before a name read letter by letter (`LSTM`, `GRU`)."""
    return "an" if name[0] in "AEFHILMNORSX" else "a"


def stack_positions():
    """Where each layer of the stacked example sits, found from what it reads: the Keras
    layer whose output the other's `kernel` reads (it returns its sequence), the layer that
    reads it, and the PyTorch layer each `_l<k>` suffix names, counted from the input up."""
    st = stacked_layers
    layers = st.model.layers
    # The Keras layer whose kernel has a row per unit of another layer reads that layer's output.
    ((kernel_layer, units_layer),) = [(k, j) for k, layer in enumerate(layers)
                                      for j, other in enumerate(layers)
                                      if layer.cell.kernel.shape[0] == other.units]
    assert layers[units_layer].return_sequences and not layers[kernel_layer].return_sequences
    (sequence_layer,) = [k for k, layer in enumerate(layers) if layer.return_sequences]
    assert sequence_layer == units_layer
    # PyTorch: the stack's output is its layers run one after another, each from the input
    # up; the order that reproduces it gives each suffix its layer's position.
    torch_stack = st.stacked
    suffixes = [name.removeprefix("weight_ih_") for name, _ in st.torch_owners
                if name.startswith("weight_ih_")]
    inputs = torch.from_numpy(st.inputs.transpose(1, 0, 2).copy())  # (timesteps, batch, features)
    outputs = inputs
    with torch.no_grad():
        for suffix in suffixes:
            single = torch.nn.LSTM(outputs.shape[-1], torch_stack.hidden_size)
            for name, parameter in single.named_parameters():
                parameter.copy_(getattr(torch_stack, name.replace("_l0", f"_{suffix}")))
            outputs, _ = single(outputs)
        stacked_outputs, _ = torch_stack(inputs)
    np.testing.assert_allclose(outputs.numpy(), stacked_outputs.numpy(), atol=1e-6)
    torch_positions = {suffix: position for position, suffix in enumerate(suffixes)}
    return kernel_layer, units_layer, sequence_layer, torch_positions


def torch_input_weights_name(kernel_layer, units_layer, torch_positions):
    """The name of the PyTorch stack's input weights of the layer that reads another's
    output, as the module names it: the `weight_ih_` parameter whose suffix stack_positions
    found at the reading Keras layer's position, in the state_dict, with a column per unit
    of the layer it reads (`hidden_size`) and a row per gate and unit; the number in the
    suffix is that position, counted from 0."""
    torch_stack = stacked_layers.stacked
    state = torch_stack.state_dict()
    (suffix,) = [suffix for suffix, position in torch_positions.items() if position == kernel_layer]
    name = f"weight_ih_{suffix}"
    assert name in state and suffix == f"l{kernel_layer}"  # the layer number is in the name
    assert tuple(state[name].shape) == (4 * torch_stack.hidden_size, torch_stack.hidden_size)
    assert stacked_layers.model.layers[units_layer].units == torch_stack.hidden_size
    assert kernel_layer == torch_stack.num_layers - 1 != units_layer  # the top layer's
    return name


def second_layer_input_axes(kernel_layer, units_layer):
    """Which axis of the second stacked layer's input weights is the first layer's width, in
    Keras and in PyTorch: found in the shapes the snippet lists, not typed. The sentence
    whole, with the two layers' positions as stack_positions found them."""
    first = stacked_layers.first_units
    torch_stack = stacked_layers.stacked
    per_layer = len(stacked_layers.owners) // 2
    keras_path, keras_shape = stacked_layers.owners[per_layer]  # the second layer's first array
    torch_name, torch_shape = stacked_layers.torch_owners[len(stacked_layers.torch_owners) // 2]
    keras_name = keras_path.rsplit("/", 1)[1]
    assert keras_path.split("/")[1] == stacked_layers.model.layers[kernel_layer].name
    assert torch_name.endswith(f"_l{torch_stack.num_layers - 1}")
    # Each is the array that multiplies the second layer's input: the first layer's output.
    second_cell = stacked_layers.model.layers[kernel_layer].cell
    assert keras_name == second_cell.kernel.path.rsplit("/", 1)[1]
    assert torch_name == f"weight_ih_l{torch_stack.num_layers - 1}"
    assert stacked_layers.model.layers[units_layer].units == first
    axes = ("rows", "columns")
    found = []
    for shape, width in ((keras_shape, f"the {ordinal_word(units_layer, 'layer')}'s `units`"),
                         (torch_shape, "`hidden_size`")):
        (axis,) = [k for k, size in enumerate(shape) if size == first]
        # the axis the page names holds the first layer's output, and the other does not
        assert shape[axis] == first != shape[1 - axis]
        found.append((axes[axis], width))
    assert torch_stack.hidden_size == first
    (keras_axis, keras_width), (torch_axis, torch_width) = found
    return (f"The {ordinal_word(kernel_layer, 'layer')}'s input weights read the "
            f"{ordinal_word(units_layer, 'layer')}'s output: "
            f"{code(keras_name)} has {keras_width} as {keras_axis} in Keras, "
            f"{code(torch_name)} has {torch_width} {torch_axis} in PyTorch")


def backward_half_facts():
    """bidirectional_weights.py: the default of return_sequences, under which the backward
    half is a go_backwards layer's output as it is; with return_sequences=True it is that
    layer's sequence reversed in time (the snippet asserts both, and that the sequence as it
    is differs)."""
    w = bidirectional_weights
    default = w.forward_gru.return_sequences
    assert default is False and w.backward_gru.go_backwards
    assert w.sequences.return_sequences and w.backward_sequences.go_backwards
    np.testing.assert_allclose(w.backward_half, w.backward_output[:, ::-1], atol=1e-6)
    assert np.abs(w.backward_half - w.backward_output).max() > 1e-2
    return {"return_sequences_default": code(f"return_sequences={default}")}


def backward_layer_facts():
    """bidirectional_backward_layer.py: the weight list of a Bidirectional with a
    backward_layer of another kind and width, each array named by the layer that owns it,
    and the error for a backward_layer that reads forwards."""
    b = bidirectional_backward_layer
    layer = b.bidirectional
    direction_of = {layer.forward_layer.name: "forward", layer.backward_layer.name: "backward"}
    assert layer.backward_layer is b.backward and layer.backward_layer.go_backwards
    owners = [owner for owner, _ in b.owners]
    assert owners == sorted(owners, key=list(direction_of).index)  # forward's, then backward's
    assert b.output.shape[-1] == layer.forward_layer.units + layer.backward_layer.units
    kinds = {layer.forward_layer.name: type(layer.forward_layer).__name__,
             layer.backward_layer.name: type(layer.backward_layer).__name__}
    assert len(set(kinds.values())) == 2  # another kind of layer
    # A copy of the wrapped layer (Bidirectional's first argument) with one argument flipped:
    # what a default Bidirectional runs backwards, and what backward_layer replaces.
    wrapped_argument = list(inspect.signature(keras.layers.Bidirectional).parameters)[0]
    assert "backward_layer" in inspect.signature(keras.layers.Bidirectional).parameters
    default = keras.layers.Bidirectional(keras.layers.LSTM(units=3))
    forward_config = default.forward_layer.get_config()
    backward_config = default.backward_layer.get_config()
    (flipped_argument,) = [key for key, value in forward_config.items()
                           if key != "name" and backward_config[key] != value]
    assert backward_config[flipped_argument] is not forward_config[flipped_argument]
    assert f"`{flipped_argument}`" in b.same_direction_error
    forward_class, backward_class = (type(layer.forward_layer).__name__,
                                     type(layer.backward_layer).__name__)
    assert not layer.forward_layer.go_backwards and layer.backward_layer.go_backwards
    return {
        "flipped_layer_copy": f"a copy of {code(wrapped_argument)} with "
                              f"{code(flipped_argument)} flipped",
        "reading_direction_classes": f"{article(forward_class)} {code(forward_class)} reads "
                                     f"forwards and {article(backward_class)} "
                                     f"{code(backward_class)} backwards",
        "backward_layer_table": markdown_table(
            ["`get_weights()` index", "layer", "shape", "direction"],
            [[str(k), code(owner), code(shape_text(shape)), direction_of[owner]]
             for k, (owner, shape) in enumerate(b.owners)]),
        "same_direction_error": code(b.same_direction_error),
    }


def stacked_cells_facts():
    """stacked_layers.py: what RNN([cell, cell]) wraps its cells in, and its weight list,
    each array named by the cell that owns it, in the order of the stack of layers."""
    st = stacked_layers
    cell = st.stacked_cells.cell
    assert [tuple(shape) for _, shape in st.cell_owners] == [shape for _, shape in st.owners]
    per_cell = len(st.cell_owners) // len(cell.cells)
    rows = []
    for k, (path, shape) in enumerate(st.cell_owners):
        owner = path.split("/")[-2]
        assert owner == cell.cells[k // per_cell].name  # the cells' arrays, in order
        rows.append([str(k), code(path), code(shape_text(shape)), code(owner)])
    return {
        "stacked_cells_class": code(type(cell).__name__),
        "stacked_cells_table": markdown_table(
            ["`weights` index", "`weight.path`", "shape", "cell"], rows),
        "stack_error": code(st.stack_error),
    }


def make_facts() -> dict[str, str | int]:
    w = bidirectional_weights
    half = len(w.weight_list) // 2
    directions = ["forward" if k < half else "backward" for k in range(len(w.weight_list))]
    # The page: the first half of the list is the forward layer's arrays, the second half the
    # backward layer's, as each array's path says.
    assert all(f"/{direction}_" in path for direction, (path, _) in zip(directions, w.weight_list))
    # Each direction's slice as the page writes it, read back as Python on that list, in a
    # variable named for its direction, so that a swap of the two shows.
    forward_slice, backward_slice = f"weights[:{half}]", f"weights[{half}:]"
    for shown, direction in ((forward_slice, "forward"), (backward_slice, "backward")):
        assert set(evaluate(shown, {"weights": directions})) == {direction}, shown
    m = bidirectional_merge_modes
    for mode, formula in WIDTHS.items():
        assert m.widths[mode] == evaluate(formula, {"units": m.units})
    # the merge column as the table shows it, read as Python, is what the layer returns
    for mode, shown in MERGES.items():
        if mode != "concat":  # "side by side" is words; the snippet checks np.concatenate
            expression = shown.replace("×", "*").removesuffix(", element-wise")
            values = evaluate(expression, {"forward": m.forward, "backward": m.backward})
            np.testing.assert_allclose(m.merged[mode], values, atol=1e-6)
    returned = {(kind, mode): returned_in_order(kind, mode)
                for kind in ("LSTM", "GRU") for mode in ("concat", None)}
    s = bidirectional_states
    assert returned[("LSTM", "concat")] == [
        "output", "forward_h", "forward_c", "backward_h", "backward_c"]  # the snippet's names
    assert len(returned[("LSTM", None)]) == len(s.returned)
    checked_next_layer()
    n = bidirectional_next_layer
    first, second = stacked_layers.first_units, stacked_layers.second_units
    copies, arrays, per_direction_kinds = per_direction_arrays()
    assert arrays == half
    none_outputs = len(m.separate(m.inputs))
    assert none_outputs == len(returned[("LSTM", None)]) - len(returned[("LSTM", "concat")]) + 1
    concat_times, rest = divmod(m.widths["concat"], m.units)
    rows_times, rows_rest = divmod(n.next_kernel.shape[0], n.units)
    assert rest == rows_rest == 0
    # Side by side: each copy's output once, and the next kernel reads all of them.
    assert m.widths["concat"] == concat_times * m.units and concat_times == copies
    assert n.next_kernel.shape[0] == rows_times * n.units and rows_times == copies
    lstm_names = returned[("LSTM", "concat")]
    assert s.n_returned == len(lstm_names)
    forward_states = [name.split("_", 1)[1] for name in lstm_names if name.startswith("forward_")]
    backward_states = [name.split("_", 1)[1] for name in lstm_names if name.startswith("backward_")]
    assert forward_states == backward_states == list(STATE_NAMES["LSTM"])
    stacked_model = stacked_layers.model
    recurrent = [layer for layer in stacked_model.layers if isinstance(layer, keras.layers.LSTM)]
    assert recurrent == stacked_model.layers
    assert recurrent[0].return_sequences and not recurrent[1].return_sequences
    assert [layer.units for layer in recurrent] == [first, second]
    layer_arrays = {len(layer.weights) for layer in recurrent}
    (per_layer,) = layer_arrays
    assert per_layer * len(recurrent) == len(stacked_model.weights)
    stacked_layer_count = capitalised(count_word(len(recurrent), "recurrent layer"))
    kernel_layer, units_layer, sequence_layer, torch_positions = stack_positions()
    torch_name = torch_input_weights_name(kernel_layer, units_layer, torch_positions)
    # The page: the weight list's halves hold one direction each, the backward one second.
    halves = [set(directions[:half]), set(directions[half:])]
    (backward_half,) = [k for k, found in enumerate(halves) if found == {"backward"}]
    backward_arrays = w.weight_list[backward_half * half:(backward_half + 1) * half]
    assert w.bidirectional.backward_layer.go_backwards
    assert all(f"/{w.bidirectional.backward_layer.name}/" in path for path, _ in backward_arrays)
    next_layer_model = (f"{code(f'Bidirectional(LSTM({n.units}))')} on {n.input_dim} "
                        f"features, then {code(f'LSTM({n.next_units})')}")
    return {
        **backward_half_facts(),
        **backward_layer_facts(),
        **stacked_cells_facts(),
        "bidirectional_copies": count_word(copies, "copy", "copies"),
        "per_direction_arrays": f"{count_word(arrays, 'array')} each for "
                                f"{article(per_direction_kinds[0])} "
                                + " or ".join(code(kind) for kind in per_direction_kinds),
        "concat_width_times_capitalised": capitalised(times_word(concat_times)),
        "next_features_times": times_word(rows_times),
        "none_outputs": count_word(none_outputs, "output"),
        "none_entries": count_word(none_outputs, "entry", "entries"),
        "returned_lstm_order": returned_words(lstm_names),
        "returns_order": returns_order(returned),
        "naive_state_position": ordinal_word(naive_state_position(returned)),
        "lstm_state_order": " then ".join(f"${state}$" for state in forward_states),
        "weights_model": f"{code(f'Bidirectional(GRU(units={w.units}))')} on {w.input_dim} features",
        "keras_arrays_per_layer": count_word(per_layer, "array"),
        "stacked_layer_count": stacked_layer_count,
        "stacked_keras_model": f"{code(f'LSTM({first})')} on {stacked_layers.input_dim} "
                               f"features, then {code(f'LSTM({second})')}",
        "next_units_symbol": checked_term("next_units", [("next", NEXT_LSTM)], product=r"\cdot"),
        "next_layer_table": markdown_table(["layer", "parameters"], [
            [code("Bidirectional(LSTM(units))"), f"${count_latex(BIDIRECTIONAL_LSTM)}$"],
            [f"the {code('LSTM')} after it", f"${count_latex(NEXT_LSTM)}$"],
        ]),
        "next_layer_model": next_layer_model,
        "weight_list_table": markdown_table(
            ["`get_weights()` index", "`weight.path`", "shape", "direction"],
            [[str(k), code(path), code(shape_text(shape)), directions[k]]
             for k, (path, shape) in enumerate(w.weight_list)],
        ),
        "forward_slice": code(forward_slice),
        "backward_slice": code(backward_slice),
        "direction_slices": f"{code(f'weights[:{half}]')} are the {directions[0]} layer's and "
                            f"{code(f'weights[{half}:]')} the {directions[-1]} one's",
        "second_layer_input_axes": second_layer_input_axes(kernel_layer, units_layer),
        "kernel_layer_position": ordinal_word(kernel_layer),
        "units_layer_position": ordinal_word(units_layer),
        "sequence_layer_position": ordinal_word(sequence_layer),
        "layer_number_map": f"{code(torch_name)} for the {ordinal_word(kernel_layer)} layer",
        "pytorch_input_weights_name": code(torch_name),
        "weight_list_half_position": ordinal_word(backward_half),
        "merge_table": markdown_table(
            ["`merge_mode`", "output", "last axis", f"`units={m.units}`"],
            [[code(repr(mode)), MERGES[mode], f"${count_latex(formula)}$", str(m.widths[mode])]
             for mode, formula in WIDTHS.items()]
            + [[code("None"), "a list of two outputs, not merged", "$u$ each",
                f"{m.forward.shape[-1]} each"]],
        ),
        "returned_table": markdown_table(
            ["layer", "`merge_mode`", "entries", "returned, in order"],
            [[code(f"Bidirectional({kind}(units, return_state=True))"), code(repr(mode)),
              str(len(names)), ", ".join(code(name) for name in names)]
             for (kind, mode), names in returned.items()],
        ),
        "lstm_returned_entries": count_word(len(returned[("LSTM", "concat")]), "entry",
                                            "entries"),
        "naive_error": code(s.naive_error),
        "bidirectional_lstm_formula": count_latex(BIDIRECTIONAL_LSTM),
        "next_lstm_formula": count_latex(NEXT_LSTM),
        "next_kernel_shape": code(shape_text(n.next_kernel.shape)),
        "next_layer_counts": f"{n.counts[0]} for the {code('Bidirectional')} layer and "
                             f"{n.counts[1]} for the {code('LSTM')} after it",
        "keras_stacked_table": markdown_table(
            ["`model.get_weights()` index", "`weight.path`", "shape", "layer"],
            [[str(k), code(path), code(shape_text(shape)), path.split("/")[1]]
             for k, (path, shape) in enumerate(stacked_layers.owners)],
        ).replace("\n", "\n    "),  # shown inside a content tab
        "torch_stacked_table": markdown_table(
            ["name", "shape", "layer"],
            [[code(name), code(shape_text(shape)), name.rsplit("_l", 1)[1]]
             for name, shape in stacked_layers.torch_owners],
        ).replace("\n", "\n    "),  # shown inside a content tab
    }
