"""Serve what the truth engine computes: figures and results as files, facts inside the pages.

A thin adapter over `engine/` (plain Python that any renderer can call). Nothing is written
into docs/ (that would re-trigger `mkdocs serve` forever): each SVG is registered from the
cache under `diagrams/<topic>/fig_<what>.svg`, each notebook script's notebook becomes a page,
and `{{ name }}` placeholders are replaced in a page's source before MkDocs reads it, after
its includes are checked, so that each error names the page and line that caused it. The
other hooks read this build's report and facts from `engine.build_state`.
"""
import logging
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import build_state  # noqa: E402  (needs the path above)
from engine._runner import GenerationError, cache_dir, render_all  # noqa: E402

log = logging.getLogger("mkdocs.hooks.computed")


@event_priority(50)  # first: before mkdocs-jupyter's (0), which turns the notebooks added here into pages
def on_files(files, config):
    try:
        report = render_all(progress=lambda message: log.info("engine: %s", message))
    except GenerationError as error:
        raise PluginError(str(error)) from None  # fail the build; serve nothing stale
    log.info("engine: %s", report.summary())
    build_state.start(report)
    # Figures and results at their own paths; notebook scripts' notebooks as pages.
    for product in report.figures + report.results:
        files.append(File.generated(config, product.src_uri, abs_src_path=str(product.output)))
    for figure in report.figures:
        if figure.narrow_output:  # the layout for phones (hooks/page_html.py serves it to them)
            files.append(File.generated(config, figure.narrow_src_uri, abs_src_path=str(figure.narrow_output)))
    for notebook in report.notebooks:
        files.append(notebook_page(notebook, config))
    return files


def notebook_page(notebook, config) -> File:
    """A notebook page for mkdocs-jupyter, which wraps the File it is given. Its wrapper
    loses a generated File's source path, so the notebook is staged where a plain File
    finds it by name: .cache/pages/<topic>/<page>.ipynb."""
    pages = cache_dir() / "pages"
    staged = pages / notebook.src_uri
    content = notebook.output.read_bytes()
    if not staged.is_file() or staged.read_bytes() != content:
        staged.parent.mkdir(parents=True, exist_ok=True)
        staged.write_bytes(content)
    return File(notebook.src_uri, src_dir=str(pages), dest_dir=config.site_dir,
                use_directory_urls=config.use_directory_urls)


def on_page_read_source(page, config):
    """The page's source with its facts filled in: the raw file, so line numbers are its own."""
    if page.file.abs_src_path is None or page.file.src_uri.endswith(".ipynb"):
        return None  # generated (the questions index) or a notebook (mkdocs-jupyter renders it)
    try:
        return build_state.filled_source(page.file.src_uri, page.file.abs_src_path)
    except build_state.PageSourceError as error:
        raise PluginError(str(error)) from None
