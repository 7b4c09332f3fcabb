"""`make screenshots`: a PNG of every page on a phone and a desktop, light and dark, for review.

Builds the site, serves it on 127.0.0.1 and drives Debian's Chromium as the browser tests
do. Writes screenshots/<page>-<viewport>-<scheme>.png (full page) and prints their paths.
"""
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.project import ROOT
from tests.site_build import build
from tests.browser import CHROMIUM, CHROMIUM_ARGS, QuietHandler
from tests.test_browser import DRAW_EVERY_BLOCK, SCHEMES, VIEWPORTS
from tests.test_site_build import HTML_PAGES

OUTPUT = ROOT / "screenshots"


def main() -> int:
    if CHROMIUM is None:
        sys.exit("Debian's chromium is not installed: apt-get install chromium chromium-driver")
    with tempfile.TemporaryDirectory() as scratch:
        result = build(ROOT, Path(scratch) / "site")
        if result.returncode != 0:
            sys.exit(f"mkdocs build --strict failed:\n{result.stderr}")
        handler = functools.partial(QuietHandler, directory=str(Path(scratch) / "site"))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        OUTPUT.mkdir(exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for page in HTML_PAGES:
                for viewport, size in VIEWPORTS.items():
                    for scheme in SCHEMES:
                        context = browser.new_context(viewport=size, color_scheme=scheme)
                        tab = context.new_page()
                        tab.goto(url + page, wait_until="networkidle")
                        tab.add_style_tag(content=DRAW_EVERY_BLOCK)  # else they come out blank
                        name = (page.strip("/").replace("/", "-") or "home") + f"-{viewport}-{scheme}.png"
                        tab.screenshot(path=OUTPUT / name, full_page=True)
                        context.close()
                        print(OUTPUT / name)
            browser.close()
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
