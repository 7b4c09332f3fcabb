"""Issue 20 on the GRU, SimpleRNN, conversion and notation pages: each correction, asserted
against the libraries (through the snippet that proves it) and against the page, so that the
old wording or a one-seed number coming back fails here.

The snippets are imported once per session; each runs its own asserts when imported.
"""
import re

import pytest

from engine.page import page_of
from engine.problems import RULES
from facts._spread import WRITTEN
from tests import claims  # noqa: F401  (registers the claim rules)
from tests.check_page import facts_for
from tests.project import DOCS, where

GRU = DOCS / "rnn" / "gru.md"
SIMPLE_RNN = DOCS / "rnn" / "simple-rnn.md"
CONVERT = DOCS / "convert" / "keras-pytorch.md"
NOTATION = DOCS / "reference" / "notation.md"
PAGES = (GRU, SIMPLE_RNN, CONVERT, NOTATION)


def text(page):
    return page.read_text(encoding="utf-8")


def section(page, anchor):
    """The page's text under the heading with `anchor` (engine/page.py)."""
    return page_of(text(page), str(page)).section(anchor)


@pytest.fixture(scope="module")
def facts():
    """The facts of these pages, as the build computes them (cached after the first run)."""
    return facts_for(list(PAGES))


# --- Item: the textbook GRU, and which way round z works --------------------------------

def test_textbook_gru_is_reset_after_false_and_z_keeps_the_old_state_in_keras_and_pytorch():
    """"Written from the textbook has one bias per gate" hid which variant that is: the
    textbook GRU (Cho et al.) is reset_after=False, not the default; Keras and nn.GRU let z
    keep the old state, the form of Chung et al. and colah's post misses both."""
    from snippets.rnn import gru_textbook

    error = {key: max(values) for key, values in gru_textbook.error.items()}
    assert len(gru_textbook.SEEDS) >= 5
    assert error[("textbook", "GRU(reset_after=False)")] < 1e-6
    assert min(gru_textbook.error[("textbook", "GRU(reset_after=True)")]) > 1e-2
    for layer in ("GRU(reset_after=True)", "nn.GRU"):  # z keeps the old state
        assert error[("reset after", layer)] < 1e-6
        assert min(gru_textbook.error[("reset after, Chung", layer)]) > 1e-2
    assert min(gru_textbook.error[("Chung", "GRU(reset_after=False)")]) > 1e-2
    page = text(GRU)
    assert "written by hand from the textbook equations has a bias for each gate" not in page
    textbook = section(GRU, "textbook")
    assert "`reset_after=False`" in textbook and "{{ keras_state }}" in textbook
    assert "{{ chung_state }}" in textbook and "{{ textbook_table }}" in textbook
    assert "snippets/rnn/gru_textbook.py:compare" in textbook
    sources = section(GRU, "sources")
    assert all(cited in sources for cited in ("arxiv.org/abs/1406.1078", "arxiv.org/abs/1412.3555",
                                              "colah.github.io"))


def test_textbook_table_says_which_numpy_gru_matches_which_layer(facts):
    table = facts["rnn/gru"]["textbook_table"]
    rows = {row.split(" | ")[0].strip("| "): row for row in table.splitlines()[2:]}
    textbook, default = rows["Cho et al., as textbooks write it"], rows["Keras' default, nn.GRU"]
    assert re.search(r"\| \d\.\de-0[7-9] \| \d\.\d+–\d\.\d+ \| \d\.\d+–\d\.\d+ \|\Z", textbook)
    assert re.search(r"\| \d\.\d+–\d\.\d+ \| \d\.\de-0[7-9] \| \d\.\de-0[7-9] \|\Z", default)
    assert facts["rnn/gru"]["keras_state"].startswith("z_t \\odot h_{t-1}")
    assert facts["rnn/gru"]["chung_state"].startswith("(1 - z_t) \\odot h_{t-1}")


# --- Item: measured numbers as spreads over at least five seeds --------------------------

MEASURED = {
    "rnn/gru": ("summed_rows_error", "smallest_wrong_error"),
    "convert/keras_pytorch": ("last_step_error", "extra_tanh_error", "not_reordered_error",
                              "reset_after_error", "smallest_mistake_error"),
}


@pytest.mark.parametrize("name", [f"{page}:{fact}" for page, names in MEASURED.items()
                                  for fact in names])
def test_measured_errors_are_spreads_over_five_seeds_of_random_weights_and_inputs(facts, name):
    page, fact = name.split(":")
    match = WRITTEN.search(facts[page][fact])
    assert match, f"{{{{ {fact} }}}} = {facts[page][fact]!r} is not a spread over seeds"
    assert int(match["seeds"]) >= 5
    assert match["low"] != match["high"], "the seeds drew the same weights and inputs"
    shown = GRU if page == "rnn/gru" else CONVERT
    assert f"{{{{ {fact} }}}}" in text(shown)


def test_measured_spread_rule_passes_on_these_pages(facts):
    for page in PAGES:
        found = list(RULES["measured-spread"](text(page), where(page), facts=facts))
        assert not found, "\n".join(map(str, found))


# --- Item: masking and padded batches; nn.RNN with relu ---------------------------------

def test_masked_keras_layer_matches_converted_module_fed_a_packed_sequence():
    """A converted module matches a masked Keras layer when fed pack_padded_sequence: at the
    real steps, in the final state, at the last real step; fed the padded batch, it does not."""
    import numpy as np

    from snippets.convert import masking

    np.testing.assert_allclose(masking.last_real_step, masking.keras_h, atol=1e-6)
    assert masking.padding_error[0] < 1e-6 and (masking.padding_error[1:] > 1e-2).all()
    masked = section(CONVERT, "masking")
    for name in ("masked", "last_real_step", "unpacked", "bidirectional"):
        assert f"snippets/convert/masking.py:{name}" in masked
    assert "pack_padded_sequence" in masked


def test_simple_rnn_relu_matches_nn_rnn_relu():
    from snippets.rnn import simple_rnn_relu

    assert len(simple_rnn_relu.relu_differences) >= 5
    assert max(simple_rnn_relu.relu_differences) < 1e-6
    relu = section(SIMPLE_RNN, "relu")
    assert "snippets/rnn/simple_rnn_relu.py:relu" in relu
    assert "(../convert/keras-pytorch.md#activations){ .proof }" in relu


def test_nn_rnn_takes_tanh_and_relu_and_keras_to_torch_refuses_every_other_activation():
    """"nn.LSTM always uses tanh and sigmoid ... any other activation is refused" is now
    tried with every activation keras.activations names."""
    from snippets.convert import activations

    assert activations.torch_rnn_takes == ["relu", "tanh"]
    assert {(kind, argument) for kind, argument, _name in activations.converted} == {
        ("SimpleRNN", "activation"), ("LSTM", "activation"), ("LSTM", "recurrent_activation"),
        ("GRU", "activation"), ("GRU", "recurrent_activation")}
    assert len(activations.converted) == 6 and activations.n_activations >= 30
    assert "always use the sigmoid" not in text(CONVERT)
    assert "](#activations){ .proof }" in section(CONVERT, "activations")


# --- Item: universal words proven or narrowed; the cuDNN sentence -------------------------

def test_cudnn_eligibility_is_keras_own_test_run_on_cpu():
    """The GRU page's cuDNN sentence links a proof that runs here: Keras' TensorFlow backend
    test, over every activation pair Keras names, accepts the default layer's arguments alone."""
    from snippets.rnn import gru_cudnn

    assert gru_cudnn.accepted == [("tanh", "sigmoid", False, True, True)]
    page = text(GRU)
    assert "which is the\nlayout cuDNN expects" not in page and "layout cuDNN expects" not in page
    assert "](#cudnn){ .proof }" in page and "snippets/rnn/gru_cudnn.py:cudnn" in section(GRU, "cudnn")
    assert '!!! unchecked "Not checked here:' in section(GRU, "cudnn")


OLD_WORDING = {
    GRU: ["They always come in the order", "Every other order misses, by",
          "the rows cannot be\nmerged", "only their sum matters"],
    SIMPLE_RNN: ["Every recurrent layer's count", "which only add"],
    CONVERT: ["PyTorch only\n   ever adds the two", "so any\n  split", "cannot be merged",
              "Keras layers always read", "It needs only Keras", "a few hundredths"],
    NOTATION: ["Keras always puts the batch first",
               "`hidden_size` features, {{ bidirectional_input_times }}"],
}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_universal_words_on_these_pages_are_proven_or_narrowed(page):
    for old in OLD_WORDING[page]:
        assert old not in text(page), f"{where(page)}: the old wording {old!r} is back"
    for rule in ("universal-word", "unchecked-claim"):
        found = list(RULES[rule](text(page), where(page)))
        assert not found, "\n".join(map(str, found))


def test_second_layer_reads_proj_size_with_a_projection():
    """The notation page said a second layer reads `hidden_size` features: with proj_size it
    reads proj_size (times two when bidirectional)."""
    import torch

    lstm = torch.nn.LSTM(4, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert tuple(lstm.weight_ih_l1.shape) == (20, 4)
    assert "{{ second_layer_input }}" in section(NOTATION, "pytorch-names")


def test_old_models_with_reset_after_false_are_traced_to_multi_backend_keras2(facts):
    """"Found in older models" now names the release whose default it was, read from that
    release's own source (facts/_releases.py); the sentence is part of the page's
    gru_candidates fact, which names each reset_after beside its equation."""
    from facts import _releases

    checked = _releases.keras2_gru_reset_after_default()
    assert checked.value is False and checked.release.startswith("keras 2.")
    page = text(CONVERT)
    assert "found in older models" not in page
    assert "{{ gru_candidates }}" in section(CONVERT, "reset-after")
    candidates = facts["convert/keras_pytorch"]["gru_candidates"]
    assert "With `reset_after=False`, the default of multi-backend Keras 2" in candidates
    assert checked.release in candidates
