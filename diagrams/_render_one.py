"""Render one figure script to SVG: `python -m diagrams._render_one SCRIPT OUTPUT`.

Runs in its own process, so every render starts from a clean matplotlib state and a
script's imports (TensorFlow, say) never stay loaded in MkDocs. The script only draws;
this module applies the shared style and owns saving.
"""
import importlib.util
import sys
from pathlib import Path

import matplotlib

matplotlib.use("svg")  # before pyplot is imported anywhere: no GUI backend, no display

import matplotlib.figure  # noqa: E402  (the backend must be chosen first)

from diagrams import _style  # noqa: E402

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Fixed ids and no timestamp: two renders of the same script are byte-identical.
DETERMINISTIC = {"svg.hashsalt": "weight-atlas"}


def load_script(script: Path):
    module_name = ".".join(script.relative_to(PROJECT_ROOT).with_suffix("").parts)
    spec = importlib.util.spec_from_file_location(module_name, script)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def title_of(module) -> str:
    lines = (module.__doc__ or "").strip().splitlines()
    if not lines or not lines[0].strip():
        raise ValueError("the script has no docstring; its first line is the figure's title")
    return lines[0].strip()


def render(script: Path, output: Path) -> None:
    matplotlib.rcParams.update({**_style.RC_PARAMS, **DETERMINISTIC})
    module = load_script(script)
    title = title_of(module)
    if not callable(getattr(module, "make_figure", None)):
        raise TypeError("the script defines no make_figure() -> Figure")
    figure = module.make_figure()
    if not isinstance(figure, matplotlib.figure.Figure):
        raise TypeError(f"make_figure() returned {type(figure).__name__}, not a Figure")
    figure.savefig(
        output, format="svg", bbox_inches="tight", metadata={"Date": None, "Title": title}
    )


if __name__ == "__main__":
    render(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
