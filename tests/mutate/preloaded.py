"""A process that has imported the libraries the facts scripts use, and forks a child for
each mutant of a facts script to compute its facts into that mutant's private cache: the
seconds TensorFlow, Keras and PyTorch take to import are paid once per run, not once per
mutant. The mutant's test runs then find its facts computed (tests/mutate/runner.py).

    python tests/mutate/preloaded.py      # by path: no module of the project is imported

Reads one JSON request per line on stdin, {"project", "cache", "scripts", "log", "timeout"},
computes each script's facts in turn (a child each; one whose facts are cached is skipped)
and answers with a JSON line {"exit": code, "script": the last one run}: 0 when every
script's facts are in the cache, 1 when a script failed (its traceback is in "log"), minus
a signal's number when the child was killed (SIGALRM: out of time).

Each child starts as a fresh interpreter would after those imports: no layer built, no seed
set, no project module loaded (the project's own code is imported in the child, from the
mutant's copy).
"""
import json
import os
import signal
import sys
import tomllib
import traceback

# The script's own folder is sys.path[0]: it must not shadow anything the child imports.
sys.path.pop(0)

# The environment every script runs with (engine/settings.py reads the same table), read
# without importing the project, before the libraries that read it at import.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "pyproject.toml"), "rb") as file:
    os.environ.update(tomllib.load(file)["tool"]["weight-atlas"]["engine"]["environment"])
import numpy  # noqa: E402,F401
import keras  # noqa: E402,F401
import sklearn  # noqa: E402,F401
import tensorflow  # noqa: E402,F401
import torch  # noqa: E402,F401


def child(request: dict, script: str) -> None:
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    signal.alarm(max(1, int(request["timeout"])))
    project = request["project"]
    os.chdir(project)
    sys.path[:0] = [project, os.path.join(project, "src")]
    os.environ["WEIGHT_ATLAS_CACHE"] = request["cache"]
    from pathlib import Path

    import subprocess

    from engine import _render_one
    from engine._runner import FACTS, GenerationError, product_of, render

    def render_here(script: Path, output: Path, progress) -> subprocess.CompletedProcess:
        """engine._runner.render_to, in this process: the libraries are imported already."""
        try:
            _render_one.run(script, output)
        except Exception:
            return subprocess.CompletedProcess([str(script)], 1, stdout="", stderr=traceback.format_exc())
        return subprocess.CompletedProcess([str(script)], 0, stdout="", stderr="")

    product = product_of(FACTS, Path(project, script))
    if product.output.exists():
        os._exit(0)
    try:
        render(product, run=render_here)
    except GenerationError as error:
        print(error, flush=True)
        os._exit(1)
    os._exit(0)


def main() -> None:
    for line in sys.stdin:
        request = json.loads(line)
        for script in request["scripts"]:
            pid = os.fork()
            if pid == 0:
                try:
                    child(request, script)
                except BaseException:
                    traceback.print_exc()
                os._exit(3)  # what escaped child() is the tool's failure, not the script's
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                break
        print(json.dumps({"exit": code, "script": script}), flush=True)


if __name__ == "__main__":
    main()
