"""The model readers bring: an LSTM of 120 units (activation="relu") on 5 features, then
three Dense layers."""
import keras

# --8<-- [start:model]
keras.utils.set_random_seed(0)
model = keras.Sequential(
    [
        keras.Input(shape=(None, 5)),  # (timesteps, features); None: any length
        keras.layers.LSTM(units=120, activation="relu", name="lstm"),
        keras.layers.Dense(units=100, activation="relu"),
        keras.layers.Dense(units=50, activation="relu"),
        keras.layers.Dense(units=1),
    ]
)
weights = model.get_weights()
# --8<-- [end:model]
# --8<-- [start:shapes]
shapes = [w.shape for w in weights]
assert shapes == [
    (5, 480), (120, 480), (480,),    # LSTM: kernel, recurrent_kernel, bias
    (120, 100), (100,),              # Dense(100): kernel, bias
    (100, 50), (50,),                # Dense(50)
    (50, 1), (1,),                   # Dense(1)
]
# --8<-- [end:shapes]

lstm = model.layers[0]
kernel, recurrent_kernel, bias = lstm.get_weights()
units, input_dim = lstm.units, kernel.shape[0]
