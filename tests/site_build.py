"""Run the real `mkdocs build` on the project or on a copy of it (tests and benchmarks)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.project import ROOT

# What a build reads. A copy of these is a complete project that can be broken on purpose.
PROJECT_PARTS = ("mkdocs.yml", "docs", "snippets", "diagrams", "facts", "results", "notebooks", "engine",
                 "hooks", "overrides", "src", "pyproject.toml")


def build(
    project: Path,
    site_dir: Path,
    *,
    cache: Path | None = None,
    config: str = "mkdocs.yml",
    strict: bool = True,
    site_url: str = "",
) -> subprocess.CompletedProcess:
    """Build `project` into `site_dir`. By default figures come from the cache this process
    was given (WEIGHT_ATLAS_CACHE: the real project's, when a test runs the project's tests
    on a broken copy of it), else from the project's own; so a copy renders only the figures
    it changed."""
    cache = cache or Path(os.environ.get("WEIGHT_ATLAS_CACHE", ROOT / ".cache"))
    command = [sys.executable, "-m", "mkdocs", "build", "--config-file", config]
    command += ["--site-dir", str(site_dir)] + (["--strict"] if strict else [])
    return subprocess.run(
        command,
        cwd=project,
        env={
            **os.environ,
            "WEIGHT_ATLAS_CACHE": str(cache),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "NO_MKDOCS_2_WARNING": "1",
            "SITE_URL": site_url,  # empty: a local build, as `make build` without SITE_URL
        },
        capture_output=True,
        text=True,
    )


# What the test suite adds, for tests that run the project's own checks on a broken copy.
TEST_PARTS = ("tests", "conftest.py", "pytest.ini")


def copy_project(destination: Path, *, with_tests: bool = False) -> Path:
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS + (TEST_PARTS if with_tests else ()):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination
