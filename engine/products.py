"""What the engine produces: the kinds of script, each product's script and cached output,
and what a run reports. Plain data and paths: the runner (engine/_runner.py) runs the
scripts, the renderer (engine/_render_one.py) and the readers (engine/results.py,
engine/facts.py) only need to know where a product lives.
"""
import dataclasses
import json
import os
from pathlib import Path

from engine._cache_key import PROJECT_ROOT, inputs_of, key_of, save_memo, what_changed


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str  # "figure": how an error names the script
    folder: str  # where its scripts live, under the project root
    pattern: str  # which files there are scripts
    suffix: str  # what the script produces


RESULTS = Kind("results", "results", "*/*.py", ".json")
FIGURE = Kind("figure", "diagrams", "*/fig_*.py", ".svg")
FACTS = Kind("facts", "facts", "*/*.py", ".json")
NOTEBOOK = Kind("notebook", "notebooks", "*/*.py", ".ipynb")
KINDS = (RESULTS, FIGURE, FACTS, NOTEBOOK)
# Run in this order: figures, facts and notebooks read what results scripts computed.
STAGES = ((RESULTS,), (FIGURE, FACTS, NOTEBOOK))
PROGRESS_MARK = "weight-atlas-progress: "


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
        """Where the site serves it: diagrams/lstm/fig_cell.svg, results/training/x.json, or
        for a notebook the documentation page training/mod-weights-notebook.ipynb."""
        if self.kind is NOTEBOOK:
            topic, name = self.name.split("/")
            return f"{topic}/{name.replace('_', '-')}{self.kind.suffix}"
        return f"{self.kind.folder}/{self.name}{self.kind.suffix}"

    @property
    def narrow_output(self) -> Path | None:
        """A figure's layout for phones, if its script draws one (engine/_render_one.py)."""
        narrow = narrow_of(self.output)
        return narrow if self.kind is FIGURE and narrow.is_file() else None

    @property
    def narrow_src_uri(self) -> str:
        return narrow_of(Path(self.src_uri)).as_posix()


def narrow_of(output: Path) -> Path:
    """Where a figure's narrow layout sits beside its wide one: fig_cell.svg -> fig_cell.narrow.svg."""
    return output.with_name(f"{output.stem}{NARROW}{output.suffix}")


NARROW = ".narrow"


@dataclasses.dataclass
class Report:
    products: list[Product]
    rendered: dict[str, float]  # "figure lstm/fig_cell" -> seconds
    cached: list[str]

    def of_kind(self, kind: Kind) -> list[Product]:
        return [product for product in self.products if product.kind is kind]

    @property
    def figures(self) -> list[Product]:
        return self.of_kind(FIGURE)

    @property
    def facts(self) -> list[Product]:
        return self.of_kind(FACTS)

    @property
    def results(self) -> list[Product]:
        return self.of_kind(RESULTS)

    @property
    def notebooks(self) -> list[Product]:
        return self.of_kind(NOTEBOOK)

    def summary(self) -> str:
        counts = ", ".join(f"{len(self.of_kind(kind))} {kind.name}" for kind in KINDS)
        return f"{counts} scripts: {len(self.rendered)} run, {len(self.cached)} cached"

    def timings(self) -> str:
        return "\n".join(f"{seconds:7.2f} s  {name}" for name, seconds in self.rendered.items())


def cache_dir() -> Path:
    return Path(os.environ.get("WEIGHT_ATLAS_CACHE", PROJECT_ROOT / ".cache"))


def product_of(kind: Kind, script: Path) -> Product:
    name = script.relative_to(PROJECT_ROOT / kind.folder).with_suffix("").as_posix()
    inputs = inputs_of(script, figure=kind is FIGURE, notebook=kind is NOTEBOOK)
    output = cache_dir() / kind.folder / f"{name}-{key_of(inputs)}{kind.suffix}"
    return Product(kind=kind, script=script, name=name, output=output, inputs=inputs)


def kind_of(script: Path) -> Kind:
    """The kind of a script, from the folder it lives in."""
    folder = script.resolve().relative_to(PROJECT_ROOT).parts[0]
    for kind in KINDS:
        if kind.folder == folder:
            return kind
    raise ValueError(f"{script} is in none of {', '.join(k.folder for k in KINDS)}/")


def discover(kinds=KINDS) -> list[Product]:
    products = []
    for kind in kinds:
        for script in sorted((PROJECT_ROOT / kind.folder).glob(kind.pattern)):
            if not script.name.startswith("_"):  # helpers shared by scripts, not scripts
                products.append(product_of(kind, script))
    save_memo()
    return products
