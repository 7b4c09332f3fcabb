"""The layout explorer (docs/explorer/layouts.md) in a real headless Chromium.

Its JavaScript computes every answer in the page. Here it must agree with what real Keras
and PyTorch layers report: for the whole grid that results/explorer/layouts.py built at
build time (the published JSON), and for random configurations outside that grid, built
now. The code it writes for a sample of configurations is run; the form is driven by
keyboard; its URL reopens the same configuration; axe-core finds nothing on a phone and a
desktop in both schemes; and a copy of the script with a wrong formula or a swapped gate
order fails the same comparison, so the comparison can fail.
"""
import json
import random
import re
import subprocess
import sys
from urllib.parse import urljoin, urlparse

import pytest

from diagrams._style import GATE_COLOURS, tint
from tests.project import DOCS, ROOT, pages, page_url
from tests.test_browser import SCHEMES, VIEWPORTS, check_accessible_and_fits

pytestmark = pytest.mark.browser

PAGE = "explorer/layouts/"
SCRIPT = DOCS / "javascripts" / "explorer.js"
# What the page's layout() and the generator both answer, compared key by key.
# without_batch_first: a PyTorch recurrent layer's input and output shapes with PyTorch's
# default, batch_first=False (the answer's own shapes are those of batch_first=True).
KEYS = ("arrays", "gate_order", "parameters", "input_shape", "output_shape", "state_shapes",
        "without_batch_first")
COMPUTE = f"""configs => configs.map(config => {{
    const answer = WeightAtlasExplorer.layout(config);
    if (answer.error) return {{config: answer.config, error: answer.error}};
    return Object.fromEntries(["config", {", ".join(f'"{key}"' for key in KEYS)}]
        .map(key => [key, answer[key]]));
}})"""


@pytest.fixture(scope="module")
def results(built_site):
    """The answers of real layers, as the site publishes them."""
    return json.loads((built_site / "results" / "explorer" / "layouts.json").read_text())


@pytest.fixture(scope="module")
def context(browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def open_explorer(context, url):
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto(url, wait_until="networkidle")
    tab.wait_for_selector("html[data-explorer=ready]", state="attached")
    assert not errors, errors
    return tab


def mismatches(expected_entries, computed):
    wrong = []
    for entry, answer in zip(expected_entries, computed, strict=True):
        expected = {"config": entry["config"], **entry["answer"]}
        if answer != expected:
            keys = [key for key in ("config", "error", *KEYS) if answer.get(key) != expected.get(key)]
            wrong.append(f"{entry['config']}: {keys[0]}: page {answer.get(keys[0])!r}, "
                         f"library {expected.get(keys[0])!r}")
    return wrong


def test_the_page_answers_as_the_real_layers_over_the_whole_grid(context, site_url, results):
    tab = open_explorer(context, site_url + PAGE)
    entries = results["answers"]
    computed = tab.evaluate(COMPUTE, [entry["config"] for entry in entries])
    tab.close()
    wrong = mismatches(entries, computed)
    assert len(entries) > 250 and not wrong, f"{len(wrong)} of {len(entries)}:\n" + "\n".join(wrong[:10])
    kinds = {(entry["config"]["framework"], entry["config"]["layer"]) for entry in entries}
    offered = tab_layers(context, site_url)
    assert kinds == {(framework, layer) for framework in ("keras", "pytorch") for layer in offered}


def tab_layers(context, site_url):
    """The layers the page's form offers."""
    tab = open_explorer(context, site_url + PAGE)
    layers = tab.eval_on_selector_all("#explorer-layer option", "options => options.map(o => o.value)")
    tab.close()
    return layers


REFUSES = """configs => configs.map(config => WeightAtlasExplorer.layout(config).error || null)"""


def test_the_page_refuses_what_the_libraries_refuse(context, site_url, results):
    """Every configuration Keras or PyTorch raised for at build time gets the page's reason
    instead of an answer, and no configuration they built does."""
    tab = open_explorer(context, site_url + PAGE)
    refused = results["refused"]
    reasons = tab.evaluate(REFUSES, [entry["config"] for entry in refused])
    built = tab.evaluate(REFUSES, [entry["config"] for entry in results["answers"]])
    tab.close()
    accepted = [entry for entry, reason in zip(refused, reasons, strict=True) if not reason]
    assert len(refused) > 20 and not accepted, "\n".join(
        f"{entry['config']}: the library raised {entry['error']}" for entry in accepted)
    assert not any(built)
    # Each kind of refusal is met: strides with dilation in Keras, groups that do not divide,
    # a kernel longer than the input, PyTorch's strided and transposed "same".
    raised = "\n".join(entry["error"] for entry in refused)
    for message in ("dilation_rate", "divisible", "zero or negative", "Kernel size can't",
                    "strided convolutions", "must be tuple of ints"):
        assert message in raised, message


@pytest.mark.parametrize("broken, replacement", [
    ('lstm: ["i", "f", "c", "o"]', 'lstm: ["i", "f", "o", "c"]'),  # a swapped gate order
    ("weights = `${volume} * ${grouped ? \"(d / g)\" : \"d\"} * u`;",
     "weights = `${volume} * d * u`;"),  # a grouped convolution counted as if it had no groups
    ('transpose: [["kernel", [...kernel, u, d]]', 'transpose: [["kernel", [...kernel, d, u]]'),
    ("return keras ? T * s + Math.max(span - s, 0) : (T - 1) * s + span;",
     "return (T - 1) * s + span;"),  # Keras' transposed output length taken for PyTorch's
    ("? 2 : 1;\n    }", "? 2 : 2;\n    }"),  # two biases where Keras keeps one
    ('state_shapes: kind === "lstm" ? [state, state.slice()] : [state]', "state_shapes: [state]"),
    # PyTorch's default layout written batch first, as if batch_first=True were the default
    ('input_shape: [config.timesteps, "batch", config.features]',
     'input_shape: ["batch", config.timesteps, config.features]'),
])
def test_a_wrong_formula_or_order_in_the_script_fails_the_comparison(context, results, broken, replacement):
    source = SCRIPT.read_text(encoding="utf-8")
    assert source.count(broken) == 1, f"{broken!r} is no longer in explorer.js: update this test"
    tab = context.new_page()
    tab.set_content("<!doctype html><title>broken</title>")
    tab.add_script_tag(content=source.replace(broken, replacement))
    entries = results["answers"]
    computed = tab.evaluate(COMPUTE, [entry["config"] for entry in entries])
    tab.close()
    assert mismatches(entries, computed), f"replacing {broken!r} went unnoticed"


def test_the_code_picks_the_torch_backend_where_tensorflow_refuses_to_run(context, site_url, results):
    """The code the page writes for a Keras convolution runs it on Keras' torch backend
    exactly where TensorFlow's CPU kernels raised for that configuration at build time."""
    tab = open_explorer(context, site_url + PAGE)
    entries = results["tensorflow_cpu"]
    reasons = tab.evaluate("configs => configs.map(c => WeightAtlasExplorer.tensorflowRefuses(c))",
                           [entry["config"] for entry in entries])
    tab.close()
    wrong = [f"{entry['config']}: TensorFlow {entry['error']!r}, page {reason!r}"
             for entry, reason in zip(entries, reasons, strict=True)
             if bool(entry["error"]) != bool(reason)]
    assert len(entries) > 100 and not wrong, "\n".join(wrong)
    assert 0 < sum(bool(entry["error"]) for entry in entries) < len(entries)


def random_configs(grid, count=16, seed=14):
    """Configurations whose sizes no grid entry has, of kinds of layer drawn at random."""
    from results.explorer.layouts import CONVOLUTIONS, configuration

    rng = random.Random(seed)
    layers = ["simple_rnn", "lstm", "gru", "dense", "embedding", *CONVOLUTIONS]
    kinds = [(framework, kind) for framework in ("keras", "pytorch") for kind in layers]
    kinds.append(("keras", "locally_connected"))
    rng.shuffle(kinds)
    grid_sizes = {(c["features"], c["units"], c["timesteps"]) for c in grid}
    configs = []
    for framework, kind in kinds[:count]:
        while True:
            features, units, timesteps = (rng.randint(2, 40) for _ in range(3))
            if (features, units, timesteps) not in grid_sizes:
                break
        config = configuration(
            framework=framework, layer=kind, features=features, units=units,
            timesteps=timesteps, kernel_size=rng.randint(1, timesteps), bias=rng.random() < 0.7,
            bidirectional=rng.random() < 0.5, layers=rng.choice((1, 2, 3)),
            return_sequences=rng.random() < 0.5, reset_after=rng.random() < 0.5,
            strides=rng.choice((1, 1, 2, 3)), dilation=rng.choice((1, 1, 2)),
            padding=rng.choice(("valid", "same")), groups=rng.choice((1, 1, 2, 3)),
            depth_multiplier=rng.choice((1, 2, 3)),
            data_format=rng.choice(("channels_last", "channels_first")),
        )
        configs.append(config)
    return configs


def test_the_page_answers_as_layers_built_now_outside_the_grid(context, site_url, results):
    from results.explorer import layouts as generator

    tab = open_explorer(context, site_url + PAGE)
    raw = random_configs([entry["config"] for entry in results["answers"]])
    normalized = tab.evaluate("configs => configs.map(c => WeightAtlasExplorer.normalize(c))", raw)
    attempts = [generator.attempt(config) for config in normalized]
    reasons = tab.evaluate(REFUSES, normalized)
    refused_here = [(config, error, reason) for config, (_, error), reason
                    in zip(normalized, attempts, reasons, strict=True) if bool(error) != bool(reason)]
    assert not refused_here, "\n".join(f"{config}: library {error!r}, page {reason!r}"
                                       for config, error, reason in refused_here)
    entries = [{"config": config, "answer": answer}
               for config, (answer, error) in zip(normalized, attempts, strict=True) if not error]
    computed = tab.evaluate(COMPUTE, [entry["config"] for entry in entries])
    tab.close()
    wrong = mismatches(entries, computed)
    assert len(entries) >= 8 and not wrong, "\n".join(wrong)


# One configuration per framework and layer, and the ones whose code differs most.
CODE_SAMPLES = [
    {"framework": framework, "layer": layer}
    for framework in ("keras", "pytorch")
    for layer in ("simple_rnn", "lstm", "gru", "dense", "conv1d")
] + [
    {"framework": "keras", "layer": "lstm", "bidirectional": True, "layers": 2,
     "return_sequences": False},
    {"framework": "keras", "layer": "gru", "bidirectional": True, "return_sequences": False,
     "bias": False},
    {"framework": "keras", "layer": "gru", "reset_after": False},
    {"framework": "keras", "layer": "locally_connected", "features": 1, "units": 1},
    {"framework": "keras", "layer": "locally_connected"},
    {"framework": "pytorch", "layer": "gru", "bidirectional": True, "layers": 2, "bias": False},
    {"framework": "pytorch", "layer": "locally_connected", "features": 1, "units": 1,
     "timesteps": 8},
] + [
    {"framework": framework, "layer": layer, **options}
    for framework in ("keras", "pytorch")
    for layer, options in (
        ("embedding", {}), ("conv2d", {"features": 6, "units": 4, "groups": 2}),
        ("conv3d", {"strides": 2, "bias": False}), ("conv1d_transpose", {"strides": 3, "kernel_size": 2}),
        ("conv2d_transpose", {"dilation": 2}), ("depthwise_conv2d", {"depth_multiplier": 2}),
        ("separable_conv1d", {"depth_multiplier": 2, "dilation": 2}),
    )
] + [
    {"framework": "keras", "layer": "conv2d", "strides": 2, "padding": "same", "kernel_size": 4},
    {"framework": "pytorch", "layer": "conv1d", "padding": "same", "kernel_size": 4},
    {"framework": "pytorch", "layer": "conv1d_transpose", "features": 6, "units": 4, "groups": 2},
    {"framework": "keras", "layer": "separable_conv2d", "data_format": "channels_first"},
    {"framework": "keras", "layer": "conv2d_transpose", "data_format": "channels_first",
     "strides": 2, "padding": "same"},
]
RUN_CODE = """
import json, sys, traceback
sys.path[:0] = [sys.argv[1] + "/snippets/convert", sys.argv[1] + "/snippets/layers"]
failed = []
for config, code in json.load(sys.stdin):
    try:
        exec(compile(code, "<explorer code>", "exec"), {"__name__": "explorer_code"})
    except Exception:
        failed.append(f"{config}:\\n{code}\\n{traceback.format_exc()}")
print(json.dumps(failed))
"""


def test_the_code_the_page_writes_runs_and_its_checks_pass(context, site_url):
    tab = open_explorer(context, site_url + PAGE)
    samples = tab.evaluate(
        "configs => configs.map(c => [WeightAtlasExplorer.normalize(c), WeightAtlasExplorer.code(c)])",
        CODE_SAMPLES)
    tab.close()
    assert all(code for _config, code in samples)
    too_long = [line for _c, code in samples for line in code.splitlines() if len(line) > 88]
    assert not too_long, f"code lines over 88 characters: {too_long}"
    # Code that picks Keras' torch backend (channels_first convolutions, which TensorFlow's
    # CPU kernels refuse) runs in a process of its own: a backend is chosen once.
    on_torch = [sample for sample in samples if '"KERAS_BACKEND"' in sample[1]]
    assert on_torch
    for group in (on_torch, [sample for sample in samples if sample not in on_torch]):
        run = subprocess.run(
            [sys.executable, "-c", RUN_CODE, str(ROOT)], input=json.dumps(group), cwd="/tmp",
            capture_output=True, text=True, timeout=600,
            env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
        )
        assert run.returncode == 0, run.stderr[-3000:]
        failed = json.loads(run.stdout.strip().splitlines()[-1])
        assert not failed, "\n\n".join(failed)


def form_state(tab):
    return tab.evaluate("""() => {
        const form = document.getElementById("explorer-form");
        return {framework: form.elements.framework.value, layer: form.elements.layer.value,
                features: form.elements.features.value, units: form.elements.units.value,
                bidirectional: form.elements.bidirectional.checked};
    }""")


def test_the_form_works_by_keyboard_and_its_url_reopens_the_configuration(context, site_url):
    from results.explorer import layouts as generator

    tab = open_explorer(context, site_url + PAGE + "?framework=pytorch&layer=gru")
    assert form_state(tab)["framework"] == "pytorch" and form_state(tab)["layer"] == "gru"
    tab.focus("#explorer-features")
    tab.keyboard.press("Control+A")
    tab.keyboard.type("12")
    tab.keyboard.press("Tab")  # to units
    tab.keyboard.press("Control+A")
    tab.keyboard.type("300")
    for _ in range(3):  # timesteps, kernel size (disabled: skipped), layers, bidirectional
        tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.id")
    assert focused == "explorer-bidirectional", focused
    tab.keyboard.press("Space")
    shown = int(tab.text_content("#explorer-count"))
    config = generator.configuration(framework="pytorch", layer="gru", features=12, units=300,
                                     bidirectional=True)
    assert shown == generator.answer(config)["parameters"]
    assert tab.get_attribute("#explorer-summary", "aria-live") == "polite"
    url = tab.url
    tab.close()
    assert "units=300" in url and "bidirectional=true" in url
    reopened = open_explorer(context, url)
    assert form_state(reopened) == {"framework": "pytorch", "layer": "gru", "features": "12",
                                    "units": "300", "bidirectional": True}
    assert int(reopened.text_content("#explorer-count")) == shown
    reopened.click("#explorer-copy-citation")
    citation = reopened.evaluate("navigator.clipboard.readText()")
    reopened.close()
    assert f"{shown} parameters" in citation and url in citation


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_explorer_is_accessible_and_fits_the_screen(browser, site_url, viewport, scheme):
    query = "?framework=keras&layer=lstm&features=300&units=300&bidirectional=true&layers=2"
    check_accessible_and_fits(browser, site_url + PAGE + query, viewport, scheme,
                              f"the explorer at {viewport} width, {scheme} scheme",
                              ready=("accessible", "explorer"))


def test_every_proof_the_explorer_links_to_exists(context, site_url, built_site):
    tab = open_explorer(context, site_url + PAGE)
    proofs = tab.evaluate("WeightAtlasExplorer.PROOFS")
    shown = tab.eval_on_selector_all("#explorer-details a", "links => links.map(a => a.href)")
    tab.close()
    base = site_url + PAGE
    assert {urljoin(base, href) for href in proofs.values()} >= set(shown)
    for name, href in proofs.items():
        url = urlparse(urljoin(base, href))
        target = built_site / url.path.lstrip("/")
        target = target / "index.html" if url.path.endswith("/") else target
        assert target.is_file(), f"{name}: {href} does not exist"
        if url.fragment:
            assert f'id="{url.fragment}"' in target.read_text(encoding="utf-8"), f"{name}: {href}"


def test_gate_colours_are_the_sites(results):
    css = (DOCS / "stylesheets" / "explorer.css").read_text(encoding="utf-8")
    rules = re.findall(r"\.explorer-gate-(\w) \{ --gate: (#\w+); --tint: (#\w+); \}", css)
    assert {gate: (colour, fill) for gate, colour, fill in rules} == {
        gate: (colour, tint(colour, 0.25)) for gate, colour in GATE_COLOURS.items()}
    assert set(results["gate_letters"]) <= set(GATE_COLOURS)


def test_only_the_explorer_loads_its_script_and_styles(built_site):
    for page in pages():
        html = (built_site / page_url(page) / "index.html").read_text(encoding="utf-8")
        loads = bool(re.search(r'src="[^"]*explorer\.js"|href="[^"]*explorer\.css"', html))
        assert loads == (page_url(page) == PAGE), page_url(page)
