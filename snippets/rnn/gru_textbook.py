"""The textbook GRU (Cho et al. 2014, a bias per gate) is Keras' reset_after=False
layer, not the default; in Keras, PyTorch and Cho et al. z keeps the old state, in
Chung et al. 2014 and colah's post it lets the candidate in."""
import keras
import numpy as np
import torch

from snippets.convert.recurrent import keras_to_torch

batch, timesteps, input_dim, units = 3, 6, 4, 5
SEEDS = range(5)


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


# --8<-- [start:numpy]
def numpy_gru(inputs, W, U, b, reset_after=False, z_keeps_old=True):
    h = np.zeros((inputs.shape[0], units))
    all_h = []
    for x in inputs.transpose(1, 0, 2):
        z = sigmoid(x @ W["z"] + h @ U["z"] + b["z"])
        r = sigmoid(x @ W["r"] + h @ U["r"] + b["r"])
        if reset_after:  # Keras' default, nn.GRU: r multiplies h @ U
            h_tilde = np.tanh(x @ W["h"] + r * (h @ U["h"]) + b["h"])
        else:  # the textbook, Cho et al. 2014: r multiplies h, then U
            h_tilde = np.tanh(x @ W["h"] + (r * h) @ U["h"] + b["h"])
        if z_keeps_old:  # Cho et al. 2014
            h = z * h + (1 - z) * h_tilde
        else:  # Chung et al. 2014, colah's post
            h = (1 - z) * h + z * h_tilde
        all_h.append(h)
    return np.stack(all_h, axis=1)
# --8<-- [end:numpy]


# --8<-- [start:layers]
def layers(seed):
    """Random inputs and weights, one bias per gate; the layers that hold them."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, timesteps, input_dim)).astype("float32")
    W, U, b = ({gate: rng.normal(size=shape) for gate in "zrh"}  # Keras' order
               for shape in ((input_dim, units), (units, units), (units,)))
    kernel, recurrent_kernel, bias = (np.concatenate([d[g] for g in "zrh"], axis=-1)
                                      for d in (W, U, b))
    outputs = {}
    for reset_after in (False, True):
        gru = keras.layers.GRU(units, return_sequences=True, reset_after=reset_after)
        gru.build((None, None, input_dim))
        two_rows = np.stack([bias, np.zeros_like(bias)])  # nothing added to h @ U
        gru.set_weights([kernel, recurrent_kernel, two_rows if reset_after else bias])
        outputs[f"GRU(reset_after={reset_after})"] = np.asarray(gru(inputs))
    with torch.no_grad():  # the default layer, converted
        outputs["nn.GRU"] = keras_to_torch(gru)(torch.from_numpy(inputs))[0].numpy()
    return inputs, (W, U, b), outputs
# --8<-- [end:layers]


# --8<-- [start:compare]
FORMS = {"textbook": (False, True), "Chung": (False, False),
         "reset after": (True, True), "reset after, Chung": (True, False)}


def differences(seed):
    """{(form, layer): largest difference} for one seed's weights and inputs."""
    inputs, weights, outputs = layers(seed)
    return {
        (form, layer): float(np.abs(numpy_gru(inputs, *weights, *flags) - output).max())
        for form, flags in FORMS.items() for layer, output in outputs.items()
    }


by_seed = [differences(seed) for seed in SEEDS]
error = {key: [errors[key] for errors in by_seed] for key in by_seed[0]}
matches = sorted(key for key, errors in error.items() if max(errors) < 1e-6)
assert matches == [("reset after", "GRU(reset_after=True)"), ("reset after", "nn.GRU"),
                   ("textbook", "GRU(reset_after=False)")]
assert all(min(errors) > 1e-2 for key, errors in error.items() if key not in matches)
# --8<-- [end:compare]
