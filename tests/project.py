"""Where things are, and how to read the pages' code blocks: shared by the tests."""
import dataclasses
import re
import runpy
import sys
import traceback
from pathlib import Path

from sybil import Document
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
DIAGRAMS = ROOT / "diagrams"

INCLUDE = re.compile(r'^\s*--8<--\s+"(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"\s*$')
FIGURE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<target>[^)\s]*diagrams/(?P<name>[\w/]+)\.svg)\)")


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def page_url(page: Path) -> str:
    """A page's URL path in the built site: "" for the home page, "lstm/weights/" else."""
    path = page.relative_to(DOCS).with_suffix("").as_posix()
    return "" if path == "index" else f"{path.removesuffix('/index')}/"


def snippet_files() -> list[Path]:
    return sorted(SNIPPETS.rglob("*.py"))


def figure_scripts() -> list[Path]:
    return sorted(DIAGRAMS.glob("*/fig_*.py"))


def where(path: Path, line: int | None = None) -> str:
    """`docs/lstm/weights.md:12`: how every failure names its place in its project."""
    project = next(parent for parent in path.parents if (parent / "mkdocs.yml").exists())
    name = path.relative_to(project).as_posix()
    return f"{name}:{line}" if line else name


@dataclasses.dataclass
class CodeBlock:
    page: Path
    line: int  # of the opening fence
    info: str  # everything after the fence: "python", "pycon", "python title=..."
    source: str

    @property
    def language(self) -> str:
        return self.info.split()[0] if self.info.split() else ""


def code_blocks(page: Path) -> list[CodeBlock]:
    """Every fenced block of a page, indented ones (tabs, admonitions) included."""
    text = page.read_text(encoding="utf-8")
    lexer = FencedCodeBlockLexer(language=r".*")
    return [
        CodeBlock(
            page=page,
            line=text.count("\n", 0, region.start) + 1,
            info=region.lexemes["language"].strip(),
            source=str(region.lexemes["source"]),
        )
        for region in lexer(Document(text, str(page)))
    ]


def includes(text: str) -> list[tuple[str, str | None]]:
    return [(m["path"], m["section"]) for m in map(INCLUDE.match, text.splitlines()) if m]


class SnippetFailed(AssertionError):
    pass


def run_snippet(path: Path) -> None:
    """Run a snippet as `python path` would, in this process (TensorFlow loads once).

    A failure is re-raised as SnippetFailed naming the snippet's own line:
    `snippets/lstm/gate_order.py:31: AssertionError: ...`.
    """
    saved_path = list(sys.path)
    sys.path.insert(0, str(path.parent))
    try:
        runpy.run_path(str(path), run_name="__main__")
    except Exception as error:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
        line = frames[-1].lineno if frames else None
        detail = "".join(traceback.format_exception_only(error)).strip()
        raise SnippetFailed(f"{where(path, line)}: {detail}") from error
    finally:
        sys.path[:] = saved_path
