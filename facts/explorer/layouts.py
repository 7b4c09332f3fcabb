"""Facts on the layout explorer: how many configurations its answers are checked on, and
the preset links to each layer page's example (used by those pages, cross-page).

Every preset is a configuration that results/explorer/layouts.py built with the real
library, and its link's query is the one the explorer's JavaScript reads.
"""
from urllib.parse import urlencode

from engine.results import load
from results.explorer import layouts

PAGE = "../explorer/layouts.md"  # from any docs/<topic>/ page, this one included


def query(config, defaults):
    assert set(config) == set(defaults), config
    return urlencode({key: str(value).lower() if isinstance(value, bool) else value
                      for key, value in config.items()})


def make_facts() -> dict[str, str | int]:
    data = load(layouts)
    configs = [entry["config"] for entry in data["answers"]]
    assert len({tuple(sorted(config.items())) for config in configs}) == len(configs)
    facts = {
        "grid_size": len(configs),
        "layer_kinds": len({config["layer"] for config in configs}),
    }
    for name, config in data["presets"].items():
        assert config in configs, f"preset {name} was not built"
        facts[f"{name}_preset"] = f"{PAGE}?{query(config, data['defaults'])}"
    return facts
