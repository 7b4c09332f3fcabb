"""Stacked recurrent layers: which arrays belong to which layer, in Keras and in
PyTorch; keras.layers.RNN([cell, cell]) is the same stack in one layer, its arrays in
the same order."""
import re

import keras
import numpy as np
import torch

input_dim, first_units, second_units = 4, 8, 3

# --8<-- [start:keras]
model = keras.Sequential([
    keras.Input(shape=(None, input_dim)),
    keras.layers.LSTM(units=first_units, return_sequences=True, name="first"),
    keras.layers.LSTM(units=second_units, name="second"),
], name="stacked")
owners = [(weight.path, tuple(weight.shape)) for weight in model.weights]
# --8<-- [end:keras]
assert owners == [
    ("stacked/first/lstm_cell/kernel", (4, 32)),
    ("stacked/first/lstm_cell/recurrent_kernel", (8, 32)),
    ("stacked/first/lstm_cell/bias", (32,)),
    ("stacked/second/lstm_cell/kernel", (8, 12)),  # the first layer's units
    ("stacked/second/lstm_cell/recurrent_kernel", (3, 12)),
    ("stacked/second/lstm_cell/bias", (12,)),
]
keras_shapes = [tuple(array.shape) for array in model.get_weights()]
assert keras_shapes == [shape for _path, shape in owners]  # the same order

# --8<-- [start:needs_sequences]
try:
    keras.Sequential([
        keras.Input(shape=(None, input_dim)),
        keras.layers.LSTM(units=first_units, name="first"),  # return_sequences=False
        keras.layers.LSTM(units=second_units, name="second"),
    ])
except ValueError as error:
    stack_error = str(error)
assert "expected ndim=3, found ndim=2" in stack_error  # no timesteps to read
# --8<-- [end:needs_sequences]

# --8<-- [start:pytorch]
stacked = torch.nn.LSTM(
    input_size=input_dim, hidden_size=first_units, num_layers=2
)
torch_owners = [(n, tuple(p.shape)) for n, p in stacked.named_parameters()]
# --8<-- [end:pytorch]
assert torch_owners == [
    ("weight_ih_l0", (32, 4)),
    ("weight_hh_l0", (32, 8)),
    ("bias_ih_l0", (32,)),
    ("bias_hh_l0", (32,)),
    ("weight_ih_l1", (32, 8)),  # columns: layer 0's hidden_size
    ("weight_hh_l1", (32, 8)),
    ("bias_ih_l1", (32,)),
    ("bias_hh_l1", (32,)),
]

# --8<-- [start:cells]
stacked_cells = keras.layers.RNN(
    [keras.layers.LSTMCell(first_units, name="first_cell"),
     keras.layers.LSTMCell(second_units, name="second_cell")],
    name="stacked_cells",
)
stacked_cells.build((None, None, input_dim))
cell_owners = [(w.path, tuple(w.shape)) for w in stacked_cells.weights]
stacked_cells.set_weights(model.get_weights())  # the same arrays, in the same order
inputs = np.random.default_rng(0).normal(size=(2, 6, input_dim)).astype("float32")
np.testing.assert_allclose(stacked_cells(inputs), model(inputs), atol=1e-6)
# --8<-- [end:cells]
# Keras numbers a second auto-named StackedRNNCells in one process (stacked_rnn_cells_1).
assert [(re.sub(r"stacked_rnn_cells_\d+", "stacked_rnn_cells", path), shape)
        for path, shape in cell_owners] == [
    ("stacked_cells/stacked_rnn_cells/first_cell/kernel", (4, 32)),
    ("stacked_cells/stacked_rnn_cells/first_cell/recurrent_kernel", (8, 32)),
    ("stacked_cells/stacked_rnn_cells/first_cell/bias", (32,)),
    ("stacked_cells/stacked_rnn_cells/second_cell/kernel", (8, 12)),  # first's units
    ("stacked_cells/stacked_rnn_cells/second_cell/recurrent_kernel", (3, 12)),
    ("stacked_cells/stacked_rnn_cells/second_cell/bias", (12,)),
]
assert [shape for _, shape in cell_owners] == [shape for _, shape in owners]
assert type(stacked_cells.cell) is keras.layers.StackedRNNCells
