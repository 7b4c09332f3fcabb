import pytest

from tests.project import DEPENDS_ON_FAILED, ROOT
from tests.site_build import build

BUILD_TEST = "tests/test_site_build.py::test_the_site_builds_strictly"


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    """One real `mkdocs build --strict` of the whole site per test session, and its result."""
    site_dir = tmp_path_factory.mktemp("site")
    return site_dir, build(ROOT, site_dir)


@pytest.fixture(scope="session")
def built_site(site_build):
    """The built site. If the build failed, BUILD_TEST reports why, once; the tests that
    only read the site step aside instead of each repeating the same error."""
    site_dir, result = site_build
    if result.returncode != 0:
        pytest.skip(f"{DEPENDS_ON_FAILED}{BUILD_TEST}")
    return site_dir
