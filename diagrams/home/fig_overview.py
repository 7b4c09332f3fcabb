"""Where the gates live in each recurrent layer, in Keras and in PyTorch

One strip per layer: the gate axis of its weight arrays, split into one block of `units`
entries per gate, in the order the site's gate-order proofs accept. Keras stacks the
blocks as columns of kernel and recurrent_kernel, PyTorch as rows of weight_ih and
weight_hh. Under each strip, the arrays of a real layer with 3 input features and 2 units.
"""
import keras
import numpy as np
import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from diagrams._proof import accepted
from diagrams._style import GATE_COLOURS, NO_GATE_COLOUR, TEXT_COLOUR, tint
from snippets.lstm import gate_order as keras_lstm_proof
from snippets.lstm import pytorch_gate_order as torch_lstm_proof
from snippets.pytorch import gru_gate_order as torch_gru_proof
from snippets.rnn import gru_gate_order as keras_gru_proof

INPUT_DIM, UNITS = 3, 2
# One layout for both screens: saved under 5 in wide, a phone shrinks it little enough that
# the smallest lettering (10.5 pt) stays readable there, and a desktop shows it as drawn.
CELL = 0.26  # inches per entry of the gate axis
ROW = 1.2  # inches per layer
CODE_FONT = {"family": "DejaVu Sans Mono", "size": 10.5}
NAME_FONT = {"family": "DejaVu Sans Mono", "size": 12, "weight": "bold"}


def keras_arrays(layer_class):
    layer = layer_class(UNITS)
    layer.build((None, None, INPUT_DIM))
    return [(weight.name, tuple(weight.shape)) for weight in layer.weights]


def torch_arrays(module_class):
    module = module_class(input_size=INPUT_DIM, hidden_size=UNITS)
    return [(name, tuple(parameter.shape)) for name, parameter in module.named_parameters()]


def layers():
    """(name, axis word, gate letters, arrays) for each layer, from real layers and proofs:
    each order is one its proof measured agreeing with the library (the Keras GRU's for the
    default reset_after=True)."""
    return [
        ("keras.layers.LSTM", "columns",
         accepted(keras_lstm_proof.proven_order, keras_lstm_proof), keras_arrays(keras.layers.LSTM)),
        ("torch.nn.LSTM", "rows",
         accepted(torch_lstm_proof.proven_order, torch_lstm_proof), torch_arrays(torch.nn.LSTM)),
        ("keras.layers.GRU", "columns",
         accepted(keras_gru_proof.proven_order, keras_gru_proof, True), keras_arrays(keras.layers.GRU)),
        ("torch.nn.GRU", "rows",
         accepted(torch_gru_proof.proven_order, torch_gru_proof), torch_arrays(torch.nn.GRU)),
        ("keras.layers.SimpleRNN", "columns", ("",), keras_arrays(keras.layers.SimpleRNN)),
        ("torch.nn.RNN", "rows", ("",), torch_arrays(torch.nn.RNN)),
    ]


def shape_text(shape):
    return f"({shape[0]},)" if len(shape) == 1 else str(shape)


def make_figure() -> Figure:
    rows = layers()
    for name, axis, gates, arrays in rows:
        # The gate axis holds one block of UNITS per gate: columns in Keras, rows in PyTorch.
        gate_axis = [shape[-1] if axis == "columns" else shape[0] for _, shape in arrays]
        assert set(gate_axis) == {len(gates) * UNITS}, (name, arrays)
    widest = max(len(gates) for _, _, gates, _ in rows) * UNITS
    # The notes beside the strips reach past `width`: the saved figure is cropped to them.
    width, height = 4.4, ROW * len(rows)
    figure = Figure(figsize=(width, height))
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.axis("off")
    left = 0.1
    for index, (name, axis, gates, arrays) in enumerate(rows):
        top = -index * ROW - 0.12
        ax.text(left, top, name, va="top", **NAME_FONT)
        what = "one block: no gates" if gates == ("",) else f"one block of {axis} per gate"
        strip_top = top - 0.26
        ax.text(left + widest * CELL + 0.2, strip_top - CELL / 2, what, va="center",
                color=TEXT_COLOUR, size=10.5)
        for k, gate in enumerate(gates):
            colour = GATE_COLOURS[gate] if gate else NO_GATE_COLOUR
            x0 = left + k * UNITS * CELL
            for unit in range(UNITS):
                ax.add_patch(Rectangle((x0 + unit * CELL, strip_top - CELL), CELL, CELL,
                                       facecolor=tint(colour, 0.35), edgecolor="white", linewidth=1))
            ax.add_patch(Rectangle((x0, strip_top - CELL), UNITS * CELL, CELL, fill=False,
                                   edgecolor=colour, linewidth=2))
            if gate:
                ax.text(x0 + UNITS * CELL / 2, strip_top - CELL / 2, gate, ha="center", va="center",
                        weight="bold", color=TEXT_COLOUR, **{"family": "DejaVu Sans Mono", "size": 12})
        # Weights on one line, biases on the next: spaces in SVG text collapse, so "·" separates.
        weights = " · ".join(f"{a} {shape_text(s)}" for a, s in arrays if not a.startswith("bias"))
        biases = " · ".join(f"{a} {shape_text(s)}" for a, s in arrays if a.startswith("bias"))
        ax.text(left, strip_top - CELL - 0.08, f"{weights}\n{biases}", va="top", color=TEXT_COLOUR,
                linespacing=1.3, **CODE_FONT)
    return figure
