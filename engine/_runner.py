"""Find every figure and facts script, run the ones whose cache key changed, report.

Each script runs in its own subprocess (`engine._render_one`), as many at once as there
are cores. Outputs are content-addressed (`<name>-<key>.svg` / `.json`), so a stale file
can never be served for a changed script, and a failed run leaves nothing behind.
"""
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from engine._cache_key import PROJECT_ROOT, inputs_of, key_of, what_changed


class GenerationError(Exception):
    """One or more scripts failed; the message names each with its traceback."""


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str  # "figure": how an error names the script
    folder: str  # where its scripts live, under the project root
    pattern: str  # which files there are scripts
    suffix: str  # what the script produces


FIGURE = Kind("figure", "diagrams", "*/fig_*.py", ".svg")
FACTS = Kind("facts", "facts", "*/*.py", ".json")
KINDS = (FIGURE, FACTS)


@dataclasses.dataclass(frozen=True)
class Product:
    kind: Kind
    script: Path  # diagrams/lstm/fig_cell.py or facts/lstm/weights.py
    name: str  # lstm/fig_cell or lstm/weights
    output: Path  # the cached file for the current key
    inputs: dict = dataclasses.field(compare=False, repr=False)  # what the key hashes

    @property
    def label(self) -> str:
        return f"{self.kind.name} {self.name}"

    @property
    def inputs_record(self) -> Path:
        """The inputs of this product's last run, to say what changed at the next one."""
        return cache_dir() / "inputs" / self.kind.folder / f"{self.name}.json"

    def why(self) -> str:
        record = self.inputs_record
        before = json.loads(record.read_text()) if record.is_file() else None
        return what_changed(before, self.inputs)

    @property
    def src_uri(self) -> str:
        """Where the site serves a figure: diagrams/lstm/fig_cell.svg."""
        return f"{self.kind.folder}/{self.name}{self.kind.suffix}"


@dataclasses.dataclass
class Report:
    products: list[Product]
    rendered: dict[str, float]  # "figure lstm/fig_cell" -> seconds
    cached: list[str]

    @property
    def figures(self) -> list[Product]:
        return [product for product in self.products if product.kind is FIGURE]

    @property
    def facts(self) -> list[Product]:
        return [product for product in self.products if product.kind is FACTS]

    def summary(self) -> str:
        return (
            f"{len(self.figures)} figures, {len(self.facts)} facts scripts: "
            f"{len(self.rendered)} run, {len(self.cached)} cached"
        )

    def timings(self) -> str:
        return "\n".join(f"{seconds:7.2f} s  {name}" for name, seconds in self.rendered.items())


def cache_dir() -> Path:
    return Path(os.environ.get("WEIGHT_ATLAS_CACHE", PROJECT_ROOT / ".cache"))


def discover(kinds=KINDS) -> list[Product]:
    products = []
    for kind in kinds:
        folder = PROJECT_ROOT / kind.folder
        for script in sorted(folder.glob(kind.pattern)):
            if script.name.startswith("_"):
                continue  # helpers shared by scripts, not scripts
            name = script.relative_to(folder).with_suffix("").as_posix()
            inputs = inputs_of(script)
            output = cache_dir() / kind.folder / f"{name}-{key_of(inputs)}{kind.suffix}"
            products.append(Product(kind=kind, script=script, name=name, output=output, inputs=inputs))
    return products


def traceback_of(stderr: str) -> str:
    """The Python traceback in a run's stderr, without the log lines libraries print first."""
    start = stderr.find("Traceback (most recent call last):")
    return stderr[start if start >= 0 else 0 :].strip()


def render_to(script: Path, output: Path) -> subprocess.CompletedProcess:
    """Run `engine._render_one` on one script in a fresh interpreter; no caching."""
    return subprocess.run(
        [sys.executable, "-m", "engine._render_one", str(script), str(output)],
        cwd=PROJECT_ROOT,
        # No __pycache__ writes: under `mkdocs serve` they would look like source changes.
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
             "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
    )


def render(product: Product) -> float:
    """Produce one output into the cache; raise GenerationError naming the script if it fails."""
    product.output.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=product.output.parent) as scratch:
        partial = Path(scratch) / product.output.name
        result = render_to(product.script, partial)
        if result.returncode != 0:
            script = product.script.relative_to(PROJECT_ROOT)
            raise GenerationError(
                f"{product.kind.name} script {script} failed:\n{traceback_of(result.stderr)}"
            )
        os.replace(partial, product.output)
    product.inputs_record.parent.mkdir(parents=True, exist_ok=True)
    product.inputs_record.write_text(json.dumps(product.inputs, indent=1, sort_keys=True))
    evict_older_outputs(product)
    return time.perf_counter() - started


# Outputs kept per product: the current one and a few earlier keys, so that a test's broken
# copy of the project (which shares the cache) does not evict the real project's outputs.
KEPT_OUTPUTS = 4


def evict_older_outputs(product: Product) -> None:
    stem = Path(product.name).name
    outputs = sorted(product.output.parent.glob(f"{stem}-*{product.kind.suffix}"),
                     key=lambda path: path.stat().st_mtime, reverse=True)
    for old in outputs[KEPT_OUTPUTS:]:
        old.unlink(missing_ok=True)  # another process may have evicted it already


def render_all(jobs: int | None = None, progress=lambda message: None) -> Report:
    """Produce what is not cached; raise GenerationError listing every script that failed.

    `progress` receives a line as each run starts and ends (MkDocs logs them under serve)."""
    products = discover()
    stale = [product for product in products if not product.output.exists()]
    for number, product in enumerate(stale, 1):
        progress(f"running {number}/{len(stale)}: {product.label} ({product.why()})")
    rendered, failures = {}, []
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        futures = {p.label: pool.submit(render, p) for p in stale}
        for name, future in futures.items():
            try:
                rendered[name] = future.result()
                progress(f"done: {name} in {rendered[name]:.1f} s")
            except GenerationError as error:
                failures.append(str(error))
    if failures:
        raise GenerationError("\n\n".join(failures))
    cached = [p.label for p in products if p not in stale]
    for product in products:
        if product not in stale:
            product.output.touch()  # recently used: the last to be evicted
    return Report(products=products, rendered=rendered, cached=cached)
