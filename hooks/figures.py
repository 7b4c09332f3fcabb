"""Serve the figures that `python -m diagrams` renders, as generated files.

A thin adapter: all the work is in diagrams/_runner.py, which any other renderer can call.
Nothing is written into docs/ (that would re-trigger `mkdocs serve` forever); each SVG is
registered from the cache under `diagrams/<topic>/fig_<what>.svg`.
"""
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from diagrams._runner import FigureError, render_all  # noqa: E402  (needs the path above)

log = logging.getLogger("mkdocs.hooks.figures")


def on_files(files, config):
    try:
        report = render_all()
    except FigureError as error:
        raise PluginError(str(error)) from None  # fail the build; serve no stale figure
    log.info("diagrams: %s", report.summary())
    for figure in report.figures:
        files.append(File.generated(config, figure.src_uri, abs_src_path=str(figure.output)))
    return files
