"""Keras 3 declares the input with keras.Input(shape=(timesteps, features))."""
import keras

look_back = 3
# --8<-- [start:keras3]
model = keras.Sequential(
    [
        keras.Input(shape=(look_back, 1)),  # look_back timesteps of 1 feature
        keras.layers.LSTM(units=1),
    ]
)
# --8<-- [end:keras3]
kernel, recurrent_kernel, bias = model.layers[0].get_weights()
assert kernel.shape == (1, 4) and model.output_shape == (None, 1)

# --8<-- [start:swapped]
swapped = keras.Sequential(
    [
        keras.Input(shape=(1, look_back)),  # 1 timestep of look_back features
        keras.layers.LSTM(units=1),
    ]
)
# --8<-- [end:swapped]
kernel, recurrent_kernel, bias = swapped.layers[0].get_weights()
assert kernel.shape == (look_back, 4)
