"""Fixtures that run flake8 as users do: files on disk, config files, stdin, ``-j``.

Commands run in this process (:func:`run_in_process`, :class:`Flake8Dir`, :class:`Execgov`)
unless a test is about what only a real process shows (spawned ``-j`` workers, a real pipe,
a native crash, concurrent writers, the console scripts, the language server over stdio):
those call :func:`execgov_process` or :meth:`Flake8Dir.run_process` and say why.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Optional, Union

import pytest
from flake8.main import cli
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# pyproject's addopts name the plugins (no autoload); these two exist from Python 3.10 on
# (pytest-lsp needs it; pytest-asyncio comes with it)
pytest_plugins = ["pytest_asyncio.plugin", "pytest_lsp"] if sys.version_info >= (3, 10) else []
# What ``execgov fix -`` says once when stdin has no name: no place in a project.
NO_PROJECT = ("execgov fix: stdin has no place in a project (give --stdin-filename); its "
              "imports are not followed\n")
# The fixture files with their expected findings; ``*_py310.py`` ones use newer syntax.
CASE_FILES = sorted(p for p in (ROOT / "tests" / "cases").glob("*.py")
                    if sys.version_info >= (3, 10) or not p.stem.endswith("_py310"))


def _untraced_child() -> None:
    """A child forked from the test process (flake8's ``-j`` workers in a command run
    in-process, the fixer's isolation) keeps no coverage data: the tracer it inherits
    only slows it down, so it is stopped there (pytest-cov measures the test processes)."""
    sys.settrace(None)


os.register_at_fork(after_in_child=_untraced_child)

# Generated programs: a quick sample by default, many more with --sweep.
settings.register_profile("default", max_examples=25, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("sweep", max_examples=400, deadline=None,
                          suppress_health_check=list(HealthCheck))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sweep", action="store_true",
                     help="also run the exhaustive sweeps (real corpora, many generated programs)")
    parser.addoption("--e2e", action="store_true",
                     help="also run the end-to-end checks that build or install environments "
                          "(pre-commit try-repo, the distributions, actionlint, mypy)")
    try:
        import pytest_asyncio  # noqa: F401 - it declares its own ini keys
    except ImportError:  # before Python 3.10 (no pytest-lsp): pyproject's key is unused
        parser.addini("asyncio_default_fixture_loop_scope", "pytest-asyncio's, unused here")


_HOME = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile("sweep" if config.getoption("--sweep") else "default")
    # The cache's key lives in the user's cache folder: the suite (and every process it
    # starts) gets a folder of its own, and no cache setting of the developer's shell.
    home = tempfile.mkdtemp(prefix="execgov-tests-home-")
    config.stash[_HOME] = home
    os.environ["XDG_CACHE_HOME"] = home
    for name in ("EXECGOV_CACHE_DIR", "EXECGOV_NO_CACHE"):
        os.environ.pop(name, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """The folder the suite's caches lived in goes with the process that made it (each
    xdist worker makes its own): a suite leaves nothing behind in the temporary folder."""
    home = config.stash.get(_HOME, None)
    if home is not None:
        shutil.rmtree(home, ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for option, marker, reason in (
            ("--sweep", "sweep", "exhaustive sweep: run with --sweep"),
            ("--e2e", "e2e", "end to end, builds environments: run with --e2e (CI's e2e job)")):
        if config.getoption(option):
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)


def e2e_tool(module: str) -> None:
    """An end-to-end check's tool: asked for with --e2e, a missing one is a failure, not
    a skip (the ``e2e`` extra installs them all)."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        pytest.fail(f"{module} is not installed: pip install -e '.[test,e2e]'")


@contextlib.contextmanager
def untraced() -> Iterator[None]:
    """The coverage tracer paused for a block: what a test repeats after its first rounds
    (which stay traced) costs no tracing."""
    import coverage

    # Every running measurement, not only the latest: an xdist worker holds two (the one
    # pytest-cov starts as its plugin loads, then its worker's at session start), stacked,
    # and stopping the top one resumes the one below: the block ran traced.
    paused: list[coverage.Coverage] = []
    while (current := coverage.Coverage.current()) is not None:
        current.stop()
        paused.append(current)
    try:
        yield
    finally:
        for measurement in reversed(paused):
            measurement.start()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """``@pytest.mark.untraced``: the test runs with the coverage tracer paused (a search
    for crashes, a timing, or a heavy test whose every line a lighter test traces); what
    the suite's coverage measures is the other tests'. (pytest-cov's own ``no_cover``
    breaks under ``--no-cov``.)"""
    if item.get_closest_marker("untraced") is None:
        yield
        return
    with untraced():
        yield


# -- commands in this process ------------------------------------------------------------


def fresh_process_state() -> None:
    """What a new process starts without, so that a command run in this process sees what a
    fresh ``flake8``/``execgov`` process sees: the previous run ends (as its process would:
    :func:`flush_process_state`), and flake8's own per-process state goes: the plugin's
    class-level settings (flake8 hands a plugin its options through ``parse_options``,
    once a process), the note said once a process, and flake8's memoised stdin."""
    from flake8 import utils

    from flake8_execgov.plugin import ExecGovChecker, PluginSettings

    flush_process_state()
    ExecGovChecker.settings = PluginSettings()
    ExecGovChecker._noted = False
    utils.stdin_get_value.cache_clear()


def flush_process_state() -> None:
    """What a process does when it ends: the run flake8 started in it is closed (writes
    what it learnt; flake8 has no end-of-run hook, :meth:`Run.closes_at_exit`)."""
    from flake8_execgov.plugin import ExecGovChecker

    ExecGovChecker.settings.the_run.close()


def _main(program: str) -> Callable[[list[str]], object]:
    if program == "flake8":
        from flake8.main import cli as flake8_cli

        return flake8_cli.main
    from flake8_execgov import cli as execgov_main

    return execgov_main.main


def run_in_process(program: str, *args: str, cwd: Path,
                   stdin: Union[bytes, str, None] = None,
                   env: Optional[Mapping[str, str]] = None,
                   fresh: bool = True) -> subprocess.CompletedProcess[bytes]:
    """``flake8 ARGS`` or ``execgov ARGS`` run as :func:`subprocess.run` would run it in a
    new process (same exit status, stdout and stderr bytes, as a real process's streams
    encode them here), but in this process: no interpreter start, no imports, measured
    by coverage. ``fresh``: start from what a new process knows (:func:`fresh_process_state`);
    False continues the previous command's process (a long-lived one: an editor)."""
    if fresh:
        fresh_process_state()
    data = stdin.encode() if isinstance(stdin, str) else (stdin or b"")
    # stdout and stderr are files, not memory: ``-j`` workers forked from here write to
    # them too, as they write to a real process's streams
    (out, out_writer), (err, err_writer) = _stream_file(), _stream_file()
    streams = (sys.stdin, sys.stdout, sys.stderr)
    # as a process's own streams encode here (UTF-8; stderr backslashreplace)
    wrappers = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape",
                                 newline="\n"),
                io.TextIOWrapper(out_writer, encoding="utf-8", errors="surrogateescape",
                                 newline="\n", write_through=True),
                io.TextIOWrapper(err_writer, encoding="utf-8", errors="backslashreplace",
                                 newline="\n", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = wrappers
    saved_env = {name: os.environ.get(name) for name in (env or {})}
    os.environ.update(env or {})
    old, argv = os.getcwd(), sys.argv
    # flake8 -v hangs a handler on its logger that writes to this run's stderr: a process
    # ends with it; here the next run must not find it writing to a closed stream
    flake8_log = logging.getLogger("flake8")
    log_state = (list(flake8_log.handlers), flake8_log.level)
    sys.argv = [program, *args]  # read by config.sources.config_files() for its messages
    os.chdir(cwd)
    try:
        try:
            status = _main(program)(list(args))
        except SystemExit as exc:  # as the interpreter turns it into an exit status
            status = exc.code
        if status is None:
            status = 0
        elif not isinstance(status, int):
            print(status, file=sys.stderr)
            status = 1
    finally:
        os.chdir(old)
        sys.argv = argv
        flake8_log.handlers[:], flake8_log.level = log_state
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        sys.stdin, sys.stdout, sys.stderr = streams
        for wrapper in wrappers:
            if not wrapper.closed:
                wrapper.close()  # a command may have closed it already (a server's stdout)
        if fresh:  # the process ends: what it learnt is on disk, nothing stays in memory
            fresh_process_state()
        else:
            flush_process_state()
    written = []
    for stream in (out, err):
        stream.seek(0)
        written.append(stream.read())
        stream.close()
    return subprocess.CompletedProcess([program, *args], status, *written)


def _stream_file() -> tuple[io.FileIO, io.FileIO]:
    """A temporary file every writer appends to (this process and forked workers), and a
    writer of its own, which the command may close without losing what it wrote."""
    import fcntl
    import tempfile

    stream = tempfile.TemporaryFile(buffering=0)
    fcntl.fcntl(stream.fileno(), fcntl.F_SETFL,
                fcntl.fcntl(stream.fileno(), fcntl.F_GETFL) | os.O_APPEND)
    assert isinstance(stream, io.FileIO)
    return stream, io.FileIO(os.dup(stream.fileno()), "w")


def flake8_text(*args: str, cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess[str]:
    """``flake8 ARGS`` in this process, its output as text (``subprocess.run(text=True)``)."""
    done = run_in_process("flake8", *args, cwd=cwd, stdin=stdin)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


def execgov_text(*args: str, cwd: Path, stdin: Optional[str] = None,
                 env: Optional[Mapping[str, str]] = None) -> subprocess.CompletedProcess[str]:
    """``execgov ARGS`` in this process, its output as text."""
    done = run_in_process("execgov", *args, cwd=cwd, stdin=stdin, env=env)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


def linear_enough(work: Callable[[int], object], size: int, factor: int = 8) -> tuple[float, float]:
    """Against runaway only: the best time of ``work(size)`` and of ``work(factor * size)``
    (three of each, interleaved, the cyclic collector off, so that a busy machine slows
    both alike). Linear work takes about ``factor`` times as long at the larger size,
    quadratic work ``factor**2``: callers assert the ratio is below their midpoint."""
    import gc
    import time

    best = [float("inf"), float("inf")]
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            for slot, n in enumerate((size, factor * size)):
                started = time.perf_counter()
                work(n)
                best[slot] = min(best[slot], time.perf_counter() - started)
    finally:
        if enabled:
            gc.enable()
    return best[0], best[1]


@dataclass
class Result:
    exit_code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def findings(self) -> list[tuple[int, int, str]]:
        """``(line, col, code)`` of each output line."""
        found = []
        for line in self.lines:
            _, lineno, col, rest = line.split(":", 3)
            found.append((int(lineno), int(col), rest.split()[0]))
        return found


class Flake8Dir:
    """A temporary project: write files, then run flake8 in it (like pytest-flake8-path)."""

    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self._capsys = capsys

    def write(self, name: str, text: str) -> Path:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return target

    def run(self, *args: str) -> Result:
        """flake8 in-process (fast); ``--select=GOV`` unless the args select otherwise."""
        argv = list(args)
        if not any(a.startswith(("--select", "--extend-select")) for a in argv):
            argv.insert(0, "--select=GOV")
        self._capsys.readouterr()
        old = os.getcwd()
        os.chdir(self.path)
        try:
            try:
                code = cli.main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os.chdir(old)
        captured = self._capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def run_fresh(self, *args: str, stdin: str | None = None) -> Result:
        """flake8 exactly as given, as a new process runs it, in this process
        (:func:`run_in_process`: exit status, stdout, stderr; ``-j`` workers are forked)."""
        done = run_in_process("flake8", *args, cwd=self.path, stdin=stdin)
        return Result(done.returncode, done.stdout.decode(), done.stderr.decode())

    def run_process(self, *args: str, stdin: str | None = None) -> Result:
        """flake8 as a separate process: only for what only a process shows (a real
        pipe on stdin, ``-j`` workers a process starts from scratch)."""
        proc = subprocess.run(
            [sys.executable, "-m", "flake8", *args], cwd=self.path, input=stdin,
            capture_output=True, text=True, timeout=120)
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def lint(self, source: str, *args: str, name: str = "example.py") -> Result:
        self.write(name, source)
        return self.run(name, *args)


@pytest.fixture
def flake8_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[Flake8Dir]:
    yield Flake8Dir(tmp_path, capsys)


@dataclass
class CliResult:
    exit_code: int
    out: bytes
    err: str


def execgov(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """``execgov`` in ``cwd``, as a new process would run it, in this process
    (:func:`run_in_process`): exit status, stdout and stderr as bytes."""
    return run_in_process("execgov", *args, cwd=cwd, stdin=stdin)


def execgov_process(*args: str, cwd: Path, stdin: bytes | None = None,
                    timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """``execgov`` as a separate process (``python -m flake8_execgov.cli``), in ``cwd``: only
    for what only a real process shows (a real pipe, spawned workers, a native crash)."""
    return subprocess.run([sys.executable, "-m", "flake8_execgov.cli", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=timeout)


class Execgov:
    """``execgov`` in-process, in a directory, with optional bytes on stdin."""

    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch,
                 capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self._monkeypatch = monkeypatch
        self._capsys = capsys

    def __call__(self, *args: str, stdin: bytes = b"") -> CliResult:
        import io

        from flake8_execgov import cli

        self._capsys.readouterr()
        self._monkeypatch.chdir(self.path)
        self._monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        captured = self._capsys.readouterr()  # stdout as UTF-8 text (shared with flake8_dir)
        return CliResult(code, captured.out.encode(), captured.err)


@pytest.fixture
def execgov_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                capsys: pytest.CaptureFixture[str]) -> Execgov:
    return Execgov(tmp_path, monkeypatch, capsys)


def calls_of(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[object]:
    """The first argument after ``self`` of every call of ``owner.name`` from now on
    (the method still runs): what a test counts (modules summarised, texts searched)."""
    seen: list[object] = []
    original = getattr(owner, name)

    def spied(self: object, first: object, *args: object, **kwargs: object) -> object:
        seen.append(first)
        return original(self, first, *args, **kwargs)

    monkeypatch.setattr(owner, name, spied)
    return seen
