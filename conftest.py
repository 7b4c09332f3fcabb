"""Sybil runs every ```pycon block of every page as a doctest, in page order; and in CI a
skipped test fails.

All blocks of one page share a namespace, so a page reads as one console session. A
failure is reported as docs/<page>.md, line N. Pages' ```python blocks are includes
from snippets/, which tests/test_snippets.py runs.

Doctests compare whole outputs: no ELLIPSIS, so `...` matches only itself. A traceback's
body may still be written `...`, because doctest compares only the exception line
(tests/rules.py: elided_output() keeps `...` to that place).
"""
import doctest
import functools
import os
from pathlib import Path

from engine.settings import SETTINGS

# The tests compute as the pages' scripts do: the same threads, Keras backend and
# TensorFlow kernels (pyproject.toml's [tool.weight-atlas.engine]), set before anything
# imports TensorFlow or PyTorch, here and in every process a test starts.
os.environ.update(SETTINGS.environment)

import pytest  # noqa: E402
from sybil import Sybil  # noqa: E402
from sybil.evaluators.doctest import DocTestEvaluator  # noqa: E402
from sybil.parsers.abstract.doctest import DocTestStringParser  # noqa: E402
from sybil.parsers.markdown import CodeBlockParser  # noqa: E402

from tests.project import DEPENDS_ON_FAILED  # noqa: E402

DOCTEST_LANGUAGE = "pycon"
DOCTEST_FLAGS = doctest.NORMALIZE_WHITESPACE


class ConsoleBlockParser:
    """Each ```pycon fenced block of a page, as doctest examples."""

    def __init__(self):
        self.blocks = CodeBlockParser(language=DOCTEST_LANGUAGE)
        self.examples = DocTestStringParser(DocTestEvaluator(DOCTEST_FLAGS))

    def __call__(self, document):
        for block in self.blocks(document):
            for example in self.examples(block.parsed, document.path):
                example.adjust(block, block.parsed)
                yield example


pytest_collect_file = Sybil(
    parsers=[ConsoleBlockParser()], path="docs", patterns=["*.md"]
).pytest()


# --- Spread over processes, state stays together -------------------------------------
# `make test` runs the tests in one process per core (pytest-xdist). A test goes to whichever
# process is free, except where tests share state: a page's console blocks (one namespace,
# in page order) and a test file with a module-scoped fixture (a browser, a run of every
# download) go whole to one process, so that state is made once. (xdist's own grouping,
# --dist loadgroup, renames node ids in a way pytest 9 no longer allows.)

MODULE_STATE = ("module", "class", "package")


@functools.cache  # asked for each of some 3000 tests, by the scheduler and at collection
def spreads(path: str) -> bool:
    """Whether the tests of this file (relative to the root) may go to different processes:
    a test module that declares no fixture of a wider scope than a test, and so shares no
    state but the run's (session fixtures, which tests/conftest.py makes once per run)."""
    if not (path.startswith("tests/") and path.endswith(".py")):
        return False
    source = (Path(__file__).parent / path).read_text(encoding="utf-8")
    return not any(f'scope="{scope}"' in source for scope in MODULE_STATE)


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class ByFileWhereStateIsShared(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path = nodeid.split("::", 1)[0]
            return nodeid if spreads(path) else path

    return ByFileWhereStateIsShared(config, log)


def pytest_collection_modifyitems(config, items):
    """The scheduler decides from a file's text; here, with the fixtures known, a test of a
    file it spreads must use no module-scoped state, or the run stops saying which."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None or not spreads(item.nodeid.split("::", 1)[0]):
            continue
        wide = [name for name, definitions in fixtures.name2fixturedefs.items()
                if definitions[-1].scope in MODULE_STATE]
        if wide:
            raise pytest.UsageError(f"{item.nodeid} uses {', '.join(wide)}, module-scoped, in a file "
                                    "conftest.py spreads over processes")


# --- In CI, a skip is a failure -----------------------------------------------------
# A skip reads as "fine" in a summary, so in CI, where every tool is installed, a test
# that skips (no Chromium, a missing module) fails instead. A test that skips only because
# a check it depends on already failed in this session says so with DEPENDS_ON_FAILED:
# that failure is the one to read, and it is reported anyway.

def running_in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() not in {"", "0", "false"}


def skip_reason(report) -> str:
    """The reason given to pytest.skip() or a skip mark."""
    message = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return message.removeprefix("Skipped: ")


def fail_a_skip_in_ci(report, root):
    if not report.skipped or hasattr(report, "wasxfail") or not running_in_ci():
        return
    reason = skip_reason(report)
    if reason.startswith(DEPENDS_ON_FAILED):
        return
    if isinstance(report.longrepr, tuple):
        path, line, _message = report.longrepr
        place = f"{os.path.relpath(path, root)}:{line}"
    else:
        place = report.nodeid
    report.outcome = "failed"
    report.longrepr = (
        f"{place}: skipped in CI ({reason}); in CI a test runs, or skips with a reason "
        f"starting {DEPENDS_ON_FAILED!r} because a check it needs failed"
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    fail_a_skip_in_ci(report, item.config.rootpath)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A module that skips itself when collected (pytest.importorskip) skips every test in it."""
    report = yield
    fail_a_skip_in_ci(report, collector.config.rootpath)
    return report


# --- Sampled grids are said to be sampled ----------------------------------------------
# tests/sampling.py: each process records the grids it sampled; a worker hands its record to
# the controlling process (xdist's workeroutput), which reports it.
SAMPLED_IN_WORKERS: dict = {}


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):
        from tests.sampling import SAMPLED
        session.config.workeroutput["sampled"] = {name: list(counts) for name, counts in SAMPLED.items()}


def pytest_testnodedown(node, error):
    SAMPLED_IN_WORKERS.update(getattr(node, "workeroutput", {}).get("sampled", {}))


def report_sampled_grids(terminalreporter):
    from tests.sampling import SAMPLED, WHOLE
    grids = {**SAMPLED, **SAMPLED_IN_WORKERS}
    if WHOLE or not grids:
        return
    run = sum(chosen for chosen, _, _ in grids.values())
    total = sum(whole for _, whole, _ in grids.values())
    terminalreporter.section(f"grids sampled: {run} of {total} cases; `make test-whole` runs every one")
    for name, (chosen, whole, how) in sorted(grids.items()):
        terminalreporter.write_line(f"{name}: {chosen} of {whole} ({how})")


# --- Justified exceptions are listed, never hidden ------------------------------------

def pytest_terminal_summary(terminalreporter):
    """Every `atlas: allow <rule>: <reason>` marker (engine/problems.py), with its reason:
    a rule's exception is visible in every run, and counted. Then the grids sampled."""
    from engine.problems import justified_exceptions

    root = Path(__file__).resolve().parent
    files = [path for folder in ("docs", "snippets", "facts", "diagrams", "results", "notebooks")
             for path in sorted((root / folder).rglob("*")) if path.suffix in {".md", ".py"}]
    found = justified_exceptions(files, root)
    terminalreporter.section(f"justified exceptions to the rules: {len(found)}")
    for exception in found:
        terminalreporter.write_line(f"{exception.path}:{exception.line}: [{exception.rule}] {exception.reason}")
    report_sampled_grids(terminalreporter)
