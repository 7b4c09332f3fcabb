"""Issue 20 on the LSTM weights, units-and-shapes and parameter-counts pages: each correction,
asserted against the libraries (through the snippet that proves it, or a release's own code
via facts/_releases.py) and against the page, so that the old wording coming back fails here.

The snippets are imported once per session; each runs its own asserts when imported.
"""
import re

import pytest

from engine.page import page_of
from engine.problems import RULES
from tests import claims  # noqa: F401  (registers the claim rules)
from tests.check_page import facts_for
from tests.project import DOCS, ROOT, where

WEIGHTS = DOCS / "lstm" / "weights.md"
UNITS = DOCS / "rnn" / "units-and-shapes.md"
COUNTS = DOCS / "reference" / "parameter-counts.md"
PAGES = (WEIGHTS, UNITS, COUNTS)


def text(page):
    return page.read_text(encoding="utf-8")


def flat(page):
    """The page's text with its line breaks folded, so a sentence reads as one line."""
    return " ".join(text(page).split())


def section(page, anchor):
    """The page's text under the heading with `anchor`, line breaks folded."""
    return " ".join(page_of(text(page), str(page)).section(anchor).split())


def answer(page, anchor):
    """The front-matter answers whose `at:` is `anchor`, folded into one string."""
    front = text(page).split("\n---\n", 1)[0]
    found = re.findall(r"\n    a: (.*)\n    at: " + re.escape(anchor) + r"\n", front)
    assert found, (where(page), anchor)
    return " ".join(found)


@pytest.fixture(scope="module")
def facts():
    """The facts of these pages, as the build computes them (cached after the first run)."""
    return facts_for(list(PAGES))


# --- Item 1: input_dim= in Keras 3 --------------------------------------------------------

def test_input_dim_as_first_layer_fails_in_keras3_and_both_pages_say_so(facts):
    """"`input_dim=` still works with a warning" held for making the layer alone: as the
    first layer of a Sequential, Keras 3 takes (3,) as the whole input shape and fails."""
    from snippets.rnn import shapes_old_answers

    assert shapes_old_answers.input_dim_error.endswith(
        "expected ndim=3, found ndim=2. Full shape received: (None, 3)")
    assert shapes_old_answers.outcomes["Keras 3"]["input_dim"][0] == "ValueError"
    assert shapes_old_answers.outcomes["Keras 2"]["input_dim"] == ("ran", "")
    assert "expected ndim=3, found ndim=2" in facts["rnn/units_and_shapes"]["input_dim_error"]
    assert "still works with a warning" not in flat(UNITS)
    assert "snippets/rnn/shapes_old_answers.py:input_dim" in section(UNITS, "input-dim")
    for page, anchor in ((UNITS, "input-dim"), (COUNTS, "input-shape")):
        said = answer(page, anchor) if page is UNITS else section(COUNTS, "input-shape")
        assert "whole input shape" in said and "still works" not in said, where(page)
    counts_answers = " ".join(re.findall(r"\n    a: (.*)", text(COUNTS).split("\n---\n", 1)[0]))
    assert "fails to build" in counts_answers and "input_dim" in counts_answers


# --- Item 2: Keras 1's output_dim and its storage order -----------------------------------

def test_keras1_called_units_output_dim_and_stored_the_gates_i_c_f_o(facts):
    """"The argument has always been `units`": Keras 1 called it output_dim, and stored an
    LSTM's gates as i, c, f, o, which tf_keras' legacy HDF5 loader still converts (run)."""
    from facts import _releases
    from snippets.lstm import gate_order, keras1_weights

    assert _releases.keras1_units_argument().value == "output_dim"
    assert _releases.keras2_legacy_units_argument().value == "output_dim"
    stored = _releases.keras1_lstm_weight_order()
    converted = tuple(gate_order.proven_order[keras1_weights.came_from.index(k)] for k in range(4))
    assert converted == stored.value == tuple("icfo") != gate_order.proven_order
    page = flat(WEIGHTS)
    assert "has always been `units`" not in page
    assert "{{ keras1_units_argument }}" in section(WEIGHTS, "unit-argument")
    assert "{{ keras1_units_argument }}" in answer(WEIGHTS, "unit-argument")
    assert "snippets/lstm/keras1_weights.py:convert" in section(WEIGHTS, "keras-1")
    said = facts["lstm/weights"]
    assert "`output_dim`" in said["keras1_units_argument"] and "keras 1" in said["keras1_units_argument"]
    assert "**i, c, f, o**" in said["keras1_stored_order"]


# --- Item 3: one timestep and recurrent_kernel --------------------------------------------

def test_recurrent_kernel_stays_put_only_from_a_zero_state_without_regulariser_or_decay(facts):
    """"Learns nothing into recurrent_kernel" with one timestep holds with a zero initial
    state, stateful=False and no regulariser or weight decay; each of those moves it."""
    from snippets.lstm import single_timestep

    gradient = single_timestep.gradient
    assert gradient["defaults"] == 0
    assert {case for case, value in gradient.items() if value > 1e-3} == {
        "initial_state", "stateful=True", "recurrent_regularizer"}
    assert (single_timestep.decayed != single_timestep.recurrent_kernel).any()
    said = section(WEIGHTS, "single-timestep")
    assert "learns nothing into it" not in said and "does nothing" not in said
    # The conditions are facts now (facts/lstm/weights.py gradient_paths, weight_decay_steps):
    # the section shows them, and they name what the snippet runs.
    shown = said
    for name in ("nonzero_state_conditions", "adds_gradient_argument", "weight_decay_steps"):
        shown = shown.replace(f"{{{{ {name} }}}}", facts["lstm/weights"][name])
    for condition in ("{{ initial_state_word }} initial state", "`stateful=False`", "`initial_state`",
                      "`recurrent_regularizer`", "weight decay", "`AdamW`"):
        assert condition in shown, condition
    for part in ("conditions", "weight_decay"):
        assert f"snippets/lstm/single_timestep.py:{part}" in said
    assert "weight decay" in answer(WEIGHTS, "single-timestep")


# --- Item 4: multi-backend Keras 2 defaulted to reset_after=False -------------------------

def test_multi_backend_keras2_gru_also_defaults_to_reset_after_false(facts):
    """"Only the TF1 API's GRU has the other default": multi-backend Keras 2 too."""
    from facts import _releases

    assert _releases.keras2_gru_reset_after_default().value is False
    assert _releases.tf1_gru_reset_after_default().value is False
    said = section(COUNTS, "gru-defaults")
    assert "only the TF1 API" not in said and "{{ false_default_apis }}" in said
    assert "{{ false_default_apis }}" in answer(COUNTS, "gru-defaults")
    apis = facts["reference/parameter_counts"]["false_default_apis"]
    assert "TF1 API" in apis and "multi-backend Keras 2" in apis and "keras 2." in apis


# --- Item 5: the imprecise sentences ------------------------------------------------------

def test_colahs_yellow_layers_are_three_gates_and_a_candidate_layer(facts):
    from facts._lstm import ACTIVATION

    assert sorted(ACTIVATION.values()).count("sigmoid") == 3 and "tanh" in ACTIVATION.values()
    said = section(WEIGHTS, "four-layers")
    assert "{{ colah_layers }}" in said and "are the {{ gates_word }}" not in said
    assert facts["lstm/weights"]["colah_layers"].startswith("three gates")
    assert "cell candidate" in facts["lstm/weights"]["colah_layers"]


def test_units_are_memory_cells_of_one_lstm_cell_object():
    """"Units are not cells": in Hochreiter's terms each unit is a memory cell; the layer
    holds one LSTMCell object."""
    import keras

    lstm = keras.layers.LSTM(4)
    assert isinstance(lstm.cell, keras.layers.LSTMCell) and lstm.cell.units == 4
    for page in (WEIGHTS, UNITS):
        page_text = flat(page)
        assert "Not cells" not in page_text and "timesteps, cells or features" not in page_text
        # one cell object, in words a fact counts (units-and-shapes) or as "an" (lstm/weights)
        assert re.search(r"(?:\{\{ n_cell_objects \}\}|\ban) `LSTMCell` object", page_text), page
        assert "memory cell" in page_text


def test_readers_model_has_one_activation_in_every_section():
    from snippets.lstm import activation, reader_model, trained_weights

    readers = reader_model.model.get_layer("lstm").get_config()["activation"]
    assert readers == activation.readers_activations["activation"] == "relu"
    assert trained_weights.model.get_layer("lstm").get_config()["activation"] == readers
    assert 'keras.layers.LSTM(units=120, activation="relu")' in text(WEIGHTS)
    assert ">>> readers_lstm = keras.layers.LSTM(units=120)\n" not in text(WEIGHTS)


def test_cell_figure_draws_the_activation_the_readers_layer_holds():
    from diagrams.lstm import fig_cell
    from snippets.lstm import reader_model

    drawn = fig_cell.layer_activations(reader_model.model.get_layer("lstm"))
    assert drawn["c"] == drawn["c_t"] == "relu"
    assert {drawn[gate] for gate in "ifo"} == {r"$\sigma$"}
    source = (ROOT / "diagrams" / "lstm" / "fig_cell.py").read_text()
    assert '"c": r"$\\tanh$"' not in source  # no typed activation per gate


def test_figure_slices_are_said_to_stop_before_their_end(facts):
    captions = re.findall(r"/// caption\n(.*?)\n///", text(WEIGHTS), re.DOTALL)
    assert len(captions) == 2
    assert "{{ slice_end }}" in captions[0] and "stop before their end" in captions[1]
    assert "is columns 0 to 119" in facts["lstm/weights"]["slice_end"]


def test_dense_on_a_sequence_is_not_new_in_keras3():
    from snippets.rnn import shapes_time_distributed as dense

    import numpy as np

    np.testing.assert_allclose(dense.keras2_dense(dense.sequence), dense.dense_output, atol=1e-6)
    said = section(UNITS, "time-distributed")
    assert "In Keras 3, `Dense`" not in said and "not new in Keras 3" in said
    assert "snippets/rnn/shapes_time_distributed.py:keras2" in said
    assert "Keras 2" in answer(UNITS, "time-distributed")


def test_cudnn_section_covers_each_backend_with_a_cudnn_path(facts):
    from snippets.rnn import shapes_cudnn

    assert shapes_cudnn.with_cudnn == ["jax", "tensorflow", "torch"]
    assert {backend for backend, _ in shapes_cudnn.accepted} == {"tensorflow", "torch"}
    table = facts["rnn/units_and_shapes"]["cudnn_backends_table"]
    assert all(name in table for name in ("TensorFlow", "PyTorch", "JAX"))
    assert "JAX is not installed" in table
    said = section(UNITS, "cudnn")
    assert "{{ cudnn_backends_table }}" in said and '!!! unchecked "Not checked here' in said
    assert "On the TensorFlow backend, `LSTM` and `GRU` run" not in said


# --- Item 6: what the reader needs next ---------------------------------------------------

def test_go_backwards_initial_state_and_unroll_are_shown_and_checked():
    from snippets.rnn import shapes_options  # noqa: F401  (its asserts are the claims)

    said = section(UNITS, "options")
    for part in ("go_backwards", "initial_state", "unroll"):
        assert f"snippets/rnn/shapes_options.py:{part}" in said


def test_masked_lstm_returns_h_at_the_last_real_step():
    from snippets.rnn import shapes_masking

    import numpy as np

    alone = np.asarray(shapes_masking.lstm(shapes_masking.sequences[1][None]))[0]
    np.testing.assert_allclose(shapes_masking.last_h[1], alone, atol=1e-6)
    said = section(UNITS, "masking")
    assert "snippets/rnn/shapes_masking.py:padded" in said
    assert "snippets/rnn/shapes_masking.py:propagation" in said


def test_hard_sigmoid_was_keras2s_default_and_changed_its_definition(facts):
    from facts import _releases
    from snippets.lstm import hard_sigmoid

    import numpy as np

    assert _releases.keras2_recurrent_activation_default().value == "hard_sigmoid"
    assert _releases.tf1_recurrent_activation_default().value == "hard_sigmoid"
    released = _releases.keras2_hard_sigmoid().value
    assert (released.slope, released.shift) == (0.2, 0.5)
    x = hard_sigmoid.x
    np.testing.assert_allclose(hard_sigmoid.keras3, np.clip(x / 6 + 0.5, 0, 1), atol=1e-6)
    np.testing.assert_allclose(hard_sigmoid.keras2, released(x), atol=1e-6)
    said = section(WEIGHTS, "hard-sigmoid")
    assert "{{ hard_sigmoid_definitions }}" in said and "{{ hard_sigmoid_old_default }}" in said
    definitions = facts["lstm/weights"]["hard_sigmoid_definitions"]
    assert "0.2\\,x + 0.5" in definitions and "x/6 + 0.5" in definitions


def test_keras3_lstm_has_no_peepholes():
    import keras

    with pytest.raises(ValueError, match="use_peepholes"):
        keras.layers.LSTM(4, use_peepholes=True)
    assert not [name for name in dir(keras.layers) if "peephole" in name.lower()]
    assert ">>> keras.layers.LSTM(4, use_peepholes=True)" in section(WEIGHTS, "peepholes")


def test_tf_use_legacy_keras_makes_tf_keras_the_tf_keras_package():
    import os
    import subprocess
    import sys

    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1", "TF_CPP_MIN_LOG_LEVEL": "3"}
    probe = "import tensorflow as tf; print(tf.keras.layers.LSTM.__module__)"
    run = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, check=True)
    assert run.stdout.split()[-1].startswith("tf_keras.")
    assert "snippets/rnn/shapes_legacy_keras.py:legacy" in section(UNITS, "legacy-keras")


# --- Item 7: general words carry proofs ---------------------------------------------------

@pytest.mark.parametrize("page", PAGES, ids=where)
@pytest.mark.parametrize("rule", ["universal-word", "proof-target", "unchecked-claim"])
def test_general_words_on_these_pages_are_proven_or_narrowed(page, rule):
    found = RULES[rule](text(page), where(page), **({"root": ROOT} if rule == "proof-target" else {}))
    assert not list(found), "\n".join(map(str, found))


def test_the_wrong_gate_orders_miss_by_a_spread_over_seeds(facts):
    value = facts["lstm/weights"]["smallest_wrong_error"]
    match = re.fullmatch(r"(\d\.\d\d) \(median of (\d+) seeds; range (\d\.\d\d)–(\d\.\d\d)\)", value)
    assert match and int(match[2]) >= 5 and float(match[3]) > 1e-2
