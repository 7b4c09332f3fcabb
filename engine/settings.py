"""The project's settings for the engine, from one place: `[tool.weight-atlas.engine]` in
pyproject.toml. The engine names no library and no project file itself; what a script runs
with (its environment, the figure style, the libraries imported ahead of it) is read here.
"""
import dataclasses
import os
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = PROJECT_ROOT / "pyproject.toml"
GIB = 1024**3


@dataclasses.dataclass(frozen=True)
class Settings:
    environment: dict[str, str]  # set for every script run
    preload: tuple[str, ...]  # imported once by the fork server
    figure_style: Path  # the module whose `figure_style_name` every figure is drawn with
    figure_style_name: str
    always_versioned: tuple[str, ...]  # distributions every figure's key names
    implied_distributions: dict[str, tuple[str, ...]]  # keras -> (tensorflow,)
    time_limit: float  # seconds a script may run
    memory_per_run: int  # bytes one run may need

    def jobs(self, cores: int | None = None, available: int | None = None) -> int:
        """Scripts to run at once: one per core, fewer if the memory free now cannot hold
        that many runs (a run killed for memory is reported, never retried)."""
        cores = cores or os.cpu_count() or 1
        available = available_memory() if available is None else available
        return max(1, min(cores, available // self.memory_per_run))


def available_memory() -> int:
    """Bytes the kernel says it can give without swapping (MemAvailable)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def load(pyproject: Path = PYPROJECT) -> Settings:
    """The settings, with a clear error naming the file and the key that is missing or wrong."""
    with pyproject.open("rb") as file:
        table = tomllib.load(file).get("tool", {}).get("weight-atlas", {}).get("engine")
    if table is None:
        raise KeyError(f"{pyproject} has no [tool.weight-atlas.engine] table")

    def value(key: str, kind: type):
        if key not in table:
            raise KeyError(f"{pyproject}: [tool.weight-atlas.engine] has no {key!r}")
        if not isinstance(table[key], kind):
            raise TypeError(f"{pyproject}: [tool.weight-atlas.engine] {key} is not a {getattr(kind, '__name__', kind)}")
        return table[key]

    style_file, _, style_name = value("figure-style", str).partition(":")
    if not style_name or not (PROJECT_ROOT / style_file).is_file():
        raise ValueError(f"{pyproject}: figure-style must be 'path/to/module.py:NAME' of a project file")
    return Settings(
        environment={name: str(setting) for name, setting in value("environment", dict).items()},
        preload=tuple(value("preload", list)),
        figure_style=PROJECT_ROOT / style_file,
        figure_style_name=style_name,
        always_versioned=tuple(value("always-versioned", list)),
        implied_distributions={name: tuple(implied) for name, implied
                               in value("implied-distributions", dict).items()},
        time_limit=float(value("time-limit-seconds", int | float)),
        memory_per_run=int(value("memory-per-run-gib", int | float) * GIB),
    )


SETTINGS = load()
