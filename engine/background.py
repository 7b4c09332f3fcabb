"""Serve first, compute behind: what `mkdocs serve` shows while the engine is still running.

`make build` computes every product before it writes a page. A preview need not wait: here
the products not yet cached are computed in a thread of the serving process, while the pages
are built at once with stand-ins (engine/placeholders.py) that say what is being computed and
how far the run has got. Each time products land, `on_landed` is called (the hook touches a
file `mkdocs serve` watches), so the preview rebuilds and open pages reload by themselves.
A run that fails is reported by the next build, as `make build` would report it, until an
edit changes what has to be computed.
"""
import html
import threading
import time

from engine import facts as engine_facts, placeholders
from engine._runner import GenerationError, render_all
from engine.products import FACTS, FIGURE, NOTEBOOK, RESULTS, Product, Report, discover

REBUILD_EVERY = 30.0  # seconds: products land in bursts, and a rebuild each time would slow the engine

_lock = threading.Lock()
_run: "Run | None" = None


class Run:
    """One engine run in a thread, and how far it has got."""

    def __init__(self, stale: list[Product], on_landed, log):
        self.outputs = {product.output for product in stale}
        self.total, self.done, self.error = len(stale), 0, None
        self.on_landed, self.log = on_landed, log
        self.last_rebuild = time.monotonic()
        self.thread = threading.Thread(target=self.compute, name="weight-atlas-engine", daemon=True)
        self.thread.start()

    def compute(self) -> None:
        try:
            render_all(progress=self.progress)
        except GenerationError as error:
            self.error = str(error)
        except Exception as error:  # noqa: BLE001  a preview reports it, not loses it
            self.error = f"the engine stopped: {error!r}"
        self.on_landed()

    def progress(self, message: str) -> None:
        self.log(message)
        if message.startswith("done: "):
            self.done += 1
            if time.monotonic() - self.last_rebuild >= REBUILD_EVERY:
                self.last_rebuild = time.monotonic()
                self.on_landed()

    @property
    def running(self) -> bool:
        return self.thread.is_alive()

    def says(self) -> str:
        return f"{self.done} of {self.total} scripts done"


def report(on_landed, log=lambda message: None) -> tuple[Report, list[Product]]:
    """This preview build's report, and which of its products are stand-ins. Starts a run for
    what is not cached unless one is running; raises the last run's GenerationError if
    nothing has changed since it failed."""
    global _run
    products = discover()
    stale = [product for product in products if not product.output.exists()]
    if not stale:
        return render_all(progress=log), []  # touches what it serves: the last to be evicted
    with _lock:
        if _run is not None and not _run.running and _run.error:
            if {product.output for product in stale} <= _run.outputs:
                raise GenerationError(_run.error)  # nothing changed since it failed
        if _run is None or not _run.running:
            _run = Run(stale, on_landed, log)
        says = _run.says()
    pending = [placeholders.stand_in(product, says) for product in stale]
    ready = [product for product in products if product not in stale]
    report = Report(products=ready + pending, rendered={}, cached=[product.label for product in ready])
    return report, pending


def running() -> bool:
    return _run is not None and _run.running


def waiting_for(page: str, source: str, pending: list[Product]) -> list[Product]:
    """Which stand-ins page `page` (its source: Markdown, or a notebook's JSON) shows."""
    fact_sources = {name for name, _key in engine_facts.used_names(source, page)} if page.endswith(".md") else set()
    return [product for product in pending
            if product.name in fact_sources and product.kind is FACTS
            or product.src_uri in source and product.kind in (FIGURE, RESULTS)
            or product.src_uri == page and product.kind is NOTEBOOK]


def banner(waiting: list[Product]) -> str:
    """A Material admonition at the top of a preview page that shows stand-ins."""
    names = ", ".join(html.escape(product.label) for product in waiting)
    progress = f" ({_run.says()})" if _run is not None else ""
    return ('<div class="admonition info" id="being-computed"><p class="admonition-title">Being computed</p>'
            f"<p>This preview shows stand-ins for {names}{progress}. "
            "It reloads by itself as they land.</p></div>\n")
