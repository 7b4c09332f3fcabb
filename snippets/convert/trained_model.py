"""A small Keras GRU model, trained a few steps, converted to PyTorch: same predictions."""
import keras
import numpy as np
import torch

from weightatlas import keras_to_torch, torch_to_keras

# --8<-- [start:train]
def trained_model(seed):
    """A small GRU model trained on a synthetic task, and its loss after each epoch."""
    keras.utils.set_random_seed(seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(64, 10, 3)).astype("float32")  # (samples, timesteps, features)
    y = 0.3 * x[:, :, 0].sum(axis=1) - x[:, -3:, 1].mean(axis=1)
    model = keras.Sequential([
        keras.Input(shape=(None, 3)),
        keras.layers.GRU(units=8, return_sequences=True),
        keras.layers.GRU(units=8),
        keras.layers.Dense(units=1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.02), loss="mse")
    history = model.fit(x, y[:, None], epochs=5, batch_size=16, verbose=0)
    return model, history.history["loss"]


model, losses = trained_model(seed=0)
# --8<-- [end:train]
assert losses[-1] < losses[0] / 2  # it learned: its weights have moved from their start


# --8<-- [start:convert]
class TorchModel(torch.nn.Module):
    def __init__(self, keras_model):
        super().__init__()
        *recurrent_layers, dense = keras_model.layers
        self.gru = keras_to_torch(recurrent_layers)  # nn.GRU(3, 8, num_layers=2, ...)
        self.dense = keras_to_torch(dense)  # on its own: nn.Linear(8, 1)

    def forward(self, x):
        output, h_n = self.gru(x)
        return self.dense(output[:, -1])  # GRU(units=8) returns the last step only


torch_model = TorchModel(model).eval()
# --8<-- [end:convert]

# --8<-- [start:compare]
rng = np.random.default_rng(100)
x_new = rng.normal(size=(16, 25, 3)).astype("float32")  # new data, longer sequences
keras_predictions = np.asarray(model(x_new))
with torch.no_grad():
    torch_predictions = torch_model(torch.from_numpy(x_new)).numpy()
np.testing.assert_allclose(torch_predictions, keras_predictions, atol=1e-5)
largest_difference = float(np.abs(torch_predictions - keras_predictions).max())
# --8<-- [end:compare]
assert largest_difference < 1e-5 and keras_predictions.shape == (16, 1)

# --8<-- [start:back]
keras_again = keras.Sequential([
    keras.Input(shape=(None, 3)),
    *torch_to_keras(torch_model.gru, return_sequences=False),
    *torch_to_keras(torch_model.dense),
])
for original, round_trip in zip(model.get_weights(), keras_again.get_weights()):
    np.testing.assert_array_equal(round_trip, original)  # bit for bit
# --8<-- [end:back]
prediction_scale = float(np.abs(keras_predictions).max())
assert prediction_scale > 0.1
