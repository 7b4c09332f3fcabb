"""use_cudnn: what a machine without a GPU can check about Keras' cuDNN path, on each
backend that has one."""
import ast
import importlib
import re
from pathlib import Path
from unittest import mock

import keras
import numpy as np
import tensorflow as tf

has_gpu = bool(tf.config.list_logical_devices("GPU"))
rng = np.random.default_rng(0)
inputs = rng.normal(size=(2, 5, 3)).astype("float32")


# --8<-- [start:forced]
def cudnn_refusal(layer_class, **options):
    """The error a layer forced onto cuDNN raises when called, or None."""
    try:
        layer_class(4, use_cudnn=True, **options)(inputs)
    except ValueError as error:
        # Keras prints the message in bold, among the call's arguments.
        return re.search("\x1b\\[1m(.*)\x1b\\[0m", str(error), re.DOTALL)[1]
    return None


LSTM, GRU = keras.layers.LSTM, keras.layers.GRU
refused = {
    "activation": cudnn_refusal(LSTM, activation="relu"),
    "recurrent_dropout": cudnn_refusal(LSTM, recurrent_dropout=0.2),
    "reset_after": cudnn_refusal(GRU, reset_after=False),
}
refusal = "use_cudnn=True was specified, but cuDNN is not supported"
assert all(message.startswith(refusal) for message in refused.values())
# --8<-- [end:forced]

# --8<-- [start:default]
default_refusal = cudnn_refusal(LSTM)  # tanh, sigmoid, no recurrent_dropout
assert (default_refusal is None) == has_gpu  # refused only for want of a GPU
# --8<-- [end:default]

# --8<-- [start:auto]
auto = LSTM(4, activation="relu")  # use_cudnn="auto", the default
auto_output = auto(inputs)  # no error, no warning: the generic loop, silently
generic = LSTM(4, activation="relu", use_cudnn=False)
generic.build(inputs.shape)
generic.set_weights(auto.get_weights())
np.testing.assert_allclose(auto_output, generic(inputs), atol=1e-6)
# --8<-- [end:auto]

# --8<-- [start:backends]
backend_sources = Path(keras.__file__).parent / "src" / "backend"
cudnn_ok_source = {}  # each backend's own cuDNN check, as source text
for rnn_file in sorted(backend_sources.glob("*/rnn.py")):
    (check,) = [node for node in ast.parse(rnn_file.read_text()).body
                if isinstance(node, ast.FunctionDef) and node.name == "cudnn_ok"]
    cudnn_ok_source[rnn_file.parent.name] = ast.unparse(check)
with_cudnn = [backend for backend, source in cudnn_ok_source.items()
              if not source.endswith("return False")]
assert with_cudnn == ["jax", "tensorflow", "torch"]
jax_check = cudnn_ok_source["jax"]  # JAX is not installed here: read, not run
for condition in ("tanh", "sigmoid", "not unroll", "use_bias", "_is_gpu_available()"):
    assert condition in jax_check, condition
# --8<-- [end:backends]

# --8<-- [start:arguments]
changes = {"activation": "relu", "recurrent_activation": "hard_sigmoid",
           "unroll": True, "use_bias": False}
gpu_checks = {"tensorflow": "_is_gpu_available", "torch": "_is_cuda_cudnn_available"}
accepted = {}
for backend, gpu_check in gpu_checks.items():
    rnn = importlib.import_module(f"keras.src.backend.{backend}.rnn")
    with mock.patch.object(rnn, gpu_check, return_value=True):  # as if on a GPU
        for changed, value in [(None, None), *changes.items()]:
            layer = LSTM(4, **({changed: value} if changed else {}))
            accepted[backend, changed] = rnn.cudnn_ok(
                layer.cell.activation, layer.cell.recurrent_activation,
                layer.unroll, layer.cell.use_bias)
assert accepted == {key: key[1] is None for key in accepted}  # only the defaults
# --8<-- [end:arguments]
