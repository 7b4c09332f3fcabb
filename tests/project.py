"""Where things are, and how to read the pages' code blocks: shared by the tests."""
import contextlib
import dataclasses
import difflib
import importlib
import os
import re
import runpy
import sys
import tempfile
import traceback
from pathlib import Path

from engine.page import Include, Page, page_of, snippet_notation  # noqa: F401  (re-exported for the rules)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DIAGRAMS = ROOT / "diagrams"
FACTS = ROOT / "facts"

# The reason a test gives when it skips only because a check it needs already failed in
# this session (the site build, say): that failure is reported, so the skip hides nothing.
# Any other skip fails when the environment variable CI is set (see conftest.py).
DEPENDS_ON_FAILED = "depends on a check that failed: "
# The start of a driver script (`python -I -c ...`, the project's root as argv[1]) that runs
# a file as a reader would: this project's folders and its editable install of the package
# (a path entry or an import hook) are taken out of sight, so only the pinned libraries stay.
WITHOUT_THIS_PROJECT = r"""
import importlib.util, os, sys
root = os.path.realpath(sys.argv[1])
sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != root
               and not os.path.realpath(p or ".").startswith(os.path.join(root, "src"))]
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__.lower()]
importlib.invalidate_caches()
"""

FIGURE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]*diagrams/(?P<name>[\w/]+)\.svg)\)")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def page_url(page: Path) -> str:
    """A page's URL path in the built site: "" for the home page, "lstm/weights/" else."""
    path = page.relative_to(DOCS).with_suffix("").as_posix()
    return "" if path == "index" else f"{path.removesuffix('/index')}/"


def notebook_page_urls() -> list[str]:
    """URL paths of the pages that `notebooks/<topic>/<page_name>.py` make (mkdocs-jupyter)."""
    scripts = sorted((ROOT / "notebooks").glob("*/*.py"))
    return [f"{script.parent.name}/{script.stem.replace('_', '-')}/" for script in scripts
            if not script.name.startswith("_")]


def generated_page_urls() -> list[str]:
    """URL paths of the pages the build writes itself: the questions index."""
    from engine import questions  # plain Python, no TensorFlow

    return [page_url(DOCS / questions.PAGE)]


def snippet_files() -> list[Path]:
    return sorted(SNIPPETS.rglob("*.py"))


def figure_scripts() -> list[Path]:
    return sorted(DIAGRAMS.glob("*/fig_*.py"))


def facts_scripts() -> list[Path]:
    """`facts/**/*.py`: build-time code whose values pages show; [] without a facts/."""
    return python_files(FACTS)


def python_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def where(path: Path, line: int | None = None) -> str:
    """`docs/lstm/weights.md:12`: how every failure names its place in its project."""
    project = next(parent for parent in path.parents if (parent / "mkdocs.yml").exists())
    name = path.relative_to(project).as_posix()
    return f"{name}:{line}" if line else name


@dataclasses.dataclass
class CodeBlock:
    page: Path | None
    line: int  # of the opening fence
    info: str  # everything after the fence, stripped: "python", "pycon", "{ .py title=x }"
    source: str  # the lines between the fences, without the prefix of a tab or list item
    end: int = 0  # the line of the closing fence
    info_as_written: str = ""  # unstripped: Sybil runs a block only if this is "pycon"

    @property
    def language(self) -> str:
        """The language a renderer reads, lower case: from `python title=...`, `Python`,
        `{ .python }` or `{.py title="x"}` alike; "" for a block that names none."""
        if self.info.startswith("{"):
            first_class = re.search(r"(?:^|[\s{])\.([^\s{}.#=]+)", self.info)
            return first_class[1].lower() if first_class else ""
        return re.split(r"[\s{]", self.info, maxsplit=1)[0].lower()


def fenced_blocks(text: str, page: Path | None = None) -> list[CodeBlock]:
    """Every ``` or ~~~ fenced block of a Markdown text, indented ones (tabs, admonitions,
    list items) included, as the page model reads them (engine/page.py)."""
    return [
        CodeBlock(page=page, line=block.line, info=block.info, source=block.source,
                  end=block.end, info_as_written=block.info_as_written)
        for block in Page(text, str(page)).blocks
    ]


def code_blocks(page: Path) -> list[CodeBlock]:
    """Every fenced block of a page."""
    return fenced_blocks(page.read_text(encoding="utf-8"), page)


def page_includes(text: str) -> list[Include]:
    """What pymdownx.snippets includes from a page (engine/page.py reads them with its own
    patterns): inline `--8<-- "file:section"` lines and the paths of `--8<--` blocks."""
    return page_of(text).includes


def includes(text: str) -> list[tuple[str, str | None]]:
    """(path, section) of each include; section is None for a whole file or line range."""
    return [(include.path, include.section) for include in page_includes(text)]


class SnippetFailed(AssertionError):
    pass


# What a reader's machine lacks: this project's importable folders and its package.
PROJECT_PACKAGES = ("engine", "facts", "results", "snippets", "diagrams", "notebooks", "tests", "weightatlas")


def run_snippet(path: Path) -> None:
    """Run a snippet as a reader runs its download: the file the site serves
    (engine/downloads.py: the snippets it imports inlined, the package modules it uses
    carried), alone in an empty folder, as `python file.py` would, with nothing of this
    project importable; in this process, so TensorFlow loads once.

    A failure is re-raised as SnippetFailed naming the line it came from in the project:
    `snippets/lstm/gate_order.py:31: AssertionError: ...` (or in a snippet it inlines).
    """
    from engine import downloads

    root = next(parent for parent in path.parents if (parent / "mkdocs.yml").exists())
    served = downloads.self_contained(path, root)
    with tempfile.TemporaryDirectory() as folder, as_a_reader(root, Path(folder) / path.name):
        download = Path(folder) / path.name
        download.write_text(served, encoding="utf-8")
        try:
            runpy.run_path(str(download), run_name="__main__")
        except Exception as error:
            frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == download]
            origin = origin_of(frames[-1].lineno, served, path, root) if frames else where(path)
            detail = "".join(traceback.format_exception_only(error)).strip()
            raise SnippetFailed(f"{origin}: {detail}") from error


@contextlib.contextmanager
def as_a_reader(root: Path, download: Path):
    """This process as a reader's would be while `download` runs: the working directory its
    empty folder, first on the path; this project's folders (`root`'s and, for a copy of the
    project, those of the checkout running the tests), its editable install and its modules
    out of sight (imported ones hidden, then put back); `sys.argv` the file's."""
    roots, folder = {root.resolve(), ROOT.resolve()}, download.parent
    saved = list(sys.path), list(sys.argv), os.getcwd()
    editable = [finder for finder in sys.meta_path if "editable" in type(finder).__module__.lower()]
    hidden = {name: module for name, module in sys.modules.items() if name.split(".")[0] in PROJECT_PACKAGES}
    for name in hidden:
        del sys.modules[name]
    environment = Path(sys.prefix).resolve()  # the venv, which may live inside the checkout

    def of_this_project(entry: str) -> bool:
        resolved = Path(entry or ".").resolve()
        return any(resolved.is_relative_to(root) for root in roots) and not resolved.is_relative_to(environment)

    sys.path[:] = [str(folder)] + [entry for entry in sys.path if not of_this_project(entry)]
    sys.meta_path[:] = [finder for finder in sys.meta_path if finder not in editable]
    sys.argv[:] = [str(download)]
    importlib.invalidate_caches()
    os.chdir(folder)
    try:
        yield
    finally:
        sys.path[:], sys.argv[:], cwd = saved
        # The download's own finders go (one that carries the package's modules would let the
        # next download import them); a library's stay (six's, for six.moves); the
        # editable install's come back.
        sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__module__ != "__main__"]
        sys.meta_path.extend(editable)
        os.chdir(cwd)
        for name in [name for name in sys.modules if name.split(".")[0] in PROJECT_PACKAGES]:
            del sys.modules[name]  # none should be: a download that imported one failed
        sys.modules.update(hidden)
        importlib.invalidate_caches()


def origin_of(line: int, served: str, snippet: Path, root: Path) -> str:
    """Where line `line` of a download comes from: the snippet's own line, or a line of a
    snippet it inlines (engine/downloads.py marks each), or else the download's."""
    served_lines = served.splitlines()
    sources = [snippet] + [root / name for name in re.findall(r"^# --- (\S+\.py), inlined", served, re.M)]
    for source in sources:
        lines = source.read_text(encoding="utf-8").splitlines()
        matcher = difflib.SequenceMatcher(None, served_lines, lines, autojunk=False)
        for block in matcher.get_matching_blocks():
            if block.a < line <= block.a + block.size:
                return where(source, block.b + line - block.a)
    return f"{where(snippet)} (line {line} of its download)"
