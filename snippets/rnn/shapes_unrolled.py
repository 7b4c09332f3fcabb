"""An LSTM unrolled by hand: the layer's one cell called once per timestep."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
look_back, features, units = 3, 1, 4

# --8<-- [start:unrolled]
inputs = keras.Input(shape=(look_back, features))  # 3 timesteps of 1 feature
h_0, c_0 = keras.Input(shape=(units,)), keras.Input(shape=(units,))
lstm = keras.layers.LSTM(units, return_sequences=True, return_state=True)
all_h, last_h, last_c = lstm(inputs, initial_state=[h_0, c_0])
by_layer = keras.Model([inputs, h_0, c_0], [all_h, last_h, last_c])

h, c, steps = h_0, c_0, []
for t in range(look_back):
    x_t = inputs[:, t]  # timestep t of every sequence in the batch
    h, (h, c) = lstm.cell(x_t, [h, c])  # the one cell: same weights each step
    steps.append({"x_t": x_t, "h_t": h, "c_t": c})
every_h = keras.ops.stack([step["h_t"] for step in steps], axis=1)
by_hand = keras.Model([inputs, h_0, c_0], [every_h, h, c])
# --8<-- [end:unrolled]

# --8<-- [start:same]
rng = np.random.default_rng(0)
batch = [rng.normal(size=(2, look_back, features)),  # inputs, h_0, c_0
         rng.normal(size=(2, units)), rng.normal(size=(2, units))]
for ours, theirs in zip(by_hand.predict_on_batch(batch),
                        by_layer.predict_on_batch(batch)):
    np.testing.assert_allclose(ours, theirs, atol=1e-6)
# --8<-- [end:same]

# The two models the figure draws: the same LSTM, without and with return_sequences.
last_only = keras.Sequential(
    [keras.Input(shape=(look_back, features)), keras.layers.LSTM(units)])
every_step = keras.Sequential(
    [keras.Input(shape=(look_back, features)),
     keras.layers.LSTM(units, return_sequences=True)])
assert last_only.output_shape == tuple(last_h.shape) == (None, units)
assert every_step.output_shape == tuple(all_h.shape) == (None, look_back, units)
assert all(tuple(step["x_t"].shape) == (None, features) for step in steps)
assert all(tuple(step[name].shape) == (None, units)
           for step in steps for name in ("h_t", "c_t"))
shapes = {
    "inputs": tuple(inputs.shape),
    "x_t": [tuple(step["x_t"].shape) for step in steps],
    "h_t": [tuple(step["h_t"].shape) for step in steps],
    "c_t": [tuple(step["c_t"].shape) for step in steps],
    "initial": (tuple(h_0.shape), tuple(c_0.shape)),
    "output": {False: last_only.output_shape, True: every_step.output_shape},
}
