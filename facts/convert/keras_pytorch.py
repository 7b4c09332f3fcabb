"""Facts on the Keras ⇄ PyTorch conversion page: gate orders, measured errors, the test grid.

The orders are recurrent.py's block maps, checked against each library's own source and
documentation (facts/_convert.py) and proven by gru_mistakes.py, where only one of the
GRU's block orders reproduces the trained model. Every error is measured by a snippet the
page shows; the grid is the one tests/test_converters.py runs (facts/_converter_grid.py).
"""

import inspect
import math

import keras
import keras.src.layers.rnn.gru as keras_gru_source

from facts._convert import keras_letters, torch_letters
from facts._tables import code, markdown_table
from snippets.convert import by_hand, gru_mistakes, no_tanh, recurrent, reset_after
from snippets.convert import trained_model, usage
from facts._converter_grid import TOLERANCE, grid

MISTAKES = {  # what each conversion in gru_mistakes.py does, in words
    "not_reordered": "transposed, blocks left in Keras' order",
    "bias_rows_swapped": f"reordered and transposed, but {code('bias[1]')} into "
    f"{code('bias_ih_l0')} and {code('bias[0]')} into {code('bias_hh_l0')}",
    "bias_rows_added": f"reordered and transposed, but the two rows added into "
    f"{code('bias_ih_l0')} and {code('bias_hh_l0')} zero",
    "right": "the three rules",
}


def order(letters):
    return ", ".join(letters)


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


def grid_table():
    """Each option the grid varies and the values it takes, read off the grid itself."""
    cases = [case for _id, case in grid()]

    def values(key, show=str):
        return ", ".join(show(value) for value in sorted({case[key] for case in cases}))

    sizes = sorted({(case["input_size"], case["hidden_size"]) for case in cases})
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
            "one, two ("
            + code("Bidirectional")
            + " ⇄ "
            + code("bidirectional=True")
            + ")",
        ],
        ["layers in the stack", values("num_layers")],
        [code("use_bias") + " / " + code("bias"), values("bias")],
        [code("batch_first"), values("batch_first")],
        ["timesteps", values("timesteps")],
        [
            code("(input_size, hidden_size)"),
            ", ".join(code(str(size)) for size in sizes),
        ],
        [code("SimpleRNN") + " activation", values("nonlinearity", code)],
    ]
    assert {case["bidirectional"] for case in cases} == {False, True}
    return markdown_table(["option", "values in the grid"], rows)


def make_facts() -> dict[str, str | int]:
    # The orders: recurrent.py's maps, as each library names them, and the one GRU order
    # that reproduces the trained model.
    assert list(gru_mistakes.proven_torch_order) == recurrent.TORCH_BLOCKS["GRU"]
    keras_gru, torch_gru = keras_letters("GRU"), torch_letters("GRU")
    keras_lstm, torch_lstm = keras_letters("LSTM"), torch_letters("LSTM")
    # The page says: swap the GRU's first two blocks; the LSTM keeps its order.
    assert (
        recurrent.TORCH_BLOCKS["GRU"] == [keras_gru[k] for k in (1, 0, 2)] != keras_gru
    )
    assert recurrent.TORCH_BLOCKS["LSTM"] == keras_lstm  # the LSTM keeps its order

    errors = gru_mistakes.error
    wrong = {name: value for name, value in errors.items() if name != "right"}
    assert list(errors) == list(MISTAKES)
    source_line, source_url = keras_gru_source_link()
    exponent = math.log10(TOLERANCE)
    assert exponent == round(exponent)
    # One case per (kind, directions, layers) combination, and no other case.
    cases = [case for _id, case in grid()]
    structures = {(c["kind"], c["bidirectional"], c["num_layers"]) for c in cases}
    kinds, directions, depths = (set(parts) for parts in zip(*structures))
    assert len(structures) == len(cases) == len(kinds) * len(directions) * len(depths)
    by_order = sorted(gru_mistakes.order_error.items(), key=lambda item: item[1])
    assert max(by_hand.lstm_error, by_hand.gru_error, by_hand.simple_rnn_error) < 1e-6
    return {
        "keras_gru_order": order(keras_gru),
        "torch_gru_order": order(torch_gru),
        "keras_lstm_order": order(keras_lstm),
        "torch_lstm_order": order(torch_lstm),
        "torch_gru_candidate": torch_gru[recurrent.TORCH_BLOCKS["GRU"].index("h")],
        "torch_lstm_candidate": torch_lstm[recurrent.TORCH_BLOCKS["LSTM"].index("c")],
        "n_cases": len(grid()),
        "tolerance": f"$10^{{{int(exponent)}}}$",
        "grid_table": grid_table(),
        "trained_difference": f"{trained_model.largest_difference:.1e}",
        "prediction_scale": f"{trained_model.prediction_scale:.2f}",
        "first_loss": f"{trained_model.losses[0]:.2f}",
        "last_loss": f"{trained_model.losses[-1]:.2f}",
        "n_epochs": len(trained_model.losses),
        "mistakes_table": markdown_table(
            ["conversion", "what it does", "largest error in the predictions"],
            [
                [code(name), MISTAKES[name],
                 f"{errors[name]:.1e}" if name == "right" else f"{errors[name]:.3f}"]
                for name in MISTAKES
            ],
        ),
        "smallest_mistake_error": f"{min(wrong.values()):.3f}",
        "not_reordered_error": f"{errors['not_reordered']:.2f}",
        "orders_table": markdown_table(
            [
                "Keras blocks, in the order copied into PyTorch",
                "largest error in the predictions",
            ],
            [
                [
                    order(letters),
                    f"{value:.1e}" if value < TOLERANCE else f"{value:.2f}",
                ]
                for letters, value in by_order
            ],
        ),
        "n_block_orders": len(by_order),
        "extra_tanh_error": f"{no_tanh.extra_tanh_error:.2f}",
        "no_tanh_difference": f"{no_tanh.largest_difference:.1e}",
        "last_step_error": f"{usage.last_step_error:.2f}",
        "reset_after_error": f"{reset_after.reset_after_error:.3f}",
        "reset_after_scale": f"{float(abs(reset_after.old_output).max()):.2f}",
        "keras_gru_source_line": code(source_line),
        "keras_gru_source_url": source_url,
    }
