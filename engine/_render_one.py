"""Run one script and write what it produces: `python -m engine._render_one SCRIPT OUTPUT`.

Runs in its own process, so every run starts from a clean state and a script's imports
(TensorFlow, say) never stay loaded in MkDocs. The script only computes or draws; this
module applies the shared style and owns writing.

What it runs depends on the folder SCRIPT is in:
- diagrams/: `make_figure() -> matplotlib Figure`, written as SVG; or `make_figure(layout)`,
  drawn "wide" and "narrow" (for phones: engine.products.narrow_of);
- facts/: `make_facts() -> dict[str, str | int]`, written as JSON;
- results/: `make_results(progress) -> dict`, written as JSON;
- notebooks/: `make_notebook() -> nbformat NotebookNode`, validated and written as .ipynb.
"""
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Fixed ids and no timestamp: two renders of the same script are byte-identical.
DETERMINISTIC = {"svg.hashsalt": "weight-atlas"}
FACT_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


def module_name(path: Path) -> str:
    """The dotted name a project file is imported by: diagrams/_style.py -> diagrams._style."""
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)


def load_script(script: Path):
    name = module_name(script)
    spec = importlib.util.spec_from_file_location(name, script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def title_of(module) -> str:
    lines = (module.__doc__ or "").strip().splitlines()
    if not lines or not lines[0].strip():
        raise ValueError("the script has no docstring; its first line is its title")
    return lines[0].strip()


def render_figure(script: Path, output: Path) -> None:
    """`make_figure()` as SVG at `output`. A script whose make_figure takes `layout` is drawn
    twice: "wide" at `output`, "narrow" (for phones) beside it (engine.products.narrow_of)."""
    import inspect

    import matplotlib

    matplotlib.use("svg")  # before pyplot is imported anywhere: no GUI backend, no display
    import matplotlib.figure

    from engine.products import narrow_of
    from engine.settings import SETTINGS

    style = getattr(importlib.import_module(module_name(SETTINGS.figure_style)), SETTINGS.figure_style_name)
    matplotlib.rcParams.update({**style, **DETERMINISTIC})
    module = load_script(script)
    title = title_of(module)
    make_figure = getattr(module, "make_figure", None)
    if not callable(make_figure):
        raise TypeError("the script defines no make_figure() -> Figure")
    if "layout" in inspect.signature(make_figure).parameters:
        drawn = {output: make_figure(layout="wide"), narrow_of(output): make_figure(layout="narrow")}
    else:
        drawn = {output: make_figure()}
    for path, figure in drawn.items():  # the runner moves them into the cache, narrow first
        if not isinstance(figure, matplotlib.figure.Figure):
            raise TypeError(f"make_figure() returned {type(figure).__name__}, not a Figure")
        figure.savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None, "Title": title})
        path.write_text(with_fallback_fonts(path.read_text(encoding="utf-8")), encoding="utf-8")


# Lettering is real SVG text, drawn with the reader's fonts: name close relatives of the
# DejaVu faces matplotlib lays it out with, so a machine without them keeps the proportions.
FALLBACK_FONTS = {
    "'DejaVu Sans Mono'": "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace",
    "'DejaVu Sans'": "'DejaVu Sans', Verdana, 'Bitstream Vera Sans', sans-serif",
}


def with_fallback_fonts(svg: str) -> str:
    for family, stack in FALLBACK_FONTS.items():
        svg = svg.replace(f"font-family: {family};", f"font-family: {stack};")
        svg = svg.replace(f"font-family: {family}\"", f"font-family: {stack}\"")
    return svg


def checked_facts(facts) -> dict[str, str | int]:
    """The facts as JSON can hold them; anything else is a mistake in the script."""
    if not isinstance(facts, dict):
        raise TypeError(f"make_facts() returned {type(facts).__name__}, not a dict")
    for name, value in facts.items():
        if not isinstance(name, str) or not FACT_NAME.match(name):
            raise ValueError(f"fact name {name!r} is not a lowercase identifier")
        # bool is an int subclass, but True on a page is almost surely a slip.
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TypeError(
                f"fact {name!r} is a {type(value).__name__}: format it as the page shows it (str)"
            )
    return facts


def compute_facts(script: Path, output: Path) -> None:
    module = load_script(script)
    title_of(module)
    if not callable(getattr(module, "make_facts", None)):
        raise TypeError("the script defines no make_facts() -> dict")
    facts = checked_facts(module.make_facts())
    output.write_text(json.dumps(facts, indent=1, ensure_ascii=False, sort_keys=True) + "\n")


def compute_results(script: Path, output: Path) -> None:
    from engine import results

    module = load_script(script)
    title_of(module)
    output.write_text(json.dumps(results.compute(module), allow_nan=False) + "\n")


def write_notebook(script: Path, output: Path) -> None:
    import nbformat

    module = load_script(script)
    title_of(module)
    if not callable(getattr(module, "make_notebook", None)):
        raise TypeError("the script defines no make_notebook() -> NotebookNode")
    notebook = module.make_notebook()
    # nbformat gives each new cell a random id: fixed ones, from place and content, make two
    # renders of the same script byte-identical, as a figure's are.
    for number, cell in enumerate(notebook.get("cells", [])):
        if isinstance(cell, dict) and "id" in cell:
            cell["id"] = hashlib.sha256(f"{number}\n{cell.get('source', '')}".encode()).hexdigest()[:8]
    nbformat.validate(notebook)  # raises, naming what is wrong, before anything is written
    output.write_text(nbformat.writes(notebook), encoding="utf-8")


def run(script: Path, output: Path) -> None:
    from engine.products import FACTS, FIGURE, NOTEBOOK, RESULTS, kind_of

    produce = {FIGURE: render_figure, FACTS: compute_facts, RESULTS: compute_results,
               NOTEBOOK: write_notebook}[kind_of(script)]
    produce(script, output)


def run_forked(script: Path, output: Path, log: Path, environment: dict[str, str]) -> None:
    """`run`, in a fork of the engine's preloaded server (engine/_runner.py): its output and
    traceback go to `log`, and it starts as `python -m engine._render_one` would, after the
    preloaded imports: the caller's environment, the project first on sys.path, no bytecode
    written, the working directory at the project root."""
    import os
    import traceback

    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(descriptor, 1)
    os.dup2(descriptor, 2)
    sys.stdout.reconfigure(line_buffering=True)
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(PROJECT_ROOT)
    sys.path[:0] = [str(PROJECT_ROOT), str(PROJECT_ROOT / "src")]
    sys.dont_write_bytecode = True
    code = 0
    try:
        run(script, output)
    except BaseException:
        traceback.print_exc()
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # no exit handlers of the libraries inherited from the server


if __name__ == "__main__":
    run(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
