"""Find every figure script, render the ones whose cache key changed, report what happened.

Each figure renders in its own subprocess (`diagrams._render_one`), as many at once as
there are cores. Outputs are content-addressed (`<name>-<key>.svg`), so a stale file can
never be served for a changed script, and a failed render leaves nothing behind.
"""
import dataclasses
import importlib.metadata
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from diagrams._cache_key import PACKAGE_DIR, PROJECT_ROOT, cache_key


class FigureError(Exception):
    """One or more figure scripts failed; the message names each with its traceback."""


@dataclasses.dataclass(frozen=True)
class Figure:
    script: Path  # diagrams/lstm/fig_cell.py
    name: str  # lstm/fig_cell: the SVG is served at diagrams/lstm/fig_cell.svg
    output: Path  # the cached SVG for the current key

    @property
    def src_uri(self) -> str:
        return f"diagrams/{self.name}.svg"


@dataclasses.dataclass
class Report:
    figures: list[Figure]
    rendered: dict[str, float]  # name -> seconds
    cached: list[str]

    def summary(self) -> str:
        return f"{len(self.figures)} figures: {len(self.rendered)} rendered, {len(self.cached)} cached"

    def timings(self) -> str:
        return "\n".join(f"{seconds:7.2f} s  {name}" for name, seconds in self.rendered.items())


def cache_dir() -> Path:
    return Path(os.environ.get("WEIGHT_ATLAS_CACHE", PROJECT_ROOT / ".cache")) / "diagrams"


def discover() -> list[Figure]:
    figures, distributions_of = [], importlib.metadata.packages_distributions()
    for script in sorted(PACKAGE_DIR.glob("*/fig_*.py")):
        name = script.relative_to(PACKAGE_DIR).with_suffix("").as_posix()
        output = cache_dir() / f"{name}-{cache_key(script, distributions_of)}.svg"
        figures.append(Figure(script=script, name=name, output=output))
    return figures


def traceback_of(stderr: str) -> str:
    """The Python traceback in a render's stderr, without the log lines libraries print first."""
    start = stderr.find("Traceback (most recent call last):")
    return stderr[start if start >= 0 else 0 :].strip()


def render_to(script: Path, output: Path) -> subprocess.CompletedProcess:
    """Run `diagrams._render_one` on one script in a fresh interpreter; no caching."""
    return subprocess.run(
        [sys.executable, "-m", "diagrams._render_one", str(script), str(output)],
        cwd=PROJECT_ROOT,
        # No __pycache__ writes: under `mkdocs serve` they would look like source changes.
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
             "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
    )


def render(figure: Figure) -> float:
    """Render one figure into the cache; raise FigureError naming the script if it fails."""
    figure.output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=figure.output.parent) as scratch:
        partial = Path(scratch) / figure.output.name
        result = render_to(figure.script, partial)
        if result.returncode != 0:
            script = figure.script.relative_to(PROJECT_ROOT)
            raise FigureError(f"figure script {script} failed:\n{traceback_of(result.stderr)}")
        os.replace(partial, figure.output)
    for old in figure.output.parent.glob(f"{Path(figure.name).name}-*.svg"):
        if old != figure.output:
            old.unlink()  # an earlier key's render: never servable again
    return time.perf_counter() - started


def render_all(jobs: int | None = None) -> Report:
    """Render what is not cached; raise FigureError listing every script that failed."""
    figures = discover()
    stale = [figure for figure in figures if not figure.output.exists()]
    rendered, failures = {}, []
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {figure.name: pool.submit(render, figure) for figure in stale}
        for name, future in futures.items():
            try:
                rendered[name] = future.result()
            except FigureError as error:
                failures.append(str(error))
    if failures:
        raise FigureError("\n\n".join(failures))
    cached = [figure.name for figure in figures if figure not in stale]
    return Report(figures=figures, rendered=rendered, cached=cached)
