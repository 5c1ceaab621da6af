"""``execgov check``: what ``flake8 --select=GOV`` reports, at the cost of about one parse.

flake8 runs pycodestyle, pyflakes and every installed plugin on every file, and tokenizes
each one, whatever ``--select`` says; a governance gate throws all of that away. This
command runs flake8's own application -- its option and config parsing, file discovery,
``exclude``, selection, ``per-file-ignores``, ``# noqa``, ``-j``, stdin, formatters,
``--count``, ``--statistics`` and exit codes -- with these changes, in this process (and
its ``-j`` workers) and for its run only:

- only this plugin's checker (and the report formats) is loaded;
- a file is read, and parsed only when the prefilter lets it through (no tokenizing:
  no token-based check is loaded);
- a file that does not parse (E999) or cannot be read or tokenized (E902) fails the gate
  whatever the selection, where ``flake8 --select=GOV`` would hide it;
- ``[tool.flake8]`` of ``./pyproject.toml`` is read as the Flake8-pyproject loader reads
  it, installed or not (:mod:`config.pyproject`);
- the cyclic garbage collector is tuned for a batch run (see :func:`_tune_gc`);
- it names itself ``execgov check``, checks its report format and adds a summary line
  (see :mod:`gate.report`).

It leans on flake8 internals (``flake8.checker.FileChecker``, its ``_mp_*`` worker
functions, ``flake8.plugins.finder.load_plugins``, ``flake8.style_guide.DecisionEngine``):
tested against flake8 7.x, the range ``pyproject.toml`` pins.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import platform
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence

from flake8 import checker, style_guide
from flake8.options import config, manager
from flake8.plugins import finder

from ..config import pyproject
from ..config.options import ConfigError
from ..config.sources import stage_one
from .changed import ChangedSinceError
from .files import GateFileChecker
from .report import GateApplication, GateOptionManager

if TYPE_CHECKING:
    from ..project.summaries import FanOut
    from ..project.summary import Summary

PACKAGE = "flake8-execgov"
ALWAYS = frozenset(("E902", "E999"))  # a file the gate cannot check fails it
CHUNKS_PER_WORKER = 4  # files go to the workers in chunks: fewer round trips
FAN_OUT_MINIMUM = 16  # modules per process before a question's summaries are shared out
GC_THRESHOLD = 50_000  # allocations between young collections (default 700)


class GateDecisionEngine(style_guide.DecisionEngine):  # type: ignore[misc]
    def decision_for(self, code: str) -> Any:
        if code in ALWAYS:
            return style_guide.Decision.Selected
        return super().decision_for(code)


def _governance_plugins(load: Any) -> Any:
    def load_plugins(plugins: Sequence[finder.Plugin], opts: Any) -> Any:
        kept = [p for p in plugins
                if p.package == PACKAGE or p.entry_point.group == "flake8.report"]
        return load(kept, opts)
    return load_plugins


def _run_parallel(self: checker.Manager) -> None:
    """flake8's parallel run, handing files to the workers in chunks: one at a time (its
    default), the round trips cost more than checking a file does here."""
    _project_ready(self.jobs)  # forked workers inherit what the whole project answers
    with checker._mp_prefork(self.plugins, self.options):
        pool = _start_workers(self.jobs, self.argv)
    if pool is None:  # pragma: no cover - multiprocessing unavailable
        self.run_serial()
        return
    chunk = max(1, len(self.filenames) // (self.jobs * CHUNKS_PER_WORKER))
    try:
        self.results = list(pool.imap_unordered(checker._mp_run, self.filenames, chunk))
        pool.close()
    except BaseException:  # pragma: no cover - interrupted
        pool.terminate()
        raise
    finally:
        pool.join()


def _project_ready(jobs: int) -> None:
    """The answers that need the whole project, found once before the workers fork. The
    derived classes' question summarises hundreds of modules on a big project (every
    module declaring a class with a plugin base): ``jobs`` processes share them out."""
    from ..plugin import ExecGovChecker
    from ..project.web import includes
    from ..project.words import derived_names

    project = ExecGovChecker.settings.project
    if project is not None:
        with _fan_out(jobs) as fan_out:
            derived_names(project, fan_out)
        includes(project)


@contextlib.contextmanager
def _fan_out(jobs: int) -> Iterator[FanOut]:
    """A ``map`` over ``jobs`` processes, started on the first call with enough items to
    pay for them (a fork costs about what summarising a few modules does), ended on exit;
    without processes (none can be started) the map is this process's."""
    pool: list[Optional[multiprocessing.pool.Pool]] = []

    def fan_out(function: Callable[[bytes], Summary], items: list[bytes]) -> Iterable[Summary]:
        if len(items) < jobs * FAN_OUT_MINIMUM:
            return list(map(function, items))
        if not pool:
            pool.append(_start_pool(jobs))  # no initializer: it only summarises
        started = pool[0]
        return started.map(function, items) if started is not None \
            else list(map(function, items))

    try:
        yield fan_out
    finally:
        if pool and pool[0] is not None:
            pool[0].terminate()
            pool[0].join()


def _start_pool(jobs: int, initializer: Optional[Callable[..., None]] = None,
                initargs: tuple[Any, ...] = ()) -> Optional[multiprocessing.pool.Pool]:
    """A pool of ``jobs`` processes as flake8 starts its own
    (``_try_initialize_processpool``): None where none can be started (flake8 then runs
    serially, as the callers here do)."""
    try:
        return multiprocessing.Pool(jobs, initializer, initargs)
    except OSError as err:  # pragma: no cover - this process does the work, as flake8 would
        if err.errno not in checker.SERIAL_RETRY_ERRNOS:
            raise
    except ImportError:  # pragma: no cover
        pass
    return None


def _start_workers(jobs: int, argv: Sequence[str]) -> Optional[multiprocessing.pool.Pool]:
    """flake8's worker pool, each worker the gate too."""
    return _start_pool(jobs, worker_init, (argv,))


def worker_init(argv: Sequence[str]) -> None:
    """A worker process: a forked one inherits this process's gate; a spawned one (the
    default on Windows and macOS, and Python 3.14's forkserver on Linux) starts afresh and
    would run every installed plugin, so it becomes the gate for good, then flake8 sets it
    up (``_mp_init`` parses ``argv`` there)."""
    if checker.FileChecker is not GateFileChecker:
        _install()
        _tune_gc()
    checker._mp_init(argv)


_PATCHED = ((finder, "load_plugins"), (checker, "FileChecker"),
            (style_guide, "DecisionEngine"), (checker.Manager, "run_parallel"),
            (manager, "OptionManager"), (config, "load_config"))


def _install() -> list[Any]:
    """flake8, in this process, as the gate; returns what it replaced."""
    saved = [getattr(owner, name) for owner, name in _PATCHED]
    gate = (_governance_plugins(finder.load_plugins), GateFileChecker, GateDecisionEngine,
            _run_parallel, GateOptionManager, pyproject.load_config)
    for (owner, name), value in zip(_PATCHED, gate):
        setattr(owner, name, value)
    return saved


@contextlib.contextmanager
def governance_only() -> Iterator[None]:
    """flake8, in this process, as the gate: restored afterwards."""
    saved = _install()
    threshold = _tune_gc()
    try:
        yield
    finally:
        for (owner, name), value in zip(_PATCHED, saved):
            setattr(owner, name, value)
        gc.set_threshold(*threshold)
        if platform.python_implementation() == "CPython":
            gc.unfreeze()


def _tune_gc() -> tuple[int, ...]:
    """The cyclic collector, tuned for a short batch run (as mypy tunes it): each file's
    tree and model are freed by reference counting, but every 700 allocations the
    collector still walks what is alive (flake8, its options, the plugin), which cost the
    gate a tenth of its time. Already loaded objects are frozen, collections are rarer.
    Returns the thresholds it replaced."""
    threshold = gc.get_threshold()
    if platform.python_implementation() == "CPython":  # others collect differently
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    return threshold


def gate_argv(argv: Sequence[str]) -> list[str]:
    """``--select=GOV`` first (the user's own selection still wins, as with flake8), ``.``
    when no path is given (the short format names are mapped where the format is read,
    :func:`gate.report.report_format`, config files included)."""
    args: list[str] = ["--select=GOV"]
    paths = 0
    expect_value = False
    for arg in argv:
        if arg == "--no-cache":
            arg = "--execgov-cache=false"
        elif not expect_value and (arg == "-" or not arg.startswith("-")):
            paths += 1
        expect_value = arg in _VALUED
        args.append(arg)
    if paths == 0:
        args.append(".")
    return args


# flake8 options that take a separate value (``--format github``), so that the value is not
# mistaken for a path.
_VALUED = frozenset(("--format", "--config", "--append-config", "--output-file", "-j",
                     "--jobs", "--stdin-display-name", "--select", "--ignore",
                     "--extend-select", "--extend-ignore", "--per-file-ignores",
                     "--exclude", "--extend-exclude", "--filename", "--require-plugins",
                     "--enable-extensions", "--color", "--max-doc-length",
                     "--execgov-project-root", "--execgov-cache-dir", "--execgov-cache",
                     "--changed-since"))


def _verbose(argv: Sequence[str]) -> bool:
    """``-v`` as flake8 reads it first (:func:`config.sources.stage_one`): its preliminary
    parse keeps it out of the options it hands on."""
    return bool(getattr(stage_one(argv), "verbose", 0))


def check(argv: Sequence[str]) -> int:
    """Run the gate; flake8's exit status (0 clean, 1 findings, 2 usage error); after the
    default report, the summary line on stderr."""
    from ..plugin import ExecGovChecker

    app = GateApplication()
    with governance_only():
        try:
            app.run(gate_argv(argv))
        except (ConfigError, ChangedSinceError) as exc:  # pyproject.toml that is not TOML,
            sys.stderr.write(f"execgov check: error: {exc}\n")  # no git: one line
            return 2
        ExecGovChecker.settings.the_run.close()  # this run's owner: what it learnt, kept
        sys.stderr.write(app.summary() + app.counts(_verbose(argv)))
    code: int = app.exit_code()
    return code
