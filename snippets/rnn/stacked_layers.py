"""Stacked recurrent layers: which arrays belong to which layer, in Keras and in PyTorch."""
import keras
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
