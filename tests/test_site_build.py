"""The real `mkdocs build --strict` of the whole site, and what its pages contain."""
import ast
import gzip
from html import unescape
import importlib.metadata
import re

import pytest

from tests.project import (ROOT, figure_scripts, generated_page_urls, notebook_page_urls, page_url, pages,
                           snippet_files)
from engine.products import narrow_of
from tests import lettering
from tests.site_build import build

# "" is the home page; the questions index and the notebook pages have no Markdown in docs/.
HTML_PAGES = [page_url(page) for page in pages()] + generated_page_urls() + notebook_page_urls()


def html_of(site, page):
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_the_site_builds_strictly(site_build):
    _site_dir, result = site_build
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr}"


# What the stamp must say, written here independently of hooks/verified_with.py, so that a
# name paired with another library's version there fails here.
STAMP = {"TensorFlow": "tensorflow", "Keras": "keras", "PyTorch": "torch", "NumPy": "numpy"}
STAMP_ENTRY = re.compile(
    r'<span class="verified-with__library">\s*(?P<name>[^<]+?)\s*<code>(?P<version>[^<]+)</code></span>'
)


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_every_page_stamps_each_library_with_its_own_installed_version(built_site, page):
    stamped = {m["name"]: m["version"] for m in STAMP_ENTRY.finditer(html_of(built_site, page))}
    expected = {name: importlib.metadata.version(dist) for name, dist in STAMP.items()}
    assert stamped == expected, f"{page}: the stamp says {stamped}"


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_pages_load_nothing_from_another_host(built_site, page):
    """Scripts, styles, fonts and images all come from the site itself."""
    html = html_of(built_site, page)
    loads = re.findall(r'<(?:script|img|link|source|iframe)\b[^>]*?(?:src|href)="([^"]+)"', html)
    remote = [url for url in loads if re.match(r"(?:https?:)?//", url)]
    # <link rel="canonical"> names the public URL of the page; it is not a request.
    remote = [url for url in remote if f'rel="canonical" href="{url}"' not in html]
    assert not remote, f"{page} loads {remote}"


def test_no_stylesheet_fetches_fonts_or_files_from_another_host(built_site):
    for stylesheet in built_site.rglob("*.css"):
        remote = re.findall(r"(?:@import|url\()\s*['\"]?((?:https?:)?//[^'\")]+)", stylesheet.read_text())
        assert not remote, f"{stylesheet.relative_to(built_site)} fetches {remote}"


def test_math_is_rendered_to_mathml_at_build_time(built_site):
    pages_with_math = [p for p in HTML_PAGES if 'class="arithmatex"' in html_of(built_site, p)]
    assert pages_with_math, "no page has math: the MathML check checks nothing"
    for page in pages_with_math:
        html = html_of(built_site, page)
        assert "<math" in html
        leftover = re.findall(r'class="arithmatex">([^<]+)<', html)
        assert not leftover, f"{page}: LaTeX left unrendered: {leftover}"
        assert "mathjax" not in html.lower() and "katex" not in html.lower()


def test_every_figure_is_in_the_site_as_svg(built_site):
    for script in figure_scripts():
        name = script.relative_to(ROOT / "diagrams").with_suffix(".svg")
        svg = built_site / "diagrams" / name
        assert svg.is_file(), f"{name} missing from the site"
        assert svg.read_text().lstrip().startswith("<?xml"), f"{name} is not SVG"


def test_every_snippet_is_a_download_that_compiles_and_says_what_it_was_verified_with(built_site):
    expected = [f"{name} {importlib.metadata.version(dist)}" for name, dist in STAMP.items()]
    for snippet in snippet_files():
        served = built_site / snippet.relative_to(ROOT)
        assert served.is_file(), f"{snippet.relative_to(ROOT)} is not downloadable from the site"
        text = served.read_text(encoding="utf-8")
        compile(text, str(served), "exec")
        docstring = ast.get_docstring(ast.parse(text)) or ""
        missing = [entry for entry in expected if entry not in docstring]
        assert not missing, f"{served.relative_to(built_site)}: its docstring lacks {missing}"


def test_every_figure_is_sized_and_opens_full_size(built_site):
    """width/height stop the page jumping as figures load; the link opens the lightbox."""
    for page in HTML_PAGES:
        for img in re.findall(r"<(?:img|source)\b[^>]*diagrams/[^>]*>", html_of(built_site, page)):
            assert re.search(r'\bwidth="\d+" height="\d+"', img), f"{page}: figure without a size: {img}"
        figures = len(re.findall(r"<img\b[^>]*diagrams/", html_of(built_site, page)))
        # A figure with a narrow layout is a <picture>: its <source> for phones, then the <img>.
        lightboxes = len(re.findall(r'<a class="glightbox"[^>]*>(?:<picture><source\b[^>]*>)?<img\b[^>]*diagrams/',
                                    html_of(built_site, page)))
        assert figures == lightboxes, f"{page}: {figures - lightboxes} figures open no full-size view"


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_every_page_has_its_own_meta_description(built_site, page):
    """Search results and link previews show it: the site's own description is not enough."""
    described = {
        other: re.search(r'<meta name="description" content="([^"]*)"', html_of(built_site, other))[1]
        for other in HTML_PAGES
    }
    site_description = re.search(r"^site_description: (.*)$", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
    assert described[page] != site_description, f"{page or 'home'}: no description: front matter"
    twins = [other for other, text in described.items() if text == described[page] and other != page]
    assert not twins, f"{page or 'home'} has the same description as {twins}"


def test_published_under_a_sub_path_pages_are_canonical_and_in_the_sitemap(built_site, tmp_path):
    """A second build, for a sub-path; it steps aside (through built_site) when the site
    does not build at all, so a broken build is reported once."""
    site_url = "https://example.org/atlas/"
    result = build(ROOT, tmp_path / "site", site_url=site_url)
    assert result.returncode == 0, result.stderr
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text()
    for page in HTML_PAGES:
        html = html_of(tmp_path / "site", page)
        assert f'<link rel="canonical" href="{site_url}{page}">' in html, f"{page}: no canonical link"
        assert f"<loc>{site_url}{page}</loc>" in sitemap, f"{page} is not in the sitemap"
    not_found = (tmp_path / "site" / "404.html").read_text()
    assert 'href="/atlas/assets/stylesheets/' in not_found, "the 404 page's styles miss the sub-path"


# Lettering a reader can make out where it is shown is measured in the browser
# (tests/test_browser.py, with tests/lettering.py); here, what each file says.
def test_every_figure_is_real_text_and_its_narrow_layout_says_the_same_words(built_site):
    for script in figure_scripts():
        name = script.relative_to(ROOT / "diagrams").with_suffix(".svg")
        svg = (built_site / "diagrams" / name).read_text()
        assert "<text" in svg, f"{name}: lettering drawn as paths: it cannot be searched or read aloud"
        narrow = built_site / "diagrams" / narrow_of(name)
        if narrow.is_file():
            different = lettering.words(narrow.read_text()) ^ lettering.words(svg)
            assert not different, f"{narrow_of(name)} and {name} say different words: {sorted(different)}"


# Budgets in gzip-compressed bytes, as a host serves them; set from the measured pages with
# headroom (the largest figure, the coupling flow's point clouds, is ~87 KB; the inversion
# page with five figures is the heaviest page).
BUDGET_PAGE_HTML = 40_000
BUDGET_FIGURE = 100_000
BUDGET_PAGE_TOTAL = 450_000


def compressed_size(path) -> int:
    return len(gzip.compress(path.read_bytes(), mtime=0))


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_every_page_stays_within_its_weight_budget(built_site, page):
    html_file = built_site / page / "index.html"
    html = html_file.read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src|img[^>]*src)="([^"]+)"', html)
    files = {(html_file.parent / url.split("?")[0]).resolve() for url in loaded
             if "//" not in url and not url.startswith("data:")}  # data: is in the HTML's size
    sizes = {path: compressed_size(path) for path in files if path.is_file()}
    figures = {path: size for path, size in sizes.items() if "diagrams" in path.parts}
    assert compressed_size(html_file) <= BUDGET_PAGE_HTML, f"{page}: HTML over budget"
    for path, size in figures.items():
        assert size <= BUDGET_FIGURE, f"{path.relative_to(built_site)}: {size} bytes over budget"
    total = compressed_size(html_file) + sum(sizes.values())
    assert total <= BUDGET_PAGE_TOTAL, f"{page or 'home'}: {total} bytes in all, over budget"


# Elements per page, as parsed; set from the measured pages with headroom (the inversion page,
# code-heavy, has ~4,300). Style and layout of these was most of a phone's blocking time.
BUDGET_ELEMENTS = 5_000


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_every_page_stays_within_its_element_budget(built_site, page):
    elements = len(re.findall(r"<[a-zA-Z]", html_of(built_site, page)))
    assert elements <= BUDGET_ELEMENTS, f"{page or 'home'}: {elements} elements, over budget"


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_no_script_blocks_the_first_paint(built_site, page):
    """Scripts run deferred (hooks/first_paint.py), GLightbox's set-up once they have run."""
    html = html_of(built_site, page)
    blocking = [tag for tag in re.findall(r"<script\b[^>]*\bsrc=[^>]*>", html)
                if not re.search(r"\b(?:defer|async)\b", tag)]
    assert not blocking, f"{page or 'home'}: scripts that block the first paint: {blocking}"
    init = re.search(r'<script id="init-glightbox">(.*?)</script>', html, re.DOTALL)
    assert init is None or init[1].startswith('document.addEventListener("DOMContentLoaded"'), \
        f"{page or 'home'}: GLightbox is set up before its deferred library has run"


def test_the_questions_index_lists_every_page_question_with_a_link_that_resolves(built_site):
    from engine.questions import questions_of

    html = html_of(built_site, "questions/")
    links = re.findall(r'<a href="\.\./([^"#]+)#([\w-]+)"><strong>', html) or re.findall(
        r'<strong><a href="\.\./([^"#]+)#([\w-]+)">', html)
    declared = sum(len(questions_of(page.read_text(encoding="utf-8"))) for page in pages())
    assert declared and len(links) == declared, f"{len(links)} links for {declared} questions"
    for page, anchor in links:
        assert f'id="{anchor}"' in (built_site / page / "index.html").read_text(), f"{page}#{anchor}"


# A phone shows about 40 columns of code; a line longer than a formatter's 88 scrolls far
# even on a desktop. The pages' own code blocks are held to it by rule long-line; a notebook
# page shows whole files (its snippets, results and figure scripts), so it is read here.
CODE_COLUMNS = 88


@pytest.mark.parametrize("page", notebook_page_urls())
def test_a_notebook_page_shows_no_code_line_over_88_columns(built_site, page):
    code = "\n".join(re.sub(r"<[^>]+>", "", block)
                     for block in re.findall(r"<pre><code>(.*?)</code></pre>", html_of(built_site, page), re.S))
    long = [line for line in unescape(code).splitlines() if len(line) > CODE_COLUMNS]
    assert not long, f"{page}: {len(long)} code lines over {CODE_COLUMNS} columns, the first:\n{long[0]}"
