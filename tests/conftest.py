import pytest

from tests.project import ROOT
from tests.site_build import build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The whole site, built once per test session with `mkdocs build --strict`."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build(ROOT, site_dir)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"
    return site_dir
