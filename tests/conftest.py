import json
import types

import pytest
from filelock import FileLock

from tests.project import DEPENDS_ON_FAILED, ROOT
from tests.site_build import build

BUILD_TEST = "tests/test_site_build.py::test_the_site_builds_strictly"


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, worker_id):
    """One real `mkdocs build --strict` of the whole site per test run, and its result.

    With the tests spread over processes (pytest-xdist, `make test`), the first worker to
    need the site builds it, holding a lock, into the run's shared temporary folder; the
    others wait for it and read the same site and the same result."""
    if worker_id == "master":  # one process: pytest without -n
        site_dir = tmp_path_factory.mktemp("site")
        result = build(ROOT, site_dir)
        return site_dir, types.SimpleNamespace(returncode=result.returncode, stderr=result.stderr)
    shared = tmp_path_factory.getbasetemp().parent  # common to the run's workers
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
