"""Keras on the PyTorch backend stores a GRU as on TensorFlow: same arrays, same numbers."""
import inspect
import json
import os
import subprocess
import sys

import numpy as np


# --8<-- [start:run]
def gru_run():
    """A GRU with seeded weights and inputs, on the backend Keras uses."""
    import keras
    import numpy as np

    rng = np.random.default_rng(0)
    gru = keras.layers.GRU(units=5, return_sequences=True)
    gru.build((None, None, 4))
    gru.set_weights([rng.normal(size=weight.shape) for weight in gru.weights])
    all_h = gru(rng.normal(size=(3, 6, 4)).astype("float32"))
    found = {
        "backend": keras.backend.backend(),
        "weights": [[w.name, list(w.shape)] for w in gru.weights],
        "count_params": gru.count_params(),
        "all_h": keras.ops.convert_to_numpy(all_h).tolist(),
    }
    if found["backend"] == "torch":  # the layer is a torch.nn.Module too
        found["torch_bases"] = [
            f"{c.__module__}.{c.__qualname__}"
            for c in type(gru).__mro__ if c.__module__.startswith("torch.")
        ]
        found["parameters"] = [
            [name, p.numel(), p.requires_grad]
            for name, p in gru.named_parameters()
        ]
    return found


on_tensorflow = gru_run()
child = "\n".join([
    "import json", inspect.getsource(gru_run), "print(json.dumps(gru_run()))"
])
result = subprocess.run(
    [sys.executable, "-c", child], env={**os.environ, "KERAS_BACKEND": "torch"},
    capture_output=True, text=True, check=True,
)
on_torch = json.loads(result.stdout.splitlines()[-1])
# --8<-- [end:run]

# --8<-- [start:compare]
backends = (on_tensorflow["backend"], on_torch["backend"])
assert backends == ("tensorflow", "torch")
assert on_torch["weights"] == on_tensorflow["weights"]
np.testing.assert_allclose(on_torch["all_h"], on_tensorflow["all_h"], atol=1e-6)
# --8<-- [end:compare]
assert on_torch["weights"] == [
    ["kernel", [4, 15]], ["recurrent_kernel", [5, 15]], ["bias", [2, 15]]
]

# --8<-- [start:named_parameters]
torch_names = [name for name, _numel, _trained in on_torch["parameters"]]
torch_numel = sum(numel for _name, numel, _trained in on_torch["parameters"])
trained_numel = sum(n for _, n, trained in on_torch["parameters"] if trained)
assert torch_numel == on_torch["count_params"] + 2  # a seed state, not a weight
assert torch_names[-1].endswith("seed_generator_state")
assert trained_numel == on_torch["count_params"]
# --8<-- [end:named_parameters]
assert on_torch["count_params"] == on_tensorflow["count_params"] == 165
