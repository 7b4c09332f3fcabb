"""The code a reader can take away: every snippet, and every page's code as a notebook.

Each snippet is served at `snippets/<topic>/<file>.py`, runnable alone (the snippets it
imports inlined) and stamped with the build's library versions in its docstring. Each page
with code is served as `notebooks/<topic>/<page>.ipynb` (a notebook page: its own notebook),
and the page links to it (overrides/main.html). A thin adapter over `engine/downloads.py`
and `engine/notebooks.py`.
"""
import posixpath
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import build_state, downloads, notebooks  # noqa: E402  (needs the path above)

NOTEBOOK_DOWNLOADS: dict[str, str] = {}  # page src_uri -> where its notebook is served


@event_priority(40)  # after hooks/computed.py's (50): a page's notebook shows its facts filled in
def on_files(files, config):
    versions = config.extra["verified_with"]
    for snippet in downloads.snippet_files(PROJECT_ROOT):
        source = downloads.stamped(downloads.self_contained(snippet, PROJECT_ROOT), versions)
        files.append(File.generated(config, snippet.relative_to(PROJECT_ROOT).as_posix(), content=source))
    NOTEBOOK_DOWNLOADS.clear()
    for notebook in build_state.REPORT.notebooks:
        add_notebook_download(files, config, notebook.src_uri, notebook.output.read_text(encoding="utf-8"))
    for file in files.documentation_pages():
        if file.src_uri.endswith(".md") and file.abs_src_path is not None:  # not the generated questions index
            notebook = page_notebook(file, config)
            if notebook is not None:
                add_notebook_download(files, config, file.src_uri, notebooks.as_json(notebook))
    return files


def add_notebook_download(files, config, page_uri: str, content: str) -> None:
    uri = notebooks.download_path(page_uri)
    files.append(File.generated(config, uri, content=content))
    NOTEBOOK_DOWNLOADS[page_uri] = uri


def page_notebook(file, config):
    try:
        filled = build_state.filled_source(file.src_uri, file.abs_src_path)
    except build_state.PageSourceError as error:
        raise PluginError(str(error)) from None
    link = (config.site_url or "") + file.url
    return notebooks.page_notebook(filled, file.src_uri, PROJECT_ROOT, config.extra["verified_with"], link)


def on_page_context(context, page, config, nav):
    """The page offers its code as a notebook (overrides/main.html shows the link)."""
    download = NOTEBOOK_DOWNLOADS.get(page.file.src_uri)
    if download:
        page.meta["notebook_download"] = posixpath.relpath(download, page.url or ".")
    return context
