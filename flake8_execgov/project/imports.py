"""What a module imports, read off its tree as flake8 parsed it: the imports at its top
level (and in its ``if``/``try``/``with`` blocks), those written inside its module-level
functions and methods, and the routers its routes hang on. The project's facts
(:mod:`.facts`) are asked about these names; they are kept with a module's findings, so a
warm run asks again without parsing it."""

from __future__ import annotations

import ast
import bisect
from typing import Iterator, Optional, Sequence

from ..source.lines import LineIndex
from ..source.statements import blocks
from .records import Import
from .summary import module_statements, route_receiver

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def live_imports(tree: ast.AST, lines: Optional[Sequence[str]] = None
                 ) -> tuple[list[Import], list[str]]:
    """The module as flake8 read it (stdin may differ from the disk): its imports and its
    route receivers; one pass over the top-level statements (and the blocks of
    ``if``/``try``/``with``). ``lines``: the module's, of which ``tree`` is the parse: a
    function whose lines do not hold the word ``import`` is not searched for imports."""
    imports: list[Import] = []
    receivers: list[str] = []
    for stmt in _with_function_imports(module_statements(tree), _import_lines(lines)):
        if isinstance(stmt, ast.ImportFrom):
            imports += [Import(a.asname or a.name, stmt.module or "", a.name, stmt.level)
                        for a in stmt.names if a.name != "*"]
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                head = alias.name.split(".", 1)[0]
                imports.append(Import(alias.asname, alias.name, "", 0) if alias.asname
                               else Import(head, head, "", 0))
        elif isinstance(stmt, _FUNCTIONS) and stmt.decorator_list:
            receivers += [r for r in map(route_receiver, stmt.decorator_list) if r is not None]
    return imports, receivers


def _import_lines(lines: Optional[Sequence[str]]) -> Optional[list[int]]:
    """The numbers of the lines holding the word ``import`` (in order; one scan of the
    text), or None without the lines: then every function is searched."""
    if lines is None:
        return None
    return list(LineIndex(lines).lines_with("import"))


def _with_function_imports(statements: Iterator[ast.stmt],
                           import_lines: Optional[list[int]]) -> Iterator[ast.stmt]:
    """The module's statements, and the imports written in the body of a module-level
    function or of a method of a module-level class (``def main(): from app.core import
    main``, also in its ``try:``): a use there is judged there (its scope knows it)."""
    for stmt in statements:
        yield stmt
        bodies = [stmt] if isinstance(stmt, _FUNCTIONS) else \
            [m for m in stmt.body if isinstance(m, _FUNCTIONS)] \
            if isinstance(stmt, ast.ClassDef) else []
        for function in bodies:
            if import_lines is not None:
                at = bisect.bisect_left(import_lines, function.lineno)
                if at == len(import_lines) or import_lines[at] > (
                        function.end_lineno or function.lineno):
                    continue  # no line of it says "import": nothing to search
            yield from _imports_in(function.body)


def _imports_in(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """The imports of a function's statements and of its blocks (``try:``, ``if``,
    ``match`` cases), not of the functions or classes nested in it: statements only."""
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            yield stmt
        else:
            for _, block in reversed(blocks(stmt)):  # a nested scope has none
                stack.extend(reversed(block))
