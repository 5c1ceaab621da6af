"""``execgov check``: what ``flake8 --select=GOV`` reports, at the cost of about one parse.

flake8 runs pycodestyle, pyflakes and every installed plugin on every file, and tokenizes
each one, whatever ``--select`` says; a governance gate throws all of that away. This
command runs flake8's own application -- its option and config parsing, file discovery,
``exclude``, selection, ``per-file-ignores``, ``# noqa``, ``-j``, stdin, formatters,
``--count``, ``--statistics`` and exit codes -- with three changes, in this process only:

- only this plugin's checker (and the report formats) is loaded;
- a file is read, and parsed only when the prefilter lets it through (no tokenizing:
  no token-based check is loaded);
- a file that does not parse (E999) or cannot be read or tokenized (E902) fails the gate
  whatever the selection, where ``flake8 --select=GOV`` would hide it.

It leans on flake8 internals (``flake8.checker.FileChecker``, ``flake8.plugins.finder
.load_plugins``, ``flake8.style_guide.DecisionEngine``): tested against flake8 7.x, the
range ``pyproject.toml`` pins.
"""

from __future__ import annotations

import ast
import contextlib
import gc
import tokenize
from typing import Any, Iterator, Optional, Sequence

from flake8 import checker, processor, style_guide
from flake8.main import application
from flake8.plugins import finder

from .flow import SCOPES, blocks, first_line

PACKAGE = "flake8-execgov"
ALWAYS = frozenset(("E902", "E999"))  # a file the gate cannot check fails it
GC_THRESHOLD = 50_000  # allocations between young collections (default 700)
FORMATS = {"github": "execgov-github", "sarif": "execgov-sarif", "json": "execgov-json"}


class GateProcessor(processor.FileProcessor):  # type: ignore[misc]  # flake8 is untyped
    """flake8's file processor, finding the ``# noqa`` line of a finding without
    tokenizing the whole file: flake8 maps each line to the physical lines of its token
    run (a multi-line string, a backslash continuation), and a token run never crosses
    the bounds of a statement, nor those of a compound statement's header (the lines
    around its inner statements). Only the smallest such region is tokenized."""

    tree: Optional[ast.Module] = None

    def build_ast(self) -> Any:
        self.tree = super().build_ast()
        return self.tree

    def should_ignore_file(self) -> bool:
        """flake8's ``# flake8: noqa`` check, which runs two regexes over every line: a
        file that does not even contain the word cannot match either (same answer)."""
        if not any("flake8" in line.lower() for line in self.lines if "8" in line):
            return False
        return bool(super().should_ignore_file())

    def noqa_line_for(self, line_number: int) -> Optional[str]:
        span = self._region(line_number)
        if span is None:
            return super().noqa_line_for(line_number)  # type: ignore[no-any-return]
        if span[0] == span[1]:  # a one-line region's token run is that line
            return self.lines[line_number - 1]  # type: ignore[no-any-return]
        if not hasattr(self, "_spans"):
            self._spans: dict[tuple[int, int], Optional[dict[int, str]]] = {}
        if span not in self._spans:
            self._spans[span] = self._span_mapping(*span)
        mapping = self._spans[span]
        return super().noqa_line_for(line_number) if mapping is None \
            else mapping.get(line_number)

    def _region(self, line_number: int) -> Optional[tuple[int, int]]:
        """The lines of the innermost statement holding ``line_number`` (decorators
        included) or, when the line is outside its inner statements, of the stretch of
        header lines (``def``, ``else:``, ``except ...:``) between them. None outside
        every statement."""
        body: Sequence[ast.stmt] = self.tree.body if isinstance(self.tree, ast.Module) else []
        span = None
        while body:
            low, high = (span if span is not None else (1, len(self.lines)))
            holder = None
            for stmt in body:
                first, last = first_line(stmt), stmt.end_lineno or first_line(stmt)
                if first <= line_number <= last:
                    holder = stmt
                    break
                if last < line_number:
                    low = max(low, last + 1)
                else:
                    high = min(high, first - 1)
            if holder is None:
                return (low, high) if span is not None else None
            span = (first_line(holder), holder.end_lineno or line_number)
            body = inner_statements(holder)
        return span

    def _span_mapping(self, first: int, last: int) -> Optional[dict[int, str]]:
        """flake8's ``_noqa_line_mapping``, for the lines ``first``..``last`` only."""
        lines = iter(self.lines[first - 1:last])
        offset = first - 1
        mapping: dict[int, str] = {}
        low, high = len(self.lines) + 2, -1
        try:
            for kind, _, (start, _), (stop, _), _ in tokenize.generate_tokens(
                    lambda: next(lines, "")):
                if kind in (tokenize.ENDMARKER, tokenize.DEDENT):
                    continue
                low, high = min(low, start + offset), max(high, stop + offset)
                if kind in (tokenize.NL, tokenize.NEWLINE):
                    mapping.update(self._noqa_line_range(low, high))
                    low, high = len(self.lines) + 2, -1
        except (tokenize.TokenError, SyntaxError):
            return None
        return mapping


def inner_statements(stmt: ast.stmt) -> list[ast.stmt]:
    """The statements directly inside ``stmt``, the bodies of definitions included."""
    if isinstance(stmt, SCOPES):
        return list(stmt.body)
    return [inner for _, block in blocks(stmt) for inner in block]


class GateFileChecker(checker.FileChecker):  # type: ignore[misc]
    """Reads each file; parses only what the prefilter lets through; never tokenizes
    (but the statements whose findings need their ``# noqa`` line)."""

    def _make_processor(self) -> Optional[processor.FileProcessor]:
        try:
            return GateProcessor(self.filename, self.options)
        except OSError as exc:
            self.report("E902", 0, 0, f"{type(exc).__name__}: {exc}")
            return None

    def run_checks(self) -> Any:
        from .plugin import ExecGovChecker

        if self.processor is None or not self.should_process:
            return self.display_name, self.results, self.statistics
        prefilter = ExecGovChecker.config.prefilter
        if prefilter is not None and not prefilter.search("".join(self.processor.lines)):
            return self.display_name, self.results, self.statistics
        try:
            self.run_ast_checks()
        except SyntaxError as exc:
            row, column = self._extract_syntax_information(exc)
            self.report("E999", row, column, f"{type(exc).__name__}: {exc.args[0]}")
        return self.display_name, self.results, self.statistics


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
    with checker._mp_prefork(self.plugins, self.options):
        pool = checker._try_initialize_processpool(self.jobs, self.argv)
    if pool is None:  # pragma: no cover - multiprocessing unavailable
        self.run_serial()
        return
    chunk = max(1, len(self.filenames) // (self.jobs * 4))
    try:
        self.results = list(pool.imap_unordered(checker._mp_run, self.filenames, chunk))
        pool.close()
    except BaseException:  # pragma: no cover - interrupted
        pool.terminate()
        raise
    finally:
        pool.join()


@contextlib.contextmanager
def governance_only() -> Iterator[None]:
    """flake8, in this process, as the gate: restored afterwards."""
    saved = (finder.load_plugins, checker.FileChecker, style_guide.DecisionEngine,
             checker.Manager.run_parallel)
    finder.load_plugins = _governance_plugins(saved[0])
    checker.FileChecker = GateFileChecker
    style_guide.DecisionEngine = GateDecisionEngine
    checker.Manager.run_parallel = _run_parallel
    try:
        with batch_gc():
            yield
    finally:
        (finder.load_plugins, checker.FileChecker, style_guide.DecisionEngine,
         checker.Manager.run_parallel) = saved


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """The cyclic collector, tuned for a short batch run (as mypy tunes it): each file's
    tree and model are freed by reference counting, but every 700 allocations the
    collector still walks what is alive (flake8, its options, the plugin), which cost the
    gate a tenth of its time. Already loaded objects are frozen, collections are rarer."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def gate_argv(argv: Sequence[str]) -> list[str]:
    """``--select=GOV`` first (the user's own selection still wins, as with flake8), the
    short format names mapped to the report plugins, ``.`` when no path is given."""
    args: list[str] = ["--select=GOV"]
    paths = 0
    expect_value = False
    for arg in argv:
        if arg.startswith("--format="):
            name = arg.split("=", 1)[1]
            arg = "--format=" + FORMATS.get(name, name)
        elif expect_value and args[-1] == "--format":
            arg = FORMATS.get(arg, arg)
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
                     "--enable-extensions", "--color", "--max-doc-length"))


def check(argv: Sequence[str]) -> int:
    """Run the gate; flake8's exit status (0 clean, 1 findings)."""
    from .plugin import ExecGovChecker

    app = application.Application()
    ExecGovChecker.program = "execgov: error"  # configuration errors are ours here
    try:
        with governance_only():
            app.run(gate_argv(argv))
    finally:
        ExecGovChecker.program = "flake8"
    code: int = app.exit_code()
    return code
