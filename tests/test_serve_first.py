"""`mkdocs serve` shows pages at once and computes behind (engine/background.py); a build
never shows what a preview shows while it waits.

The preview runs on a copy of the project whose edits leave one facts script and one figure
script to compute, with the rest from this run's cache, as a newcomer's edit would. How soon
a preview answers from an empty cache is measured by benchmarks/build_cost.py, not here.
"""
import importlib.util
import os
import socket
import subprocess
import sys
import time
import types
import urllib.request
import uuid

import pytest
from mkdocs.exceptions import PluginError

from engine import build_state
from engine.placeholders import PENDING
from tests.project import ROOT
from tests.site_build import copy_project

# Edited in the copy: their keys change, so the preview must compute them; each waits for the
# test to open a gate, so the test sees the stand-ins for as long as it needs.
EDITED = {"facts/layers/flatten.py": "facts layers/flatten", "diagrams/layers/fig_flatten_order.py":
          "figure layers/fig_flatten_order"}
WAIT_FOR_THE_GATE = """
import os as _os, pathlib as _pathlib, time as _time
while not _pathlib.Path(_os.environ["WEIGHT_ATLAS_TEST_GATE"]).exists():
    _time.sleep(0.2)
"""
PAGE = "layers/flatten/"
FIGURE = "diagrams/layers/fig_flatten_order.svg"
# A page (not the blank one between two loads) without the banner.
LANDED = "document.readyState === 'complete' && document.querySelector('article') && !document.getElementById('being-computed')"
LANDING = 300  # seconds: long enough for the two scripts on a busy machine; not a speed check


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetched(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=10).read().decode()
    except OSError:
        return None


@pytest.fixture
def preview(tmp_path):
    project = copy_project(tmp_path / "project")
    for edited in EDITED:
        path = project / edited
        # This run's own code, so no earlier run's output is in the cache.
        path.write_text(path.read_text() + WAIT_FOR_THE_GATE + f"_THIS_RUN = {uuid.uuid4().hex!r}\n")
    gate = tmp_path / "gate"
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
        env={**os.environ, "WEIGHT_ATLAS_CACHE": os.environ.get("WEIGHT_ATLAS_CACHE", str(ROOT / ".cache")),
             "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "",
             "WEIGHT_ATLAS_TEST_GATE": str(gate)},
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        while fetched(url) is None:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        yield url, gate, tmp_path / "serve.log"
    finally:
        server.terminate()
        server.wait()
        log.close()


@pytest.mark.browser
def test_a_preview_shows_stand_ins_at_once_and_reloads_when_they_land(preview, browser):
    url, gate, log = preview
    first = fetched(url + PAGE)
    assert 'id="being-computed"' in first, "the page did not say what it waits for"
    for label in EDITED.values():
        assert label in first, f"the banner does not name {label}"
    assert PENDING in first, "a fact still being computed is not shown as such"
    assert f"being computed: {EDITED['diagrams/layers/fig_flatten_order.py']}" in fetched(url + FIGURE)

    tab = browser.new_page()
    try:
        tab.goto(url + PAGE)
        gate.touch()
        # The page reloads itself (MkDocs' livereload) when the engine's products land.
        tab.wait_for_function(LANDED, timeout=LANDING * 1000)
        shown = tab.content()
    finally:
        tab.close()
    assert PENDING not in shown, log.read_text()
    assert "being computed" not in fetched(url + FIGURE)


def computed_hook():
    """hooks/computed.py, loaded as MkDocs loads a hook: a module of its own."""
    spec = importlib.util.spec_from_file_location("computed_hook", ROOT / "hooks" / "computed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_build_refuses_a_page_that_shows_a_stand_in(monkeypatch):
    monkeypatch.setattr(build_state, "COMMAND", "build")
    page = types.SimpleNamespace(file=types.SimpleNamespace(src_uri="lstm/weights.md"))
    with pytest.raises(PluginError, match="lstm/weights.md shows"):
        computed_hook().on_page_content(f"<p>The order is {PENDING}.</p>", page, None, None)
