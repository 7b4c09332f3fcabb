"""What a build costs: cold (empty figure cache), warm after a prose edit, and plain MkDocs.

All three are measured in this one run on a copy of the project, so the ratios compare
like with like on whatever machine runs it. `make bench` runs it; nothing asserts times.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARTS = ("mkdocs.yml", "docs", "snippets", "diagrams", "hooks", "overrides")
REPEATS = 3
# The same site as plain MkDocs + Material would build it: no hooks, so no figures
# (their links dangle, hence no --strict), no version stamp, no MathML.
PLAIN_CONFIG = "INHERIT: mkdocs.yml\nhooks: []\nstrict: false\n"


def build(project: Path, cache: Path, config: str = "mkdocs.yml", strict: bool = True) -> float:
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config]
    env = {**os.environ, "WEIGHT_ATLAS_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        command + (["--strict"] if strict else []), cwd=project, env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stderr}")
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project, cache = Path(scratch) / "project", Path(scratch) / "cache"
        for part in PARTS:
            copy = shutil.copytree if (ROOT / part).is_dir() else shutil.copy2
            copy(ROOT / part, project / part)
        (project / "mkdocs-plain.yml").write_text(PLAIN_CONFIG)
        page = project / "docs" / "index.md"

        cold = build(project, cache)
        warm = []
        for repeat in range(REPEATS):
            page.write_text(page.read_text() + f"\nA sentence added by the benchmark ({repeat}).\n")
            warm.append(build(project, cache))
        plain = [build(project, cache, "mkdocs-plain.yml", strict=False) for _ in range(REPEATS)]

    warm_s, plain_s = statistics.median(warm), statistics.median(plain)
    print(f"cold build, empty figure cache : {cold:6.2f} s")
    print(f"warm build after a prose edit  : {warm_s:6.2f} s  (median of {REPEATS})")
    print(f"plain MkDocs, diagrams off     : {plain_s:6.2f} s  (median of {REPEATS})")
    print(f"warm / plain = {warm_s / plain_s:.2f}    cold / plain = {cold / plain_s:.2f}")


if __name__ == "__main__":
    main()
