"""After model.fit, the trained LSTM weights are model.layers[0].get_weights(), in plain NumPy."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)

# --8<-- [start:model]
model = keras.Sequential(
    [
        keras.Input(shape=(None, 5)),
        keras.layers.LSTM(units=120, activation="relu", name="lstm"),
        keras.layers.Dense(units=100, activation="relu"),
        keras.layers.Dense(units=50, activation="relu"),
        keras.layers.Dense(units=1),
    ]
)
# --8<-- [end:model]
initial_weights = model.get_layer("lstm").get_weights()
x = rng.normal(size=(64, 10, 5)).astype("float32")  # (samples, timesteps, features)
y = x.sum(axis=(1, 2))[:, None]

# --8<-- [start:train]
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, batch_size=32, verbose=0)
kernel, recurrent_kernel, bias = model.layers[0].get_weights()
# --8<-- [end:train]
layer_names = [layer.name for layer in model.layers]
assert layer_names[0] == "lstm" and model.layers[0] is model.get_layer("lstm")
shapes = [weight.shape for weight in (kernel, recurrent_kernel, bias)]
assert shapes == [(5, 480), (120, 480), (480,)]

# --8<-- [start:by_name]
by_name = model.get_layer("lstm").get_weights()
for by_index, named in zip((kernel, recurrent_kernel, bias), by_name):
    np.testing.assert_array_equal(by_index, named)
# --8<-- [end:by_name]
changed = [not np.array_equal(before, after) for before, after in zip(initial_weights, by_name)]
assert changed == [True, True, True]
