"""The newest-releases report: a changed fact is named with its page, old and new value."""
import json

from engine.compare_facts import changes, latest_facts


def test_a_changed_fact_is_reported_with_its_page_and_both_values(tmp_path):
    for cache, order in (("pinned", "i, f, c, o"), ("newest", "i, c, f, o")):
        facts = tmp_path / cache / "facts" / "lstm"
        facts.mkdir(parents=True)
        (facts / "weights-0123456789abcdef0123.json").write_text(
            json.dumps({"gate_order": order, "units": 120}))
    report = changes(latest_facts(tmp_path / "pinned"), latest_facts(tmp_path / "newest"))
    assert report == ["lstm/weights: gate_order: 'i, f, c, o' -> 'i, c, f, o'"]
