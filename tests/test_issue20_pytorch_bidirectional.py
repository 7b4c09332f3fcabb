"""Issue 20 on the PyTorch recurrent-layers, Bidirectional-and-stacked and layout-explorer
pages: each correction, asserted against the libraries (directly, or through the snippet
that proves it) and against the page, so that the old, too general wording or a one-seed
number coming back fails here.

The snippets are imported once per session; each runs its own asserts when imported.
"""
import re

import pytest
import torch

from engine.page import page_of
from engine.problems import RULES
from facts._spread import WRITTEN
from tests import claims  # noqa: F401  (registers the claim rules)
from tests.check_page import facts_for
from tests.project import DOCS, ROOT, where

PYTORCH = DOCS / "pytorch" / "recurrent-layers.md"
BIDIRECTIONAL = DOCS / "rnn" / "bidirectional-and-stacked.md"
EXPLORER = DOCS / "explorer" / "layouts.md"
PAGES = (PYTORCH, BIDIRECTIONAL, EXPLORER)


def text(page):
    return page.read_text(encoding="utf-8")


def section(page, anchor):
    """The page's text under the heading with `anchor` (engine/page.py)."""
    return page_of(text(page), str(page)).section(anchor)


@pytest.fixture(scope="module")
def facts():
    """The facts of these pages, as the build computes them (cached after the first run)."""
    return facts_for(list(PAGES))


def pytorch_facts(facts):
    return facts["pytorch/recurrent_layers"]


# --- Item 1: PyTorch's arrays, weight_ih above the first layer and h_n, for the family -----

def test_weight_ih_above_the_first_layer_reads_directions_times_proj_size_not_hidden_size(facts):
    """"Above the first layer weight_ih_l{k} reads hidden_size features" is false with
    proj_size: the issue's own example reads 2 * proj_size features."""
    lstm = torch.nn.LSTM(4, 5, num_layers=2, bidirectional=True, proj_size=2)
    assert tuple(lstm.weight_ih_l1.shape) == (20, 4) == (4 * 5, 2 * 2)
    from snippets.pytorch import names

    assert tuple(names.projected_stack.weight_ih_l1.shape) == (20, 4)
    shown = pytorch_facts(facts)
    assert shown["above_first_columns"] == "`D * H_out`"
    assert "`proj_size`" in shown["layout_symbols"] and "(20, 4)" in shown["projected_stack_example"]
    num_layers = section(PYTORCH, "num-layers")
    assert "{{ above_first_columns }}" in num_layers and "{{ projected_stack_example }}" in num_layers
    assert not re.search(r"reads the layer below's\s+output: `hidden_size` features", text(PYTORCH))


def test_each_layer_and_direction_holds_five_arrays_with_proj_size_and_two_without_bias(facts):
    """"Each layer and direction holds four arrays" holds only with bias and no projection."""
    def per_direction(module):
        return [name for name, _ in module.named_parameters() if name.endswith("_l0")]

    assert len(per_direction(torch.nn.LSTM(4, 5))) == 4
    assert len(per_direction(torch.nn.LSTM(4, 5, proj_size=2))) == 5
    assert len(per_direction(torch.nn.GRU(4, 5, bias=False))) == 2
    assert len(per_direction(torch.nn.LSTM(4, 5, bias=False, proj_size=2))) == 3
    sentence = pytorch_facts(facts)["arrays_per_direction"]
    assert "weight_hr_l{k}" in sentence and "`bias=True`" in sentence
    assert "holds\n{{ arrays_per_direction }}" in text(PYTORCH)
    assert "{{ n_arrays }}" not in text(PYTORCH)


def test_h_n_is_directions_times_layers_by_batch_by_h_out(facts):
    """h_n is (D * num_layers, N, H_out), not (num_layers, N, hidden_size)."""
    gru = torch.nn.GRU(4, 5, num_layers=2, bidirectional=True)
    lstm = torch.nn.LSTM(4, 5, num_layers=3, proj_size=2)
    with torch.no_grad():
        _, h_n = gru(torch.zeros(6, 3, 4))
        _, (lstm_h_n, lstm_c_n) = lstm(torch.zeros(6, 3, 4))
    assert tuple(h_n.shape) == (2 * 2, 3, 5)
    assert tuple(lstm_h_n.shape) == (3, 3, 2) and tuple(lstm_c_n.shape) == (3, 3, 5)
    shown = pytorch_facts(facts)
    assert shown["state_layout"] == "`(D * num_layers, batch, H_out)`"
    assert shown["cell_state_layout"] == "`(D * num_layers, batch, hidden_size)`"
    assert "(num_layers, batch, hidden_size)" not in text(PYTORCH)


def test_the_family_proof_covers_every_recurrent_layer_in_torch_nn_and_each_option(facts):
    """The general sentences link a proof over the whole family: every RNNBase subclass in
    torch.nn, with and without bias, bidirectional, proj_size, and one to three layers."""
    from snippets.pytorch import every_configuration as proof

    kinds = {name for name, layer in vars(torch.nn).items() if isinstance(layer, type)
             and issubclass(layer, torch.nn.RNNBase) and layer is not torch.nn.RNNBase}
    assert {kind for kind, *_ in proof.checked} == kinds
    for kind in kinds:
        options = {(n, b, bias) for k, n, b, bias, _ in proof.checked if k == kind}
        assert options == {(n, b, bias) for n in (1, 2, 3) for b in (False, True)
                           for bias in (False, True)}
    assert {kind for kind, *_, proj in proof.checked if proj} == {"LSTM"}
    assert len(proof.checked) == int(pytorch_facts(facts)["family_count"])
    page = text(PYTORCH)
    assert page.count("](#every-configuration){ .proof }") >= 4
    assert '--8<-- "snippets/pytorch/every_configuration.py:every"' in section(
        PYTORCH, "every-configuration")


# --- Item 2: go_backwards reproduces the backward half only without return_sequences -------

def test_go_backwards_reproduces_the_backward_half_as_is_only_with_return_sequences_false(facts):
    import numpy as np

    from snippets.rnn import bidirectional_weights as w

    # return_sequences=False: the backward GRU's output as it is (the snippet's prove section)
    np.testing.assert_allclose(np.asarray(w.bidirectional(w.inputs))[:, w.units:],
                               w.backward_gru(w.inputs), atol=1e-6)
    # return_sequences=True: reversed in time, and not as it is
    np.testing.assert_allclose(w.backward_half, w.backward_output[:, ::-1], atol=1e-6)
    assert np.abs(w.backward_half - w.backward_output).max() > 1e-2
    assert facts["rnn/bidirectional_and_stacked"]["return_sequences_default"] == (
        "`return_sequences=False`")
    weight_list = section(BIDIRECTIONAL, "weight-list")
    assert '--8<-- "snippets/rnn/bidirectional_weights.py:sequences"' in weight_list
    assert "reversed in time" in weight_list
    assert 'a: "Yes: a plain GRU with `go_backwards=True`' not in text(BIDIRECTIONAL)


# --- Item 3: the explorer says batch_first=True, and the default layout --------------------

def test_the_explorer_writes_pytorch_shapes_with_batch_first_and_shows_the_default(facts):
    from results.explorer import layouts

    config = layouts.configuration(framework="pytorch", layer="gru", features=5, units=3,
                                   timesteps=7, layers=2, bidirectional=True)
    answer = layouts.answer(config)
    assert answer["input_shape"] == ["batch", 7, 5]
    assert answer["without_batch_first"] == {"input_shape": [7, "batch", 5],
                                             "output_shape": [7, "batch", 6]}
    keras_answer = layouts.answer(layouts.configuration(layer="gru"))
    assert keras_answer["without_batch_first"] is None
    script = (DOCS / "javascripts" / "explorer.js").read_text(encoding="utf-8")
    assert "input, batch_first=True" in script and "batch_first=False (the default)" in script
    assert "without_batch_first" in script
    shown = facts["explorer/layouts"]
    assert shown["pytorch_batch_first_input"] == "`(batch, timesteps, features)`"
    assert shown["pytorch_default_input"] == "`(timesteps, batch, features)`"
    page = text(EXPLORER)
    assert "`batch_first=True`" in page and "`batch_first=False`" in page
    browser_test = (ROOT / "tests" / "test_explorer.py").read_text(encoding="utf-8")
    (keys,) = re.findall(r"^KEYS = \(([^)]*)\)", browser_test, re.MULTILINE)
    assert '"without_batch_first"' in keys  # the browser test compares it over the grid


# --- Item 4: what the reader needs next ----------------------------------------------------

def test_h_n_minus_one_is_the_last_layers_backward_direction_and_ends_at_the_first_step(facts):
    from snippets.pytorch import h_n_layout as s

    torch.testing.assert_close(s.h_n[-1], s.backward[0])
    torch.testing.assert_close(s.h_n[-2], s.forward[-1])
    assert (s.h_n[-1] - s.forward[-1]).abs().max() > 1e-2
    shown = pytorch_facts(facts)
    assert shown["h_n_last"].startswith("`h_n[-1]` is the last layer's backward direction")
    assert "`output[..., :hidden_size]` is the forward direction" in shown["output_halves"]
    assert "`h_n.view(num_layers, 2, batch, hidden_size)`" in section(PYTORCH, "bidirectional-output")


def test_proj_size_h_0_weight_hr_without_bias_and_proj_size_below_hidden_size(facts):
    from snippets.pytorch import proj_size as s

    assert s.h_0.shape[-1] == s.proj_size and s.c_0.shape[-1] == s.hidden_size
    names = [name for name, _ in torch.nn.LSTM(4, 5, proj_size=2, bias=True).named_parameters()]
    assert "weight_hr_l0" in names and not any(name.startswith("bias_hr") for name in names)
    for too_wide in (5, 6):
        with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
            torch.nn.LSTM(4, 5, proj_size=too_wide)
    assert pytorch_facts(facts)["proj_too_wide_error"] == (
        "`proj_size has to be smaller than hidden_size`")
    assert "{{ proj_states }}" in section(PYTORCH, "proj-size")


def test_pytorch_initialises_each_array_uniform_within_one_over_sqrt_hidden_size():
    import math

    from snippets.pytorch import initialisation as s

    assert s.bound == 1 / math.sqrt(s.hidden_size)
    assert {type(module).__name__ for module in s.modules} == {
        "RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"}
    assert len(s.tested) == sum(len(list(m.parameters())) for m in s.modules)
    assert "`bound = 1 / math.sqrt(hidden_size)`" in section(PYTORCH, "initialisation")


def test_rnn_relu_nonlinearity_and_the_layers_that_take_none(facts):
    from snippets.pytorch import relu_rnn as s

    assert s.rnn.nonlinearity == "relu" and s.default.nonlinearity == "tanh"
    assert set(s.refused) == {"LSTM", "GRU"}
    assert pytorch_facts(facts)["rnn_default_nonlinearity"] == "`nonlinearity='tanh'`"


def test_pack_padded_sequence_gives_the_last_real_step_as_keras_mask_does():
    from snippets.pytorch import padded_batches as s

    for i, n in enumerate(s.lengths):
        torch.testing.assert_close(s.output[i, n - 1], s.h_n[0, i])
        assert abs(s.state[i] - s.sequence[i, n - 1]).max() < 1e-6
    assert (s.h_n_unpacked[0, 1:] - s.h_n[0, 1:]).abs().max() > 1e-2
    assert "pack_padded_sequence" in section(PYTORCH, "padded-batches")


def test_keras_backward_layer_and_stacked_cells():
    from snippets.rnn import bidirectional_backward_layer as b
    from snippets.rnn import stacked_layers as st

    assert b.bidirectional.backward_layer is b.backward
    assert [owner for owner, _ in b.owners] == ["forward_lstm"] * 3 + ["backward_gru"] * 3
    assert "should have different `go_backwards` value" in b.same_direction_error
    assert [shape for _, shape in st.cell_owners] == [shape for _, shape in st.owners]
    assert "{{ backward_layer_table }}" in section(BIDIRECTIONAL, "backward-layer")
    assert "{{ stacked_cells_table }}" in section(BIDIRECTIONAL, "stacked-cells")


# --- Item 5: measured numbers as spreads ------------------------------------------------------

@pytest.mark.parametrize("name", ["fold_n_error", "gru_smallest_wrong_error"])
def test_measured_errors_are_spreads_over_at_least_five_seeds(facts, name):
    value = pytorch_facts(facts)[name]
    match = WRITTEN.search(value)
    assert match and int(match["seeds"]) >= 5, value
    assert float(match["low"]) > 1e-2  # every seed: folding b_hn, or a wrong order, misses
    assert f"{{{{ {name} }}}}" in text(PYTORCH)


# --- Item 6: general words proven or narrowed; what cannot run here marked -------------------

@pytest.mark.parametrize("page", PAGES, ids=lambda page: where(page))
def test_the_claim_rules_find_nothing_on_these_pages(facts, page):
    context = {"facts": facts, "root": ROOT}
    problems = []
    for name in ("universal-word", "proof-target", "measured-spread", "unchecked-claim"):
        rule = RULES[name]
        problems += [str(p) for p in rule(text(page), where(page),
                                          **{k: context[k] for k in rule.needs})]
    assert not problems, "\n".join(problems)


def test_the_cudnn_sentences_stand_in_an_unchecked_admonition():
    from snippets.pytorch import cudnn_here  # noqa: F401  (asserts there is no cuDNN here)

    two_biases = section(PYTORCH, "two-biases")
    unchecked = two_biases[two_biases.index('!!! unchecked "Not checked here:'):]
    assert "cuDNN" in unchecked and "{{ keras_pad_line }}" in unchecked
    assert "cuDNN" not in two_biases[:two_biases.index("!!! unchecked")].replace("CuDNN", "")
