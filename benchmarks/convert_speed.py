"""What converting costs: a 38M-parameter bidirectional LSTM stack, Keras to PyTorch and back.

Each direction is measured against the plain copy of the same arrays in the same run
(`load_state_dict` into a built `nn.LSTM`, `set_weights` on built Keras layers), so the
ratio says how much the converter adds to copying, on whatever machine runs it: its
checks, its plan, building the target layers. The target (issue 21) is under 2 s each way
on the project's two-core machine. `make bench` runs it; nothing asserts times, but the
converted layers are checked against the originals once, so a fast wrong conversion does
not pass as a result.
"""
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402  (after the log level)
import numpy as np  # noqa: E402
import torch  # noqa: E402

import weightatlas  # noqa: E402

REPEATS = 5
# Two bidirectional layers: 12.6M + 25.2M parameters in PyTorch's count.
FEATURES, UNITS, LAYERS = 512, 1024, 2
TOLERANCE = 1e-5  # float32 over a few steps agrees to ~1e-6


def keras_stack() -> list[keras.layers.Layer]:
    """The Keras layers, built (their initial values are what gets converted)."""
    inputs = keras.Input((None, FEATURES))
    outputs, layers = inputs, []
    for _ in range(LAYERS):
        layer = keras.layers.Bidirectional(keras.layers.LSTM(UNITS, return_sequences=True))
        outputs = layer(outputs)
        layers.append(layer)
    return layers


def keras_model(layers: list[keras.layers.Layer]) -> keras.Model:
    inputs = keras.Input((None, FEATURES))
    outputs = inputs
    for layer in layers:
        outputs = layer(outputs)
    return keras.Model(inputs, outputs)


def torch_stack() -> torch.nn.LSTM:
    return torch.nn.LSTM(FEATURES, UNITS, num_layers=LAYERS, bidirectional=True, batch_first=True)


def parameters(module: torch.nn.Module) -> int:
    return sum(parameter.numel() for parameter in module.parameters())


def median_seconds(run) -> float:
    """The median wall time of REPEATS calls (the first call, which warms caches, included)."""
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def keras_outputs(layers, x: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(keras_model(layers)(x))


def torch_outputs(module: torch.nn.LSTM, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return module(torch.from_numpy(x))[0].numpy()


def check_same(keras_layers, module: torch.nn.LSTM, what: str) -> None:
    x = np.random.default_rng(0).standard_normal((1, 3, FEATURES)).astype(np.float32)
    error = float(np.max(np.abs(keras_outputs(keras_layers, x) - torch_outputs(module, x))))
    if error > TOLERANCE:
        sys.exit(f"{what}: outputs differ by {error:.2e} (> {TOLERANCE}): the timing means nothing")


def main() -> None:
    torch.manual_seed(0)
    keras.utils.set_random_seed(0)
    layers = keras_stack()
    converted = weightatlas.keras_to_torch(layers)
    check_same(layers, converted, "keras_to_torch")
    count = parameters(converted)
    state = {name: tensor.clone() for name, tensor in converted.state_dict().items()}
    target = torch_stack()
    to_torch = median_seconds(lambda: weightatlas.keras_to_torch(layers))
    plain_torch = median_seconds(lambda: target.load_state_dict(state))

    module = torch_stack()
    back = weightatlas.torch_to_keras(module)
    back_layers = back if isinstance(back, (list, tuple)) else [back]
    check_same(back_layers, module, "torch_to_keras")
    arrays = [layer.get_weights() for layer in layers]
    to_keras = median_seconds(lambda: weightatlas.torch_to_keras(module))
    plain_keras = median_seconds(lambda: [layer.set_weights(w) for layer, w in zip(layers, arrays)])

    print(f"{count / 1e6:.1f}M parameters, {LAYERS} bidirectional LSTM layers of {UNITS} units; "
          f"median of {REPEATS} runs, {keras.backend.backend()} backend, "
          f"{torch.get_num_threads()} torch threads")
    for name, seconds, plain, plain_name in [
        ("keras_to_torch", to_torch, plain_torch, "load_state_dict"),
        ("torch_to_keras", to_keras, plain_keras, "set_weights"),
    ]:
        print(f"{name}: {seconds:.2f} s, {seconds / plain:.1f} x a plain {plain_name} "
              f"({plain:.3f} s) of the same arrays")


if __name__ == "__main__":
    main()
