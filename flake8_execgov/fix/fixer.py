"""``execgov fix``: apply the fixes of exactly what the plugin reports, with libcst.

The detector is the plugin's own (:func:`engine.analyse`), with the baseline: a finding the
baseline accepts is left as it is (fixing it would rewrite the very code the baseline was
made to leave alone). Which findings are fixed is decided by :mod:`fix.plan`; libcst only
ever parses a file that has a finding to fix, so a clean tree costs a read and a regex per
file.
"""

from __future__ import annotations

import ast
from typing import Optional, Sequence, Union

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..baseline import Baseline
from ..model.records import Finding, Reported
from ..source.files import SourceError
from ..config.options import Config
from ..engine import analyse
from .cst_names import leaves
from .plan import SAFE, UNSAFE, replacement, verdicts
from ..source.lines import char_col, source_lines
from ..model.vocabulary import Vocabulary, module_aliases

__all__ = ["SAFE", "UNSAFE", "fix_text", "fixable", "replacement"]
# libcst needs about 1 GB of memory per MB of source: larger files are reported, not fixed.
MAX_FIX_CHARS = 1_000_000
# libcst's parser and transformer recurse per level of nesting: past its limit it raises
# RecursionError on some versions and crashes the process on others (seen: Python 3.9).
# Real code stays far below; deeper files are reported, never handed to libcst.
MAX_FIX_DEPTH = 100


def fixable(tree: ast.AST, lines: Sequence[str], findings: Sequence[Finding], config: Config,
            unsafe: bool, notes: Optional[list[str]] = None) -> list[Finding]:
    """The findings this run fixes (see :mod:`fix.plan`). ``notes`` says why a finding
    with a fix is left: an unsafe state fix without ``unsafe``; with ``unsafe``, every
    finding of a rule that has a fix."""
    out = []
    for found, verdict in zip(findings, verdicts(tree, lines, findings, config)):
        if verdict.kind == "safe" or (verdict.kind == "unsafe" and unsafe):
            out.append(found)
        elif notes is None:
            continue
        elif verdict.kind == "unsafe" and found.code in SAFE:
            notes.append(_note(found, f"{verdict.why} (an unsafe fix: --unsafe-fixes "
                                      "applies it)"))
        elif unsafe and verdict.why:
            notes.append(_note(found, verdict.why))
    return out


def _note(found: Finding, why: str) -> str:
    return f"{found.line}:{found.col + 1}: {found.code} not fixed: {why}"


def fix_text(text: str, config: Config, *, unsafe: bool = False,
             reported: Optional[Reported] = None, notes: Optional[list[str]] = None,
             baseline: Optional[Baseline] = None, filename: str = "",
             left: Optional[list[Finding]] = None) -> str:
    """The fixed source (``text`` itself when there is nothing to fix).

    ``reported`` decides whether flake8 would report a finding (selection,
    per-file-ignores, ``# noqa``); fixes apply only to what would be reported. The
    ``baseline`` (with ``filename``, as flake8 names the file) leaves the findings it
    accepts alone; ``left`` collects those that would have been fixed. ``notes`` collects
    why a reported finding was left unfixed.
    """
    lines = source_lines(text)
    try:
        tree = ast.parse(text)  # always: a file that does not parse is reported
    except (SyntaxError, ValueError) as exc:
        raise SourceError(f"cannot parse: {exc}") from None
    except (RecursionError, MemoryError):
        raise SourceError("cannot parse: nested too deeply for Python's parser") from None
    every = analyse(tree, lines, config)
    new = every if baseline is None else baseline.new_findings(tree, lines, every, filename)
    todo = fixable(tree, lines, [f for f in new if reported is None or reported(f)], config,
                   unsafe, notes)
    if left is not None and len(new) < len(every):
        kept = {id(f) for f in new}
        left.extend(fixable(tree, lines, [f for f in every if id(f) not in kept
                                          and (reported is None or reported(f))],
                            config, unsafe))
    if not todo:
        return text
    if len(text) > MAX_FIX_CHARS:
        raise SourceError(f"not fixed: {len(text):,} characters is over the fixer's limit of "
                          f"{MAX_FIX_CHARS:,} (libcst needs about 1 GB per MB); fix it by hand")
    depth = nesting_depth(tree, MAX_FIX_DEPTH)
    if depth > MAX_FIX_DEPTH:
        raise SourceError(f"not fixed: the code is nested more than {MAX_FIX_DEPTH} levels "
                          "deep, more than libcst can take; fix it by hand")
    try:
        fixed, applied = _transform(text, todo, lines,
                                    Vocabulary(config, module_aliases(tree), tree))
    except RecursionError:  # pragma: no cover - guarded by the depth limit above
        raise SourceError("not fixed: an expression is nested too deeply for libcst "
                          "(Python's recursion limit); fix it by hand") from None
    if notes is not None:  # planned, yet not applied: said, never passed over
        done = {id(f) for f in applied}
        notes.extend(_note(f, "the fixer could not apply it here; fix it by hand")
                     for f in todo if id(f) not in done)
    if fixed != text:
        try:
            ast.parse(fixed)
        except (SyntaxError, ValueError, RecursionError) as exc:  # pragma: no cover - a bug
            raise SourceError(f"internal error: the fix does not parse ({exc})") from None
    return fixed


def nesting_depth(tree: ast.AST, limit: int) -> int:
    """How deep the syntax tree goes (iteratively; stops counting past ``limit``)."""
    deepest = 0
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def _transform(text: str, todo: list[Finding], lines: Sequence[str],
               vocab: Vocabulary) -> tuple[str, list[Finding]]:
    """The fixed text and the findings whose fix was applied."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:  # pragma: no cover - ast accepted it
        raise SourceError(f"cannot parse: {exc}") from None
    if module.code != text:  # libcst would change bytes the fix does not touch
        raise SourceError("not fixed: libcst does not reproduce this file exactly "
                          "(its line endings or whitespace); fix it by hand")
    targets = {(f.line, char_col(lines, f.line, f.col)): f for f in todo}
    fixer = _Fixer(targets, vocab)
    fixed: str = MetadataWrapper(module, unsafe_skip_copy=True).visit(fixer).code
    return fixed, fixer.applied


def _replace_string(node: cst.SimpleString, old: str, new: str) -> Optional[cst.SimpleString]:
    """``"OLD"`` -> ``"NEW"`` keeping prefix and quotes; None when the literal is not plain."""
    quote_start = len(node.prefix)
    quote = node.quote
    inner = node.value[quote_start + len(quote): len(node.value) - len(quote)]
    if inner != old:
        return None
    return node.with_changes(value=node.value[: quote_start + len(quote)] + new + quote)


class _Fixer(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: dict[tuple[int, int], Finding], vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab
        self.states = {k: f for k, f in targets.items() if f.code in SAFE}
        self.accesses = {k: f for k, f in targets.items() if f.code in UNSAFE}
        self.applied: list[Finding] = []

    def _start(self, node: cst.CSTNode) -> tuple[int, int]:
        where: CodeRange = self.get_metadata(PositionProvider, node)
        return (where.start.line, where.start.column)

    # -- safe: state uses -------------------------------------------------------------

    def leave_SimpleString(self, original: cst.SimpleString,
                           updated: cst.SimpleString) -> cst.BaseExpression:
        found = self.states.get(self._start(original))
        pair = self._pair(found)
        if found is None or found.code != "GOV004" or pair is None:
            return updated
        # Only a plain literal whose whole value is the state (not one piece of "SUC" "CESS").
        new = _replace_string(updated, *pair)
        if new is None:
            return updated
        self.applied.append(found)
        return new

    def leave_Attribute(self, original: cst.Attribute,
                        updated: cst.Attribute) -> cst.BaseExpression:
        found = self.states.get(self._start(original))
        pair = self._pair(found)
        if found is None or found.code != "GOV005" or pair is None \
                or not isinstance(found.node, ast.Attribute) or original.attr.value != pair[0]:
            return updated
        self.applied.append(found)
        return updated.with_changes(attr=cst.Name(pair[1]))

    def leave_Subscript(self, original: cst.Subscript,
                        updated: cst.Subscript) -> cst.BaseExpression:
        found = self._member_finding(original, ast.Subscript)
        if found is None or len(updated.slice) != 1:
            return updated
        element = updated.slice[0]
        index = element.slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            new = self._swap(index.value, found)
            if new is not None:
                self.applied.append(found)
                return updated.with_changes(
                    slice=[element.with_changes(slice=index.with_changes(value=new))])
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        found = self._member_finding(original, ast.Call)
        if found is None or len(updated.args) != 1:
            return updated
        arg = updated.args[0]
        if isinstance(arg.value, cst.SimpleString):
            new = self._swap(arg.value, found)
            if new is not None:
                self.applied.append(found)
                return updated.with_changes(args=[arg.with_changes(value=new)])
        return updated

    def _member_finding(self, original: cst.CSTNode, kind: type) -> Optional[Finding]:
        found = self.states.get(self._start(original))
        if found is None or found.code != "GOV005" or self._pair(found) is None \
                or not isinstance(found.node, kind):
            return None
        return found

    def _pair(self, found: Optional[Finding]) -> Optional[tuple[str, str]]:
        return replacement(found, self.vocab.config) if found is not None else None

    def _swap(self, node: cst.SimpleString, found: Finding) -> Optional[cst.SimpleString]:
        pair = self._pair(found)
        return _replace_string(node, *pair) if pair is not None else None

    # -- unsafe: move the metrics call into the finally --------------------------------------

    def leave_Try(self, original: cst.Try, updated: cst.Try) -> cst.BaseStatement:
        if not self.accesses or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        body = list(updated.body.body)
        if len(body) < 2 or not self._is_metrics_statement(body[-1]):
            return updated
        first, last = original.body.body[0], original.body.body[-2]
        start = self._start(first)
        end_range: CodeRange = self.get_metadata(PositionProvider, last)
        end = (end_range.end.line, end_range.end.column)
        inside = [self.accesses.pop(a) for a in list(self.accesses) if start <= a <= end]
        if not inside:
            return updated
        call = body[-1]
        # The plan (fix.plan) handed over only accesses whose call reads no name the try
        # body binds (it would be unbound in the finally when the body fails early).
        self.applied.extend(inside)
        handlers = [self._without_copies(h, call) for h in updated.handlers]
        final = updated.finalbody
        if final is None:
            final = cst.Finally(body=cst.IndentedBlock(body=[call]))
        else:
            block = final.body
            assert isinstance(block, cst.IndentedBlock)
            kept = list(block.body)
            # before the first statement that can leave the finally (return, raise, ...)
            at = next((i for i, stmt in enumerate(kept) if leaves(stmt)), len(kept))
            final = final.with_changes(body=block.with_changes(
                body=[*kept[:at], call, *kept[at:]]))
        return updated.with_changes(body=updated.body.with_changes(body=body[:-1]),
                                    handlers=handlers, finalbody=final)

    def _is_metrics_statement(self, stmt: cst.BaseStatement) -> bool:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return False
        expr = stmt.body[0]
        if not isinstance(expr, cst.Expr):
            return False
        value: cst.BaseExpression = expr.value
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return False
        func = value.func
        if isinstance(func, cst.Name):
            return self.vocab.is_metrics_name(func.value, bare=True)
        return isinstance(func, cst.Attribute) and \
            self.vocab.is_metrics_name(func.attr.value, bare=False)

    @staticmethod
    def _without_copies(handler: cst.ExceptHandler,
                        call: Union[cst.BaseStatement, cst.BaseSmallStatement]) -> cst.ExceptHandler:
        block = handler.body
        if not isinstance(block, cst.IndentedBlock):
            return handler
        kept = [s for s in block.body if not s.deep_equals(call)]
        if len(kept) == len(block.body):
            return handler
        if not kept:
            kept = [cst.SimpleStatementLine(body=[cst.Pass()])]
        return handler.with_changes(body=block.with_changes(body=kept))
