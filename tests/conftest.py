"""Fixtures that run flake8 as users do: files on disk, config files, stdin, ``-j``."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from flake8.main import cli
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
# What ``execgov fix -`` says once when stdin has no name: no place in a project.
NO_PROJECT = ("execgov fix: stdin has no place in a project (give --stdin-filename); its "
              "imports are not followed\n")
# The fixture files with their expected findings; ``*_py310.py`` ones use newer syntax.
CASE_FILES = sorted(p for p in (ROOT / "tests" / "cases").glob("*.py")
                    if sys.version_info >= (3, 10) or not p.stem.endswith("_py310"))

# Generated programs: a quick sample by default, many more with --sweep.
settings.register_profile("default", max_examples=25, deadline=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("sweep", max_examples=400, deadline=None,
                          suppress_health_check=list(HealthCheck))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--sweep", action="store_true",
                     help="also run the exhaustive sweeps (real corpora, many generated programs)")
    parser.addoption("--e2e", action="store_true",
                     help="also run the end-to-end checks with external tools (Mermaid's CLI)")
    try:
        import pytest_asyncio  # noqa: F401 - it declares its own ini keys
    except ImportError:  # before Python 3.10 (no pytest-lsp): pyproject's key is unused
        parser.addini("asyncio_default_fixture_loop_scope", "pytest-asyncio's, unused here")


def pytest_configure(config: pytest.Config) -> None:
    settings.load_profile("sweep" if config.getoption("--sweep") else "default")
    # The cache's key lives in the user's cache folder: the suite (and every process it
    # starts) gets a folder of its own, and no cache setting of the developer's shell.
    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="execgov-tests-home-")
    for name in ("EXECGOV_CACHE_DIR", "EXECGOV_NO_CACHE"):
        os.environ.pop(name, None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--e2e"):
        external = pytest.mark.skip(reason="end-to-end check with external tools: run with --e2e")
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(external)
    if config.getoption("--sweep"):
        return
    skip = pytest.mark.skip(reason="exhaustive sweep: run with --sweep")
    for item in items:
        if "sweep" in item.keywords:
            item.add_marker(skip)


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

    def run_process(self, *args: str, stdin: str | None = None) -> Result:
        """flake8 as a separate process (stdin, ``-j``, exit codes)."""
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
    """``execgov`` as a separate process (``python -m flake8_execgov.cli``), in ``cwd``: for
    what only a real process shows (exit status after output, stdin, signals, pipes).
    :class:`Execgov` runs it in-process, faster, where that is not at stake."""
    return subprocess.run([sys.executable, "-m", "flake8_execgov.cli", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=120)


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
