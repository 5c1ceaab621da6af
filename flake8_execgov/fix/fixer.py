"""``execgov fix``: apply the fixes of exactly what the plugin reports, with libcst.

The detector is the plugin's own (:func:`engine.analyse`), with the baseline: a finding the
baseline accepts is left as it is (fixing it would rewrite the very code the baseline was
made to leave alone). Which findings are fixed is decided by :mod:`fix.plan`; libcst only
ever parses a file that has a finding to fix (:mod:`fix.transform`), so a clean tree costs
a read, a parse and a walk per file. A fix can expose another finding (a metrics call
moved into the ``finally`` now also sees the handler's state), so the fixes are applied
until nothing changes (a few passes at most): one run reaches the fixed point. Every
finding reported as fixable is either fixed or named in ``notes`` with why it was not.
"""

from __future__ import annotations

import ast
from typing import Callable, Optional, Sequence

from ..baseline import Baseline
from ..model.records import Finding, Reported
from ..source.files import SourceError
from ..config.options import Config
from ..engine import analyse, worth_parsing
from ..project.index import Project
from .isolate import isolated
from .plan import SAFE, UNSAFE, replacement, verdicts
from ..source.lines import source_lines
from ..model.vocabulary import Vocabulary, module_aliases

__all__ = ["SAFE", "UNSAFE", "fix_text", "fixable", "replacement"]
# libcst needs about 1 GB of memory per MB of source: larger files are reported, not fixed.
MAX_FIX_CHARS = 1_000_000
# libcst's parser and transformer recurse per level of nesting: past its limit it raises
# RecursionError on some versions and crashes the process on others. Its levels are not
# all ``ast``'s: ``a and b and c`` is one flat BoolOp to ``ast`` but a chain of nested
# BooleanOperations to libcst (8,000 operands crash its native parser). Real code stays
# far below; deeper files are reported, never handed to libcst.
MAX_FIX_DEPTH = 100
MAX_PASSES = 5  # a fix exposing a finding that a fix exposes ...: bounded all the same

ReportedIn = Callable[[str], Reported]  # for a text: would flake8 report this finding?


def fixable(tree: ast.AST, lines: Sequence[str], findings: Sequence[Finding], config: Config,
            unsafe: bool, notes: Optional[list[str]] = None) -> list[Finding]:
    """The findings this run fixes (see :mod:`fix.plan`). ``notes`` says why a finding
    with a fix is left: every finding of a rule with a safe fix (an unsafe state fix
    without ``unsafe``, a literal that is not plain, a state with no replacement); with
    ``unsafe``, every finding of a rule that has a fix."""
    out = []
    for found, verdict in zip(findings, verdicts(tree, lines, findings, config)):
        if verdict.kind == "safe" or (verdict.kind == "unsafe" and unsafe):
            out.append(found)
        elif notes is None:
            continue
        elif verdict.kind == "unsafe" and found.code in SAFE:
            notes.append(_note(found, f"{verdict.why} (an unsafe fix: --unsafe-fixes "
                                      "applies it)"))
        elif verdict.why and (unsafe or found.code in SAFE):  # reported fixable: named
            notes.append(_note(found, verdict.why))
    return out


def _note(found: Finding, why: str) -> str:
    return f"{found.line}:{found.col + 1}: {found.code} not fixed: {why}"


def fix_text(text: str, config: Config, *, unsafe: bool = False,
             reported: Optional[Reported] = None, notes: Optional[list[str]] = None,
             baseline: Optional[Baseline] = None, filename: str = "",
             left: Optional[list[Finding]] = None, isolate: bool = False,
             reported_in: Optional[ReportedIn] = None,
             project: Optional[Project] = None) -> str:
    """The fixed source (``text`` itself when there is nothing to fix).

    ``reported_in`` decides, for a text, whether flake8 would report a finding in it
    (selection, per-file-ignores, ``# noqa``, ``# flake8: noqa``): fixes apply only to what
    would be reported, pass after pass until nothing changes. ``reported`` decides it for
    ``text`` only (one pass: fixes of the findings it names, nothing they expose). The
    ``baseline`` (with ``filename``, as flake8 names the file) leaves the findings it
    accepts alone; ``left`` collects those that would have been fixed. ``notes`` collects
    why a reported finding was left unfixed. ``isolate``: run libcst in a child process (a
    crash of its native parser is then a refusal, not the end of the caller). ``project``
    (with ``filename`` placing the text in it) is the one the linter resolves imports in:
    without it, a finding that depends on another module (a renamed lifecycle enum, a
    runner subclass) would be fixed differently from how it is reported.
    """
    current = text
    first: list[str] = []
    last: list[str] = []
    passes = MAX_PASSES if reported is None or reported_in is not None else 1
    for index in range(passes):
        last = []
        decide = reported_in(current) if reported_in is not None else reported
        fixed = _fix_once(current, config, unsafe, decide, last, baseline, filename,
                          left if index == 0 else None, isolate, project)
        if index == 0:
            first = last
        if fixed == current:
            break
        current = fixed
    if notes is not None:
        notes.extend(_where_first_seen(first, last))
    return current


def _where_first_seen(first: list[str], last: list[str]) -> list[str]:
    """The notes of the last pass (what is left unfixed), each at its position in the
    original text where the first pass saw it too (a later pass sees moved lines), in
    the order of the file."""
    seen: dict[str, list[str]] = {}
    for note in first:
        seen.setdefault(note.split(": ", 1)[1], []).append(note)
    out = []
    for note in last:
        earlier = seen.get(note.split(": ", 1)[1])
        out.append(earlier.pop(0) if earlier else note)
    return sorted(out, key=lambda note: tuple(map(int, note.split(":", 2)[:2])))


def _fix_once(text: str, config: Config, unsafe: bool, decide: Optional[Reported],
              notes: list[str], baseline: Optional[Baseline], filename: str,
              left: Optional[list[Finding]], isolate: bool,
              project: Optional[Project] = None) -> str:
    if len(text) > MAX_FIX_CHARS:  # before any parse: libcst would never get it anyway
        if not worth_parsing(text, config, project):
            return text  # names nothing the rules know: nothing to fix
        raise SourceError(f"not fixed: {len(text):,} characters is over the fixer's limit of "
                          f"{MAX_FIX_CHARS:,} (libcst needs about 1 GB per MB); fix it by hand")
    lines = source_lines(text)
    try:
        tree = ast.parse(text)  # always: a file that does not parse is reported
    except (SyntaxError, ValueError) as exc:
        raise SourceError(f"cannot parse: {exc}") from None
    except (RecursionError, MemoryError):
        raise SourceError("cannot parse: nested too deeply for Python's parser") from None
    every = analyse(tree, lines, config, filename=filename, project=project)
    new = every if baseline is None else baseline.new_findings(tree, lines, every, filename)
    todo = fixable(tree, lines, [f for f in new if decide is None or decide(f)], config,
                   unsafe, notes)
    if left is not None and len(new) < len(every):
        left.extend(fixable(tree, lines, [f for f in _left_out(every, new)
                                          if decide is None or decide(f)],
                            config, unsafe))
    if not todo:
        return text
    if libcst_depth(tree, MAX_FIX_DEPTH) > MAX_FIX_DEPTH:
        raise SourceError(f"not fixed: the code is nested more than {MAX_FIX_DEPTH} levels "
                          "deep, more than libcst can take; fix it by hand")
    vocab = Vocabulary(config, module_aliases(tree), tree)

    def apply() -> tuple[str, list[int]]:
        from .transform import transform  # libcst: imported where it is used

        try:
            return transform(text, tree, todo, lines, vocab)  # and the positions applied
        except RecursionError:  # pragma: no cover - guarded by the depth limit above
            raise SourceError("not fixed: an expression is nested too deeply for libcst "
                              "(Python's recursion limit); fix it by hand") from None

    fixed, applied = isolated(apply) if isolate else apply()
    done = set(applied)  # planned, yet not applied: said, never passed over
    notes.extend(_note(f, "the fixer could not apply it here; fix it by hand")
                 for index, f in enumerate(todo) if index not in done)
    if fixed != text:
        try:
            ast.parse(fixed)
        except (SyntaxError, ValueError, RecursionError) as exc:  # pragma: no cover - a bug
            raise SourceError(f"internal error: the fix does not parse ({exc})") from None
    return fixed


def _left_out(every: Sequence[Finding], new: Sequence[Finding]) -> list[Finding]:
    """The findings of ``every`` that ``new`` leaves out. ``new`` is the baseline's
    selection from ``every``: the same objects, in the same order (``Finding`` compares by
    value, so they are matched by position, in one walk)."""
    out = []
    at = 0
    for found in every:
        if at < len(new) and new[at] is found:
            at += 1
        else:
            out.append(found)
    return out


def libcst_depth(tree: ast.AST, limit: int) -> int:
    """How deep libcst's tree for this source goes (iteratively; stops counting past
    ``limit``): ``ast``'s depth, with a BoolOp of n operands n - 1 levels deep."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        below = depth + max(1, len(node.values) - 1) if isinstance(node, ast.BoolOp) \
            else depth + 1
        stack.extend((child, below) for child in ast.iter_child_nodes(node))
    return deepest


nesting_depth = libcst_depth  # the name it had
