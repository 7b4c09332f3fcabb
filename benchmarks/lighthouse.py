"""Lighthouse (mobile) on every page, served compressed as a real host would: one table.

`make bench` runs it after build_cost.py; `python benchmarks/lighthouse.py layers/ explorer/`
measures only the pages under those paths. Lighthouse is pinned in benchmarks/package.json
and drives Debian's Chromium. Scores are reported, never asserted: they depend on the
machine's load (Lighthouse simulates a slow phone on top of whatever CPU it gets), so each
page is measured RUNS times and the median is shown, as Lighthouse's own guidance on
variability advises; one run of a long page can land 0.04 lower than its next.
"""
import functools
import gzip
import http.server
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.project import ROOT  # noqa: E402  (needs the path above)
from tests.site_build import build  # noqa: E402
from tests.test_site_build import HTML_PAGES  # noqa: E402

LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 5  # issue 24: the median of five, on a machine that may be busy
# The issues' targets (#13, #24): performance 0.95, the other three 1.00, total blocking time
# under 200 ms.
TARGETS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
MOST_BLOCKING_MS = 200


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files gzip-compressed with a cache lifetime, as a static host would."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        path = path / "index.html" if path.is_dir() else path
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000")
        self.end_headers()
        return io.BytesIO(body)


def scores(url: str, report: Path) -> dict[str, float]:
    subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--form-factor=mobile", "--output=json",
         f"--output-path={report}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking"],
        env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
    )
    measured = json.loads(report.read_text())
    return {**{name: measured["categories"][name]["score"] for name in CATEGORIES},
            "blocking ms": measured["audits"]["total-blocking-time"]["numericValue"]}


def main(only: list[str]) -> None:
    """Every page, or those whose path starts with one of `only` (e.g. layers/)."""
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix benchmarks (make bench does)")
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        result = build(ROOT, site)
        if result.returncode != 0:
            sys.exit(f"build failed:\n{result.stderr}")
        handler = functools.partial(CompressingHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        print(f"{'page':36}" + "".join(f"{name:>16}" for name in CATEGORIES) + f"{'blocking ms':>14}")
        below = []
        for page in [page for page in HTML_PAGES
                     if not only or any(page.startswith(prefix) for prefix in only)]:
            runs = [scores(base + page, Path(scratch) / "report.json") for _ in range(RUNS)]
            row = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
            print(f"{page or 'home':36}" + "".join(f"{row[name]:>16.2f}" for name in CATEGORIES)
                  + f"{row['blocking ms']:>14.0f}", flush=True)
            below += [f"{page or 'home'} {name} {row[name]:.2f}" for name in CATEGORIES
                      if row[name] < TARGETS[name]]
            if row["blocking ms"] >= MOST_BLOCKING_MS:
                below.append(f"{page or 'home'} total blocking time {row['blocking ms']:.0f} ms")
        server.shutdown()
    print(f"(median of {RUNS} runs per page) below target: " + ("; ".join(below) or "none"))


if __name__ == "__main__":
    main(sys.argv[1:])
