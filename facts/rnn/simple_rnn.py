"""Facts on the SimpleRNN page: its three arrays, its equation (run here against Keras),
nn.RNN's equation with its two biases (run here against PyTorch), and the counts its
sentences state in words (nn.RNN's biases, its extra parameters per unit)."""
import re

import keras
import numpy as np
import torch

from facts._formulas import SYMBOLS, aligned, checked_term, evaluate, to_latex, tokens
from facts._recurrent import ARRAY_SYMBOLS, array_roles, run_equations
from facts._tables import code, markdown_table, shape_text
from facts._words import count_word, ordinal_word
from facts.reference import parameter_counts
from snippets.rnn import simple_rnn_pytorch, simple_rnn_relu, simple_rnn_weights

EQUATION = [("h", "tanh(x @ W + h_prev @ U + b)")]
TORCH_EQUATION = [("h", "tanh(x @ W_ih + b_ih + h_prev @ W_hh + b_hh)")]
SHAPES = {"kernel": ("input_dim", "units"), "recurrent_kernel": ("units", "units"),
          "bias": ("units",)}
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (units, input_dim)
# The equation's symbol for each array, by the name Keras gives it: the equation is checked
# with the arrays read under these names, so a swap fails the build.
# nn.RNN's weight for each Keras array: the snippet copies each Keras array, transposed, into
# it and asserts the same outputs; checked_transposed checks the copies.
TRANSPOSED = {"weight_ih_l0": "kernel", "weight_hh_l0": "recurrent_kernel"}


def checked_shapes():
    """Each array's shape as the page writes it, `(units,)` for a vector: read back as
    Python, it is the layer's shape over the grid."""
    shown = {name: "(" + ", ".join(f) + (",)" if len(f) == 1 else ")") for name, f in SHAPES.items()}
    for units, input_dim in GRID:
        layer = keras.layers.SimpleRNN(units=units)
        layer.build((None, None, input_dim))
        names = {"units": units, "input_dim": input_dim}
        for weight, (name, formula) in zip(layer.weights, SHAPES.items()):
            assert tuple(evaluate(term, names) for term in formula) == tuple(weight.shape)
            assert evaluate(shown[name], names) == tuple(weight.shape), shown[name]
    return shown


def checked_equation():
    s = simple_rnn_weights
    arrays = dict(zip((w.name for w in s.simple_rnn.weights), s.simple_rnn.get_weights()))
    assert sorted(arrays) == sorted(ARRAY_SYMBOLS)
    weights = {ARRAY_SYMBOLS[name]: array for name, array in arrays.items()}
    all_h = run_equations(EQUATION, s.inputs, weights, s.recurrent_kernel.shape[0])
    np.testing.assert_allclose(all_h, s.all_h, atol=1e-6)
    return aligned(EQUATION)


def checked_torch_equation():
    rnn = simple_rnn_pytorch.rnn
    arrays = {name: p.detach().numpy() for name, p in rnn.named_parameters()}
    weights = {"W_ih": arrays["weight_ih_l0"].T, "W_hh": arrays["weight_hh_l0"].T,
               "b_ih": arrays["bias_ih_l0"], "b_hh": arrays["bias_hh_l0"]}
    all_h = run_equations(TORCH_EQUATION, simple_rnn_pytorch.inputs.numpy(), weights,
                          rnn.hidden_size)
    np.testing.assert_allclose(all_h[:, -1], simple_rnn_pytorch.torch_h_n, atol=1e-6)
    return aligned(TORCH_EQUATION)


def array_symbols():
    """"$W$ = `kernel`, ...": the symbol the checked equation gives each array."""
    checked_equation()  # the equation holds with the arrays under these symbols
    return ", ".join(f"${to_latex(symbol)}$ = {code(name)}" for name, symbol in ARRAY_SYMBOLS.items())


def checked_transposed():
    """`weight_ih_l0` is `kernel.T`, ...: each nn.RNN weight the snippet filled holds its
    Keras array transposed (and the snippet asserts both layers give the same outputs)."""
    one = simple_rnn_pytorch
    keras_arrays = dict(zip((w.name for w in one.simple_rnn.weights), one.simple_rnn.get_weights()))
    torch_arrays = {name: p.detach().numpy() for name, p in one.rnn.named_parameters()}
    for torch_name, keras_name in TRANSPOSED.items():
        np.testing.assert_array_equal(torch_arrays[torch_name], keras_arrays[keras_name].T)
    return " and ".join(f"{code(torch_name)} is {code(keras_name + '.T')}"
                        for torch_name, keras_name in TRANSPOSED.items())


def second_bias():
    """`bias_hh_l0` only adds to `bias_ih_l0`: both are added terms of the checked
    equation, and the snippet's split of Keras' bias between them sums back to it."""
    first, second = torch_biases()
    (_target, expression), = TORCH_EQUATION
    assert re.findall(r"(\S+) b_(?:ih|hh)\b", expression) == ["+", "+"]
    one = simple_rnn_pytorch
    torch_arrays = {name: p.detach().numpy() for name, p in one.rnn.named_parameters()}
    _kernel, _recurrent_kernel, keras_bias = one.simple_rnn.get_weights()
    np.testing.assert_allclose(torch_arrays[first] + torch_arrays[second], keras_bias, atol=1e-6)
    return f"{code(second)} only adds to {code(first)}"


def extra_bias():
    """The place among nn.RNN's biases of the one it keeps past SimpleRNN's single bias: the
    bias that only adds to the first (second_bias)."""
    keras_biases = [w for w in simple_rnn_pytorch.simple_rnn.weights if w.name == "bias"]
    biases = torch_biases()
    extra = len(keras_biases)
    assert len(biases) == extra + 1
    assert second_bias() == f"{code(biases[extra])} only adds to {code(biases[0])}"
    return extra


def torch_biases():
    """nn.RNN's bias parameters, by name: checked to be the ones its equation adds."""
    names = [name for name in simple_rnn_pytorch.torch_names if name.startswith("bias")]
    assert names == ["bias_ih_l0", "bias_hh_l0"]  # b_ih and b_hh of TORCH_EQUATION
    return names


def extra_parameters_per_unit():
    """How many more parameters nn.RNN has than SimpleRNN, per unit, over a grid of sizes:
    its second bias, one entry per unit. A product, not a ratio: the ratio is one, which
    reads the same inverted."""
    per_unit = len(torch_biases()) - 1  # the second bias
    for units, input_dim in GRID:
        layer = keras.layers.SimpleRNN(units=units)
        layer.build((None, None, input_dim))
        rnn = torch.nn.RNN(input_size=input_dim, hidden_size=units)
        extra = sum(p.numel() for p in rnn.parameters()) - layer.count_params()
        assert extra == per_unit * units, (units, input_dim, extra)  # the same for every size
    return per_unit


def size_symbols_map(formula, units=5, input_dim=4):
    """"$u$ = `units` and $d$ = `input_dim`": the symbol the parameter-count formula gives
    each size it reads, in the order it reads them, checked on a real layer: `units` is the
    layer's argument, `input_dim` its kernel's rows, and the formula of both is its count."""
    sizes = [name for name in dict.fromkeys(tokens(formula)) if name.isidentifier()]
    layer = keras.layers.SimpleRNN(units=units)
    layer.build((None, None, input_dim))
    kernel = layer.weights[0]
    assert kernel.name == "kernel" and tuple(kernel.shape) == (input_dim, units)
    read = {"units": layer.units, "input_dim": kernel.shape[0]}
    assert sizes == list(read) and layer.count_params() == evaluate(formula, read)
    return " and ".join(f"${SYMBOLS[name]}$ = {code(name)}" for name in sizes)


def make_facts() -> dict[str, str | int]:
    shapes = checked_shapes()
    readers = dict(simple_rnn_weights.arrays)
    config = keras.layers.SimpleRNN(units=1).get_config()
    assert config["activation"] == "tanh"
    units, input_dim = simple_rnn_weights.units, simple_rnn_weights.input_dim
    # The example count shown beside this layer is the reference page's, for its sizes.
    assert parameter_counts.EXAMPLE == (units, input_dim)
    one = simple_rnn_pytorch
    assert one.simple_rnn.units == one.rnn.hidden_size  # the same layer in both libraries
    relu_difference = max(simple_rnn_relu.relu_differences)
    assert relu_difference < 1e-6  # the page: relu in both libraries gives the same outputs
    assert one.simple_rnn.weights[0].shape[0] == one.rnn.input_size
    return {
        "n_arrays": len(readers),
        "example_layer": f"{code(f'SimpleRNN(units={units})')} on {input_dim} features",
        "equation_argument": checked_term("x @ W + h_prev @ U + b", EQUATION, whole=True),
        "array_roles": array_roles(
            EQUATION[0][1],
            dict(zip((w.name for w in simple_rnn_weights.simple_rnn.weights),
                     simple_rnn_weights.simple_rnn.get_weights())),
            {"input_dim": simple_rnn_weights.input_dim, "units": simple_rnn_weights.units}, r"\b"),
        "array_symbols": array_symbols(),
        "size_symbols_map": size_symbols_map(parameter_counts.SIMPLE_RNN),
        "weights_transposed": checked_transposed(),
        "second_bias": second_bias(),
        "extra_bias_position": ordinal_word(extra_bias()),
        "torch_biases": count_word(len(torch_biases()), "bias", "biases"),
        "torch_extra_per_unit": count_word(extra_parameters_per_unit(), "more parameter"),
        "one_unit_layer": (f"{count_word(one.rnn.hidden_size, 'unit')} on "
                           f"{count_word(one.rnn.input_size, 'feature')}"),
        "array_table": markdown_table(
            ["array", "shape", f"`SimpleRNN(units={simple_rnn_weights.units})` on "
             f"{simple_rnn_weights.input_dim} features", "multiplies"],
            [[f"{code(name)} {symbol}", code(shapes[name]), code(shape_text(readers[name])), what]
             for name, symbol, what in (
                 ("kernel", "$W$", "the input $x_t$"),
                 ("recurrent_kernel", "$U$", "the previous hidden state $h_{t-1}$"),
                 ("bias", "$b$", "nothing: added"),
             )],
        ),
        "equation": checked_equation(),
        "torch_equation": checked_torch_equation(),
        "default_activation": code(f'activation="{config["activation"]}"'),
        "relu_difference": f"{relu_difference:.1e}",
        "n_seeds": count_word(len(simple_rnn_relu.relu_differences), "seed"),
    }
