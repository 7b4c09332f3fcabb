"""Which activations PyTorch's recurrent layers compute, and which Keras layers
keras_to_torch therefore converts: tried with every activation Keras names."""
import keras
import torch

from weightatlas import keras_to_torch

# --8<-- [start:every_activation]
not_activations = ("get", "serialize", "deserialize")
names = sorted(name for name in dir(keras.activations)
               if not name.startswith("_") and name not in not_activations)
torch_rnn_takes = []
for name in names:
    try:
        torch.nn.RNN(input_size=3, hidden_size=2, nonlinearity=name)
        torch_rnn_takes.append(name)
    except ValueError:  # "Unknown nonlinearity ..."
        pass
assert torch_rnn_takes == ["relu", "tanh"]
for module in (torch.nn.LSTM, torch.nn.GRU):  # no argument for an activation
    try:
        module(input_size=3, hidden_size=2, nonlinearity="tanh")
        raise AssertionError(f"{module.__name__} takes nonlinearity=")
    except TypeError as error:
        assert "unexpected keyword argument 'nonlinearity'" in str(error)

converted = []
for layer_class in (keras.layers.SimpleRNN, keras.layers.LSTM, keras.layers.GRU):
    arguments = ["activation"]
    if layer_class is not keras.layers.SimpleRNN:
        arguments.append("recurrent_activation")
    for argument in arguments:
        for name in names:
            layer = layer_class(units=2, **{argument: name})
            layer.build((None, None, 3))
            try:
                keras_to_torch(layer)
                converted.append((layer_class.__name__, argument, name))
            except ValueError:  # "... cannot be converted: ..."
                pass
assert converted == [
    ("SimpleRNN", "activation", "relu"), ("SimpleRNN", "activation", "tanh"),
    ("LSTM", "activation", "tanh"), ("LSTM", "recurrent_activation", "sigmoid"),
    ("GRU", "activation", "tanh"), ("GRU", "recurrent_activation", "sigmoid"),
]
# --8<-- [end:every_activation]
n_activations = len(names)
