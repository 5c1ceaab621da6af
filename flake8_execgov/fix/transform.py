"""The libcst side of ``execgov fix``: it carries out the plan (:mod:`fix.plan`), each
fix finding its node by the source itself.

A finding names its node by ``ast``'s position; libcst's positions are the source's own.
Inside an f-string, CPython 3.9 reports wrong columns (and lines, in multi-line ones), so
there a node is named by the f-string (whose own position is right everywhere) and its
rank among the nodes of its kind inside it, in source order. Every fix checks the node it
found (a literal whose value is the state, a member named as found) before it changes
it; the positions of the findings whose fix was applied are returned, so that the
others are named.
"""

from __future__ import annotations

import ast
from typing import Hashable, Optional, Sequence, Union

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from ..model.records import Finding
from ..model.vocabulary import Vocabulary
from ..source.files import SourceError
from ..source.lines import char_col
from .cst_names import leaves
from .fstrings import FStringRanks, fstring_ranks, has_fstring
from .plan import SAFE, UNSAFE

Key = Hashable


def transform(text: str, tree: ast.AST, todo: Sequence[Finding], lines: Sequence[str],
              vocab: Vocabulary) -> tuple[str, list[int]]:
    """``text`` with the fixes of ``todo`` applied, and the positions in ``todo`` of the
    findings whose fix was."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        raise SourceError(f"cannot parse: {exc}") from None
    if module.code != text:  # libcst would change bytes the fix does not touch
        raise SourceError("not fixed: libcst does not reproduce this file exactly "
                          "(its line endings or whitespace); fix it by hand")
    ranks = fstring_ranks(tree, lines)
    targets: dict[Key, Finding] = {}
    where: dict[Key, int] = {}  # the position in ``todo`` of the finding a key names
    for index, found in enumerate(todo):
        rank = ranks.get(found.node) if found.node is not None else None
        key: Key = rank if rank is not None else \
            (found.line, char_col(lines, found.line, found.col))
        targets[key] = found
        where[key] = index
    fixer = _Fixer(targets, vocab)
    fixed: str = MetadataWrapper(module, unsafe_skip_copy=True).visit(fixer).code
    return fixed, [where[key] for key in targets if key in fixer.done]


def _replace_string(node: cst.SimpleString, old: str, new: str) -> Optional[cst.SimpleString]:
    """``"OLD"`` -> ``"NEW"`` keeping prefix and quotes; None when the literal is not plain."""
    quote_start = len(node.prefix)
    quote = node.quote
    inner = node.value[quote_start + len(quote): len(node.value) - len(quote)]
    if inner != old:
        return None
    return node.with_changes(value=node.value[: quote_start + len(quote)] + new + quote)


class _Fixer(FStringRanks, cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: dict[Key, Finding], vocab: Vocabulary) -> None:
        super().__init__()
        self.vocab = vocab
        self.states = {k: f for k, f in targets.items() if f.code in SAFE}
        self.accesses = {k: f for k, f in targets.items() if f.code in UNSAFE}
        self.done: set[Key] = set()

    def _start(self, node: cst.CSTNode) -> tuple[int, int]:
        where: CodeRange = self.get_metadata(PositionProvider, node)
        return (where.start.line, where.start.column)

    def _key(self, node: cst.CSTNode) -> Key:
        return self.rank_of(node) or self._start(node)

    # -- f-strings: name the nodes inside by rank (see fstrings.py) --------------------------

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        self.enter_fstring(node, self._start(node))

    def leave_FormattedString(self, original: cst.FormattedString,
                              updated: cst.FormattedString) -> cst.BaseExpression:
        self.leave_fstring(original)
        return updated

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if not self.is_part(node) and has_fstring(node):
            self.enter_fstring(node, self._start(node))
        self.rank(node)

    def leave_ConcatenatedString(self, original: cst.ConcatenatedString,
                                 updated: cst.ConcatenatedString) -> cst.BaseExpression:
        self.leave_fstring(original)
        return updated

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.rank(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.rank(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.rank(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.rank(node)

    # -- safe: state uses -------------------------------------------------------------

    def _state(self, original: cst.CSTNode, code: str) -> tuple[Key, Optional[Finding]]:
        key = self._key(original)
        found = self.states.get(key)
        if found is None or found.code != code or found.state is None or key in self.done:
            return key, None
        return key, found

    def _replacement(self, found: Finding) -> Optional[str]:
        return self.vocab.config.state_replacements.get(found.state or "")

    def leave_SimpleString(self, original: cst.SimpleString,
                           updated: cst.SimpleString) -> cst.BaseExpression:
        key, found = self._state(original, "GOV004")
        new = self._replacement(found) if found is not None else None
        fixed = _replace_string(updated, found.state or "", new) \
            if found is not None and new is not None else None
        if fixed is None:
            return updated
        self.done.add(key)
        return fixed

    def leave_Attribute(self, original: cst.Attribute,
                        updated: cst.Attribute) -> cst.BaseExpression:
        key, found = self._state(original, "GOV005")
        new = self._replacement(found) if found is not None else None
        if found is None or new is None or not isinstance(found.node, ast.Attribute) \
                or original.attr.value != found.state:
            return updated
        self.done.add(key)
        return updated.with_changes(attr=cst.Name(new))

    def leave_Subscript(self, original: cst.Subscript,
                        updated: cst.Subscript) -> cst.BaseExpression:
        key, found = self._state(original, "GOV005")
        if found is None or not isinstance(found.node, ast.Subscript) or len(updated.slice) != 1:
            return updated
        element = updated.slice[0]
        index = element.slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            new = self._swap(index.value, found)
            if new is not None:
                self.done.add(key)
                return updated.with_changes(
                    slice=[element.with_changes(slice=index.with_changes(value=new))])
        return updated

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        key, found = self._state(original, "GOV005")
        if found is None or not isinstance(found.node, ast.Call) or len(updated.args) != 1:
            return updated
        arg = updated.args[0]
        if isinstance(arg.value, cst.SimpleString):
            new = self._swap(arg.value, found)
            if new is not None:
                self.done.add(key)
                return updated.with_changes(args=[arg.with_changes(value=new)])
        return updated

    def _swap(self, node: cst.SimpleString, found: Finding) -> Optional[cst.SimpleString]:
        new = self._replacement(found)
        return _replace_string(node, found.state or "", new) if new is not None else None

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
        inside = [k for k in self.accesses if isinstance(k, tuple) and len(k) == 2
                  and start <= k <= end]
        if not inside:
            return updated
        call = body[-1]
        # The plan (fix.plan) handed over only accesses whose call reads no name the try
        # body binds or a handler unbinds (unbound in the finally when the body fails early).
        for key in inside:
            self.accesses.pop(key)
            self.done.add(key)
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
