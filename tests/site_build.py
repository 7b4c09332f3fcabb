"""Run the real `mkdocs build --strict` on the project or on a copy of it."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.project import ROOT

# What a build reads. A copy of these is a complete project that can be broken on purpose.
PROJECT_PARTS = ("mkdocs.yml", "docs", "snippets", "diagrams", "hooks", "overrides")


def build(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """Build `project` into `site_dir`; figures come from the shared cache when unchanged."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project,
        env={
            **os.environ,
            "WEIGHT_ATLAS_CACHE": str(ROOT / ".cache"),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "NO_MKDOCS_2_WARNING": "1",
        },
        capture_output=True,
        text=True,
    )


def copy_project(destination: Path) -> Path:
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / part)
    return destination
