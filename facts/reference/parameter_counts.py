"""Facts on the parameter-count reference: one formula per layer, each evaluated over a grid
of sizes against the library's own count (count_params() or the sum of numel()), then shown
as LaTeX; and the numbers behind the discrepancies readers ask about.
"""
import re

import keras
import tf_keras.api._v1.keras as tf_keras_v1
import torch

from facts import _releases
from facts._formulas import evaluate
from facts._recurrent import checked_count, count_latex, filled
from facts._tables import code, markdown_table
from facts._words import count_word, ordinal_word, times_word
from snippets.rnn import gru_tf_keras, gru_torch_backend, simple_rnn_input_shape, simple_rnn_pytorch

LSTM = "4 * (units * (input_dim + units) + units)"
GRU = "3 * (units * (input_dim + units) + 2 * units)"
GRU_RESET_BEFORE = "3 * (units * (input_dim + units) + units)"
SIMPLE_RNN = "units * (input_dim + units) + units"
STACKED_LSTM = "4 * (units * (input_dim + units) + units) + 4 * (units * (units + units) + units)"
TORCH_RNN = "units * (input_dim + units) + 2 * units"
TORCH_LSTM = "4 * (units * (input_dim + units) + 2 * units)"
TORCH_GRU = "3 * (units * (input_dim + units) + 2 * units)"
TORCH_STACKED_LSTM = (
    "4 * (units * (input_dim + units) + 2 * units) + 4 * (units * (units + units) + 2 * units)"
)
GRU_BIAS_ROW = "3 * units"  # what the second bias row adds to a GRU
SECOND_BIAS = "units"  # what nn.RNN's second bias adds to SimpleRNN's count
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11), (120, 5)]  # (units, input_dim)
EXAMPLE = (5, 4)  # GRU(5) on 4 features: the count readers paste


def keras_count(make):
    def count(units, input_dim):
        layer = make(units)
        layer.build((None, None, input_dim))
        return layer.count_params()
    return count


def keras_stacked(units, input_dim):
    model = keras.Sequential([
        keras.Input(shape=(None, input_dim)),
        keras.layers.LSTM(units, return_sequences=True),
        keras.layers.LSTM(units),
    ])
    return model.count_params()


def torch_count(make):
    def count(units, input_dim):
        return sum(parameter.numel() for parameter in make(input_dim, units).parameters())
    return count


# (anchor, library, layer, formula, the library's own count: count_params() for Keras
# and tf_keras, the sum of numel() over parameters() for PyTorch)
KERAS, TORCH, TF1 = "Keras", "PyTorch", "`tf_keras`, TF1 API"
ROWS = [
    ("keras-lstm", KERAS, "`LSTM(units)`", LSTM, keras_count(keras.layers.LSTM)),
    ("keras-gru", KERAS, "`GRU(units)`, default `reset_after=True`", GRU,
     keras_count(keras.layers.GRU)),
    ("keras-gru-reset-before", KERAS, "`GRU(units, reset_after=False)`", GRU_RESET_BEFORE,
     keras_count(lambda units: keras.layers.GRU(units, reset_after=False))),
    ("keras-simple-rnn", KERAS, "`SimpleRNN(units)`", SIMPLE_RNN,
     keras_count(keras.layers.SimpleRNN)),
    ("keras-bidirectional-lstm", KERAS, "`Bidirectional(LSTM(units))`", f"2 * {LSTM}",
     keras_count(lambda units: keras.layers.Bidirectional(keras.layers.LSTM(units)))),
    ("keras-bidirectional-gru", KERAS, "`Bidirectional(GRU(units))`", f"2 * {GRU}",
     keras_count(lambda units: keras.layers.Bidirectional(keras.layers.GRU(units)))),
    ("keras-bidirectional-simple-rnn", KERAS, "`Bidirectional(SimpleRNN(units))`",
     f"2 * ({SIMPLE_RNN})",
     keras_count(lambda units: keras.layers.Bidirectional(keras.layers.SimpleRNN(units)))),
    ("keras-stacked-lstm", KERAS, "`LSTM(units, return_sequences=True)`, then `LSTM(units)`",
     STACKED_LSTM, keras_stacked),
    ("torch-rnn", TORCH, "`nn.RNN(input_size, hidden_size)`", TORCH_RNN,
     torch_count(torch.nn.RNN)),
    ("torch-lstm", TORCH, "`nn.LSTM(input_size, hidden_size)`", TORCH_LSTM,
     torch_count(torch.nn.LSTM)),
    ("torch-gru", TORCH, "`nn.GRU(input_size, hidden_size)`", TORCH_GRU,
     torch_count(torch.nn.GRU)),
    ("torch-bidirectional-lstm", TORCH, "`nn.LSTM(..., bidirectional=True)`",
     f"2 * {TORCH_LSTM}", torch_count(lambda d, u: torch.nn.LSTM(d, u, bidirectional=True))),
    ("torch-stacked-lstm", TORCH, "`nn.LSTM(..., num_layers=2)`", TORCH_STACKED_LSTM,
     torch_count(lambda d, u: torch.nn.LSTM(d, u, num_layers=2))),
    ("cudnn-lstm", TF1, "`CuDNNLSTM(units)`", TORCH_LSTM,
     keras_count(tf_keras_v1.layers.CuDNNLSTM)),
    ("cudnn-gru", TF1, "`CuDNNGRU(units)`", TORCH_GRU,
     keras_count(tf_keras_v1.layers.CuDNNGRU)),
    ("tf1-gru", TF1, "`GRU(units)`, default `reset_after=False`", GRU_RESET_BEFORE,
     keras_count(tf_keras_v1.layers.GRU)),
]


def count_table():
    """One row per layer; the layer's name links to its own row, which has it as its id."""
    units, input_dim = EXAMPLE
    rows = []
    for anchor, library, layer, formula, count_of in ROWS:
        checked_count(formula, count_of, GRID)
        end = layer.index("`", 1) + 1  # the layer's name: its first inline code
        name, rest = layer[:end], layer[end:]
        rows.append([
            library, f"[{name}](#{anchor}){{ #{anchor} }}{rest}",
            f"${count_latex(formula)}$", str(count_of(units, input_dim)),
        ])
    return markdown_table(
        ["library", "layer", "parameters", f"$u = {units}$, $d = {input_dim}$"], rows)


def checked_difference(larger, smaller, difference):
    """`larger` - `smaller` == `difference` for every size in GRID, as LaTeX."""
    for units, input_dim in GRID:
        sizes = {"units": units, "input_dim": input_dim}
        assert evaluate(larger, sizes) - evaluate(smaller, sizes) == evaluate(difference, sizes)
    return count_latex(difference)


def bidirectional_ratios(units, input_dim):
    """How many copies of its layer a Bidirectional layer holds, and how many times its
    count and its concatenated output's width are the wrapped layer's."""
    layer = keras.layers.LSTM(units, return_sequences=True)
    layer.build((None, None, input_dim))
    bidirectional = keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True))
    bidirectional.build((None, None, input_dim))
    inputs = keras.ops.zeros((1, 2, input_dim))
    copies, rest = divmod(len(bidirectional.weights), len(layer.weights))
    count_times, count_rest = divmod(bidirectional.count_params(), layer.count_params())
    width_times, width_rest = divmod(bidirectional(inputs).shape[-1], layer(inputs).shape[-1])
    assert rest == count_rest == width_rest == 0
    assert [tuple(w.shape) for w in bidirectional.forward_layer.weights] == \
        [tuple(w.shape) for w in bidirectional.backward_layer.weights] == \
        [tuple(w.shape) for w in layer.weights]
    return copies, count_times, width_times


def size_names_map(units, input_dim):
    """The sizes the formulas are written in, $u$ and $d$, with the names each library gives
    them, read off real layers built with distinct sizes: Keras' `units` and the rows of
    `kernel` (the last entry of the input shape), and the attribute of nn.LSTM that holds
    each."""
    assert units != input_dim
    layer = keras.layers.LSTM(units)
    layer.build((None, None, input_dim))
    assert (layer.units, layer.get_weights()[0].shape[0]) == (units, input_dim)
    module = torch.nn.LSTM(input_dim, units)
    torch_name = {getattr(module, name): name for name in ("input_size", "hidden_size")}
    assert len(torch_name) == 2 and module.weight_ih_l0.shape == (4 * units, input_dim)
    # The grid's PyTorch counts build nn.LSTM(input_dim, units) the same way.
    assert torch_count(torch.nn.LSTM)(units, input_dim) == evaluate(
        TORCH_LSTM, {"units": units, "input_dim": input_dim})
    return (f"$u$, the layer's {code('units')} (PyTorch: {code(torch_name[layer.units])}), "
            f"and $d$, the number of input features per timestep (the last entry of the input "
            f"shape, PyTorch: {code(torch_name[layer.get_weights()[0].shape[0]])})")


def second_bias_name(rnn, name):
    """The name of nn.RNN's bias past Keras' one, checked on the module: a parameter in its
    state_dict with a row per unit, the recurrent one (`_hh_`, added with `weight_hh_...`'s
    product), and the first layer's by its index, counted from 0: the module has one
    layer and no name of another."""
    state = rnn.state_dict()
    assert name in state and tuple(state[name].shape) == (rnn.hidden_size,)
    kind, layer = re.fullmatch(r"bias_(ih|hh)_l(\d+)", name).groups()
    assert kind == "hh" and f"weight_{kind}_l{layer}" in state
    assert rnn.num_layers == 1 and int(layer) == 0
    assert all(key.endswith(f"_l{layer}") for key in state)  # no `_l1`: a single layer
    return name


def reset_after_defaults():
    """Who defaults to `reset_after=False`: the TF1 API's GRU, run here, and multi-backend
    Keras 2's, read from its last release; Keras 3 and tf_keras default to True (run in
    gru_tf_keras)."""
    tf1 = _releases.tf1_gru_reset_after_default()
    keras2 = _releases.keras2_gru_reset_after_default()
    defaults = gru_tf_keras.defaults
    assert tf1.value is keras2.value is False
    assert defaults["tf.compat.v1.keras.layers.GRU"][0] is tf1.value
    assert defaults["keras.layers.GRU"][0] is defaults["tf_keras.layers.GRU"][0] is True
    return (f"the TF1 API's {code('GRU')} ({tf1.release}, run here) and multi-backend Keras 2's "
            f"({keras2.release}'s `{keras2.where}`, read)")


def reset_after_true_apis():
    """Who defaults to `reset_after=True`, run in gru_tf_keras: the GRUs of Keras 3 and of
    tf_keras, each named by the package it comes from; the TF1 API's does not."""
    import tf_keras

    defaults = gru_tf_keras.defaults
    named = {keras.__name__: f"Keras {keras.__version__.split('.')[0]}",
             tf_keras.__name__: code(tf_keras.__name__)}
    true_layers = [layer for layer, (reset_after, _count) in defaults.items() if reset_after is True]
    packages = [layer.split(".")[0] for layer in true_layers]
    assert sorted(packages) == sorted(named)
    assert all(defaults[layer][0] is False for layer in defaults if layer not in true_layers)
    assert isinstance(gru_tf_keras.grus[true_layers[packages.index(tf_keras.__name__)]],
                      tf_keras.layers.GRU)
    return " and ".join(named[package] for package in packages)


def make_facts() -> dict[str, str | int]:
    units, input_dim = EXAMPLE
    simple = simple_rnn_pytorch
    one = {"units": 1, "input_dim": 1}
    assert (evaluate(SIMPLE_RNN, one), evaluate(TORCH_RNN, one)) == (
        simple.keras_count, simple.torch_count)
    defaults = gru_tf_keras.defaults
    assert {count for _reset_after, count in defaults.values()} == {
        evaluate(GRU, {"units": units, "input_dim": input_dim}),
        evaluate(GRU_RESET_BEFORE, {"units": units, "input_dim": input_dim}),
    }
    shapes = simple_rnn_input_shape
    for shape, count in shapes.counts.items():
        assert count == evaluate(SIMPLE_RNN, {"units": shapes.units, "input_dim": shape[-1]})
    on_torch = gru_torch_backend.on_torch
    numel = sum(n for _name, n, _trained in on_torch["parameters"])
    # named for their facts, so that the two swapped in make_facts()' dict show
    (seed_generator_state, torch_backend_extra, trained), = [
        (name, n, trained) for name, n, trained in on_torch["parameters"]
        if name.split("/")[-1] not in ("kernel", "recurrent_kernel", "bias")
    ]
    assert not trained
    assert numel - on_torch["count_params"] == torch_backend_extra
    assert seed_generator_state.endswith("seed_generator_state")  # the page: the seed generator's state
    # The backend's GRU is the example: GRU(units) on input_dim features.
    assert on_torch["weights"][0][1] == [input_dim, 3 * units]
    assert (gru_tf_keras.units, gru_tf_keras.input_dim) == EXAMPLE
    # SimpleRNN against nn.RNN: the sizes of the layers compared, and their biases.
    assert (simple.simple_rnn.units, simple.simple_rnn.cell.kernel.shape[0]) == (1, 1)
    assert (simple.rnn.hidden_size, simple.rnn.input_size) == (1, 1)
    torch_biases = [name for name in simple.torch_names if name.startswith("bias")]
    keras_biases = [w for w in simple.simple_rnn.weights if w.path.split("/")[-1] == "bias"]
    assert simple.torch_count - simple.keras_count == evaluate(SECOND_BIAS, one) == \
        (len(torch_biases) - len(keras_biases)) * simple.rnn.hidden_size
    # The bias PyTorch keeps past Keras' one: its place among nn.RNN's biases, and its name.
    extra_bias = len(keras_biases)
    assert len(torch_biases) == extra_bias + 1
    extra_bias_name = second_bias_name(simple.rnn, torch_biases[extra_bias])
    assert getattr(simple.rnn, extra_bias_name).numel() == simple.torch_count - simple.keras_count
    # Each layer with that extra bias has u more parameters per gate than its one-bias
    # counterpart: nn.RNN, nn.LSTM and CuDNNLSTM, nn.GRU and CuDNNGRU, Keras' default GRU.
    for larger, smaller, gates in ((TORCH_RNN, SIMPLE_RNN, 1), (TORCH_LSTM, LSTM, 4),
                                   (TORCH_GRU, GRU_RESET_BEFORE, 3), (GRU, GRU_RESET_BEFORE, 3)):
        checked_difference(larger, smaller, f"{gates} * {SECOND_BIAS}")
    # The TF1 API's GRU: its bias is a vector, one row; Keras 3's default has a row more.
    tf1_bias = gru_tf_keras.tf1_gru.weights[2]
    assert tf1_bias.name.split("/")[-1].split(":")[0] == "bias"
    tf1_rows = 1 if len(tf1_bias.shape) == 1 else tf1_bias.shape[0]
    keras3_bias = gru_tf_keras.grus["keras.layers.GRU"].weights[2]
    assert tuple(keras3_bias.shape) == (tf1_rows + 1, 3 * units)
    extra_bias_row = tf1_rows  # the row Keras 3's default GRU keeps past the TF1 API's
    copies, count_times, width_times = bidirectional_ratios(units, input_dim)
    one_unit = (simple.rnn.hidden_size, simple.rnn.input_size)
    assert [evaluate(formula, dict(zip(("units", "input_dim"), one_unit)))
            for formula in (SIMPLE_RNN, TORCH_RNN)] == [simple.keras_count, simple.torch_count]
    gru_bias_difference = checked_difference(GRU, GRU_RESET_BEFORE, GRU_BIAS_ROW)
    bias_row_difference = f"{gru_bias_difference} = {filled(GRU_BIAS_ROW, units, input_dim)}"
    return {
        "example_gru": f"{code(f'GRU({units})')} on {input_dim} features",
        # One statement, so that Keras' count and PyTorch's cannot trade places.
        "one_unit_counts": f"With {count_word(simple.rnn.hidden_size, 'unit')} on "
                           f"{count_word(simple.rnn.input_size, 'feature')}, Keras counts "
                           f"${filled(SIMPLE_RNN, *one_unit)}$ and PyTorch "
                           f"${filled(TORCH_RNN, *one_unit)}$",
        "rnn_biases_added": f"PyTorch adds {count_word(len(torch_biases), 'bias', 'biases')} "
                            f"where Keras adds {count_word(len(keras_biases), 'bias', 'biases')}",
        "tf1_bias_rows": count_word(tf1_rows, "bias row"),
        "extra_bias_position": ordinal_word(extra_bias),
        "extra_bias_name": code(extra_bias_name),
        "extra_bias_row_position": ordinal_word(extra_bias_row),
        "wrapped_layer_copies": count_word(copies, "copy", "copies"),
        "parameter_count_times": times_word(count_times),
        "features_read_times": times_word(width_times),
        "numel_against_count_params": f"{numel} numbers from `numel()` against "
                                      f"{on_torch['count_params']} from `count_params()`",
        "count_table": count_table(),
        "size_names_map": size_names_map(units, input_dim),
        "keras_gru_formula": count_latex(GRU),
        "keras_gru_example": filled(GRU, units, input_dim),
        "keras_gru_reset_before_formula": count_latex(GRU_RESET_BEFORE),
        "keras_gru_reset_before_example": filled(GRU_RESET_BEFORE, units, input_dim),
        "keras_simple_rnn_formula": count_latex(SIMPLE_RNN),
        "keras_simple_rnn_example": filled(SIMPLE_RNN, units, input_dim),
        "torch_rnn_formula": count_latex(TORCH_RNN),
        "simple_rnn_one_unit": filled(SIMPLE_RNN, 1, 1),
        "torch_rnn_one_unit": filled(TORCH_RNN, 1, 1),
        "gru_defaults_table": markdown_table(
            ["layer", "default `reset_after`", f"count, $u = {units}$, $d = {input_dim}$"],
            [[code(name), code(str(reset_after)), str(count)]
             for name, (reset_after, count) in defaults.items()],
        ),
        "gru_bias_difference": gru_bias_difference,
        "bias_row_difference": bias_row_difference,
        "second_bias_difference": checked_difference(TORCH_RNN, SIMPLE_RNN, SECOND_BIAS),
        "input_shape_table": markdown_table(
            ["`keras.Input(shape=...)`", "features $d$", f"`SimpleRNN({shapes.units})` count"],
            [[code(str(shape)), str(shape[-1]), str(count)]
             for shape, count in shapes.counts.items()],
        ),
        "keras3_input_dim_error": code(shapes.keras3_error),
        "false_default_apis": reset_after_defaults(),
        "true_default_apis": reset_after_true_apis(),
        "seed_generator_state": code(seed_generator_state),
        "torch_backend_extra": torch_backend_extra,
    }
