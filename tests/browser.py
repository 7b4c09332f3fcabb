"""Debian's Chromium, driven by Playwright, and a quiet server for a built site: what the
browser checks (tests/conftest.py's fixtures) and `make screenshots` share."""
import http.server
import shutil

CHROMIUM = shutil.which("chromium")
# Without these, Chromium phones home at start-up and this machine's closed network
# refuses it, which would read as requests to other hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
