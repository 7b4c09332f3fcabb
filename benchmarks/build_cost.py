"""What a build costs: cold (empty cache of figures and facts), warm after a prose edit, and plain MkDocs.

All three are measured in this one run on a copy of the project, so the ratios compare
like with like on whatever machine runs it. `make bench` runs it; nothing asserts times.
"""
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.site_build import build, copy_project  # noqa: E402  (needs the path above)

REPEATS = 3
# The same pages as plain MkDocs + Material builds them: no hooks, so no figures or facts (their
# links and placeholders dangle, hence not strict), no version stamp, no MathML.
PLAIN_CONFIG = "INHERIT: mkdocs.yml\nhooks: []\nstrict: false\n"


def timed_build(project: Path, cache: Path, **options) -> float:
    started = time.perf_counter()
    result = build(project, project / "site", cache=cache, **options)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = copy_project(Path(scratch) / "project")
        cache = Path(scratch) / "cache"  # empty: the first build renders every figure
        (project / "mkdocs-plain.yml").write_text(PLAIN_CONFIG)
        page = project / "docs" / "index.md"

        cold = timed_build(project, cache)
        warm = []
        for repeat in range(REPEATS):
            page.write_text(page.read_text() + f"\nA sentence added by the benchmark ({repeat}).\n")
            warm.append(timed_build(project, cache))
        plain = [
            timed_build(project, cache, config="mkdocs-plain.yml", strict=False)
            for _ in range(REPEATS)
        ]

    warm_s, plain_s = statistics.median(warm), statistics.median(plain)
    print(f"cold build, empty cache        : {cold:6.2f} s")
    print(f"warm build after a prose edit  : {warm_s:6.2f} s  (median of {REPEATS})")
    print(f"plain MkDocs, hooks off        : {plain_s:6.2f} s  (median of {REPEATS})")
    print(f"warm / plain = {warm_s / plain_s:.2f}    cold / plain = {cold / plain_s:.2f}")


if __name__ == "__main__":
    main()
