"""Facts on the SimpleRNN page: its three arrays, its equation (run here against Keras), and
nn.RNN's equation with its two biases (run here against PyTorch)."""
import keras
import numpy as np

from facts._formulas import aligned, evaluate
from facts._recurrent import run_equations
from facts._tables import code, markdown_table, shape_text
from snippets.rnn import simple_rnn_pytorch, simple_rnn_weights

EQUATION = [("h", "tanh(x @ W + h_prev @ U + b)")]
TORCH_EQUATION = [("h", "tanh(x @ W_ih + b_ih + h_prev @ W_hh + b_hh)")]
SHAPES = {"kernel": ("input_dim", "units"), "recurrent_kernel": ("units", "units"),
          "bias": ("units",)}
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (units, input_dim)


def checked_shapes():
    for units, input_dim in GRID:
        layer = keras.layers.SimpleRNN(units=units)
        layer.build((None, None, input_dim))
        names = {"units": units, "input_dim": input_dim}
        for weight, formula in zip(layer.weights, SHAPES.values()):
            assert tuple(evaluate(term, names) for term in formula) == tuple(weight.shape)
    return {name: "(" + ", ".join(f) + (",)" if len(f) == 1 else ")") for name, f in SHAPES.items()}


def checked_equation():
    s = simple_rnn_weights
    weights = {"W": s.kernel, "U": s.recurrent_kernel, "b": s.bias}
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


def make_facts() -> dict[str, str | int]:
    shapes = checked_shapes()
    readers = dict(simple_rnn_weights.arrays)
    config = keras.layers.SimpleRNN(units=1).get_config()
    assert config["activation"] == "tanh"
    return {
        "n_arrays": len(readers),
        "units": simple_rnn_weights.units,
        "input_dim": simple_rnn_weights.input_dim,
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
    }
