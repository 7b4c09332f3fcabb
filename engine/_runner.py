"""Find every results, figure, facts and notebook script, run those whose key changed, report.

Each script runs in its own process, a fork of a server that has imported the libraries the
scripts use (`render_forked`; pyproject.toml's [tool.weight-atlas.engine] says which), as
many at once as there are cores and memory for; results scripts (long computations that
the others read) run first. What a product is and where it is cached: engine/products.py.
Outputs are content-addressed (`<name>-<key>.svg` / `.json` / `.ipynb`), so a stale file can never be
served for a changed script, and a failed run leaves nothing behind. A script reports
progress with lines on stderr that start with PROGRESS_MARK; they reach the build log live.
"""
import json
import multiprocessing
import multiprocessing.forkserver
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from filelock import FileLock

from engine import _render_one
from engine._cache_key import PROJECT_ROOT
# The products' names, here too for the callers that run them (hooks, tests, the mutation tool).
from engine.products import (FACTS, FIGURE, KINDS, NARROW, NOTEBOOK, PROGRESS_MARK, RESULTS,  # noqa: F401
                             STAGES, Kind, Product, Report, cache_dir, discover, kind_of, narrow_of,
                             product_of)
from engine.settings import SETTINGS


class GenerationError(Exception):
    """One or more scripts failed; the message names each with its traceback."""


def traceback_of(stderr: str) -> str:
    """The Python traceback in a run's stderr, without the log lines libraries print first."""
    start = stderr.find("Traceback (most recent call last):")
    return stderr[start if start >= 0 else 0 :].strip()


def script_environment() -> dict[str, str]:
    """What a script runs with: this process's environment, the project's settings over it,
    no __pycache__ writes (under `mkdocs serve` they would look like source changes), and
    this project's own converter package (src/) before any installed copy of it."""
    return {**os.environ, **SETTINGS.environment,
            "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "src")]),
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1"}


def render_to(script: Path, output: Path, progress=lambda message: None) -> subprocess.CompletedProcess:
    """Run `engine._render_one` on one script in a fresh interpreter; no caching.

    The script's PROGRESS_MARK lines go to `progress` as they come; all of its output
    (stdout and stderr, in one stream) is kept in the result's `stderr`."""
    with subprocess.Popen(
        [sys.executable, "-m", "engine._render_one", str(script), str(output)],
        cwd=PROJECT_ROOT,
        env=script_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one pipe, read to the end: no deadlock on a full buffer
        text=True,
    ) as process:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith(PROGRESS_MARK):
                progress(line[len(PROGRESS_MARK):].rstrip())
        returncode = process.wait()
    return subprocess.CompletedProcess(process.args, returncode, stdout="", stderr="".join(lines))


_server_lock = threading.Lock()


def preloaded_server() -> multiprocessing.context.BaseContext:
    """multiprocessing's fork server, started once per process with the libraries of the
    settings' `preload` imported and the settings' environment (read at import: thread
    counts, the Keras backend); each script then runs in a fork of it, in a few
    milliseconds instead of the seconds those imports take. It holds no project module:
    each fork imports the project's code from the checkout it runs for."""
    context = multiprocessing.get_context("forkserver")
    with _server_lock:  # started (or, if it died, started again) with the scripts' environment
        context.set_forkserver_preload(list(SETTINGS.preload))
        saved = dict(os.environ)
        os.environ.update(script_environment())  # the server inherits it when it starts
        # and this process's stderr, where its libraries' start-up chatter (TensorFlow's
        # logs before absl is set up, whatever TF_CPP_MIN_LOG_LEVEL says) would land in the
        # build's or the tests' output: it gets a log file instead. Each script's own output
        # goes to its own log (render_forked).
        log = cache_dir() / "logs" / "fork-server.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        stderr = os.dup(2)
        chatter = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(chatter, 2)
        try:
            multiprocessing.forkserver.ensure_running()  # a no-op while it runs
        finally:
            os.dup2(stderr, 2)
            os.close(stderr)
            os.close(chatter)
            os.environ.clear()
            os.environ.update(saved)
    return context


def render_forked(script: Path, output: Path, progress=lambda message: None) -> subprocess.CompletedProcess:
    """`render_to`, in a fork of the preloaded server: the same result, without the imports.

    A run longer than the settings' time limit is stopped; a run the kernel kills (for
    memory, most likely) is reported as killed. Either way the result says so in `stderr`."""
    with tempfile.NamedTemporaryFile(prefix="engine-", suffix=".log") as log:
        process = preloaded_server().Process(
            target=_render_one.run_forked, args=(script, output, Path(log.name), script_environment()),
            name=f"engine {script.name}")
        process.start()
        deadline, timed_out, reported = time.monotonic() + SETTINGS.time_limit, False, 0
        while process.exitcode is None:
            process.join(0.2)
            reported = report_progress(Path(log.name), reported, progress)
            if process.exitcode is None and time.monotonic() > deadline:
                process.kill()
                process.join()
                timed_out = True
        report_progress(Path(log.name), reported, progress)
        output_text = Path(log.name).read_text(encoding="utf-8", errors="replace")
    code = process.exitcode
    if timed_out:
        output_text += (f"\nTraceback (most recent call last):\nTimeoutError: stopped after the time "
                        f"limit of {SETTINGS.time_limit:.0f} s (time-limit-seconds in pyproject.toml)")
    elif code < 0:
        name = signal.Signals(-code).name
        why = (" (most likely by the kernel, out of memory: each run is given "
               f"{SETTINGS.memory_per_run / 2**30:g} GiB, memory-per-run-gib in pyproject.toml)"
               if -code == signal.SIGKILL else "")
        output_text += f"\nTraceback (most recent call last):\nMemoryError: killed by {name}{why}"
    return subprocess.CompletedProcess([str(script)], 1 if timed_out else code, stdout="", stderr=output_text)


def report_progress(log: Path, reported: int, progress) -> int:
    """Pass the log's new complete PROGRESS_MARK lines to `progress`; return how many
    complete lines the log holds (the next call starts there)."""
    lines = log.read_text(encoding="utf-8", errors="replace").split("\n")[:-1]  # complete ones
    for line in lines[reported:]:
        if line.startswith(PROGRESS_MARK):
            progress(line[len(PROGRESS_MARK):].rstrip())
    return len(lines)


def render(product: Product, progress=lambda message: None, run=render_forked) -> float | None:
    """Produce one output into the cache, in seconds, or None if another process made it
    meanwhile; raise GenerationError naming the script if it fails.
    `run` is `render_forked` (a fork of the preloaded server), `render_to` (a fresh
    interpreter: the same output, tests/test_diagrams.py checks), or a function of the same
    signature that runs the script another way (tests/mutate/preloaded.py)."""
    product.output.parent.mkdir(parents=True, exist_ok=True)
    # Two processes sharing the cache (the test workers, a build beside `mkdocs serve`)
    # render each product once: the second waits for the first, then finds its output.
    lock = cache_dir() / "locks" / product.kind.folder / f"{product.name}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(lock):
        if product.output.exists():
            return None
        return _render(product, progress, run)


def _render(product: Product, progress, run) -> float:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=product.output.parent) as scratch:
        partial = Path(scratch) / product.output.name
        result = run(product.script, partial,
                     progress=lambda message: progress(f"{product.label}: {message}"))
        if result.returncode != 0:
            script = product.script.relative_to(PROJECT_ROOT)
            raise GenerationError(
                f"{product.kind.name} script {script} failed:\n{traceback_of(result.stderr)}"
            )
        narrow = narrow_of(partial)
        if narrow.exists():  # before the wide one: an output that exists is complete
            os.replace(narrow, narrow_of(product.output))
        os.replace(partial, product.output)
    product.inputs_record.parent.mkdir(parents=True, exist_ok=True)
    product.inputs_record.write_text(json.dumps(product.inputs, indent=1, sort_keys=True))
    evict_older_outputs(product)
    return time.perf_counter() - started


# Outputs kept per product: the current one and a few earlier keys, so that a test's broken
# copy of the project (which shares the cache) does not evict the real project's outputs.
KEPT_OUTPUTS = 4


def evict_older_outputs(product: Product) -> None:
    stem = Path(product.name).name
    outputs = sorted((path for path in product.output.parent.glob(f"{stem}-*{product.kind.suffix}")
                      if not path.stem.endswith(NARROW)),
                     key=lambda path: path.stat().st_mtime, reverse=True)
    for old in outputs[KEPT_OUTPUTS:]:
        narrow_of(old).unlink(missing_ok=True)
        old.unlink(missing_ok=True)  # another process may have evicted it already


def render_all(jobs: int | None = None, progress=lambda message: None) -> Report:
    """Produce what is not cached; raise GenerationError listing every script that failed.

    `progress` receives a line as each run starts and ends (MkDocs logs them under serve)."""
    products = discover()
    stale = [product for product in products if not product.output.exists()]
    for number, product in enumerate(stale, 1):
        progress(f"running {number}/{len(stale)}: {product.label} ({product.why()})")
    rendered, failures, failed_scripts = {}, [], set()
    with ThreadPoolExecutor(max_workers=jobs or SETTINGS.jobs()) as pool:
        for stage in STAGES:
            futures = {}
            for product in (p for p in stale if p.kind in stage):
                broken = sorted(failed_scripts & product.inputs.keys())
                if broken:  # it would only fail again on what it reads: say so, do not run it
                    failures.append(f"{product.kind.name} script {product.script.relative_to(PROJECT_ROOT)}"
                                    f" not run: it reads {', '.join(broken)}, which failed")
                    continue
                futures[product] = pool.submit(render, product, progress)
            by_future = {future: product for product, future in futures.items()}
            for future in as_completed(by_future):  # "done" lines in the order runs end
                product = by_future[future]
                try:
                    seconds = future.result()
                    if seconds is None:
                        progress(f"done: {product.label}, by another process sharing the cache")
                        continue
                    rendered[product.label] = seconds
                    progress(f"done: {product.label} in {seconds:.1f} s")
                except GenerationError as error:
                    failures.append(str(error))
                    failed_scripts.add(product.script.relative_to(PROJECT_ROOT).as_posix())
    if failures:
        raise GenerationError("\n\n".join(failures))
    cached = [p.label for p in products if p.label not in rendered]
    for product in products:
        if product.label not in rendered:
            product.output.touch()  # recently used: the last to be evicted
    return Report(products=products, rendered=rendered, cached=cached)
