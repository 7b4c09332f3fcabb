"""Facts on the layout explorer: how many configurations its answers are checked on, what
the grid varies, and the preset links to each layer page's example (used by those pages,
cross-page).

Every preset is a configuration that results/explorer/layouts.py built with the real
library, and its link's query is the one the explorer's JavaScript reads. The directions
and stack depths the grid covers are read off the configurations and checked against the
states PyTorch returned for them.
"""
from urllib.parse import urlencode

from engine.results import load
from facts._tables import code
from facts._words import count_word
from results.explorer import layouts

PAGE = "../explorer/layouts.md"  # from any docs/<topic>/ page, this one included


def query(config, defaults):
    assert set(config) == set(defaults), config
    return urlencode({key: str(value).lower() if isinstance(value, bool) else value
                      for key, value in config.items()})


def alternatives(counts, noun):
    """[1, 2], "direction" -> "one or two directions"."""
    *first, last = [count_word(n) for n in sorted(counts)]
    words = f"{', '.join(first)} or {last}" if first else last
    return f"{words} {noun if counts == {1} else noun + 's'}"


def axes(shape, config, last="features"):
    """A shape of the explorer's answers with each size named by the option it came from:
    `last` is the option that sizes its last axis (the input's features, the output's units)."""
    names = {config["timesteps"]: "timesteps", config[last]: last, "batch": "batch"}
    assert len(names) == 3, config  # distinct sizes: each axis found by its size
    return code("(" + ", ".join(names[size] for size in shape) + ")")


def batch_first_layouts(answers):
    """PyTorch's recurrent answers are batch first (batch_first=True, as the explorer's code
    builds them), and keep the default layout, time first, beside them; no other answer
    has one. Named by axis, from the answers of the real layers."""
    written, outputs = set(), set()
    for entry in answers:
        config, answer = entry["config"], entry["answer"]
        if config["framework"] != "pytorch" or config["layer"] not in layouts.RECURRENT:
            assert answer["without_batch_first"] is None, config
            continue
        default = answer["without_batch_first"]
        first, second, width = answer["output_shape"]
        assert default["output_shape"] == [second, first, width]
        if config["timesteps"] != config["features"]:
            written.add((axes(answer["input_shape"], config),
                         axes(default["input_shape"], config)))
        # One direction: the output's last axis is `units` (bidirectional, twice that).
        if config["timesteps"] != config["units"] and not config["bidirectional"]:
            assert width == config["units"], config
            outputs.add(axes(default["output_shape"], config, last="units"))
    ((batch_first, time_first),) = written
    assert batch_first != time_first
    (default_output,) = outputs
    # The default layout's output leads with the axis its input leads with: time.
    assert default_output.split(",")[0] == time_first.split(",")[0] == "`(timesteps"
    return {"pytorch_batch_first_input": batch_first, "pytorch_default_input": time_first,
            "pytorch_default_output": default_output}


def make_facts() -> dict[str, str | int]:
    data = load(layouts)
    configs = [entry["config"] for entry in data["answers"]]
    assert len({tuple(sorted(config.items())) for config in configs}) == len(configs)
    recurrent = [entry for entry in data["answers"]
                 if entry["config"]["layer"] in layouts.RECURRENT]
    directions = {1 + entry["config"]["bidirectional"] for entry in recurrent}
    depths = {entry["config"]["layers"] for entry in recurrent}
    # PyTorch's h_n has one entry per layer and direction: the layers built had them.
    for entry in recurrent:
        config = entry["config"]
        if config["framework"] == "pytorch":
            assert entry["answer"]["state_shapes"][0][0] == (
                config["layers"] * (1 + config["bidirectional"])), config
    # The directions the page names are the ones the PyTorch layers built: h_n's first axis
    # holds one entry per layer and direction.
    assert directions == {entry["answer"]["state_shapes"][0][0] // entry["config"]["layers"]
                          for entry in recurrent if entry["config"]["framework"] == "pytorch"}
    # The refused configurations are the libraries' own refusals, each a different
    # configuration from every one built.
    refused = [entry["config"] for entry in data["refused"]]
    assert refused and not any(config in configs for config in refused)
    convolutions = [config for config in configs if config["layer"] in layouts.CONVOLUTIONS]
    # Every convolution the explorer offers, and each option the page names, in more than
    # one value: strides, dilation, both paddings, groups, depth multipliers, data formats.
    assert {config["layer"] for config in convolutions} == set(layouts.CONVOLUTIONS)
    for option in ("strides", "dilation", "padding", "groups", "depth_multiplier",
                   "data_format"):
        assert len({config[option] for config in convolutions}) > 1, option
    assert {config["padding"] for config in convolutions} == {"valid", "same"}
    assert {config["data_format"] for config in convolutions} == {
        "channels_last", "channels_first"}
    facts = {
        **batch_first_layouts(data["answers"]),
        "grid_size": len(configs),
        "refused_size": len(refused),
        "convolution_grid": (
            f"Of them, {count_word(len({config['layer'] for config in convolutions}), 'kind')}"
            f" of convolution make {len(convolutions)} configurations"),
        "layer_kinds": count_word(len({config["layer"] for config in configs}), "kind"),
        "recurrent_directions": alternatives(directions, "direction"),
        "stack_depths": alternatives(depths, "layer"),
    }
    for name, config in data["presets"].items():
        assert config in configs, f"preset {name} was not built"
        facts[f"{name}_preset"] = f"{PAGE}?{query(config, data['defaults'])}"
    return facts
