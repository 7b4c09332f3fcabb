"""What a build costs: cold (empty cache of figures and facts), warm after a prose edit, and plain MkDocs;
and how soon `mkdocs serve` shows a newcomer its first page from an empty cache.

All are measured in this one run on a copy of the project, so the ratios compare
like with like on whatever machine runs it. `make bench` runs it; nothing asserts times.
"""
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.project import ROOT  # noqa: E402  (needs the path above)
from tests.site_build import build, copy_project  # noqa: E402

REPEATS = 3
# The same pages as plain MkDocs + Material builds them: the pages as the site's hooks leave
# them (facts filled in, generated pages and figures as files: export_sources.py writes them
# out), built with the hooks off, so no version stamp, no MathML and no checks; not strict,
# since links to generated downloads are checked by the hooks the plain build lacks.
EXPORT_CONFIG = "INHERIT: mkdocs.yml\nhooks: {hooks}\n"
PLAIN_CONFIG = "INHERIT: mkdocs.yml\ndocs_dir: {docs}\nhooks: []\nstrict: false\n"


def timed_build(project: Path, cache: Path, **options) -> float:
    started = time.perf_counter()
    check(build(project, project / "site", cache=cache, **options))
    return time.perf_counter() - started


def check(result) -> None:
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")


def export_plain_project(project: Path, cache: Path, exported: Path) -> str:
    """Build once with export_sources.py added to the site's hooks; return the config that
    builds what it wrote out with plain MkDocs."""
    # The hooks list, read as text: mkdocs.yml's !ENV and !relative tags need MkDocs' loader.
    hooks_block = re.search(r"^hooks:\n((?:  - .*\n)+)", (project / "mkdocs.yml").read_text(), re.M)
    site_hooks = re.findall(r"^  - (\S+)", hooks_block[1], re.M)
    shutil.copy2(ROOT / "benchmarks" / "export_sources.py", project / "export_sources.py")
    (project / "mkdocs-export.yml").write_text(
        EXPORT_CONFIG.format(hooks=json.dumps(site_hooks + ["export_sources.py"])))
    os.environ["WEIGHT_ATLAS_EXPORT"] = str(exported)
    check(build(project, project / "site", cache=cache, config="mkdocs-export.yml"))
    (project / "mkdocs-plain.yml").write_text(PLAIN_CONFIG.format(docs=exported))
    return "mkdocs-plain.yml"


def first_page_served(project: Path, cache: Path) -> tuple[float, float]:
    """Seconds from `mkdocs serve` starting with an empty cache to its first page, and to the
    page without stand-ins (engine/background.py computes behind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/lstm/weights/"
    environment = {**os.environ, "WEIGHT_ATLAS_CACHE": str(cache), "TF_CPP_MIN_LOG_LEVEL": "3",
                   "NO_MKDOCS_2_WARNING": "1", "SITE_URL": ""}
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve",
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = complete = None
    try:
        while complete is None and server.poll() is None and time.perf_counter() - started < 900:
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
            except OSError:
                page = None
            if page is not None and first is None:
                first = time.perf_counter() - started
            if page is not None and 'id="being-computed"' not in page:
                complete = time.perf_counter() - started
            time.sleep(0.5)
    finally:
        server.terminate()
        server.wait()
    if first is None or complete is None:
        sys.exit("mkdocs serve never served the page" if first is None else "the preview never completed")
    return first, complete


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        first, complete = first_page_served(project, Path(scratch) / "serve-cache")
        cache = Path(scratch) / "cache"  # empty: the first build renders every figure
        page = project / "docs" / "index.md"

        cold = timed_build(project, cache)
        warm = []
        for repeat in range(REPEATS):
            page.write_text(page.read_text() + f"\nA sentence added by the benchmark ({repeat}).\n")
            warm.append(timed_build(project, cache))
        plain_config = export_plain_project(project, cache, Path(scratch) / "exported")
        plain = [timed_build(project, cache, config=plain_config, strict=False) for _ in range(REPEATS)]

    warm_s, plain_s = statistics.median(warm), statistics.median(plain)
    print(f"serve, empty cache, first page     : {first:6.2f} s  (complete after {complete:.0f} s)")
    print(f"cold build, empty cache            : {cold:6.2f} s")
    print(f"warm build after a prose edit      : {warm_s:6.2f} s  (median of {REPEATS})")
    print(f"plain MkDocs, same pages, no hooks : {plain_s:6.2f} s  (median of {REPEATS})")
    print(f"warm / plain = {warm_s / plain_s:.2f}    cold / plain = {cold / plain_s:.2f}    "
          f"first served / plain = {first / plain_s:.2f}")


if __name__ == "__main__":
    main()
