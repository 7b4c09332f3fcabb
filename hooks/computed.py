"""Serve what the truth engine computes: figures as files, facts inside the pages.

A thin adapter over `engine/` (plain Python that any renderer can call). Nothing is
written into docs/ (that would re-trigger `mkdocs serve` forever): each SVG is registered
from the cache under `diagrams/<topic>/fig_<what>.svg`, and `{{ name }}` placeholders are
replaced in a page's source before MkDocs reads it. Every snippet is served as a download
at `snippets/<topic>/<file>.py`, with the build's library versions in its docstring. Includes and anchor links are checked
here too, so that each error names the page and line that caused it.
"""
import json
import logging
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

PROJECT_ROOT = Path(__file__).resolve().parents[1]
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from engine import downloads, facts as engine_facts, includes, notebooks, questions  # noqa: E402  (needs the path above)
from engine._runner import GenerationError, cache_dir, render_all  # noqa: E402

log = logging.getLogger("mkdocs.hooks.computed")
FACTS: dict[str, dict[str, str]] = {}


@event_priority(50)  # before mkdocs-jupyter's, which turns the notebooks added here into pages
def on_files(files, config):
    try:
        report = render_all(progress=lambda message: log.info("engine: %s", message))
    except GenerationError as error:
        raise PluginError(str(error)) from None  # fail the build; serve nothing stale
    log.info("engine: %s", report.summary())
    FACTS.clear()
    FACTS.update(engine_facts.load(report.facts))
    FILLED.clear()  # `mkdocs serve` rebuilds in one process: sources and facts may have changed
    # Figures and results at their own paths; notebook scripts' notebooks as pages.
    for product in report.figures + report.results:
        files.append(File.generated(config, product.src_uri, abs_src_path=str(product.output)))
    for notebook in report.notebooks:
        files.append(notebook_page(notebook, config))
    # The questions every page says it answers, gathered into one index page.
    in_nav = nav_order(config.nav or [])
    documented = sorted(files.documentation_pages(),
                        key=lambda file: in_nav.index(file.src_uri) if file.src_uri in in_nav else len(in_nav))
    pages = [(file.src_uri, Path(file.abs_src_path).read_text(encoding="utf-8")) for file in documented]
    try:
        index = questions.index_markdown(pages, FACTS)
    except (ValueError, engine_facts.UnknownFact) as error:
        raise PluginError(f"questions index: {error}") from None
    files.append(File.generated(config, questions.PAGE, content=index))
    # A page that moved leaves a redirect at its old URL (extra.redirects in mkdocs.yml).
    for old_url, new_page in config.extra.get("redirects", {}).items():
        files.append(File.generated(config, f"{old_url.strip('/')}/index.html",
                                    content=redirect_page(old_url, new_page)))
    # Every snippet is a download at its own path that runs alone (the snippets it imports
    # inlined), stamped with what it was verified with.
    for snippet in downloads.snippet_files(PROJECT_ROOT):
        source = downloads.stamped(downloads.self_contained(snippet, PROJECT_ROOT), config.extra["verified_with"])
        uri = snippet.relative_to(PROJECT_ROOT).as_posix()
        files.append(File.generated(config, uri, content=source))
    # Every page's code as a notebook download (a notebook page: itself).
    NOTEBOOK_DOWNLOADS.clear()
    for notebook in report.notebooks:
        add_notebook_download(files, config, notebook.src_uri, notebook.output.read_text(encoding="utf-8"))
    for file in documented:
        if file.src_uri.endswith(".md"):
            notebook = page_notebook(file, config)
            if notebook is not None:
                add_notebook_download(files, config, file.src_uri, notebooks.as_json(notebook))
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


NOTEBOOK_DOWNLOADS: dict[str, str] = {}  # page src_uri -> where its notebook is served


def add_notebook_download(files, config, page_uri: str, content: str) -> None:
    uri = notebooks.download_path(page_uri)
    files.append(File.generated(config, uri, content=content))
    NOTEBOOK_DOWNLOADS[page_uri] = uri


FILLED: dict[str, str] = {}  # page src_uri -> its source with facts filled in, checked once


def filled_source(file) -> str:
    """The page's source with its facts filled in: the raw file, so line numbers are its own.
    Its includes are checked first, so a wrong one is named before anything reads it."""
    if file.src_uri not in FILLED:
        source = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        wrong = includes.problems(source, file.src_uri, PROJECT_ROOT)
        if wrong:
            raise PluginError("\n".join(map(str, wrong)))
        try:
            FILLED[file.src_uri] = engine_facts.substitute(source, file.src_uri, FACTS)
        except engine_facts.UnknownFact as error:
            raise PluginError(str(error)) from None
    return FILLED[file.src_uri]


def page_notebook(file, config):
    filled = filled_source(file)
    link = (config.site_url or "") + file.url
    return notebooks.page_notebook(filled, file.src_uri, PROJECT_ROOT, config.extra["verified_with"], link)


def on_page_context(context, page, config, nav):
    """The page offers its code as a notebook (overrides/main.html shows the link)."""
    download = NOTEBOOK_DOWNLOADS.get(page.file.src_uri)
    if download:
        page.meta["notebook_download"] = posixpath.relpath(download, page.url or ".")
    return context


def figure_size(svg: Path) -> tuple[int, int]:
    """The SVG's own width and height in CSS pixels (matplotlib writes points)."""
    head = svg.read_text(encoding="utf-8")[:2000]
    width, height = (float(re.search(rf'{side}="([\d.]+)pt"', head)[1]) for side in ("width", "height"))
    return round(width * 4 / 3), round(height * 4 / 3)


def on_page_content(html, page, config, files):
    """Figures carry their width and height, so the page does not jump as they load."""

    figures_seen = 0

    def sized(match: re.Match) -> str:
        nonlocal figures_seen
        # By now src is a URL relative to the page's URL, not to its source file.
        figure = files.get_file_from_path(posixpath.normpath(posixpath.join(page.url, match["src"])))
        if figure is None or not figure.src_uri.startswith("diagrams/"):
            return match.group()
        width, height = figure_size(Path(figure.abs_src_path))
        figures_seen += 1
        # The first figure is often in the first screen, where lazy loading delays the largest
        # paint (Lighthouse flags it); the rest load as the reader scrolls to them.
        loading = "" if figures_seen == 1 else 'loading="lazy" '
        return (f'{match.group()[:-1].rstrip("/ ")} width="{width}" height="{height}" '
                f'{loading}decoding="async">')

    if page.file.src_uri.endswith(".ipynb"):
        html = as_site_page(html)
        page.meta["description"] = notebook_description(page)
    html = re.sub(r'<img\b[^>]*?\bsrc="(?P<src>[^"]+\.svg)"[^>]*>', sized, html)
    html = citable(html, page.file.content_string)
    html = with_anchor_aliases(html)
    return re.sub(r"<td>.*?</td>", breakable_code, html, flags=re.DOTALL)


def notebook_description(page) -> str:
    """A notebook page's meta description: `metadata["description"]` of its notebook."""
    metadata = json.loads(page.file.content_string).get("metadata", {})
    if not metadata.get("description"):
        raise PluginError(f"{page.file.src_uri}: its make_notebook() sets no metadata['description'] "
                          "(search results and link previews show it)")
    return metadata["description"]


def as_site_page(notebook_html: str) -> str:
    """mkdocs-jupyter's HTML for a notebook page, made to weigh and read like the site's other
    pages: its inlined JupyterLab stylesheet (about 575 KB on every notebook page), its scripts
    (a clipboard helper, MathJax and Mermaid from other hosts) and the hidden copies of each
    cell's code go; code and outputs become Material code blocks (`<pre><code>`), so
    highlighting, the copy button and both colour schemes are the site's; cells stop being
    keyboard stops (accessible.js makes what scrolls sideways focusable). extra.css lays out
    the few JupyterLab classes left."""
    html = re.sub(r"<style\b[^>]*>.*?</style>", "", notebook_html, flags=re.DOTALL)
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", html, flags=re.DOTALL)
    html = re.sub(r"<!-- (Load mathjax|MathJax configuration|End of \w+ configuration) -->", "", html)
    html = re.sub(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', "", html,
                  flags=re.DOTALL)
    html = re.sub(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', "", html, flags=re.DOTALL)
    html = re.sub(r'<div class="highlight[^"]*"><pre><span></span>(.*?)</pre></div>',
                  r'<div class="highlight"><pre><code>\1</code></pre></div>', html, flags=re.DOTALL)
    html = re.sub(r'(<div class="jp-RenderedText[^>]*>\s*)<pre>(.*?)</pre>', r"\1<pre><code>\2</code></pre>",
                  html, flags=re.DOTALL)
    html = html.replace('class="anchor-link"', 'class="headerlink"')  # Material's "¶", shown on hover
    # An output image is inline data; glightbox's link to it would carry it a second time.
    html = re.sub(r'<a class="glightbox"[^>]*href="data:[^"]*"[^>]*>\s*(<img\b[^>]*>)\s*</a>', r"\1", html)
    return html.replace(' tabindex="0"', "")


def breakable_code(cell: re.Match) -> str:
    """Code in a table cell may wrap after `_`, `,`, `.`, `(` or `[` (`recurrent_<wbr>kernel`),
    never mid-word: extra.css turns other breaks off, so narrow tables stay readable."""

    def with_breaks(code: re.Match) -> str:
        return re.sub(r"(?<=[_,.(\[])(?=[^\s<])", "<wbr>", code.group())

    return re.sub(r"(?<=<code>)[^<]+(?=</code>)", with_breaks, cell.group())


def citable(html: str, source: str) -> str:
    """Mark the headings whose id is written in the page (`## Gate order { #gate-order }`):
    ids that never change, so the page offers a copy-citation control beside them."""
    for heading_id in questions.HEADING_ID.findall(source):
        html = re.sub(rf'(<h[2-6] id="{re.escape(heading_id)}")', r"\1 data-citable", html, count=1)
    return html


def nav_order(nav) -> list[str]:
    """The pages of mkdocs.yml's nav, flattened in reading order."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in nav_order(value)]
    return [page for item in nav for page in nav_order(item)]


def redirect_page(old_url: str, new_page: str) -> str:
    """A page that sends readers on to where its content now lives, keeping the #anchor.
    (Written here rather than with mkdocs-redirects, which now pulls in another MkDocs
    distribution and prints a banner on every build.)"""
    depth = old_url.strip("/").count("/") + 1
    target = "../" * depth + new_page.removesuffix(".md").removesuffix("index") + "/"
    target = target.replace("//", "/")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Moved</title>'
        f'<link rel="canonical" href="{target}"><meta http-equiv="refresh" content="0; url={target}">'
        f'<script>location.replace("{target}" + location.hash)</script></head>'
        f'<body><a href="{target}">This page moved here.</a></body></html>'
    )


def with_anchor_aliases(html: str) -> str:
    """A heading written `## New { #new-id data-was="old-id" }` keeps old links working:
    an empty element with the old id sits just before it."""
    def aliased(match: re.Match) -> str:
        spans = "".join(f'<span id="{old}"></span>' for old in match["was"].split())
        return spans + match.group()
    return re.sub(r'<h[2-6] [^>]*data-was="(?P<was>[^"]+)"[^>]*>', aliased, html)


def on_page_read_source(page, config):
    """The page's source with its facts filled in: the raw file, so line numbers are its own."""
    if page.file.abs_src_path is None or page.file.src_uri.endswith(".ipynb"):
        return None  # generated (the questions index) or a notebook (mkdocs-jupyter renders it)
    return filled_source(page.file)


def on_env(env, config, files):
    """Every page is rendered now: fail on a link to a missing anchor, naming page and line."""
    broken = []
    for file in files.documentation_pages():
        page = file.page
        for target, links in (page.links_to_anchors or {}).items():
            anchors = target.page.present_anchor_ids if target.page else None
            for anchor, link in links.items():
                if anchors is not None and anchor not in anchors:
                    source = file.content_string  # a generated page has no file on disk
                    line = source.count("\n", 0, max(source.find(link), 0)) + 1
                    broken.append(f"docs/{file.src_uri}:{line}: link {link!r}, but "
                                  f"{target.src_uri} has no anchor {anchor!r}")
    if broken:
        raise PluginError("\n".join(broken))
    return env
