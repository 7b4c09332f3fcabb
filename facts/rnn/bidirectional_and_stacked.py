"""Facts on the Bidirectional and stacked page: the weight list, the output width for each
merge_mode, what return_state returns and in which order (each entry compared with a
standalone forward or backward layer), the next layer's count, and which array belongs to
which stacked layer."""
import keras
import numpy as np

from facts._formulas import evaluate
from facts._recurrent import count_latex
from facts._tables import code, markdown_table, shape_text
from snippets.rnn import (
    bidirectional_merge_modes, bidirectional_next_layer, bidirectional_states,
    bidirectional_weights, stacked_layers,
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


def make_facts() -> dict[str, str | int]:
    w = bidirectional_weights
    half = len(w.weight_list) // 2
    m = bidirectional_merge_modes
    for mode, formula in WIDTHS.items():
        assert m.widths[mode] == evaluate(formula, {"units": m.units})
    returned = {(kind, mode): returned_in_order(kind, mode)
                for kind in ("LSTM", "GRU") for mode in ("concat", None)}
    s = bidirectional_states
    assert returned[("LSTM", "concat")] == [
        "output", "forward_h", "forward_c", "backward_h", "backward_c"]  # the snippet's names
    assert len(returned[("LSTM", None)]) == len(s.returned)
    next_sizes = checked_next_layer()
    n = bidirectional_next_layer
    first, second = stacked_layers.first_units, stacked_layers.second_units
    return {
        "n_per_direction": half,
        "units": w.units,
        "input_dim": w.input_dim,
        "weight_list_table": markdown_table(
            ["`get_weights()` index", "`weight.path`", "shape", "direction"],
            [[str(k), code(path), code(shape_text(shape)), "forward" if k < half else "backward"]
             for k, (path, shape) in enumerate(w.weight_list)],
        ),
        "forward_slice": code(f"weights[:{half}]"),
        "backward_slice": code(f"weights[{half}:]"),
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
        "n_returned_lstm": len(returned[("LSTM", "concat")]),
        "naive_error": code(s.naive_error),
        "bidirectional_lstm_formula": count_latex(BIDIRECTIONAL_LSTM),
        "next_lstm_formula": count_latex(NEXT_LSTM),
        "next_units": next_sizes["next_units"],
        "next_layer_units": next_sizes["units"],
        "next_layer_input_dim": next_sizes["input_dim"],
        "next_kernel_shape": code(shape_text(n.next_kernel.shape)),
        "next_layer_counts": ", ".join(str(count) for count in n.counts[:2]),
        "stacked_first_units": first,
        "stacked_second_units": second,
        "stacked_input_dim": stacked_layers.input_dim,
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
