"""Facts on the PyTorch recurrent-layers page: names, shapes, gate orders, the GRU's
equations, b_hn, batch_first, the forget-gate slice, and the cuDNN bias story.

Shapes are formulas evaluated over a grid against real modules; the GRU's equations are the
Python expressions run here against the nn.GRU that snippets/pytorch/gru_gate_order.py proves
the order with; source lines are found in the installed Keras and checked against the proofs.
"""
import os
import subprocess
import sys

import numpy as np
import torch

from facts._formulas import aligned, evaluate
from facts._recurrent import run_equations, source_line
from facts._tables import code, markdown_table, shape_text
from snippets.lstm import pytorch_gate_order as lstm_proof
from snippets.pytorch import batch_first, cudnn_biases, gru_b_hn, gru_gate_order, names
from snippets.rnn import gru_gate_order as keras_gru_proof

GRU_EQUATIONS = [
    ("r", "sigmoid(x @ W_ir + b_ir + h_prev @ W_hr + b_hr)"),
    ("z", "sigmoid(x @ W_iz + b_iz + h_prev @ W_hz + b_hz)"),
    ("n", "tanh(x @ W_in + b_in + r * (h_prev @ W_hn + b_hn))"),
    ("h", "(1 - z) * n + z * h_prev"),
]
GATE_BLOCKS = {"RNN": 1, "GRU": 3, "LSTM": 4}
SHAPES = {
    "weight_ih_l0": ("{g}hidden_size", "input_size"),
    "weight_hh_l0": ("{g}hidden_size", "hidden_size"),
    "bias_ih_l0": ("{g}hidden_size",),
    "bias_hh_l0": ("{g}hidden_size",),
}
GRID = [(1, 1), (2, 1), (3, 2), (5, 4), (7, 11)]  # (hidden_size, input_size)
# Block k of a PyTorch array is rows [k * hidden_size:(k + 1) * hidden_size].
BLOCK_ROWS = ("k * hidden_size", "(k + 1) * hidden_size")


def shape_formulas(kind):
    multiplier = "" if GATE_BLOCKS[kind] == 1 else f"{GATE_BLOCKS[kind]} * "
    return {name: tuple(term.format(g=multiplier) for term in formula)
            for name, formula in SHAPES.items()}


def checked_names_table():
    rows = []
    for kind, blocks in GATE_BLOCKS.items():
        formulas = shape_formulas(kind)
        for hidden_size, input_size in GRID:
            module = getattr(torch.nn, kind)(input_size, hidden_size)
            sizes = {"hidden_size": hidden_size, "input_size": input_size}
            for name, parameter in module.named_parameters():
                assert tuple(evaluate(t, sizes) for t in formulas[name]) == tuple(parameter.shape)
        assert names.gate_blocks[kind] == blocks
        order = {"RNN": "one block", "GRU": ", ".join(gru_gate_order.proven_order),
                 "LSTM": ", ".join(lstm_proof.proven_order)}[kind]
        shapes = {name: code("(" + ", ".join(f) + (",)" if len(f) == 1 else ")"))
                  for name, f in formulas.items()}
        assert shapes["bias_ih_l0"] == shapes["bias_hh_l0"]
        rows.append([code(f"nn.{kind}"), order, shapes["weight_ih_l0"],
                     shapes["weight_hh_l0"], shapes["bias_ih_l0"]])
    return markdown_table(
        ["module", "row blocks", "`weight_ih_l0`", "`weight_hh_l0`",
         "`bias_ih_l0`, `bias_hh_l0` (each)"], rows)


def suffix_table():
    rows = []
    for name, shape in names.deep_shapes.items():
        layer = int(name.split("_l")[1].split("_")[0])
        direction = "backward" if name.endswith("_reverse") else "forward"
        reads = {"ih": "the layer's input", "hh": "its own previous $h$"}[name.split("_")[1]]
        rows.append([code(name), code(shape_text(shape)), str(layer), direction,
                     reads if name.startswith("weight") else "added"])
    return markdown_table(["name", "shape", "layer", "direction", "multiplies"], rows)


def checked_gru_equations(order):
    weights = {}
    for prefix, array in (("W_i", gru_gate_order.weight_ih), ("W_h", gru_gate_order.weight_hh)):
        for gate, block in zip(order, np.split(array, 3)):
            weights[f"{prefix}{gate}"] = block.T  # stored as rows: x @ block.T
    for prefix, array in (("b_i", gru_gate_order.bias_ih), ("b_h", gru_gate_order.bias_hh)):
        for gate, block in zip(order, np.split(array, 3)):
            weights[f"{prefix}{gate}"] = block
    all_h = run_equations(GRU_EQUATIONS, gru_gate_order.inputs.numpy(), weights,
                          gru_gate_order.hidden_size)
    np.testing.assert_allclose(all_h, gru_gate_order.all_h.numpy(), atol=1e-6)
    return aligned(GRU_EQUATIONS)


def multiple(k):
    """k * hidden_size as a reader writes it: 0, hidden_size, 2 * hidden_size."""
    return {0: "0", 1: "hidden_size"}.get(k, f"{k} * hidden_size")


def legacy_keras_is_tf_keras_v1():
    """With TF_USE_LEGACY_KERAS=1, tf.compat.v1.keras.layers is the module the snippets import
    as tf_keras.api._v1.keras.layers."""
    check = (
        "import tensorflow as tf, tf_keras.api._v1.keras as v1\n"
        "assert tf.compat.v1.keras.layers.CuDNNGRU is v1.layers.CuDNNGRU\n"
        "assert tf.compat.v1.keras.layers.CuDNNLSTM is v1.layers.CuDNNLSTM\n"
        "assert tf.compat.v1.keras.layers.GRU is v1.layers.GRU\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True, capture_output=True,
                   env={**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"})


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
    pad_line, pad_url, _ = source_line(
        "keras.src.backend.tensorflow.rnn", r"full_bias = tf\.concat\(\(tf\.zeros_like\(bias\), bias\)")
    _, _, orders = source_line(
        "keras.src.backend.tensorflow.rnn",
        r"canonical format is \[(\w), (\w), (\w)\], whereas cuDNN is \[(\w), (\w), (\w)\]")
    assert orders.groups()[:3] == keras_order
    assert orders.groups()[3:] == order[:2] + ("h",) and order[2] == "n"  # n is Keras' h
    swap_line, swap_url, _ = source_line(
        "keras.src.backend.tensorflow.rnn",
        r"weights\[0\], weights\[1\] = weights\[1\], weights\[0\]")
    # Keras' PyTorch backend hands a GRU to torch's own kernel: transposed, reordered.
    torch_line, torch_url, torch_match = source_line(
        "keras.src.backend.torch.rnn", r"weight_ih = torch\.cat\(\[(\w)_k, (\w)_k, (\w)_k\], dim=1\)\.T")
    assert torch_match.groups() == order[:2] + ("h",)
    legacy_keras_is_tf_keras_v1()

    counts = cudnn_biases.counts
    assert cudnn_biases.bidirectional_extra == {
        "CuDNNLSTM": 2 * (counts["CuDNNLSTM"] - counts["LSTM"]),
        "CuDNNGRU": 2 * (counts["CuDNNGRU"] - counts["GRU"]),
    }
    units = cudnn_biases.units
    fold = gru_b_hn.max_error
    state_shape = tuple(batch_first.h_n.shape)
    output_shape = tuple(batch_first.output.shape)
    axes = {"num_layers": batch_first.num_layers, "batch": batch_first.batch,
            "hidden_size": batch_first.hidden_size, "T": batch_first.timesteps}
    assert len(set(axes.values())) == len(axes)  # distinct sizes: each axis found by its length
    name_of = {size: name for name, size in axes.items()}
    return {
        "gru_gate_order": ", ".join(order),
        "lstm_gate_order": ", ".join(lstm_order),
        "keras_gru_gate_order": ", ".join(keras_order),
        "names_table": checked_names_table(),
        "suffix_table": suffix_table(),
        "n_deep_parameters": len(names.deep_shapes),
        "gru_equations": checked_gru_equations(order),
        "n_gru_wrong_orders": len(gru_gate_order.max_error) - 1,
        "gru_proven_error": f"{gru_gate_order.max_error[''.join(order)]:.1e}",
        "gru_smallest_wrong_error": f"{min(e for o, e in gru_gate_order.max_error.items() if o != ''.join(order)):.2f}",
        "fold_r_error": f"{fold['r']:.1e}",
        "fold_z_error": f"{fold['z']:.1e}",
        "fold_n_error": f"{fold['n']:.2f}",
        "output_layout": code("(" + ", ".join(name_of[s] for s in output_shape) + ")"),
        "state_layout": code("(" + ", ".join(name_of[s] for s in state_shape) + ")"),
        "state_error": code(batch_first.state_error),
        "batch_first_docstring": batch_first.batch_first_says,
        "forget_rows": code(f"bias_ih_l0[{forget_rows}]"),
        "forget_block": forget,
        "cudnn_counts_table": markdown_table(
            ["layer", f"count, {units} units on {cudnn_biases.input_dim} features", "`bias` shape"],
            [[code(name), str(count), code(shape_text(cudnn_biases.bias_shapes[name]))]
             for name, count in counts.items()],
        ),
        "cudnn_lstm_extra": counts["CuDNNLSTM"] - counts["LSTM"],
        "cudnn_gru_extra": counts["CuDNNGRU"] - counts["GRU"],
        "cudnn_units": units,
        "keras_pad_line": code(pad_line),
        "keras_pad_url": pad_url,
        "keras_swap_line": code(swap_line),
        "keras_swap_url": swap_url,
        "cudnn_gru_order": ", ".join(orders.groups()[3:]),
        "keras_torch_line": code(torch_line),
        "keras_torch_url": torch_url,
    }
