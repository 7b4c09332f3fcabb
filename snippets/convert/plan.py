"""The plan of a conversion: every array weightatlas moves, from where to where, and how.
The conversion applies exactly that plan."""
import keras
import numpy as np
import torch

from weightatlas import keras_to_torch, plan_for, torch_to_keras

keras.utils.set_random_seed(0)

# --8<-- [start:plan]
gru = keras.layers.GRU(units=2, name="gru")
gru.build((None, None, 3))  # (batch, timesteps, features)
plan = plan_for(gru)  # what keras_to_torch(gru) moves; nothing is moved yet
print(plan)  # a Markdown table: one row per array
# --8<-- [end:plan]
table = plan.to_markdown()
assert str(plan) == table

# --8<-- [start:applied]
torch_gru = keras_to_torch(gru)
keras_arrays = dict(zip([w.path for w in gru.weights], gru.get_weights()))
moved = plan.apply(keras_arrays)  # PyTorch's arrays, by state_dict key
state_dict = torch_gru.state_dict()
assert sorted(moved) == sorted(state_dict)  # every key, each once
for key, array in moved.items():
    np.testing.assert_array_equal(state_dict[key].numpy(), array)
# --8<-- [end:applied]
# torch_prefix="gru." gives the keys of a model that holds the module as self.gru.
holder = torch.nn.Module()
holder.gru = torch_gru
prefixed = plan_for(gru, torch_prefix="gru.")
assert sorted(row[1] for row in prefixed.rows()) == sorted(holder.state_dict())
# Each row's shapes are the arrays' own, on each side.
weights = {weight.path: tuple(weight.shape) for weight in gru.weights}
for keras_path, torch_key, keras_shape, torch_shape, _operation in plan.rows():
    assert weights[keras_path.split("[")[0]] == keras_shape
    assert tuple(state_dict[torch_key].shape) == torch_shape

# --8<-- [start:back]
torch_lstm = torch.nn.LSTM(input_size=3, hidden_size=2)
[keras_lstm] = torch_to_keras(torch_lstm)
back = plan_for(torch_lstm, keras_layers=[keras_lstm])  # PyTorch to Keras
# --8<-- [end:back]
assert back.direction == "torch_to_keras"
torch_arrays = {key: value.detach().numpy() for key, value in torch_lstm.state_dict().items()}
by_path = back.apply(torch_arrays)
assert sorted(by_path) == sorted(weight.path for weight in keras_lstm.weights)
for weight, array in zip(keras_lstm.weights, keras_lstm.get_weights()):
    np.testing.assert_array_equal(array, by_path[weight.path])
[bias_row] = [row for row in back.rows() if row[0].endswith("bias")]
assert bias_row[1] == "bias_ih_l0 + bias_hh_l0" and bias_row[4].startswith("sum")
