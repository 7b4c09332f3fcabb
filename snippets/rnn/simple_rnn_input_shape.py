"""A recurrent layer's count depends on the features (the last entry of the input shape) and on
units, never on timesteps; Keras 3 reads input_dim=5 as an input shape (5,)."""
import warnings

import keras
import tf_keras

units = 3

# --8<-- [start:shape]
counts = {}
for shape in [(10, 5), (200, 5), (None, 5), (5, 10)]:  # (timesteps, features)
    model = keras.Sequential(
        [keras.Input(shape=shape), keras.layers.SimpleRNN(units)]
    )
    counts[shape] = model.count_params()
assert counts[(10, 5)] == counts[(200, 5)] == counts[(None, 5)]  # timesteps
assert counts[(5, 10)] != counts[(10, 5)]  # swapped: 10 features
# --8<-- [end:shape]
assert counts == {(10, 5): 27, (200, 5): 27, (None, 5): 27, (5, 10): 42}

# --8<-- [start:input_dim]
keras2 = tf_keras.Sequential([tf_keras.layers.SimpleRNN(units, input_dim=5)])
assert keras2.input_shape == (None, None, 5)  # Keras 2: the features
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        layer = keras.layers.SimpleRNN(units, input_dim=5, name="rnn")
        keras.Sequential([layer])
    except ValueError as error:
        keras3_error = str(error)
warning = str(caught[0].message)
assert "Do not pass an `input_shape`/`input_dim` argument" in warning
assert keras3_error.endswith(
    "expected ndim=3, found ndim=2. Full shape received: (None, 5)"
)
# --8<-- [end:input_dim]
assert keras2.count_params() == counts[(None, 5)]
