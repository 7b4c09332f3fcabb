import functools
import http.server
import json
import os
import threading
import types

import pytest
from filelock import FileLock

from tests.browser import CHROMIUM, CHROMIUM_ARGS, QuietHandler
from tests.project import DEPENDS_ON_FAILED, ROOT
from tests.site_build import build

BUILD_TEST = "tests/test_site_build.py::test_the_site_builds_strictly"


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, worker_id):
    """One real `mkdocs build --strict` of the whole site per test run, and its result.

    With the tests spread over processes (pytest-xdist, `make test`), the first worker to
    need the site builds it, holding a lock, into the run's shared temporary folder; the
    others wait for it and read the same site and the same result."""
    # pytest without -n is one process ("master"): its own temporary folder is the run's.
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # common to the run's workers
    site_dir, record = shared / "site", shared / "site-build.json"
    with FileLock(shared / "site-build.lock"):
        if not record.is_file():
            result = build(ROOT, site_dir)
            record.write_text(json.dumps({"returncode": result.returncode, "stderr": result.stderr}))
    return site_dir, types.SimpleNamespace(**json.loads(record.read_text()))


@pytest.fixture(scope="session")
def built_site(site_build):
    """The built site. If the build failed, BUILD_TEST reports why, once; the tests that
    only read the site step aside instead of each repeating the same error."""
    site_dir, result = site_build
    if result.returncode != 0:
        pytest.skip(f"{DEPENDS_ON_FAILED}{BUILD_TEST}")
    return site_dir


# --- The browser checks: one server and one Chromium per test process -------------------

@pytest.fixture(scope="session")
def site_url(built_site):
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        message = "Debian's chromium is not installed: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
