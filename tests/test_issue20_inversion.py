"""Issue 20 on the inversion page: each claim the third edition corrected, asserted against
the library, and the page's old wording kept out (docs/inversion/invert-a-network.md).

Each test is named after the item it guards. The library checks recompute a seed or two
(no TensorFlow); the page's shown values come from its facts, as the build computes them.
"""
import ast
import re

import pytest
import torch

from facts._spread import MIN_SEEDS
from engine.page import page_of
from tests.project import ROOT

PAGE = ROOT / "docs/inversion/invert-a-network.md"
FACTS_SCRIPT = ROOT / "facts/inversion/invert_a_network.py"
SPREAD = re.compile(r"\(median of (?P<seeds>\d+) seeds; range .+?\)")


def page_text() -> str:
    return PAGE.read_text(encoding="utf-8")


def section(anchor: str) -> str:
    """The page's text under the heading `{ #anchor }` (engine/page.py)."""
    return page_of(page_text(), "docs/inversion/invert-a-network.md").section(anchor)


@pytest.fixture(scope="module")
def facts() -> dict[str, str]:
    """The page's facts as the build computes them (computed once if not cached)."""
    from tests.check_page import facts_for

    return facts_for([PAGE])["inversion/invert_a_network"]


def test_inversion_needs_injective_not_bijective():
    """An expanding Linear + leaky ReLU and a ReLU layer with weights [A; -A] are not
    bijections, and both invert; the page says "injective" and never asks for a bijection,
    square weights or monotonic activations alone."""
    torch.manual_seed(0)
    x = torch.randn(10, 4, dtype=torch.float64)
    layer = torch.nn.Linear(4, 8).to(torch.float64)
    with torch.no_grad():
        y = torch.nn.functional.leaky_relu(layer(x), 0.1)
        z = torch.where(y >= 0, y, y / 0.1) - layer.bias
        back = torch.linalg.lstsq(layer.weight, z.T).solution.T
    torch.testing.assert_close(back, x, atol=1e-12, rtol=0)
    A, c = torch.randn(4, 4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
    y = torch.relu(torch.cat([x @ A.T + c, -(x @ A.T + c)], dim=1))
    back = torch.linalg.solve(A, (y[:, :4] - y[:, 4:] - c).T).T
    torch.testing.assert_close(back, x, atol=1e-12, rtol=0)

    text = page_text()
    for wrong in (r"only when every layer is a bijection", r"must be square",
                  r"square non-singular weights and strictly monotonic",
                  r"square, full-rank weights"):
        assert not re.search(wrong, text, re.IGNORECASE), f"the page says again: {wrong!r}"
    for match in re.finditer(r"bijection", text):  # only ever to say it is not needed
        assert "not" in text[max(0, match.start() - 40):match.start()], text[match.start() - 60:match.end()]
    front, _, body = text.partition("\n---\n")
    description = front.partition("description:")[2].partition("questions:")[0]
    first_answer = re.search(r"at: exact-inversion", front)
    assert "injective" in description and first_answer
    assert "injective" in front[:first_answer.start()].rpartition("- q:")[2]
    assert "injective" in body.partition("\n## ")[0]  # the first screen answers it


def test_inversion_pinv_miss_is_compared_with_random_and_pca_subspaces():
    """pinv misses about what a random subspace of the same size misses; a PCA subspace of
    that size misses far less. The page shows both beside the pinv number."""
    from snippets.inversion import digits_pinv

    model, train, test, _ = digits_pinv.train_classifier(seed=1)
    misses = digits_pinv.subspace_misses(model, train, test, seed=1)
    assert 0.9 < misses["pinv"] / misses["random"] < 1.1
    assert misses["PCA"] < misses["pinv"] / 2
    digits = section("digits")
    for fact in ("pinv_missed", "random_missed", "pca_missed"):
        assert f"{{{{ {fact} }}}}" in digits
    assert "--8<-- \"snippets/inversion/digits_pinv.py:subspaces\"" in digits


def test_inversion_nan_depths_are_measured_over_seeds(facts):
    """The first NaN depth differs from stack to stack: it is measured over at least five
    seeds, and the page and its figure show the spread, not one network per depth."""
    from snippets.inversion import numerical_limits as limits

    assert len(limits.seeds) >= MIN_SEEDS
    depths = {first[torch.float32] for first in limits.first_nan}
    assert len(depths) > 1  # one network per depth would hide this spread
    for name in ("nan_depths", "nan_depth_float32"):
        seeds = [int(m["seeds"]) for m in SPREAD.finditer(facts[name])]
        assert seeds and all(count == len(limits.seeds) for count in seeds), facts[name]
    assert "{{ nan_depths }}" in section("numerical-limits")
    figure = (ROOT / "diagrams/inversion/fig_numerical_limits.py").read_text(encoding="utf-8")
    assert "errors_by_seed" in figure and "over_seeds" in figure
    assert "{{ depth_seeds }}" in section("numerical-limits").partition("/// caption")[2]


def test_inversion_float32_error_separates_solves_from_activations():
    """With the activations taken out, the same weights lose far less in float32: the
    condition numbers alone do not explain the error, the activations' inverses add most;
    atanh's slope grows without bound near the end of its range."""
    from snippets.inversion import exact_inverse

    for seed in range(MIN_SEEDS):
        effects = exact_inverse.two_effects(*exact_inverse.build(seed))
        assert effects["with activations"] > 10 * effects["solves only"], (seed, effects)
    y = 1 - torch.logspace(-2, -8, 4, dtype=torch.float64)
    assert torch.all((1 / (1 - y**2)).diff() > 0)
    float32 = section("float32")
    for fact in ("solves_only_error", "activation_error_ratio", "inverse_slopes",
                 "steepest_atanh"):
        assert f"{{{{ {fact} }}}}" in float32
    assert "exact_inverse.py:two_effects" in float32
    assert exact_inverse.slope[-1] > 1e6  # the file's autograd check near one
    assert "Nothing is wrong with the code" not in float32
    assert "multiplies the rounding error by about its condition number" not in page_text()


def test_inversion_torch_solve_names_the_release_checked(facts):
    """The sentence on torch.solve names the release it was checked in, read from that
    release's own code by facts/_releases.py."""
    from facts import _releases

    checked = _releases.torch_solve_removed()
    assert facts["torch_solve_removed"] == checked.release
    assert facts["torch_solve_last"] == checked.before.release
    torch_solve = section("torch-solve").partition("### ")[0]
    assert "{{ torch_solve_removed }}" in torch_solve and "{{ torch_solve_last }}" in torch_solve
    assert "_releases.torch_solve_removed()" in FACTS_SCRIPT.read_text(encoding="utf-8")
    assert not hasattr(torch, "solve") or _raises(torch.solve)


def _raises(function) -> bool:
    try:
        function(torch.ones(2, 1), torch.eye(2))
    except RuntimeError:
        return True
    return False


MEASURED = ("pinv_accuracy", "keras_accuracy", "mlp_held_out_accuracy", "square_trap_error",
            "pinv_missed", "random_missed", "pca_missed", "exact_float32_error",
            "solves_only_error", "activation_error_ratio", "relative_error_float32",
            "minimum_norm_missed", "prior_missed", "decoder_missed")


@pytest.mark.parametrize("name", MEASURED)
def test_inversion_measured_numbers_show_their_spread(name, facts):
    """Each number measured on training or random draws is a spread over at least five
    seeds (random splits and initial weights for the digits), never one seed's value."""
    spreads = list(SPREAD.finditer(facts[name]))
    assert spreads, f"{name} = {facts[name]!r} shows no spread"
    assert all(int(spread["seeds"]) >= MIN_SEEDS for spread in spreads), facts[name]
    assert f"{{{{ {name} }}}}" in page_text()


def test_inversion_from_internal_features_with_a_prior_and_a_decoder(facts):
    """From a hidden layer's features, a Gaussian prior and a trained decoder each miss less
    than half of what the shortest input with those features misses."""
    from snippets.inversion import from_features

    misses = from_features.misses
    assert misses["Gaussian prior"] < misses["minimum norm"] / 2
    assert misses["trained decoder"] < misses["minimum norm"] / 2
    text = section("from-features")
    assert "from_features.py:prior\"" in text
    for fact in ("minimum_norm_missed", "prior_missed", "decoder_missed"):
        assert f"{{{{ {fact} }}}}" in text
    assert "{{ inverting_cited }}" in text and "{{ decoder_cited }}" in text
    assert "Mahendran" in facts["inverting_cited"] and "Dosovitskiy" in facts["decoder_cited"]


def test_inversion_invertible_architectures_beyond_realnvp(facts):
    """NICE, Glow, i-RevNet and i-ResNet blocks invert exactly, and the page cites each with
    its authors and year."""
    from snippets.inversion import architectures

    for error in (architectures.nice_error, architectures.glow_error,
                  architectures.iresnet_error):
        assert error < 1e-12
    text = section("invertible-architectures")
    for key, author in (("nice", "Dinh"), ("glow", "Kingma"), ("i_revnet", "Jacobsen"),
                        ("i_resnet", "Behrmann")):
        assert f"{{{{ {key}_cited }}}}" in text
        assert author in facts[f"{key}_cited"] and re.search(r"\b20\d\d\b", facts[f"{key}_cited"])


@pytest.mark.parametrize("name, injective", [
    ("ELU", True), ("Softplus", True), ("LeakyReLU", True), ("Tanh", True), ("Sigmoid", True),
    ("ReLU", False), ("GELU", False), ("SiLU", False),
])
def test_inversion_which_activations_are_invertible(name, injective):
    """Strictly monotonic on a fine grid (one-to-one) or not, for each activation the page
    names; GELU and SiLU give one output for two inputs far apart."""
    module = getattr(torch.nn, name)().to(torch.float64)
    grid = torch.linspace(-8, 8, 1601, dtype=torch.float64)
    with torch.no_grad():
        rising = bool((module(grid).diff() > 0).all())
    assert rising == injective
    if name in ("GELU", "SiLU"):
        f = module
        a = torch.tensor(-3.0, dtype=torch.float64)
        low, high = grid[f(grid).argmin()], torch.tensor(0.0, dtype=torch.float64)
        for _ in range(200):
            middle = (low + high) / 2
            low, high = (middle, high) if f(middle) < f(a) else (low, middle)
        torch.testing.assert_close(f(low), f(a), atol=1e-12, rtol=0)
        assert low - a > 1


def test_inversion_activation_family_covers_every_module():
    """The page's proof of "all of PyTorch's activation modules" sorts each name in
    torch.nn.modules.activation.__all__."""
    from snippets.inversion import injective

    assert set(injective.verdicts) == set(torch.nn.modules.activation.__all__)
    assert "[all of PyTorch's activation modules" in page_text()
    assert "injective.py:family\"" in section("activation-family")


def test_inversion_universal_words_are_proven_and_every_page_rule_passes(facts):
    """Every rule `python -m tests.check_page` runs passes on the page, universal-word and
    proof-target included; each proof link leads to a section that runs a proof."""
    from engine.problems import RULES
    from tests import claims, code_rules, meaning, prose, rules  # noqa: F401
    from tests.check_page import facts_for
    from tests.project import where

    context = {"facts": facts_for([PAGE]), "root": ROOT}
    text = page_text()
    problems = [str(problem) for rule in RULES.values() if rule.kind == "page"
                for problem in rule(text, where(PAGE), **{k: context[k] for k in rule.needs})]
    assert not problems, "\n".join(problems)
    proofs = re.findall(r"\]\(#(?P<anchor>[\w-]+)\)\{ \.proof \}", text)
    assert {"injective", "activation-family"} <= set(proofs)


def test_inversion_facts_script_parses():
    """The facts script the tests above read is valid Python (a guard for the text checks)."""
    ast.parse(FACTS_SCRIPT.read_text(encoding="utf-8"))
