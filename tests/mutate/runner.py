"""Run mutants: each in a throw-away copy of the project, with only the tests its file can
affect (tests/mutate/affected.py), and count the ones the tests kill.

- The project is copied once (a snapshot: what the mutants are made from, unaffected by
  edits made while the run goes on), and each mutant gets its own copy of the snapshot
  with its one file edited.
- Figures and facts are cached by the code that makes them (engine/_cache_key.py): the
  snapshot's are computed once into the project's cache (`python -m engine`), and each
  mutant reads them through a private cache of hard links to it, so a mutant's outputs
  and evictions never reach the project's cache. (Where hard links are impossible the
  mutants share the project's cache, which is safe, outputs being keyed by their code.)
- Before any copy, every mutant is screened by the rules that read only its file
  (tests/mutate/screen.py): one process decides most of them in seconds, naming the test
  that would fail. The rest get their pytest runs.
- A mutant of facts/ has the facts it changes computed first, each script in a child of a
  process that has imported the libraries already (tests/mutate/preloaded.py): a script
  that raises kills it there; otherwise its test runs find the facts in its cache.
- A mutant is killed when a test fails, or when its tests run out of time. A run that
  fails is run once more without any mutant: a test that fails there too (an edit under
  way broke it) kills nothing; it is named once in the log.
"""
import dataclasses
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.mutate import screen
from tests.mutate.affected import RECORDED_CHECKS, runs_for
from tests.mutate.mutant import Mutant

# Never copied: environments, generated output, caches, history.
NOT_COPIED = {".venv", "node_modules", "site", "site.partial", ".cache", ".git", "screenshots",
              "__pycache__", ".pytest_cache", ".lock-venv"}
SUMMARY_LINE = re.compile(r"^(?:FAILED|ERROR) (?P<test>.+?)(?: - (?P<why>.*))?$", re.MULTILINE)
KILLED_CODES = {1, 2, 3}  # tests failed; collection or run interrupted; internal error
PASSED_CODES = {0, 5}  # passed; nothing selected


class ToolError(Exception):
    """The tool itself failed (pytest was called wrongly): not a measurement."""


@dataclasses.dataclass
class Outcome:
    mutant: Mutant
    status: str  # "killed", "timeout" (counted as killed) or "survived"
    by: str = ""  # the test that failed, or why it is counted as killed
    why: str = ""  # the failure's message, as pytest summarised it
    seconds: float = 0.0
    runs: list[dict] = dataclasses.field(default_factory=list)  # each pytest run: time, exit

    @property
    def killed(self) -> bool:
        return self.status in ("killed", "timeout")

    def as_json(self) -> dict:
        m = self.mutant
        return {"path": m.path, "line": m.line, "operator": m.operator, "description": m.description,
                "killed": self.killed, "status": self.status, "by": self.by, "why": self.why,
                "seconds": round(self.seconds, 1), "runs": self.runs}


def failures(output: str, code: int) -> dict[str, str]:
    """{test id: message} of each failed or erroring test in pytest's short summary; when
    pytest failed before naming one, {"<pytest exit N>": the end of its output}."""
    found = {match["test"].strip(): (match["why"] or "").strip()[:300]
             for match in SUMMARY_LINE.finditer(output)}
    return found or {f"<pytest exit {code}>": output.strip()[-300:]}


def ignored(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if name in NOT_COPIED or name.startswith((".cache", ".venv"))}


def copy_project(source: Path, destination: Path) -> Path:
    shutil.copytree(source, destination, ignore=ignored, symlinks=True)
    return destination


def link_cache(source: Path, destination: Path) -> bool:
    """A private cache: hard links to `source`'s outputs, copies of its small run records
    (which are rewritten in place). False if hard links are impossible here."""
    for folder, subfolders, files in os.walk(source):
        relative = Path(folder).relative_to(source)
        subfolders[:] = [name for name in subfolders if not name.startswith("tmp")]  # runs under way
        (destination / relative).mkdir(parents=True, exist_ok=True)
        for name in files:
            try:
                if relative.parts[:1] == ("inputs",) or name.endswith(".partial"):
                    shutil.copy2(Path(folder) / name, destination / relative / name)
                else:
                    os.link(Path(folder) / name, destination / relative / name)
            except FileNotFoundError:
                continue  # evicted while we walked
            except OSError:
                return False
    return True


class Runner:
    def __init__(self, root: Path, *, jobs: int = 2, timeout: float = 300.0,
                 log=lambda line: print(line, flush=True)):
        self.root = root
        self.jobs = jobs
        self.timeout = timeout
        self.log = log
        self.cache = Path(os.environ.get("WEIGHT_ATLAS_CACHE", root / ".cache")).resolve()
        self.work = Path(tempfile.mkdtemp(prefix="weight-atlas-mutate-"))
        self.snapshot = copy_project(root, self.work / "snapshot")
        self.baselines: dict[tuple, set[str]] = {}  # run -> the tests failing without a mutant
        self.baseline_locks: dict[tuple, threading.Lock] = {}
        self.lock = threading.Lock()
        self.live: set[subprocess.Popen] = set()
        self.count = 0
        self.warmed = False
        self.screened: dict[str, list[str]] = {}  # mutant key -> [test, message] (run() screens first)
        self.servers = threading.local()  # each worker thread's preloaded process
        self.all_servers: list[subprocess.Popen] = []

    def close(self) -> None:
        with self.lock:
            for process in list(self.live):
                self.stop(process)
            for server in self.all_servers:
                server.kill()
                server.communicate()  # reaped, its pipes closed
        shutil.rmtree(self.work, ignore_errors=True)

    # --- processes ------------------------------------------------------------------------

    def environment(self, project: Path, cache: Path) -> dict[str, str]:
        env = {**os.environ, "WEIGHT_ATLAS_CACHE": str(cache), "PYTHONPATH": os.pathsep.join([str(project), str(project / "src")]),
               "PYTHONDONTWRITEBYTECODE": "1", "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}
        env.pop("CI", None)  # a skip is a skip here: the score counts failures, not skips
        return env

    def stop(self, process: subprocess.Popen) -> None:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the test run and what it started
        except ProcessLookupError:
            pass

    def call(self, command: list[str], project: Path, cache: Path, seconds: float):
        """(returncode, output), or (None, output) when it ran out of time."""
        process = subprocess.Popen(command, cwd=project, env=self.environment(project, cache),
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   start_new_session=True)
        with self.lock:
            self.live.add(process)
        try:
            output, _ = process.communicate(timeout=max(seconds, 1))
            return process.returncode, output
        except subprocess.TimeoutExpired:
            self.stop(process)
            output, _ = process.communicate()
            return None, output
        finally:
            with self.lock:
                self.live.discard(process)

    def pytest(self, arguments: list[str], project: Path, cache: Path, seconds: float):
        command = [sys.executable, "-m", "pytest", "-q", "--no-header", "-p", "no:cacheprovider",
                   "-rfE", *arguments]
        code, output = self.call(command, project, cache, seconds)
        if code is not None and code not in KILLED_CODES | PASSED_CODES:
            raise ToolError(f"pytest {' '.join(arguments)} exited {code} in {project}:\n{output[-3000:]}")
        return code, output

    # --- a workspace ------------------------------------------------------------------------

    def workspace(self, name: str) -> tuple[Path, Path]:
        project = copy_project(self.snapshot, self.work / name)
        cache = self.work / f"{name}.cache"
        if not link_cache(self.cache, cache):
            shutil.rmtree(cache, ignore_errors=True)
            cache = self.cache
        return project, cache

    def discard(self, project: Path, cache: Path) -> None:
        shutil.rmtree(project, ignore_errors=True)
        if cache != self.cache:
            shutil.rmtree(cache, ignore_errors=True)

    # --- the run ------------------------------------------------------------------------

    def warm(self) -> None:
        """Compute the snapshot's figures and facts once, into the project's cache: what each
        mutant that leaves them alone then finds there."""
        started = time.perf_counter()
        code, output = self.call([sys.executable, "-m", "engine"], self.snapshot, self.cache, 3600)
        summary = next((line for line in output.splitlines() if "scripts:" in line), output.strip()[-300:])
        self.warmed = code == 0  # else a script fails without any mutant: no kill by its failure
        status = "ok" if code == 0 else (f"FAILED ({code}): the tests that need a failing script fail "
                                         "without any mutant, and are ignored")
        self.log(f"figures and facts of the unmutated project: {summary} "
                 f"[{time.perf_counter() - started:.0f} s, {status}]")

    def screen(self, mutants: list[Mutant]) -> None:
        """Decide what the rules on a mutant's own file decide (tests/mutate/screen.py), in
        `jobs` processes, each with every jobs-th mutant."""
        started = time.perf_counter()
        keys = [screen.key(m.path, m.text) for m in mutants]

        def screen_part(part: int) -> dict[str, list[str]]:
            asked, verdicts = self.work / f"screen-keys-{part}.json", self.work / f"screen-verdicts-{part}.json"
            asked.write_text(json.dumps(keys[part::self.jobs]), encoding="utf-8")
            code, output = self.call([sys.executable, "-m", "tests.mutate.screen", str(asked), str(verdicts)],
                                     self.snapshot, self.cache, 3600)
            if code != 0:
                raise ToolError(f"the screen failed ({code}):\n{output[-3000:]}")
            return json.loads(verdicts.read_text(encoding="utf-8"))

        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            self.screened = {k: v for part in pool.map(screen_part, range(self.jobs)) for k, v in part.items()}
        self.log(f"screened by the rules on their own file: {len(self.screened)} of {len(mutants)} "
                 f"killed [{time.perf_counter() - started:.0f} s]")

    def preloaded(self) -> subprocess.Popen:
        server = getattr(self.servers, "process", None)
        if server is None or server.poll() is not None:
            env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "CI")}
            server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("preloaded.py"))],
                                      cwd="/", env={**env, "PYTHONDONTWRITEBYTECODE": "1"}, text=True,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)
            self.servers.process = server
            with self.lock:
                self.all_servers.append(server)
        return server

    def precompute_facts(self, mutant: Mutant, project: Path, cache: Path, seconds: float):
        """(exit code, script, log) of computing the facts a mutant of facts/ changes into its
        cache (its own script's, or every page's for a helper), each in a child of this
        thread's preloaded process: 0 computed, 1 `script` raised, < 0 killed."""
        log = project.parent / f"{project.name}.facts.log"
        server = self.preloaded()
        scripts = [mutant.path] if is_page_facts(mutant.path) else sorted(
            path.relative_to(project).as_posix() for path in project.glob("facts/*/*.py")
            if is_page_facts(path.relative_to(project).as_posix()))
        request = {"project": str(project), "cache": str(cache), "scripts": scripts,
                   "log": str(log), "timeout": seconds}
        server.stdin.write(json.dumps(request) + "\n")
        server.stdin.flush()
        answer = server.stdout.readline()
        if not answer:
            raise ToolError(f"the preloaded process stopped ({server.poll()}) on {mutant}")
        output = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        log.unlink(missing_ok=True)
        answer = json.loads(answer)
        return answer["exit"], answer["script"], output

    def failing_without_mutant(self, arguments: list[str]) -> set[str]:
        """The tests of a run that fail on the unmutated project too (someone's edit under
        way broke them): their failure says nothing about a mutant. Run once per run."""
        key = tuple(arguments)
        with self.lock:
            key_lock = self.baseline_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self.baselines:
                project, cache = self.workspace(f"baseline-{len(self.baselines)}-{threading.get_ident()}")
                try:
                    code, output = self.pytest(arguments, project, cache, self.timeout)
                finally:
                    self.discard(project, cache)
                self.baselines[key] = set(failures(output, code)) if code in KILLED_CODES else set()
                if self.baselines[key]:
                    names = ", ".join(sorted(self.baselines[key]))
                    self.log(f"  failing without any mutant, so ignored: {names}")
            return self.baselines[key]

    def run_one(self, mutant: Mutant, number: int) -> Outcome:
        started = time.perf_counter()
        outcome = Outcome(mutant, "survived")
        verdict = self.screened.get(screen.key(mutant.path, mutant.text))
        if verdict:
            outcome.status, (outcome.by, outcome.why) = "killed", verdict
            outcome.runs.append({"screen": "the rules on its own file"})
            return self.logged(outcome, started)
        project, cache = self.workspace(f"mutant-{number}")
        try:
            (project / mutant.path).write_text(mutant.text, encoding="utf-8")
            if self.warmed and mutant.path.startswith("facts/"):
                run_started = time.perf_counter()
                code, script, output = self.precompute_facts(mutant, project, cache, self.timeout)
                outcome.runs.append({"preloaded": mutant.path, "exit": code,
                                     "seconds": round(time.perf_counter() - run_started, 1)})
                if code == -signal.SIGALRM:
                    outcome.status = "timeout"
                    outcome.by = f"no verdict within {self.timeout:.0f} s (its facts script)"
                    return self.logged(outcome, started)
                if code == 1:
                    outcome.status, outcome.by = "killed", f"{script} raised (computing its facts)"
                    outcome.why = output.strip().splitlines()[-1][:300] if output.strip() else ""
                    return self.logged(outcome, started)
                # 0: its facts are cached for the runs below; anything else (a crash of the
                # tool's child): the runs below compute them afresh, as `make test` does.
            for arguments in runs_for(mutant.path, exists=lambda target: (project / target).exists()):
                if arguments == RECORDED_CHECKS:
                    continue  # the screen ran the same rule on this file
                remaining = self.timeout - (time.perf_counter() - started)
                run_started = time.perf_counter()
                code, output = self.pytest(arguments, project, cache, remaining)
                outcome.runs.append({"pytest": arguments, "exit": code,
                                     "seconds": round(time.perf_counter() - run_started, 1)})
                if code is None or remaining <= 1:
                    outcome.status = "timeout"
                    outcome.by = f"no verdict within {self.timeout:.0f} s (pytest {' '.join(arguments)})"
                    break
                if code not in KILLED_CODES:
                    continue
                failed = failures(output, code)
                new = [test for test in failed if test not in self.failing_without_mutant(arguments)]
                if new:
                    outcome.status, outcome.by, outcome.why = "killed", new[0], failed[new[0]]
                    break
        finally:
            self.discard(project, cache)
        return self.logged(outcome, started)

    def logged(self, outcome: Outcome, started: float) -> Outcome:
        mutant = outcome.mutant
        outcome.seconds = time.perf_counter() - started
        with self.lock:
            self.count += 1
            label = {"killed": "killed  ", "timeout": "timeout ", "survived": "SURVIVED"}[outcome.status]
            self.log(f"[{self.count}/{self.total}] {label} {outcome.seconds:5.0f} s  {mutant}"
                     + (f"  <- {outcome.by}" if outcome.status == "killed" else ""))
        return outcome

    def run(self, mutants: list[Mutant]) -> list[Outcome]:
        self.total = len(mutants)
        self.screen(mutants)
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(self.run_one, mutants, range(1, len(mutants) + 1)))


def is_page_facts(path: str) -> bool:
    """facts/<topic>/<page>.py: a script of one page's facts (not a helper every script reads)."""
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "facts" and not parts[2].startswith("_")


def score(outcomes: list[Outcome]) -> dict:
    killed = sum(o.killed for o in outcomes)
    return {"killed": killed, "total": len(outcomes),
            "percent": round(100 * killed / len(outcomes), 1) if outcomes else 0.0,
            "timeouts": sum(o.status == "timeout" for o in outcomes)}


def score_line(result: dict) -> str:
    return f"mutation score: {result['killed']}/{result['total']} killed ({result['percent']} %)"
