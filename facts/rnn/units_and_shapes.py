"""Facts on the units-and-shapes page: every shape, count, message and condition it shows.

Shapes come from the layers the page's snippets build; the parameter count is a formula
evaluated against SimpleRNN over a grid of sizes; the cuDNN conditions are read from the
installed Keras source and checked by evaluating Keras' own predicates on real layers.
Sizes that share a sentence carry their nouns ("4 units"), so they cannot trade places.
"""
import ast
import importlib
import inspect
import math
import re
import warnings
from pathlib import Path

import keras
import numpy as np

from facts._formulas import checked_term, evaluate, to_latex
from facts._tables import code, markdown_table, shape_text
from facts._words import capitalised, count_word, ordinal_word
from snippets.lstm import gate_order
from snippets.rnn import (
    shapes_cudnn, shapes_legacy_keras, shapes_mnist_rows, shapes_old_answers, shapes_return_state,
    shapes_stacking, shapes_stateful, shapes_table, shapes_time_distributed, shapes_units,
    shapes_unrolled, shapes_windows,
)

# Modules, not the functions of the same name that their packages export.
tf_rnn = importlib.import_module("keras.src.backend.tensorflow.rnn")
keras_lstm = importlib.import_module("keras.src.layers.rnn.lstm")
keras_gru = importlib.import_module("keras.src.layers.rnn.gru")

SIMPLE_RNN_COUNT = "units * (input_dim + units) + units"
DENSE_COUNT = "input_dim * units + units"
SIZES = [(1, 1), (4, 3), (128, 28), (7, 11)]  # (units, input_dim)
HIDDEN_STATE = [("h", "o * tanh(c)")]  # how the output gate reads h from the cell state


def checked_count(formula, layer_class):
    for units, input_dim in SIZES:
        layer = layer_class(units)
        layer.build((None, None, input_dim) if layer_class is keras.layers.SimpleRNN
                    else (None, input_dim))
        assert layer.count_params() == evaluate(formula, {"units": units, "input_dim": input_dim})
    return formula


def filled(formula, units, input_dim):
    text = formula.replace("units", str(units)).replace("input_dim", str(input_dim))
    return to_latex(text, product=r"\cdot") + f" = {evaluate(formula, {'units': units, 'input_dim': input_dim})}"


def output_table():
    """return_sequences × return_state rows; LSTM, then GRU and SimpleRNN (which return the
    same shapes, checked); each shape named by its axes."""
    names = {shapes_table.batch: "batch", shapes_table.timesteps: "timesteps",
             shapes_table.units: "units"}
    assert len(names) == 3 and shapes_table.features not in names  # sizes tell axes apart
    columns = {"LSTM": ("LSTM", ("h", "c")), "GRU, SimpleRNN": ("GRU", ("h",))}
    rows = []
    for return_sequences in (False, True):
        for return_state in (False, True):
            key = (return_sequences, return_state)
            assert shapes_table.shapes[("GRU", *key)] == shapes_table.shapes[("SimpleRNN", *key)]
            cells = []
            for layer, state_names in columns.values():
                shapes = shapes_table.shapes[(layer, *key)]
                labels = ("output", *state_names) if return_state else ("output",)
                assert len(labels) == len(shapes), (layer, shapes)
                cells.append("<br>".join(
                    f"{code(label)} {code('(' + ', '.join(names[s] for s in shape) + ')')}"
                    for label, shape in zip(labels, shapes)))
            rows.append([code(str(return_sequences)), code(str(return_state)), *cells])
    return markdown_table(
        ["`return_sequences`", "`return_state`", *(code(name) if "," not in name else
                                                   "`GRU`, `SimpleRNN`" for name in columns)],
        rows)


def checked_hidden_state():
    """h = o * tanh(c), evaluated on the last step of shapes_return_state's LSTM: its output
    gate, computed there from the layer's weights, and the c the layer returns."""
    s = shapes_return_state
    (target, expression), = HIDDEN_STATE
    value = evaluate(expression, {"o": s.o, "c": s.c, "tanh": np.tanh})
    np.testing.assert_allclose(value, s.h, atol=1e-6)
    return f"{to_latex(target)} = {to_latex(expression)}"


def declared_timesteps():
    """The timesteps of the page's `LSTM(4, input_shape=(1, look_back))`: the first entry."""
    look_back = 3  # as in the page's doctest
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # input_shape= on a layer warns in Keras 3
        lstm = keras.layers.LSTM(4, input_shape=(1, look_back))
    _batch, timesteps, features = keras.Sequential([lstm]).input_shape
    assert features == look_back
    return timesteps


def units_position():
    """Where `units` stands in LSTM's signature; a call checks that a bare number is units."""
    parameters = list(inspect.signature(keras.layers.LSTM).parameters)
    position = parameters.index("units")
    assert keras.layers.LSTM(7).units == 7  # the page's LSTM(4, ...): the bare number is units
    return position


def input_shape_positions():
    """Which entry of `input_shape` the timesteps and the features are, and which axis of
    the data the timesteps are: an LSTM on distinct sizes steps over the axis its output
    sequence keeps, and its `kernel` has a row per feature."""
    batch, timesteps, features, units = 2, 5, 3, 4  # distinct: each axis found by its size
    declared = (timesteps, features)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # input_shape= on a layer warns in Keras 3
        lstm = keras.layers.LSTM(units, return_sequences=True, input_shape=declared)
    model = keras.Sequential([lstm])
    data = np.zeros((batch, *declared), dtype="float32")
    sequence = model(data)
    stepped = tuple(sequence.shape)[1]  # (batch, steps, units): the steps the layer took
    read = lstm.weights[0].shape[0]  # kernel: a row per feature
    assert tuple(sequence.shape) == (batch, stepped, units) and {stepped, read} == set(declared)
    assert model.input_shape == (None, *declared)
    features_entry = declared.index(read) - len(declared)  # from the end: -1 is the last
    return declared.index(stepped), data.shape.index(stepped), features_entry


def batch_position():
    """Which axis of a recurrent layer's input is the batch: the axis `keras.Input` leaves
    open, and the one whose size the layer's output keeps, for each layer the page names."""
    batch, timesteps, features, units = 2, 5, 3, 4  # distinct: each axis found by its size
    data = np.zeros((batch, timesteps, features), dtype="float32")
    positions = set()
    for layer_class in (keras.layers.LSTM, keras.layers.GRU, keras.layers.SimpleRNN):
        model = keras.Sequential([keras.Input(shape=(timesteps, features)), layer_class(units)])
        axis = model.input_shape.index(None)
        assert tuple(model(data).shape) == (batch, units) and data.shape[axis] == batch
        positions.add(axis)
    (position,) = positions
    return position


def right_result_position(stateful, samples, last_batch):
    """Which of the last batch's results continues the lone sample's own sequence. Row k of
    each batch continues row k, so each result is the stateless layer run on its row's
    earlier samples, then the lone sample: the right one is the row whose samples are all
    one sequence's (the row the sample would take), and the others are the extra rows."""
    rows = stateful.batch_size
    first = samples - last_batch
    results = stateful.predictions[first:]
    right = []
    for k, result in enumerate(results):
        fed = [*range(k, first, rows), first + k % last_batch]
        run = np.asarray(stateful.stateless(np.concatenate(stateful.samples[fed], axis=0)[None]))
        np.testing.assert_allclose(run[0, -stateful.timesteps:], result, atol=1e-5)
        if all(index % rows == k for index in fed):
            right.append(k)
    assert len(right) == last_batch and len(results) - len(right) == len(stateful.predictions) - samples
    (position,) = right
    return position


def last_step_state_position():
    """Which of the states shapes_table's layers return is the output's last step."""
    positions = set()
    for (_name, return_sequences, _return_state), outputs in shapes_table.returned.items():
        output, *states = (np.asarray(a) for a in outputs)
        last_step = output[:, -1] if return_sequences else output
        positions |= {k for k, state in enumerate(states) if np.array_equal(state, last_step)}
    (position,) = positions
    return position


def checked_partial_batch(stateful):
    """The partial-batch numbers: samples, the state's rows, what predict returns, the
    samples of the last batch and the rows of its result that belong to no sequence."""
    samples, batch_size = len(stateful.samples), stateful.batch_size
    state_rows = stateful.state_shapes[0][0]
    assert state_rows == batch_size
    last_batch = samples % batch_size
    extra = len(stateful.predictions) - samples
    assert last_batch and extra == state_rows - last_batch  # the last sample from each row
    return samples, state_rows, last_batch, extra


def stateful_state_sizes(stateful):
    """The stateful LSTM's state shape with what sets it: a row per sequence of the batch,
    a column per unit."""
    shape = stateful.state_shapes[0]
    assert shape == (stateful.batch_size, stateful.units)
    return (f"{code(shape_text(shape))}, for a batch size of {stateful.batch_size} and "
            f"{stateful.units} units")


def partial_batch_predict(stateful):
    """What `predict` gives for a sample count that is not a multiple of the batch size."""
    samples, rows = len(stateful.samples), len(stateful.predictions)
    assert samples % stateful.batch_size and rows > samples  # more rows than samples
    return (f"{samples} samples with a batch size of {stateful.batch_size} give {rows} rows "
            f"from {code('predict')}")


def window_example(windows):
    """The windows helper on its test series: the series' rows, the window length, and the
    shape of what it returns (a window for each row that has a next one)."""
    rows, features = windows.series.shape
    timesteps = windows.inputs.shape[1]
    assert windows.inputs.shape == (rows - timesteps, timesteps, features)
    return (f"{rows} rows, cut into windows of {timesteps} timesteps, give inputs of shape "
            f"{code(shape_text(windows.inputs.shape))}")


def source_url(module, pattern):
    """A link to the line of `module`'s source matching `pattern`, at the installed version."""
    lines, _ = inspect.getsourcelines(module)
    for number, line in enumerate(lines, 1):
        if re.search(pattern, line):
            path = inspect.getsourcefile(module)
            relative = path[path.rindex("keras/src/"):]
            return f"https://github.com/keras-team/keras/blob/v{keras.version()}/{relative}#L{number}"
    raise LookupError(f"{pattern!r} is no longer in {module.__name__}")


def supports_cudnn(layer):
    """Keras' own argument check for the cuDNN kernel (without the GPU check)."""
    cell = layer.cell
    if isinstance(layer, keras.layers.GRU):
        return tf_rnn._do_gru_arguments_support_cudnn(
            cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias,
            cell.reset_after)
    return tf_rnn._do_lstm_arguments_support_cudnn(
        cell.activation, cell.recurrent_activation, layer.unroll, cell.use_bias)


def cudnn_table():
    """Each requirement of LSTM's docstring, the default that meets it, a change that breaks
    it, and where the code checks it: checked by Keras' own predicates or read in its source."""
    docstring = inspect.getdoc(keras.layers.LSTM)
    listed = re.search(r"requirements to use the cuDNN implementation are:\n\n((?:\d\. .*\n)+)",
                       docstring)[1]
    requirements = [line.split(". ", 1)[1] for line in listed.strip().splitlines()]
    predicate = source_url(tf_rnn, r"def _do_lstm_arguments_support_cudnn")
    changes = {  # the docstring's words -> a layer option that breaks it
        "activation": {"activation": "relu"},
        "recurrent_activation": {"recurrent_activation": "hard_sigmoid"},
        "unroll": {"unroll": True},
        "use_bias": {"use_bias": False},
    }
    default = keras.layers.LSTM(4)
    assert supports_cudnn(default)
    rows = []
    for requirement in requirements:
        option = next((name for name in changes if requirement.startswith(f"`{name}`")), None)
        if option:
            (name, value), = changes[option].items()
            assert not supports_cudnn(keras.layers.LSTM(4, **changes[option]))
            shown = f'"{value}"' if isinstance(value, str) else value
            rows.append([requirement, code(f"{name}={shown}"),
                         f"[argument check]({predicate})"])
        elif requirement.startswith("`recurrent_dropout`"):
            source = inspect.getsource(keras_lstm.LSTM.inner_loop)
            assert "if not self.recurrent_dropout:" in source  # else: the generic loop
            assert default.recurrent_dropout == 0
            rows.append([requirement, code("recurrent_dropout=0.2"),
                         f"[`inner_loop`]({source_url(keras_lstm, r'if not self.recurrent_dropout:')})"])
        elif "masking" in requirement:
            assert "right-padded" in inspect.getsource(tf_rnn._assert_valid_mask)
            rows.append([requirement, "a mask with a gap or a fully masked sequence",
                         f"[runtime assertion]({source_url(tf_rnn, r'def _assert_valid_mask')})"])
        elif "Eager" in requirement:
            checked = [inspect.getsource(part) for part in (
                tf_rnn.cudnn_ok, tf_rnn.lstm, tf_rnn._do_lstm_arguments_support_cudnn,
                keras_lstm.LSTM.__init__, keras_lstm.LSTM.inner_loop)]
            assert not any("eager" in source.lower() for source in checked)
            rows.append([requirement, "", "**not checked** by the code"])
        else:
            raise LookupError(f"a cuDNN requirement this page does not cover: {requirement!r}")
    gpu_check = inspect.getsource(tf_rnn._is_gpu_available)
    assert 'list_logical_devices("GPU")' in gpu_check
    rows.append(["*not in the docstring:* a GPU that TensorFlow sees", "no GPU",
                 f"[`_is_gpu_available`]({source_url(tf_rnn, r'def _is_gpu_available')})"])
    gru_default = keras.layers.GRU(4)
    assert supports_cudnn(gru_default) and not supports_cudnn(keras.layers.GRU(4, reset_after=False))
    rows.append([f"*GRU only:* {code('reset_after')} is {code('True')}", code("reset_after=False"),
                 f"[argument check]({source_url(tf_rnn, r'def _do_gru_arguments_support_cudnn')})"])
    # Plain dropout is applied to the inputs inside the cuDNN branch, before the kernel.
    lstm_source = inspect.getsource(keras_lstm.LSTM.inner_loop)
    cudnn_branch = lstm_source.split("if not self.recurrent_dropout:", 1)[1].split("except", 1)[0]
    assert "dp_sequences = sequences * dp_mask" in cudnn_branch
    assert "backend.lstm(\n                        dp_sequences," in cudnn_branch
    gru_source = inspect.getsource(keras_gru.GRU.inner_loop)
    assert "if not self.recurrent_dropout:" in gru_source  # GRU's other conditions: the same
    return markdown_table(["LSTM's docstring requires", "broken by", "checked in"], rows)


def backend_function(backend, name):
    """The source of `name` in Keras' `backend/<backend>/rnn.py`, read as text: the JAX
    backend's module cannot be imported here (JAX is not installed)."""
    path = Path(keras.__file__).parent / "src" / "backend" / backend / "rnn.py"
    (function,) = [node for node in ast.parse(path.read_text()).body
                   if isinstance(node, ast.FunctionDef) and node.name == name]
    return ast.unparse(function)


def cudnn_backends():
    """Each backend that has a cuDNN path (shapes_cudnn: its cudnn_ok is not `return False`),
    what its LSTM and GRU do with it and with a mask, read from its source; and how it is
    checked here: the argument check run on CPU (shapes_cudnn.accepted), or read only."""
    with_cudnn = shapes_cudnn.with_cudnn
    ran = {backend for backend, _changed in shapes_cudnn.accepted}
    names = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}
    rows = []
    for backend in with_cudnn:
        lstm, gru = backend_function(backend, "lstm"), backend_function(backend, "gru")
        gru_cudnn = "cudnn_ok(" in gru
        gru_needs_reset_after = "reset_after=reset_after" in gru or "not reset_after" in gru
        mask_falls_back = bool(re.search(r"if mask is not None:\s+raise NotImplementedError",
                                         lstm))
        passes_mask = re.search(r"_cudnn_lstm\([^)]*\bmask\b", lstm, re.DOTALL) is not None
        assert "cudnn_ok(" in lstm and mask_falls_back != passes_mask, backend
        if passes_mask:  # TensorFlow: its runtime assertion wants right-padded masks
            assert "right-padded" in inspect.getsource(tf_rnn._assert_valid_mask)
        if backend == "jax":  # its LSTM calls jax.experimental.rnn; its GRU scans in JAX
            assert "jax.experimental.rnn" in lstm and "lax.scan" in gru and not gru_cudnn
        rows.append([
            names[backend],
            "yes" if "cudnn_ok(" in lstm else "no",
            ("yes, with " + code("reset_after=True")) if gru_cudnn and gru_needs_reset_after
            else f"no (a {code('lax.scan')} loop)" if "lax.scan" in gru else "no",
            "right-padded only" if passes_mask else "generic loop",
            "argument check run here" if backend in ran else "source read; JAX is not installed",
        ])
    assert ran < set(with_cudnn)  # what did not run says so in the table
    return markdown_table(["backend", "`LSTM` on cuDNN", "`GRU` on cuDNN", "with a mask",
                           "checked"], rows)


def return_arguments():
    """Which of LSTM's `return_*` arguments, set alone on a real layer, makes it return its
    h of each timestep instead of the last, and which adds the final states to the output."""
    s = shapes_table
    arguments = [name for name in inspect.signature(keras.layers.LSTM).parameters
                 if name.startswith("return_")]
    last = keras.layers.LSTM(s.units)(s.inputs)
    assert tuple(last.shape) == (s.batch, s.units)
    each_step, final_states = [], []
    for name in arguments:
        returned = keras.layers.LSTM(s.units, **{name: True})(s.inputs)
        if isinstance(returned, (list, tuple)):  # the output, then the final states
            output, *states = returned
            assert tuple(output.shape) == tuple(last.shape) and states
            assert all(tuple(state.shape) == (s.batch, s.units) for state in states)
            final_states.append(name)
        else:
            assert tuple(returned.shape) == (s.batch, s.timesteps, s.units)
            each_step.append(name)
    (last_or_each_argument,), (final_states_argument,) = each_step, final_states
    return code(last_or_each_argument), code(final_states_argument)


def layers_on_a_sequence():
    """shapes_time_distributed's layers: the one that acts on the last axis (wrapped in
    TimeDistributed, the same numbers from the same weights) and the one that works on its
    whole input (alone, it joins the timesteps that TimeDistributed keeps)."""
    s = shapes_time_distributed
    np.testing.assert_allclose(s.distributed(s.sequence), s.dense_output, atol=1e-6)
    assert s.dense_output.shape[:-1] == s.sequence.shape[:-1]  # only the last axis changes
    assert isinstance(s.distributed.layer, type(s.dense))
    batch, timesteps, *frame = s.frames.shape
    assert tuple(s.whole_input.shape) == (batch, timesteps * math.prod(frame))
    assert tuple(s.per_timestep.shape) == (batch, timesteps, math.prod(frame))
    return code(type(s.dense).__name__), code(type(s.flatten).__name__)


def legacy_keras_package():
    """The package `tf.keras` is with TF_USE_LEGACY_KERAS=1: where its LSTM comes from in a
    new process (shapes_legacy_keras), a Keras older than `import keras`, which is unchanged."""
    modules = shapes_legacy_keras.modules
    legacy_tf_keras, legacy_keras = modules[True]
    package = legacy_tf_keras.split(".")[0]
    assert package != modules[False][0].split(".")[0] and legacy_keras == modules[False][1]
    legacy_major = int(importlib.import_module(package).__version__.split(".")[0])
    assert legacy_major < int(keras.version().split(".")[0])
    return code(package)


def cudnn_layers():
    """The layers whose backend function calls cudnn_ok, read from Keras' source: one on
    each backend that has a cuDNN path, the other on some of them, which are named."""
    names = {"tensorflow": "TensorFlow", "torch": "PyTorch", "jax": "JAX"}
    with_cudnn = shapes_cudnn.with_cudnn
    on = {layer_class.__name__: [backend for backend in with_cudnn if "cudnn_ok(" in
                                 backend_function(backend, layer_class.__name__.lower())]
          for layer_class in (keras.layers.LSTM, keras.layers.GRU)}
    (everywhere,) = [name for name, backends in on.items() if backends == with_cudnn]
    (somewhere,) = [name for name, backends in on.items() if 0 < len(backends) < len(with_cudnn)]
    assert set(on[somewhere]) < set(on[everywhere])  # the page: "and, on ..., also"
    return (f"{code(everywhere)} layers (and, on "
            f"{' and '.join(names[backend] for backend in on[somewhere])}, {code(somewhere)} layers)")


def unroll_docstring():
    """What LSTM's docstring says `unroll` does, quoted (the page marks it unchecked); the
    numbers it gives are checked in shapes_options."""
    docstring = " ".join(inspect.getdoc(keras.layers.LSTM).split())
    said = re.search(r"unroll: Boolean \(default False\)\. (.*?) (?=use_cudnn: )", docstring)[1]
    assert "symbolic loop" in said
    return said


def rnn_docstring_on_reset():
    """The two sentences of keras.layers.RNN's docstring about resetting that the code
    contradicts: a model has no reset_state, and reset_state takes no states."""
    docstring = " ".join(inspect.getdoc(keras.layers.RNN).split())
    on_model = re.search(r"To reset the states of your model, call `\.reset_state\(\)` on "
                         r"either a specific layer, or on your entire model\.", docstring)[0]
    with_states = re.search(r"You can specify the initial state of RNN layers numerically by "
                            r"calling `reset_state\(\)` with the keyword argument `states`\. "
                            r"[^.]*\.", docstring)[0]
    assert not hasattr(keras.Sequential, "reset_state") and not hasattr(keras.Model, "reset_state")
    assert list(inspect.signature(keras.layers.RNN.reset_state).parameters) == ["self"]
    return on_model, with_states


def old_answers_table():
    outcomes = shapes_old_answers.outcomes
    instead = {
        "batch_input_shape": f"{code('keras.Input(batch_shape=...)')}: [stateful](#stateful)",
        "nb_epoch": code("epochs="),
        "input_dim": f"{code('keras.Input(shape=(timesteps, features))')}",
        "input_length": f"{code('keras.Input(shape=(timesteps, features))')}",
        "model.reset_states()": f"{code('layer.reset_state()')}: [resetting](#reset-state)",
    }
    old_code = {
        "batch_input_shape": "LSTM(..., batch_input_shape=...)",
        "nb_epoch": "model.fit(..., nb_epoch=...)",
        "input_dim": "Sequential([LSTM(..., input_dim=...)])",
        "input_length": "LSTM(..., input_length=...)",
        "model.reset_states()": "model.reset_states()",
    }

    def said(result):
        kind, _message = result
        return {"ran": "runs", "warned": "runs, with a `UserWarning`"}.get(kind, f"`{kind}`")

    assert set(outcomes["Keras 3"]) == set(instead) == set(old_code)
    return markdown_table(
        ["old answer", "Keras 2 (`tf_keras`)", "Keras 3", "instead"],
        [[code(old_code[name]), said(outcomes["Keras 2"][name]), said(outcomes["Keras 3"][name]),
          instead[name]] for name in old_code],
    )


def make_facts() -> dict[str, str | int]:
    units_demo = shapes_units
    mnist = shapes_mnist_rows
    checked_count(SIMPLE_RNN_COUNT, keras.layers.SimpleRNN)
    checked_count(DENSE_COUNT, keras.layers.Dense)
    assert mnist.simple_rnn.count_params() == evaluate(
        SIMPLE_RNN_COUNT, {"units": mnist.units, "input_dim": mnist.pixels_per_row})
    output_gate_block = gate_order.proven_order.index("o")
    assert output_gate_block == 3  # shapes_return_state takes block 3 as the output gate
    stateful = shapes_stateful
    # The page: fit's shuffle=True is the default, so a stateful model must turn it off.
    assert inspect.signature(stateful.model.fit).parameters["shuffle"].default is True
    windows = shapes_windows
    has_gpu = shapes_cudnn.has_gpu  # asserted there: the default is refused only without one
    refusal = set(shapes_cudnn.refused.values())
    (refusal_message,) = refusal  # one message for every refused configuration
    reset_on_model, reset_with_states = rnn_docstring_on_reset()
    samples, state_rows, last_batch, extra = checked_partial_batch(stateful)
    right_result = right_result_position(stateful, samples, last_batch)
    unrolled = shapes_unrolled
    input_dim_error = shapes_old_answers.input_dim_error
    input_dim_tail = input_dim_error[input_dim_error.index("expected ndim"):]
    timesteps_entry, timesteps_data_axis, features_entry = input_shape_positions()
    last_step_state = last_step_state_position()
    lstm_output, *lstm_states = shapes_table.returned[("LSTM", True, True)]
    np.testing.assert_array_equal(lstm_states[last_step_state], np.asarray(lstm_output)[:, -1])
    assert shapes_old_answers.outcomes["Keras 3"]["input_dim"][1].endswith(input_dim_tail)
    assert shapes_old_answers.outcomes["Keras 2"]["input_dim"] == ("ran", "")
    # How many cell objects hold the layer's weights: the layer's weights are exactly its
    # cell's, and the layer holds no other cell, whatever the number of timesteps.
    cells = [sub for sub in units_demo.lstm._flatten_layers(include_self=False)
             if isinstance(sub, keras.layers.LSTMCell)]
    assert cells == [units_demo.lstm.cell]
    assert {id(w) for w in units_demo.lstm.weights} == {id(w) for w in units_demo.lstm.cell.weights}
    # The timestep the Dense comparison changes: the LSTM's last output moves, Dense's not.
    [changed_timestep] = np.flatnonzero((units_demo.changed != units_demo.inputs).any(axis=(0, 2)))
    assert changed_timestep < units_demo.timesteps - 1 and units_demo.lstm_moved > 1e-3
    last_or_each_argument, final_states_argument = return_arguments()
    last_axis_layer, whole_input_layer = layers_on_a_sequence()
    return {
        "changed_timestep_position": ordinal_word(changed_timestep),
        "n_cell_objects": count_word(len(cells)),
        "n_cell_objects_capitalised": capitalised(count_word(len(cells))),
        "docstring_reset_on_model": reset_on_model,
        "docstring_reset_with_states": reset_with_states,
        "demo_input_features": f"{units_demo.features} features",
        "demo_output_units": f"{units_demo.units} units",
        "demo_kernel_shape": code(shape_text(units_demo.lstm.weights[0].shape)),
        "output_table": output_table(),
        "declared_timesteps": count_word(declared_timesteps(), "timestep"),
        "units_position": ordinal_word(units_position()),
        "batch_position": ordinal_word(batch_position()),
        "timesteps_entry_position": ordinal_word(timesteps_entry),
        "timesteps_data_axis_position": ordinal_word(timesteps_data_axis),
        "features_entry_position": ordinal_word(features_entry),
        "last_step_state_position": ordinal_word(last_step_state),
        "figure_sizes": (f"{count_word(unrolled.units, 'unit')} on "
                         f"{count_word(unrolled.look_back, 'timestep')} of "
                         f"{count_word(unrolled.features, 'feature')}"),
        "mnist_rows": mnist.rows,
        "mnist_pixels": mnist.pixels_per_row,
        "mnist_units": mnist.units,
        "mnist_kernel_shape": code(shape_text(mnist.kernel.shape)),
        "mnist_recurrent_kernel_shape": code(shape_text(mnist.recurrent_kernel.shape)),
        "mnist_bias_shape": code(shape_text(mnist.bias.shape)),
        "simple_rnn_count_equation": (
            r"\text{parameters} = " + to_latex(SIMPLE_RNN_COUNT, product=r"\cdot") + " = "
            + filled(SIMPLE_RNN_COUNT, mnist.units, mnist.pixels_per_row)),
        # The questions index shows this answer inline, on a phone too: the formula and the
        # count apart, so that the line can wrap between them.
        "mnist_count_answer": (
            r"$\text{parameters} = " + to_latex(SIMPLE_RNN_COUNT, product=r"\cdot") + "$, that is "
            + f"{evaluate(SIMPLE_RNN_COUNT, {'units': mnist.units, 'input_dim': mnist.pixels_per_row})}"
            + f" parameters for rows of {mnist.pixels_per_row} pixels"),
        "dense_count_equation": (
            to_latex(DENSE_COUNT, product=r"\cdot") + " = "
            + filled(DENSE_COUNT, mnist.units, mnist.pixels_per_row)),
        "stack_layer_shapes": ", then ".join(
            code(str(shape).replace("None", "batch"))
            for shape in shapes_stacking.layer_output_shapes[:-1]),
        "stateful_state_sizes": stateful_state_sizes(stateful),
        "partial_batch_predict": partial_batch_predict(stateful),
        "state_rows_noun": f"{state_rows} rows",
        "last_batch_samples": count_word(last_batch, "sample"),
        "extra_rows": count_word(extra, "row"),
        "right_result_position": ordinal_word(right_result),
        "hidden_state_equation": checked_hidden_state(),
        "tanh_of_cell_state": checked_term("tanh(c)", HIDDEN_STATE),
        "window_example": window_example(windows),
        "cudnn_table": cudnn_table(),
        "cudnn_refusal": refusal_message,
        "gpu_sentence": (
            "The machine that built this page has a GPU" if has_gpu else
            "The machine that built this page has no GPU"),
        "old_answers_table": old_answers_table(),
        "cudnn_backends_table": cudnn_backends(),
        "unroll_docstring": unroll_docstring(),
        "input_dim_error": code(input_dim_tail),
        "last_or_each_argument": last_or_each_argument,
        "final_states_argument": final_states_argument,
        "last_axis_layer": last_axis_layer,
        "whole_input_layer": whole_input_layer,
        "legacy_keras_package": legacy_keras_package(),
        "cudnn_layers": cudnn_layers(),
    }
