"""Old answers under Keras 2 (the tf_keras package) and Keras 3: what each does today."""
import warnings

import keras
import numpy as np
import tf_keras


# --8<-- [start:outcome]
def outcome(call):
    """("ran", ""), ("warned", message) or (error class, message)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call()
        except (AttributeError, TypeError, ValueError) as error:
            return type(error).__name__, str(error)
    warned = [str(w.message) for w in caught if w.category is UserWarning]
    return ("warned", warned[0]) if warned else ("ran", "")


def old_answers(library):
    """The old answers' calls, written against `library`: keras or tf_keras."""
    layers, x, y = library.layers, np.zeros((4, 5, 3)), np.zeros((4, 1))

    def stateful_model():
        model = library.Sequential([
            library.Input(batch_shape=(2, 5, 3)),
            layers.LSTM(4, stateful=True),
            layers.Dense(1),
        ])
        model.compile(optimizer="sgd", loss="mse")
        return model

    return {
        "batch_input_shape": lambda: layers.LSTM(
            4, stateful=True, batch_input_shape=(2, 5, 3)),
        "nb_epoch": lambda: stateful_model().fit(
            x, y, batch_size=2, nb_epoch=1, verbose=0),
        "input_dim": lambda: library.Sequential(
            [layers.LSTM(4, input_dim=3, name="lstm")]),
        "input_length": lambda: layers.LSTM(4, input_length=5),
        "model.reset_states()": lambda: stateful_model().reset_states(),
    }


outcomes = {
    generation: {name: outcome(call)
                 for name, call in old_answers(library).items()}
    for generation, library in (("Keras 2", tf_keras), ("Keras 3", keras))
}
# --8<-- [end:outcome]
assert outcomes["Keras 2"] == {
    "batch_input_shape": ("ran", ""),
    "nb_epoch": ("TypeError", "Model.fit() got an unexpected keyword argument 'nb_epoch'"),
    "input_dim": ("ran", ""),
    "input_length": ("ran", ""),
    "model.reset_states()": ("ran", ""),
}
assert outcomes["Keras 3"] == {
    "batch_input_shape": (
        "ValueError",
        "Unrecognized keyword arguments passed to LSTM: {'batch_input_shape': (2, 5, 3)}"),
    "nb_epoch": (
        "TypeError", "TensorFlowTrainer.fit() got an unexpected keyword argument 'nb_epoch'"),
    "input_dim": (
        "ValueError",
        "Input 0 with name 'None' of layer 'lstm' is incompatible with the layer: expected "
        "ndim=3, found ndim=2. Full shape received: (None, 3)"),
    "input_length": (
        "ValueError", "Unrecognized keyword arguments passed to LSTM: {'input_length': 5}"),
    "model.reset_states()": (
        "AttributeError", "'Sequential' object has no attribute 'reset_states'"),
}

# --8<-- [start:input_dim]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    layer = keras.layers.LSTM(32, input_dim=3)  # made, with a warning
    try:
        keras.Sequential([layer])  # used as the first layer: (3,) is the whole shape
    except ValueError as error:
        input_dim_error = str(error)
input_dim_warning = str(caught[0].message)
assert input_dim_error.endswith(
    "expected ndim=3, found ndim=2. Full shape received: (None, 3)"
)
fixed = keras.Sequential([keras.Input(shape=(None, 3)), keras.layers.LSTM(32)])
assert fixed.input_shape == (None, None, 3) and fixed.output_shape == (None, 32)
# --8<-- [end:input_dim]
assert input_dim_warning.startswith("Do not pass an `input_shape`/`input_dim` argument")
