"""merge_mode decides the output's width: 2 * units for "concat", units for the
others."""
import keras
import numpy as np

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
units, input_dim = 3, 4
inputs = rng.normal(size=(2, 6, input_dim)).astype("float32")

# --8<-- [start:widths]
separate = keras.layers.Bidirectional(
    keras.layers.LSTM(units=units), merge_mode=None
)
forward, backward = (np.asarray(output) for output in separate(inputs))
merged = {}
for merge_mode in ("concat", "sum", "mul", "ave"):
    layer = keras.layers.Bidirectional(
        keras.layers.LSTM(units=units), merge_mode=merge_mode
    )
    layer.build((None, None, input_dim))
    layer.set_weights(separate.get_weights())
    merged[merge_mode] = np.asarray(layer(inputs))
widths = {mode: output.shape[-1] for mode, output in merged.items()}
# --8<-- [end:widths]
assert widths == {"concat": 2 * units, "sum": units, "mul": units, "ave": units}
assert widths == {"concat": 6, "sum": 3, "mul": 3, "ave": 3}
assert forward.shape[-1] == backward.shape[-1] == units

# --8<-- [start:merges]
side_by_side = np.concatenate([forward, backward], axis=-1)
np.testing.assert_allclose(merged["concat"], side_by_side, atol=1e-6)
np.testing.assert_allclose(merged["sum"], forward + backward, atol=1e-6)
np.testing.assert_allclose(merged["mul"], forward * backward, atol=1e-6)
np.testing.assert_allclose(merged["ave"], (forward + backward) / 2, atol=1e-6)
# --8<-- [end:merges]
