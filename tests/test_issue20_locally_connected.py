"""Issue 20 on the locally connected page: each correction, asserted against the libraries
(through the snippet that proves it, or the library itself) and against the page, so that
the old wording coming back fails here.

The snippets are imported once per session; each runs its own asserts when imported.
Only the Keras 3 LocallyConnected2D test imports TensorFlow.
"""
import inspect
import re

import pytest

from engine.page import page_of
from engine.problems import RULES
from tests import claims  # noqa: F401  (registers the claim rules)
from tests.check_page import facts_for
from tests.project import DOCS, ROOT, where

PAGE = DOCS / "layers" / "locally-connected.md"


def text():
    return PAGE.read_text(encoding="utf-8")


def flat():
    """The page's text with its line breaks folded, so a sentence reads as one line."""
    return " ".join(text().split())


def section(anchor):
    """The page's text under the heading with `anchor`, line breaks folded."""
    return " ".join(page_of(text(), "docs/layers/locally-connected.md").section(anchor).split())


@pytest.fixture(scope="module")
def facts():
    """The page's facts, as the build computes them (cached after the first run)."""
    return facts_for([PAGE])["layers/locally_connected"]


def torch_optimizer_classes():
    """Every optimizer class torch.optim exports, read from the module."""
    import torch

    return sorted(name for name, value in vars(torch.optim).items()
                  if isinstance(value, type) and issubclass(value, torch.optim.Optimizer)
                  and value is not torch.optim.Optimizer)


# --- Item 1: "a zero gradient leaves a zero weight at zero with every optimizer" ----------

def test_masked_weights_stay_zero_with_every_torch_optimizer_but_muon_moves_the_stored_ones(facts):
    """Muon (in the pinned PyTorch) makes every masked entry of the stored weight nonzero;
    the weight the forward pass uses stays zero with each optimizer class, as the page says."""
    import torch

    from snippets.layers import masked_linear, masking_traps

    family = torch_optimizer_classes()
    assert masked_linear.family == masking_traps.family == family
    off_band = int((masked_linear.mask == 0).sum())
    # The snippet asserts the used weight is zero after training, for each class and both
    # masked layers; the stored one moved with Muon alone, and SparseAdam cannot train it.
    assert masked_linear.moved_off_band["Muon"] == off_band == masked_linear.muon_moved
    assert {n for n, moved in masked_linear.moved_off_band.items() if moved} == {"Muon"}
    assert sorted(masked_linear.cannot_train) == ["SparseAdam"]
    assert sorted([*masked_linear.moved_off_band, *masked_linear.cannot_train]) == family
    # Muon on its own, here: a gradient zero off the band, no weight decay, one step.
    layer = torch.nn.Linear(8, 6, bias=False)
    with torch.no_grad():
        layer.weight *= masked_linear.mask
    layer.weight.grad = torch.randn(6, 8) * masked_linear.mask
    torch.optim.Muon([layer.weight], lr=0.01, weight_decay=0).step()
    assert int(layer.weight[masked_linear.mask == 0].count_nonzero()) == off_band

    page = flat()
    assert "with every optimizer, weight decay included" not in page
    assert "leaves a zero weight at zero with every optimizer" not in page
    assert "[every optimizer class in `torch.optim`](#optimizer-family){ .proof }" in page
    assert "snippets/layers/masked_linear.py:every_optimizer" in section("optimizer-family")
    assert facts["stored_moved_optimizers"] == "`Muon`"
    assert facts["cannot_train_optimizers"] == "`SparseAdam`"
    assert facts["optimizer_family"] == f"{len(family)} optimizer classes"
    assert "{{ stored_moved_optimizers }}" in section("zero-gradient")


def test_zeroing_once_fails_with_each_torch_optimizer_that_trains_the_layer(facts):
    from snippets.layers import masking_traps

    assert set(masking_traps.back_after_one_step.values()) == {masking_traps.off_band}
    assert sorted([*masking_traps.back_after_one_step, *masking_traps.cannot_train]) == (
        torch_optimizer_classes())
    assert facts["optim_classes_that_train"] == (
        f"{len(masking_traps.back_after_one_step)} optimizer classes")


# --- Item 2: "with 12 samples the fully connected layer does worse than the mean" ---------

def test_fully_connected_worse_than_the_mean_is_said_in_how_many_seeds_it_holds(facts):
    """It held in some seeds, not all; the page shows one seed no more, but the count and
    the spread over at least ten seeds, in prose, in the table and in the figure."""
    from snippets.layers import when_to_choose

    runs, (_per_neuron, for_all) = when_to_choose.runs, when_to_choose.truth_names
    assert len(runs) >= 10
    worse = [seed for seed, errors in runs.items()
             if errors[for_all, when_to_choose.sizes[0], "fully connected"] > 1]
    assert 0 < len(worse) < len(runs) and worse == when_to_choose.worse_than_mean
    assert facts["worse_than_mean_seeds"] == f"{len(worse)} of {len(runs)} seeds"
    assert re.fullmatch(rf"\S+ \(median of {len(runs)} seeds; range \S+–\S+\)",
                        facts["fully_connected_few_samples"])
    # Each cell of the table is a median with its range.
    rows = [row for row in facts["results_table"].splitlines()[2:]]
    assert rows and all(re.search(r"\d \(\S+–\S+\)", row) for row in rows)
    page = section("when-to-choose")
    assert "it does worse than the best constant prediction" not in page
    assert "in {{ worse_than_mean_seeds }}" in page
    assert "../diagrams/layers/fig_when_to_choose.svg" in page
    figure = (ROOT / "diagrams/layers/fig_when_to_choose.py").read_text(encoding="utf-8")
    assert "fill_between" in figure and "when_to_choose.runs" in figure


# --- Item 3: the paste-in masked Linear started within nn.Linear(8, 6)'s bound ------------

def test_masked_linear_starts_within_the_bound_of_its_true_fan_in():
    """nn.Linear draws within 1/sqrt(in_features); a neuron of the band sees 3 inputs, not
    8, so the paste-in layers draw within 1/sqrt(3)."""
    import torch

    from snippets.layers import masked_linear

    mask = masked_linear.mask
    fan_in = int(mask.sum(dim=1).max())
    assert fan_in == 3 < mask.shape[1]
    torch.manual_seed(0)
    for layer in (masked_linear.band_masked(mask), masked_linear.MaskedLinear(mask)):
        weight = masked_linear.effective_weight(layer).detach()
        band, bias = weight[mask == 1].abs(), layer.bias.detach().abs()
        assert band.max() <= fan_in ** -0.5 and bias.max() <= fan_in ** -0.5
        assert band.max() > mask.shape[1] ** -0.5  # beyond nn.Linear(8, 6)'s bound
        assert torch.all(weight[mask == 0] == 0)
    assert "init_for_mask(nn.Linear(8, 6), mask)" in inspect.getsource(masked_linear)
    assert "snippets/layers/masked_linear.py:fan_in" in section("fan-in")


# --- Item 4: "the output moves by one place" away from the edge only -----------------------

def test_shifted_output_moves_away_from_the_edge_only(facts):
    from snippets.layers import locally_connected_2d, shared_filter

    assert shared_filter.same.tolist() == [False] + [True] * 5
    assert locally_connected_2d.columns_moved == [False] + [True] * 5
    assert facts["moved_outputs"] == "five of its six outputs"
    page = section("shared-filter")
    assert "and the output moves by {{ shift_places }}, unchanged." not in page
    assert "away from the edge" in page and "{{ moved_outputs }}" in page
    assert "except at the edge" in section("two-d")


# --- Item 5 (an addition): a Keras 3 LocallyConnected2D ----------------------------------

def test_keras3_locally_connected_2d_matches_tf_keras_and_its_parameter_count(facts):
    import numpy as np
    import tf_keras

    from snippets.layers import keras3_layer_2d

    rng = np.random.default_rng(7)
    images = rng.normal(size=(3, 6, 9, 2)).astype("float32")
    legacy = tf_keras.layers.LocallyConnected2D(filters=4, kernel_size=2)
    legacy.build((None, 6, 9, 2))
    legacy.set_weights([rng.normal(size=w.shape) for w in legacy.get_weights()])
    ported = keras3_layer_2d.LocallyConnected2D(filters=4, kernel_size=2)
    ported.build((None, 6, 9, 2))
    ported.set_weights(legacy.get_weights())
    np.testing.assert_allclose(ported(images), legacy(images), rtol=1e-6, atol=1e-6)
    assert ported.count_params() == legacy.count_params() == 5 * 8 * (2 * 2 * 2 * 4 + 4)
    assert facts["keras3_2d_parameters"] == (
        f"{keras3_layer_2d.keras_model_2d.layers[1].count_params()} parameters")
    assert "snippets/layers/keras3_layer_2d.py:same_as_keras_2" in section("keras-3-layer-2d")


# --- Item 6: the page's general words are proven or narrowed ------------------------------

@pytest.mark.parametrize("rule", ["universal-word", "proof-target", "unchecked-claim"])
def test_general_words_on_the_page_are_proven_or_narrowed(rule):
    found = RULES[rule](text(), where(PAGE), **({"root": ROOT} if rule == "proof-target" else {}))
    assert not list(found), "\n".join(map(str, found))


def test_measured_numbers_on_the_page_show_their_spread(facts):
    found = RULES["measured-spread"](text(), where(PAGE), facts={"layers/locally_connected": facts})
    assert not list(found), "\n".join(map(str, found))
