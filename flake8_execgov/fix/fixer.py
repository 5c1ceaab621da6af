"""``execgov fix``: apply the fixes of exactly what the plugin reports, with libcst.

The detector is the plugin's own (:func:`engine.analyse`); libcst only ever parses a file
that has a fixable finding, so a clean tree costs a read, a parse and a walk per file. A
fix can expose another finding (a metrics call moved into the ``finally`` now also sees
the handler's state), so the fixes are applied until nothing changes (a few passes at
most): one run reaches the fixed point. Every finding reported as fixable is either fixed
or named in ``notes`` with why it was not.
"""

from __future__ import annotations

import ast
from typing import Callable, Optional, Sequence

from ..config.options import Config
from ..engine import analyse
from ..model.records import Finding, Reported
from ..model.vocabulary import Vocabulary, module_aliases
from ..rules import RULES
from ..source.files import SourceError
from ..source.lines import source_lines
from .isolate import isolated

# Fix safety is the rule's own (``Rule.fix``): the codes whose findings each kind can fix.
SAFE = frozenset(rule.code for rule in RULES if rule.fix == "safe")
UNSAFE = frozenset(rule.code for rule in RULES if rule.fix == "unsafe")
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


def fixable(findings: Sequence[Finding], config: Config, unsafe: bool,
            notes: Optional[list[str]] = None) -> list[Finding]:
    """The findings a fix exists for: safe state uses with a replacement, and (unsafe)
    run accesses whose covering ``try`` can take the metrics call into a ``finally``.
    A state fix that is unsafe (the literal is used elsewhere too) needs ``unsafe``;
    ``notes`` says why each state finding left out was left."""
    out = []
    for found in findings:
        if found.code in SAFE:
            why = _not_fixable(found, config, unsafe)
            if why is None:
                out.append(found)
            elif notes is not None:
                notes.append(f"{found.line}:{found.col + 1}: {found.code} not fixed: {why}")
        elif unsafe and found.code in UNSAFE:
            out.append(found)
    return out


def _not_fixable(found: Finding, config: Config, unsafe: bool) -> Optional[str]:
    if found.state is None:
        return "a member's definition, store or deletion is never rewritten; fix it by hand"
    if replacement(found, config) is None:
        return (f"{found.state!r} has no replacement in execgov-state-replacements; "
                "fix it by hand")
    if found.unsafe is not None and not unsafe:
        return f"{found.unsafe} (an unsafe fix: --unsafe-fixes applies it)"
    return None


def replacement(found: Finding, config: Config) -> Optional[tuple[str, str]]:
    """(invalid state, what ``execgov-state-replacements`` replaces it with), if any."""
    new = config.state_replacements.get(found.state) if found.state is not None else None
    return (found.state, new) if found.state is not None and new is not None else None


def fix_text(text: str, config: Config, *, unsafe: bool = False,
             reported: Optional[ReportedIn] = None, notes: Optional[list[str]] = None,
             isolate: bool = False) -> str:
    """The fixed source (``text`` itself when there is nothing to fix).

    ``reported`` decides, for a text, whether flake8 would report a finding in it
    (selection, per-file-ignores, ``# noqa``, ``# flake8: noqa``); fixes apply only to
    what would be reported. ``notes`` collects why a reported finding was left unfixed.
    ``isolate``: run libcst in a child process (a crash of its native parser is then a
    refusal, not the end of the caller).
    """
    current = text
    last: list[str] = []
    for _ in range(MAX_PASSES):
        last = []
        fixed = _fix_once(current, config, unsafe, reported, last, isolate)
        if fixed == current:
            break
        current = fixed
    if notes is not None:  # in the order of the file
        notes.extend(sorted(last, key=lambda note: tuple(map(int, note.split(":", 2)[:2]))))
    return current


def _fix_once(text: str, config: Config, unsafe: bool, reported: Optional[ReportedIn],
              notes: list[str], isolate: bool) -> str:
    if len(text) > MAX_FIX_CHARS:  # before any parse: libcst would never get it anyway
        if config.prefilter is not None and not config.prefilter.search(text):
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
    found = analyse(tree, lines, config)
    if reported is not None and found:
        decide = reported(text)
        found = [f for f in found if decide(f)]
    todo = fixable(found, config, unsafe, notes)
    if not todo:
        return text
    if libcst_depth(tree, MAX_FIX_DEPTH) > MAX_FIX_DEPTH:
        raise SourceError(f"not fixed: the code is nested more than {MAX_FIX_DEPTH} levels "
                          "deep, more than libcst can take; fix it by hand")
    vocab = Vocabulary(config, module_aliases(tree))

    def apply() -> tuple[str, list[str]]:
        from .transform import transform  # libcst: imported where it is used

        said: list[str] = []
        try:
            return transform(text, tree, todo, lines, vocab, said), said
        except RecursionError:  # pragma: no cover - guarded by the depth limit above
            raise SourceError("not fixed: an expression is nested too deeply for libcst "
                              "(Python's recursion limit); fix it by hand") from None

    fixed, said = isolated(apply) if isolate else apply()
    notes.extend(said)
    if fixed != text:
        try:
            ast.parse(fixed)
        except (SyntaxError, ValueError, RecursionError) as exc:  # pragma: no cover - a bug
            raise SourceError(f"internal error: the fix does not parse ({exc})") from None
    return fixed


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
