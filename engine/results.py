"""Read what a results script computed: `load(module)` from a figure, facts or notebook script.

A results script (`results/<topic>/<name>.py`) defines `make_results(progress) -> dict`: a
computation too long to repeat for every reader, such as training a model. The runner runs
it once per cache key, before the scripts that read it. A reader imports the results module
itself (so the reader's own cache key follows the results script's code) and calls `load`.
"""
import json
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from engine.products import PROGRESS_MARK, RESULTS, product_of


def report_progress(message: str) -> None:
    """A line in the build log while a long script runs (the runner forwards it)."""
    print(f"{PROGRESS_MARK}{message}", file=sys.stderr, flush=True)


def compute(module: ModuleType) -> dict:
    if not callable(getattr(module, "make_results", None)):
        raise TypeError(f"{module.__name__} defines no make_results(progress) -> dict")
    results = module.make_results(report_progress)
    if not isinstance(results, dict):
        raise TypeError(f"make_results() returned {type(results).__name__}, not a dict")
    json.dumps(results, allow_nan=False)  # JSON can hold it, or fail here, naming nothing stale
    return results


def load(module: ModuleType) -> dict:
    """The results of `module` for its current code and libraries: from the cache, or
    computed now and cached (when a script runs outside the runner)."""
    product = product_of(RESULTS, Path(module.__file__).resolve())
    if not product.output.exists():
        results = compute(module)
        product.output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=product.output.parent, delete=False,
                                         suffix=".partial") as partial:
            json.dump(results, partial, allow_nan=False)
        os.replace(partial.name, product.output)
    return json.loads(product.output.read_text(encoding="utf-8"))
