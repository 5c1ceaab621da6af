"""Which findings ``execgov fix`` changes, decided on the syntax tree, before libcst.

Every front end asks here, so that what a report promises is what the fixer does: the
fixer (which findings it hands libcst; ``--unsafe-fixes`` says why it leaves the others),
the ``fix`` field of the JSON and SARIF reports and the gate's summary line (per finding:
``"safe"``, ``"unsafe"`` or none). Deciding costs a walk of the ``try`` statements at most,
never a libcst parse (about a hundred times an ``ast`` parse), so a report can afford it
for every finding. libcst only carries the plan out; a finding it could not apply after
all is reported by the fixer, never passed over silently.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Optional, Sequence

from ..config.options import Config
from ..source.statements import end, pos
from ..model.records import Finding
from ..model.vocabulary import Vocabulary, module_aliases
from ..rules import RULES
from ..source.lines import char_col

# Fix safety is the rule's own (``Rule.fix``): the codes whose findings each kind can fix.
SAFE = frozenset(rule.code for rule in RULES if rule.fix == "safe")
UNSAFE = frozenset(rule.code for rule in RULES if rule.fix == "unsafe")

NO_TRY = ("no try around it ends with a metrics call, so there is nothing to move into a "
          "finally; fix it by hand")
NOT_PLAIN = "the literal is not one plain string; fix it by hand"
ELSEWHERE = "the state is a constant of another module: fix it where it is defined"
NOT_A_USE = "only uses of a member are rewritten, not its definition, a store or a deletion"

_STRING_START = re.compile(r"[rRuU]?(\"\"\"|'''|\"|')")


@dataclass(frozen=True)
class Verdict:
    """``kind``: ``"safe"`` (``execgov fix`` changes it), ``"unsafe"`` (only
    ``--unsafe-fixes`` does) or None (nothing does); ``why``: why not, or why unsafe."""

    kind: Optional[str]
    why: str = ""


def replacement(found: Finding, config: Config) -> Optional[tuple[str, str]]:
    """(invalid state, what ``execgov-state-replacements`` replaces it with), if any."""
    new = config.state_replacements.get(found.state) if found.state is not None else None
    return (found.state, new) if found.state is not None and new is not None else None


def verdicts(tree: ast.AST, lines: Sequence[str], findings: Sequence[Finding],
             config: Config) -> list[Verdict]:
    """What ``execgov fix`` does with each finding of ``tree`` (in order)."""
    tries: Optional[list[ast.Try]] = None
    vocab: Optional[Vocabulary] = None
    out = []
    for found in findings:
        if found.code in SAFE:
            out.append(_state_fix(found, lines, config))
        elif found.code in UNSAFE and found.node is not None:
            if tries is None or vocab is None:
                tries = [node for node in ast.walk(tree) if isinstance(node, ast.Try)]
                vocab = Vocabulary(config, module_aliases(tree), tree)
            out.append(_moved_call(found.node, tries, vocab))
        else:
            out.append(Verdict(None))
    return out


def _state_fix(found: Finding, lines: Sequence[str], config: Config) -> Verdict:
    """A state use rewritten through ``execgov-state-replacements``: a plain literal
    (``"SUCCESS"``), a member (``LifecycleState.SUCCESS``) or a member looked up by a plain
    literal (``LifecycleState["SUCCESS"]``, ``LifecycleState("SUCCESS")``)."""
    if found.code == "GOV004" and isinstance(found.node, (ast.Name, ast.Attribute)):
        return Verdict(None, ELSEWHERE)  # ``DONE`` or ``states.DONE`` from the project
    if found.state is None:
        return Verdict(None, NOT_A_USE)
    pair = replacement(found, config)
    if pair is None:
        return Verdict(None, f"execgov-state-replacements names no replacement for "
                             f"{found.state!r}")
    node = found.node
    literal: Optional[ast.AST] = None
    if isinstance(node, ast.Subscript):
        literal = node.slice
    elif isinstance(node, ast.Call):  # a lookup by one positional literal (GOV005)
        literal = node.args[0]
    elif not isinstance(node, ast.Attribute):
        literal = node
    if literal is not None and not _plain(literal, lines, found.state):
        return Verdict(None, NOT_PLAIN)
    return Verdict("unsafe", found.unsafe) if found.unsafe else Verdict("safe")


def _plain(literal: ast.AST, lines: Sequence[str], state: str) -> bool:
    """Is ``literal`` written as one string whose text is ``state`` (what the fixer's
    string replacement rewrites; ``"SUC" "CESS"`` or escapes are not)?"""
    line, col = pos(literal)
    if not isinstance(literal, ast.Constant) or not 0 < line <= len(lines):
        return False
    rest = lines[line - 1][char_col(lines, line, col):]
    start = _STRING_START.match(rest)
    return start is not None and rest[start.end():].startswith(state + start.group(1))


def _moved_call(access: ast.AST, tries: list[ast.Try], vocab: Vocabulary) -> Verdict:
    """The unsafe fix of GOV002/GOV003: the innermost ``try`` whose body (before its last
    statement) holds the access and ends with a lone metrics call gets that call in its
    ``finally``, unless the call reads a name the ``try`` body binds (unbound there when
    the body fails early)."""
    at = pos(access)
    holders = [node for node in tries if len(node.body) >= 2
               and node.body[0].lineno > node.lineno  # an indented block
               and pos(node.body[0]) <= at <= end(node.body[-2])
               and _metrics_statement(node.body[-1], node.body[-2], vocab)]
    if not holders:
        return Verdict(None, NO_TRY)
    innermost = max(holders, key=pos)
    unbound = sorted(_loaded(innermost.body[-1]) & (_bound(innermost.body[:-1])
                                                    | _unbound_after(innermost.handlers)))
    if unbound:
        return Verdict(None, f"the metrics call uses {', '.join(unbound)}, bound inside the "
                             "try; bind it before the try")
    return Verdict("unsafe")


def _metrics_statement(stmt: ast.stmt, before: ast.stmt, vocab: Vocabulary) -> bool:
    """A metrics call (awaited or not) alone on its line, as a statement."""
    if not isinstance(stmt, ast.Expr) or end(before)[0] == stmt.lineno:
        return False
    value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    if isinstance(func, ast.Name):
        return vocab.is_metrics_name(func.id, bare=True)
    return isinstance(func, ast.Attribute) and vocab.is_metrics_name(func.attr, bare=False)


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _loaded(stmt: ast.stmt) -> set[str]:
    """The names a statement mentions (lambdas aside: their body runs later)."""
    names: set[str] = set()
    stack: list[ast.AST] = [stmt]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name):
            names.add(node.id)
        stack.extend(ast.iter_child_nodes(node))
    return names


def _unbound_after(handlers: Sequence[ast.ExceptHandler]) -> set[str]:
    """Names a handler leaves unbound before the ``finally`` runs: its ``except ... as``
    name is deleted when it ends, and what its body deletes."""
    names = {handler.name for handler in handlers if handler.name}
    for handler in handlers:
        names |= {node.id for node in _own_nodes(handler.body)
                  if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Del)}
    return names


def _own_nodes(stmts: Sequence[ast.stmt]) -> list[ast.AST]:
    """The nodes of ``stmts`` outside nested functions, classes and lambdas."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = list(stmts)
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                 ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found


_CAPTURES = tuple(getattr(ast, name) for name in ("MatchAs", "MatchStar", "MatchMapping")
                  if hasattr(ast, name))  # Python 3.10+


def _bound(stmts: Sequence[ast.stmt]) -> set[str]:
    """The names statements bind (or unbind) in their own scope: assignment, ``for``,
    ``with``, ``except`` and import targets, walrus targets, ``match`` captures
    (``case {"state": st}``, ``[*rest]``, ``{**rest}``, ``str() as s``), ``del`` and
    ``global``/``nonlocal`` names, nested definitions' names (not what nested scopes or
    comprehension variables bind)."""
    names: set[str] = set()
    stack: list[ast.AST] = list(stmts)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, _CAPTURES):
            capture = getattr(node, "name", None) or getattr(node, "rest", None)
            if capture:
                names.add(capture)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names
                         if alias.name != "*")
        if isinstance(node, _COMPREHENSIONS):
            for part in node.generators:  # their targets are the comprehension's own
                stack.append(part.iter)
                stack.extend(part.ifs)
            stack.extend(child for child in ast.iter_child_nodes(node)
                         if not isinstance(child, ast.comprehension))
            continue
        stack.extend(ast.iter_child_nodes(node))
    return names
