"""The sample `make test` takes of a grid holds every pair of option values the grid holds."""
import itertools

from tests.sampling import all_pairs, pairs_of


def test_the_sample_holds_every_pair_and_only_cases_of_the_grid_in_their_order():
    grid = [dict(rank=rank, kernel=kernel, padding=padding, bias=bias)
            for rank, kernel, padding, bias in itertools.product((1, 2, 3), (2, 3), ("valid", "same", "causal"),
                                                                  (True, False))
            if padding != "causal" or rank == 1]
    sample = all_pairs(grid)
    assert set().union(*map(pairs_of, sample)) == set().union(*map(pairs_of, grid))
    assert [grid.index(case) for case in sample] == sorted(grid.index(case) for case in sample)
    assert len(sample) < len(grid) / 2


def test_a_pair_the_grid_never_holds_is_not_asked_for():
    grid = [dict(a=1, b="x"), dict(a=2, b="y")]  # (a=1, b="y") is in no case
    assert all_pairs(grid) == grid


def test_each_page_is_checked_in_the_browser_at_both_widths_and_in_both_schemes():
    from tests.test_browser import SCHEMES, VIEWPORTS, VIEWS
    from tests.test_site_build import HTML_PAGES
    for page in HTML_PAGES:
        views = [view for view in VIEWS if view["page"] == page]
        assert {view["viewport"] for view in views} == set(VIEWPORTS), page
        assert {view["scheme"] for view in views} == set(SCHEMES), page


def test_one_of_each_kind_is_the_first_of_it_in_order(monkeypatch):
    from tests import sampling
    from tests.sampling import one_each
    monkeypatch.setattr(sampling, "SAMPLED", {})  # not a grid of this run: not reported
    links = ["a/#x", "b/#y", "a/#z", "c/#w", "b/#v"]
    assert one_each("test", links, lambda href: href.split("#")[0]) == ["a/#x", "b/#y", "c/#w"]
