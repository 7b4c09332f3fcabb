"""Serve what the truth engine computes: figures and results as files, facts inside the pages.

A thin adapter over `engine/` (plain Python that any renderer can call). Nothing is written
into docs/ (that would re-trigger `mkdocs serve` forever): each SVG is registered from the
cache under `diagrams/<topic>/fig_<what>.svg`, each notebook script's notebook becomes a page,
and `{{ name }}` placeholders are replaced in a page's source before MkDocs reads it, after
its includes are checked, so that each error names the page and line that caused it. The
other hooks read this build's report and facts from `engine.build_state`. Under `mkdocs
serve`, pages are served at once while the engine runs behind, with stand-ins for what it has
not computed yet (engine/background.py); `make build` waits for everything.
"""
import logging
import sys
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import background, build_state, placeholders  # noqa: E402  (needs the path above)
from engine._runner import GenerationError, cache_dir, render_all  # noqa: E402

log = logging.getLogger("mkdocs.hooks.computed")


def on_startup(command, dirty):
    # "serve" may show stand-ins while the engine runs; without live reload MkDocs would
    # never rebuild when they land, so `serve --no-livereload` waits for everything, as a build.
    build_state.COMMAND = "build" if "--no-livereload" in sys.argv else command


@event_priority(50)  # first: before mkdocs-jupyter's (0), which turns the notebooks added here into pages
def on_files(files, config):
    progress = lambda message: log.info("engine: %s", message)  # noqa: E731
    try:
        if build_state.COMMAND == "serve":  # serve first, compute behind
            report, pending = background.report(on_landed=rebuild_the_preview, log=progress)
        else:
            report, pending = render_all(progress=progress), []
    except GenerationError as error:
        raise PluginError(str(error)) from None  # fail the build; serve nothing stale
    log.info("engine: %s", report.summary() + (f"; {len(pending)} being computed" if pending else ""))
    build_state.start(report, pending)
    if pending:  # links into what is not computed yet cannot resolve: a preview's stand-ins say so
        links = config.validation.links
        links.anchors = links.unrecognized_links = links.not_found = logging.DEBUG
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


def on_serve(server, config, builder):
    """Rebuild the preview when the engine's products land (engine/background.py)."""
    landed().parent.mkdir(parents=True, exist_ok=True)  # a folder is watched only if it exists
    server.watch(str(landed().parent))
    if build_state.PENDING and not background.running():  # it landed before the watch began
        rebuild_the_preview()
    return server


def landed() -> Path:
    """A file the preview watches: written when products land."""
    return placeholders.folder() / "landed" / "stamp"


def rebuild_the_preview() -> None:
    landed().parent.mkdir(parents=True, exist_ok=True)
    landed().write_text(str(time.time()))


def on_page_content(html, page, config, files):
    """A preview page says what it is still waiting for; a real build never shows a stand-in."""
    if build_state.COMMAND != "serve":
        if placeholders.PENDING in html:
            raise PluginError(f"{page.file.src_uri} shows {placeholders.PENDING!r}: a build writes no stand-in")
        return html
    waiting = background.waiting_for(page.file.src_uri, page.file.content_string, build_state.PENDING)
    return background.banner(waiting) + html if waiting else html
