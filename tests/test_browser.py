"""The built site in a real headless Chromium: no console error, no request to another host,
every image decoded, math laid out; axe-core finds no accessibility violation and no page
scrolls sideways, on a phone and a desktop, in both colour schemes.

Needs Debian's `chromium` (installed by .ci/run). Without it the tests skip on a
developer's machine and fail in CI, where a skip would hide a missing install step.
"""
import importlib.metadata
import re
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from engine.products import NARROW, narrow_of
from tests import lettering
from tests.project import ROOT, figure_scripts
from tests.sampling import one_each, sampled
from tests.test_site_build import HTML_PAGES, STAMP

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # installed by `make` from package-lock.json
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SCHEMES = ("light", "dark")
# The browser and the site's server are session fixtures (tests/conftest.py): one Chromium per
# test process, so that these tests spread over processes.


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda url: url or "home")
def test_page_loads_cleanly_and_only_from_the_site(browser, site_url, page):
    url = site_url + page
    context = browser.new_context()
    tab = context.new_page()
    requests, errors = [], []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        tab.goto(url, wait_until="networkidle")
        # Figures load lazily: ask for each now, then see that it decodes.
        broken_images = tab.evaluate(
            """async () => (await Promise.all([...document.images].map(image => {
                image.loading = "eager";
                return image.decode().then(() => null, () => image.src);
            }))).filter(Boolean)"""
        )
        math_sizes = tab.eval_on_selector_all(
            "math", "maths => maths.map(m => m.getBoundingClientRect().width)"
        )
        # Every heading with a fixed id offers a citation of itself (docs/javascripts/cite.js).
        citations = tab.eval_on_selector_all(
            "[data-citable]",
            "hs => hs.map(h => [h.id, !!h.querySelector('.cite-button'), citationFor(h)])")
        # Downloads the page links (its snippets, its notebook) are served and parse.
        downloads = tab.eval_on_selector_all(
            "a[href$='.py'], a[href$='.ipynb']",
            "links => links.map(a => a.href).filter(href => href.startsWith(location.origin))")
        bodies = {href: tab.request.get(href) for href in downloads}
        bodies = {href: (response.status, response.text()) for href, response in bodies.items()}
    finally:
        context.close()
    versions = "Verified with " + ", ".join(
        f"{name} {importlib.metadata.version(distribution)}" for name, distribution in STAMP.items())
    for href, (status, body) in bodies.items():
        assert status == 200, f"{page}: the download {href} is missing"
        if href.endswith(".py"):
            compile(body, href, "exec")
        else:
            nbformat.validate(nbformat.reads(body, as_version=4))
    for heading_id, has_button, citation in citations:
        assert has_button, f"{page}#{heading_id}: no copy-citation button"
        # The permalink: the page, any query the page keeps its state in (the explorer's), the id.
        assert re.search(rf"\]\({re.escape(url)}(\?[^)#]*)?#{heading_id}\)", citation), citation
        assert citation.endswith(f"({versions})"), citation
    other_hosts = {
        urlparse(request).hostname for request in requests
        if urlparse(request).scheme in ("http", "https", "ws", "wss")
    } - {"127.0.0.1"}
    assert not other_hosts, f"{page} requested {sorted(other_hosts)}"
    assert not errors, f"{page}: console errors {errors}"
    assert not broken_images, f"{page}: images that did not load {broken_images}"
    assert all(width > 0 for width in math_sizes), f"{page}: MathML that takes no space"


# Every page at each width and in each scheme; `make test` takes the all-pairs sample: each
# page at both widths and in both schemes, and each width in each scheme (tests/sampling.py).
VIEWS = sampled("browser: page × width × scheme", [
    dict(page=page, viewport=viewport, scheme=scheme)
    for page in HTML_PAGES for viewport in VIEWPORTS for scheme in SCHEMES])


@pytest.mark.parametrize("page, viewport, scheme", [tuple(view.values()) for view in VIEWS],
                         ids=[f"{view['page'] or 'home'}-{view['viewport']}-{view['scheme']}" for view in VIEWS])
def test_page_is_accessible_and_fits_the_screen(browser, site_url, page, viewport, scheme):
    check_accessible_and_fits(browser, site_url + page, viewport, scheme,
                              f"{page or 'home'} at {viewport} width, {scheme} scheme")


# Blocks off screen are drawn only as they near it (content-visibility in extra.css). A check
# that reads the whole page, or a full-page capture, draws them all first, as a reader
# scrolling through would see them.
DRAW_EVERY_BLOCK = "* { content-visibility: visible !important; }"


# Material fades controls in (the back-to-top button appears as the reader scrolls up); axe
# measuring contrast halfway through a fade on a busy machine reports a colour nobody reads.
NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


AXE_VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .map(v => `${v.id} (${v.nodes.length}): ${v.nodes[0].html.slice(0, 120)}`)"""
# A reader scrolling through: blocks are drawn as they come near the screen.
SCROLL_TO_THE_END = """async () => {
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
        scrollTo(0, y);
        await new Promise(requestAnimationFrame);
    }
}"""


def check_accessible_and_fits(browser, url, viewport, scheme, where, ready=("accessible",)):
    """axe-core finds nothing and the page does not scroll sideways, once the scripts that
    set `html[data-<name>=ready]` for each name in `ready` have run. axe runs three times: on
    the page as it loads (blocks off screen not drawn yet), after scrolling to its end, and
    with every block drawn."""
    assert AXE.is_file(), f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (make does)"
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    tab = context.new_page()
    violations = {}
    try:
        tab.goto(url, wait_until="load")  # the page as a reader first gets it
        for name in ready:
            tab.wait_for_selector(f"html[data-{name}=ready]", state="attached")
        tab.evaluate("document.fonts.ready")
        tab.add_style_tag(content=NO_TRANSITIONS)
        tab.add_script_tag(path=str(AXE))
        violations["as loaded"] = tab.evaluate(AXE_VIOLATIONS)
        tab.evaluate(SCROLL_TO_THE_END)
        violations["scrolled to the end"] = tab.evaluate(AXE_VIOLATIONS)
        # Lazily drawn blocks clip what they overflow: draw them all, so a too-wide block shows
        # and axe sees every one.
        tab.add_style_tag(content=DRAW_EVERY_BLOCK)
        page_width = tab.evaluate("document.documentElement.scrollWidth")
        violations["every block drawn"] = tab.evaluate(AXE_VIOLATIONS)
    finally:
        context.close()
    assert page_width <= VIEWPORTS[viewport]["width"], f"{where}: the page scrolls sideways"
    found = [f"{when}: {violation}" for when, found in violations.items() for violation in found]
    assert not found, f"{where}: axe-core violations:\n" + "\n".join(found)


# Every figure loaded at once, then which file each chose and how wide it is shown.
FIGURES_SHOWN = """async () => {
    const figures = [...document.querySelectorAll("article img[src*='diagrams/']")];
    figures.forEach(img => { img.loading = "eager"; });
    await Promise.all(figures.map(img => img.decode()));
    return figures.map(img => [img.currentSrc, img.getBoundingClientRect().width]);
}"""


@pytest.mark.parametrize("screen", lettering.SCREENS, ids=lambda screen: screen.name)
def test_every_figure_is_readable_where_it_is_shown_without_a_tap(browser, site_url, built_site, screen):
    """The smallest lettering of the file each screen chose, at the width it is shown: a
    phone gets a figure's narrow layout when it has one (tests/lettering.py)."""
    context = browser.new_context(viewport={"width": screen.viewport, "height": 800})
    tab = context.new_page()
    too_small, shown = [], 0
    try:
        for page in HTML_PAGES:
            tab.goto(site_url + page, wait_until="load")
            for url, width in tab.evaluate(FIGURES_SHOWN):
                served = urlparse(url).path.lstrip("/")
                svg = (built_site / served).read_text(encoding="utf-8")
                wide = not served.endswith(NARROW + ".svg")
                if screen is lettering.PHONE and wide and (built_site / narrow_of(Path(served))).is_file():
                    too_small.append(f"{page or 'home'}: a phone was served {served}, not its narrow layout")
                size = lettering.smallest_lettering(svg, width)
                shown += 1
                if size < screen.smallest:
                    too_small.append(f"{page or 'home'}: {served} shown {width:.0f} px wide, "
                                     f"its smallest lettering {size:.1f} px")
    finally:
        context.close()
    assert shown >= len(figure_scripts()), f"only {shown} figures were shown"
    assert not too_small, (f"lettering under {screen.smallest} px on a {screen.viewport} px screen "
                           "(python -m tests.lettering SCRIPT draws and measures one):\n" + "\n".join(too_small))


def test_a_tap_on_a_figure_opens_it_full_size(browser, site_url):
    context = browser.new_context(viewport=VIEWPORTS["phone"], has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(site_url + "lstm/weights/", wait_until="networkidle")
        tab.locator("a.glightbox").first.tap()
        tab.wait_for_selector(".gslide.current img", state="visible", timeout=5000)
        opened = tab.locator(".gslide.current img").get_attribute("src")
    finally:
        context.close()
    assert opened.endswith(".svg")


def test_copy_citation_puts_claim_permalink_and_versions_on_the_clipboard(browser, site_url):
    """Reached by keyboard (Tab to the button, Enter), as a reader without a mouse would."""
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    try:
        tab.goto(site_url + "lstm/weights/", wait_until="networkidle")
        button = tab.locator("#gate-order .cite-button")
        button.focus()
        tab.keyboard.press("Enter")
        tab.wait_for_function("document.querySelector('#gate-order .cite-button').textContent === 'Copied'")
        citation = tab.evaluate("navigator.clipboard.readText()")
        citable = tab.eval_on_selector_all("[data-citable]", "headings => headings.map(h => h.id)")
    finally:
        context.close()
    assert f"({site_url}lstm/weights/#gate-order)" in citation
    assert citation.startswith("Keras lays the blocks out in the order")
    for name, distribution in STAMP.items():
        assert f"{name} {importlib.metadata.version(distribution)}" in citation, citation
    assert {"gate-order", "which-columns", "pytorch"} <= set(citable)


def test_every_answer_is_two_clicks_from_the_landing_page(browser, site_url):
    """Landing page -> "Questions this site answers" -> the section that proves the answer,
    clicked as a reader would, for every question (a question per page in `make test`); and
    every page is one click from home."""
    context = browser.new_context()
    tab = context.new_page()
    try:
        tab.goto(site_url, wait_until="load")
        linked = set(tab.eval_on_selector_all(
            "article a[href]", "links => links.map(a => new URL(a.href).pathname)"))
        tab.click("article a[href='questions/']")
        tab.wait_for_url(site_url + "questions/")
        answers = tab.eval_on_selector_all("article li > strong > a[href*='#']",
                                           "links => links.map(a => a.getAttribute('href'))")
        assert answers, "the questions page links no answer"
        # A click costs a page load: one question per page in `make test` (tests/sampling.py).
        # That every answer's anchor is on its page is checked without a browser
        # (tests/test_site_build.py).
        clicked = one_each("browser: question links clicked", list(enumerate(answers)),
                           lambda numbered: numbered[1].split("#")[0])
        for number, href in clicked:
            tab.goto(site_url + "questions/", wait_until="load")
            tab.locator("article li > strong > a[href*='#']").nth(number).click()
            anchor = href.split("#")[1]
            tab.wait_for_url(f"**#{anchor}")
            in_view = tab.evaluate(
                "id => { const box = document.getElementById(id).getBoundingClientRect();"
                " return box.top >= 0 && box.top < innerHeight; }", anchor)
            assert in_view, f"the question link {href} does not bring its section into view"
    finally:
        context.close()
    pages = {"/" + url for url in HTML_PAGES if url}
    assert pages <= linked, f"not linked from the landing page: {sorted(pages - linked)}"
