"""The LSTM cell as this site writes it: gate names, activations and equations, checked.

The equations are Python expressions that `checked_equations` runs against
`keras.layers.LSTM` (the layer `snippets/lstm/gate_order.py` proves the order with), and
the pages print as LaTeX. A gate's name is what it does in those equations, and that is
checked when this module is imported, so a swapped name can reach no page or figure.
"""
import numpy as np

from facts._formulas import evaluate
from snippets.lstm import gate_order

GATE_NAMES = {"i": "input gate", "f": "forget gate", "c": "cell candidate", "o": "output gate"}

# Each gate's pre-activation goes through its activation; then the cell and hidden state.
ACTIVATION = {"i": "sigmoid", "f": "sigmoid", "c": "tanh", "o": "sigmoid"}
TARGET = {"i": "i", "f": "f", "c": "c_tilde", "o": "o"}
STATE_EQUATIONS = [("c", "f * c_prev + i * c_tilde"), ("h", "o * tanh(c)")]


def lstm_equations(order):
    gates = [
        (TARGET[gate], f"{ACTIVATION[gate]}(x @ W_{gate} + h_prev @ U_{gate} + b_{gate})")
        for gate in order
    ]
    return gates + STATE_EQUATIONS


def run_equations(equations, order, inputs, kernel, recurrent_kernel, bias):
    """The equations as written, step by step over `inputs`: every h_t and the last c_t."""
    names = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
    for matrix, array in (("W", kernel), ("U", recurrent_kernel), ("b", bias)):
        for gate, block in zip(order, np.split(array, 4, axis=-1)):
            names[f"{matrix}_{gate}"] = block
    names["h"] = names["c"] = np.zeros((inputs.shape[0], recurrent_kernel.shape[0]))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        names.update(x=x, h_prev=names["h"], c_prev=names["c"])
        for target, expression in equations:
            names[target] = evaluate(expression, names)
        all_h.append(names["h"])
    return np.stack(all_h, axis=1), names["c"]


def checked_equations(order):
    equations = lstm_equations(order)
    all_h, last_c = run_equations(
        equations, order, gate_order.inputs, gate_order.kernel,
        gate_order.recurrent_kernel, gate_order.bias,
    )
    np.testing.assert_allclose(all_h, gate_order.all_h, atol=1e-6)
    np.testing.assert_allclose(last_c, gate_order.last_c, atol=1e-6)
    return equations



# What each name means in the state equations above: the term it multiplies.
ROLE = {"forget gate": "* c_prev", "input gate": "* c_tilde", "output gate": "* tanh(c)"}


def check_gate_names():
    state = " ".join(expression for _target, expression in STATE_EQUATIONS)
    for gate, name in GATE_NAMES.items():
        if name == "cell candidate":
            assert TARGET[gate] == "c_tilde", f"{gate!r} is named {name!r} but is not c_tilde"
        else:
            assert f"{TARGET[gate]} {ROLE[name]}" in state, f"{gate!r} does not do what {name!r} does"


check_gate_names()
