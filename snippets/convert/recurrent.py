"""Convert recurrent layers between Keras 3 and PyTorch 2, weights included.

    torch_module = keras_to_torch(keras_layer)  # or a list of layers: a stack
    keras_layers = torch_to_keras(torch_module)  # a list, one per PyTorch layer

SimpleRNN <-> nn.RNN, LSTM <-> nn.LSTM, GRU <-> nn.GRU, Bidirectional <->
bidirectional=True, a list of layers <-> num_layers, use_bias=False <-> bias=False.
Keras layers read (batch, timesteps, features); keras_to_torch makes modules with
batch_first=True unless told otherwise. keras_to_torch_arrays and torch_to_keras_arrays
convert the arrays of one direction of one layer. Dropout acts only in training and
is not carried over. What has no equivalent is refused with an error that says why and
what to do. Needs only Keras, PyTorch and NumPy; importing it converts a small GRU both
ways and checks that the outputs agree.
"""
import keras
import numpy as np
import torch

__all__ = [
    "keras_to_torch", "torch_to_keras", "keras_to_torch_arrays", "torch_to_keras_arrays"
]

KERAS_LAYERS = {
    "SimpleRNN": keras.layers.SimpleRNN,
    "LSTM": keras.layers.LSTM,
    "GRU": keras.layers.GRU,
}
KERAS_CELLS = {
    keras.layers.SimpleRNNCell: "SimpleRNN",
    keras.layers.LSTMCell: "LSTM",
    keras.layers.GRUCell: "GRU",
}
TORCH_MODULES = {"SimpleRNN": torch.nn.RNN, "LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}
TORCH_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

# --8<-- [start:rules]
# The gate blocks in storage order, each named by the Keras letter of its gate
# (PyTorch calls the LSTM's c g, and the GRU's h n).
KERAS_BLOCKS = {
    "SimpleRNN": ["h"], "LSTM": ["i", "f", "c", "o"], "GRU": ["z", "r", "h"],
}
TORCH_BLOCKS = {
    "SimpleRNN": ["h"], "LSTM": ["i", "f", "c", "o"], "GRU": ["r", "z", "h"],
}


def torch_rows(kind, units):
    """Row k of a PyTorch weight is column torch_rows(kind, units)[k] of Keras'."""
    blocks = [KERAS_BLOCKS[kind].index(gate) for gate in TORCH_BLOCKS[kind]]
    return np.concatenate([np.arange(b * units, (b + 1) * units) for b in blocks])


def keras_to_torch_arrays(kind, kernel, recurrent_kernel, bias=None):
    """Keras kernel, recurrent_kernel, bias -> PyTorch weight_ih, weight_hh, bias_ih,
    bias_hh: the three rules."""
    check_keras_shapes(kind, kernel, recurrent_kernel, bias)
    rows = torch_rows(kind, recurrent_kernel.shape[0])
    weight_ih, weight_hh = kernel[:, rows].T, recurrent_kernel[:, rows].T
    if bias is None:
        return weight_ih, weight_hh, None, None
    if kind == "GRU":  # row 0 is added to x @ kernel, row 1 to h @ recurrent_kernel
        return weight_ih, weight_hh, bias[0, rows], bias[1, rows]
    return weight_ih, weight_hh, bias[rows], np.zeros_like(bias)  # only the sum counts


def torch_to_keras_arrays(kind, weight_ih, weight_hh, bias_ih=None, bias_hh=None):
    """PyTorch weight_ih, weight_hh, bias_ih, bias_hh -> Keras [kernel,
    recurrent_kernel, bias]: the three rules undone."""
    check_torch_shapes(kind, weight_ih, weight_hh, bias_ih, bias_hh)
    columns = np.argsort(torch_rows(kind, weight_hh.shape[1]))  # undoes the reordering
    kernel, recurrent_kernel = weight_ih.T[:, columns], weight_hh.T[:, columns]
    if bias_ih is None:
        return [kernel, recurrent_kernel]
    if kind == "GRU":
        return [kernel, recurrent_kernel, np.stack([bias_ih, bias_hh])[:, columns]]
    return [kernel, recurrent_kernel, (bias_ih + bias_hh)[columns]]
# --8<-- [end:rules]


def keras_to_torch(layers, batch_first=True):
    """The torch.nn.RNN, LSTM or GRU that computes what the Keras `layers` compute.

    `layers`: a built SimpleRNN, LSTM or GRU, a Bidirectional of one, or a list of
    them, first layer first (a stack: num_layers=len(layers)). Keras always reads
    (batch, timesteps, features); batch_first=False makes a module that reads
    (timesteps, batch, features) instead.
    """
    layers = list(layers) if isinstance(layers, (list, tuple)) else [layers]
    if not layers:
        raise ValueError("no layers to convert")
    directions = [keras_directions(layer) for layer in layers]
    kind, units, use_bias, nonlinearity, _ = stack_options(layers, directions)
    first_kernel = directions[0][0].cell.kernel
    module = TORCH_MODULES[kind](
        first_kernel.shape[0], units, num_layers=len(layers), bias=use_bias,
        batch_first=batch_first, bidirectional=len(directions[0]) == 2,
        dtype=getattr(torch, keras.backend.standardize_dtype(first_kernel.dtype)),
        **({"nonlinearity": nonlinearity} if kind == "SimpleRNN" else {}),
    )
    state = {}
    for index, pair in enumerate(directions):
        features = first_kernel.shape[0] if index == 0 else units * len(pair)
        for suffix, layer in zip(("", "_reverse"), pair):
            kernel = layer.cell.kernel
            expect_shape(f"layer {index}'s kernel", kernel, (features, kernel.shape[1]),
                         f"to read the {features} features of the layer before it")
            arrays = keras_to_torch_arrays(kind, *layer.get_weights())
            for name, array in zip(TORCH_NAMES, arrays):
                if array is not None:
                    array = np.ascontiguousarray(array)
                    state[f"{name}_l{index}{suffix}"] = torch.from_numpy(array)
    module.load_state_dict(state)
    return module


def torch_to_keras(module, return_sequences=True, return_state=False):
    """Keras layers that compute what a torch.nn.RNN, LSTM or GRU computes.

    A list with one layer per PyTorch layer, each a Bidirectional if the module is
    bidirectional, built and holding the module's weights. They read
    (batch, timesteps, features), whatever module.batch_first says. return_sequences
    is the last layer's (the others return sequences for the next one); return_state
    is every layer's, as PyTorch returns every layer's final state.
    """
    kinds = {module_type: kind for kind, module_type in TORCH_MODULES.items()}
    if type(module) not in kinds:
        raise TypeError(
            f"{type(module).__name__} is not a torch.nn.RNN, LSTM or GRU. Convert "
            "other modules yourself: nn.Linear's weight is the transpose of a Dense "
            "kernel."
        )
    kind = kinds[type(module)]
    if getattr(module, "proj_size", 0):
        raise ValueError(
            f"nn.LSTM(proj_size={module.proj_size}) cannot be converted: Keras' LSTM "
            "has no projection (weight_hr) of the hidden state it feeds back. Train "
            "without proj_size, or write a Keras cell that projects h yourself."
        )
    options = {"activation": module.nonlinearity} if kind == "SimpleRNN" else {}
    options["dtype"] = str(module.weight_ih_l0.dtype).removeprefix("torch.")
    names = TORCH_NAMES if module.bias else TORCH_NAMES[:2]
    layers, input_dim = [], module.input_size
    for index in range(module.num_layers):
        last = index == module.num_layers - 1
        layer = KERAS_LAYERS[kind](
            module.hidden_size, use_bias=module.bias, return_state=return_state,
            return_sequences=return_sequences or not last, **options,
        )
        if module.bidirectional:
            layer = keras.layers.Bidirectional(layer)
        layer.build((None, None, input_dim))
        weights = []
        for suffix in ["", "_reverse"][: 1 + module.bidirectional]:
            arrays = [getattr(module, f"{name}_l{index}{suffix}") for name in names]
            arrays = [array.detach().cpu().numpy() for array in arrays]
            weights += torch_to_keras_arrays(kind, *arrays)
        layer.set_weights(weights)
        layers.append(layer)
        input_dim = module.hidden_size * (1 + module.bidirectional)
    return layers


# What can be converted, and errors that say why not and what to do instead.

def expect_shape(name, array, shape, why):
    if tuple(np.shape(array)) != shape:
        raise ValueError(
            f"{name} has shape {tuple(np.shape(array))}, expected {shape} {why}"
        )


def check_keras_shapes(kind, kernel, recurrent_kernel, bias):
    if kind not in KERAS_BLOCKS:
        raise ValueError(f"kind must be one of {list(KERAS_BLOCKS)}, not {kind!r}")
    units = np.shape(recurrent_kernel)[0]
    columns = len(KERAS_BLOCKS[kind]) * units
    why = f"for a Keras {kind} with units={units} (the rows of recurrent_kernel)"
    expect_shape("recurrent_kernel", recurrent_kernel, (units, columns), why)
    expect_shape("kernel", kernel, (np.shape(kernel)[0], columns), why)
    if bias is not None and kind == "GRU":
        expect_shape("bias", bias, (2, columns), f"{why}; a {(columns,)} bias is a GRU "
                     "with reset_after=False, which no torch.nn.GRU computes")
    elif bias is not None:
        expect_shape("bias", bias, (columns,), why)


def check_torch_shapes(kind, weight_ih, weight_hh, bias_ih, bias_hh):
    if kind not in TORCH_BLOCKS:
        raise ValueError(f"kind must be one of {list(TORCH_BLOCKS)}, not {kind!r}")
    hidden_size = np.shape(weight_hh)[-1]
    rows = len(TORCH_BLOCKS[kind]) * hidden_size
    module_name = TORCH_MODULES[kind].__name__
    why = f"for nn.{module_name} with hidden_size={hidden_size} (weight_hh's columns)"
    expect_shape("weight_hh", weight_hh, (rows, hidden_size), why)
    expect_shape("weight_ih", weight_ih, (rows, np.shape(weight_ih)[-1]), why)
    if (bias_ih is None) != (bias_hh is None):
        raise ValueError("pass both bias_ih and bias_hh, or neither (for bias=False)")
    for name, bias in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if bias is not None:
            expect_shape(name, bias, (rows,), why)


def keras_directions(layer):
    """[layer] or, for a Bidirectional, [forward layer, backward layer], checked."""
    if not isinstance(layer, keras.layers.Bidirectional):
        return [checked_layer(layer, go_backwards=False)]
    if layer.merge_mode != "concat":
        raise ValueError(
            f"Bidirectional(merge_mode={layer.merge_mode!r}) cannot be converted: "
            "PyTorch concatenates the two directions. Convert a copy made with "
            "merge_mode='concat' and the same weights, then combine the two halves of "
            "PyTorch's output (output[..., :hidden_size], output[..., hidden_size:])."
        )
    return [checked_layer(layer.forward_layer, go_backwards=False),
            checked_layer(layer.backward_layer, go_backwards=True)]


def checked_layer(layer, go_backwards):
    if type(layer).__module__.split(".")[0] in ("tf_keras", "tensorflow"):
        raise TypeError(
            f"{layer.name} is a Keras 2 layer ({type(layer).__module__}); "
            "keras_to_torch takes Keras 3 layers. Its arrays have the same layout: "
            f"keras_to_torch_arrays({type(layer).__name__!r}, *layer.get_weights()) "
            "converts them, each direction of a Bidirectional on its own."
        )
    if not isinstance(layer, keras.layers.RNN) or type(layer.cell) not in KERAS_CELLS:
        raise TypeError(
            f"{layer.name} is a {type(layer).__name__}, not a SimpleRNN, LSTM or GRU "
            "layer (or a Bidirectional of one): pass only the recurrent layers. "
            "Convert others yourself: a Dense kernel is the transpose of nn.Linear's "
            "weight."
        )
    if not layer.built:
        raise ValueError(
            f"{layer.name} has no weights yet: build it first, for example "
            "layer.build((None, None, input_dim)), or call it on data."
        )
    if layer.go_backwards != go_backwards:
        raise ValueError(
            f"{layer.name} has go_backwards={layer.go_backwards}, which PyTorch has no "
            "option for. Convert a copy made with go_backwards=False and the same "
            "weights, and flip the time axis of its input: torch.flip(x, dims=[1]) "
            "with batch_first=True."
        )
    return layer


def cell_options(cell):
    """kind, units, use_bias and nonlinearity: what nn.RNN, LSTM and GRU take."""
    kind, config = KERAS_CELLS[type(cell)], cell.get_config()
    activation = config["activation"]
    if kind == "SimpleRNN" and activation not in ("tanh", "relu"):
        raise ValueError(
            f"SimpleRNN(activation={activation!r}) cannot be converted: nn.RNN "
            "computes only 'tanh' or 'relu'. Retrain with one of them, or write the "
            "loop in PyTorch: "
            "h = f(x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh)."
        )
    recurrent_activation = config.get("recurrent_activation", "sigmoid")
    standard = (activation, recurrent_activation) == ("tanh", "sigmoid")
    if kind != "SimpleRNN" and not standard:
        raise ValueError(
            f"{kind}(activation={activation!r}, recurrent_activation="
            f"{recurrent_activation!r}) cannot be converted: torch.nn.{kind} always "
            "uses tanh and sigmoid. Retrain with the defaults, activation='tanh' and "
            "recurrent_activation='sigmoid', or write the cell's equations in PyTorch "
            "yourself."
        )
    if kind == "GRU" and not config["reset_after"]:
        raise ValueError(
            "GRU(reset_after=False) cannot be converted: it applies the reset gate "
            "before recurrent_kernel, (r * h) @ U, and torch.nn.GRU applies it after, "
            "r * (h @ U + b); no torch.nn.GRU computes the first. Retrain or fine-tune "
            "with reset_after=True (the default), or write the cell in PyTorch "
            "yourself."
        )
    return kind, cell.units, cell.use_bias, activation if kind == "SimpleRNN" else None


OPTIONS = ("kind", "units", "use_bias", "activation", "directions")


def stack_options(layers, directions):
    """The options a PyTorch stack shares, which all `layers` must share too."""
    described = []
    for layer, pair in zip(layers, directions):
        forward, *backward = [cell_options(direction.cell) for direction in pair]
        if backward and backward[0] != forward:
            raise ValueError(
                f"{layer.name}: its backward layer has other options than its forward "
                "layer; PyTorch's two directions share all of them."
            )
        described.append((*forward, len(pair)))
    for index, options in enumerate(described):
        differ = [f"{name}={mine!r} (layer 0: {first!r})"
                  for name, mine, first in zip(OPTIONS, options, described[0])
                  if mine != first]
        if differ:
            raise ValueError(
                f"layer {index} ({layers[index].name}) has {', '.join(differ)}: the "
                "layers of a PyTorch stack share kind, units, use_bias, activation and "
                "directions. Convert the layers one by one, keras_to_torch(layer), and "
                "chain the modules."
            )
    return described[0]


# --8<-- [start:check]
def self_check():
    """A small GRU converted both ways: the largest difference in its outputs."""
    rng = np.random.default_rng(0)
    gru = keras.layers.GRU(units=3, return_sequences=True)
    gru.build((None, None, 2))
    gru.set_weights([rng.normal(size=w.shape) for w in gru.get_weights()])
    inputs = rng.normal(size=(2, 4, 2)).astype("float32")  # batch, timesteps, features
    with torch.no_grad():
        torch_output, _ = keras_to_torch(gru)(torch.from_numpy(inputs))
    [back] = torch_to_keras(keras_to_torch(gru))
    for original, round_trip in zip(gru.get_weights(), back.get_weights()):
        assert np.array_equal(original, round_trip)
    return float(np.abs(torch_output.numpy() - np.asarray(gru(inputs))).max())


assert self_check() <= 1e-5
# --8<-- [end:check]
