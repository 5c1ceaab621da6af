"""A module's summary: what other modules may ask of it, from its statements only.

No walk: the module's statement list (and ``if``/``try``/``with`` blocks at module level,
and the top-level statements of module-level functions, where ``create_app()`` includes
its routers) is read, with the expressions of those statements looked at to a fixed,
small depth. The summary is plain JSON (lists, dicts, strings), names as written (dotted):
it holds no configuration, so it is the same for every configuration, and resolving names
is the project index's work (:mod:`.index`).
"""

from __future__ import annotations

import ast
from typing import Any, Iterator, Optional

from ..model.handoffs import param_call, returned_by, signature
from ..model.nodes import TRY_TYPES, dotted, push_children, str_constant
from ..source.statements import on_lines
from .written import Written, lines_of

Summary = dict[str, Any]
_ROUTE_METHODS = frozenset(
    ("get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"))
_BLOCKS = (ast.If, ast.With, ast.AsyncWith) + TRY_TYPES
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def summarize(tree: ast.AST, data: Optional[bytes] = None) -> Summary:
    """The summary of one module (see the module docstring for what it holds); ``data``,
    the text it was parsed from, when known, spares its functions' walks the statements
    that name nothing asked about (:mod:`.written`)."""
    out: Summary = {"imports": [], "classes": {}, "alias": {}, "consts": {}, "annotated": {},
                    "lists": {}, "routers": {}, "includes": [], "receivers": [],
                    "functions": {}, "param_calls": {}, "returns": {}}
    bodies: list[ast.FunctionDef | ast.AsyncFunctionDef] = []
    top = set(getattr(tree, "body", ()))  # helpers are module-level defs
    for stmt in module_statements(tree):
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    out["imports"].append([alias.asname, alias.name, "", 0])
                else:
                    head = alias.name.split(".", 1)[0]
                    out["imports"].append([head, head, "", 0])
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name != "*":
                    out["imports"].append([alias.asname or alias.name, stmt.module or "",
                                           alias.name, stmt.level])
        elif isinstance(stmt, ast.ClassDef):
            out["classes"][stmt.name] = [name for name in map(dotted, stmt.bases) if name]
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    _assigned(out, target.id, stmt.value)
        elif isinstance(stmt, _FUNCTIONS):
            if stmt in top:
                bodies.append(stmt)
            for decorator in stmt.decorator_list:
                receiver = route_receiver(decorator)
                if receiver is not None and receiver not in out["receivers"]:
                    out["receivers"].append(receiver)
            for inner in stmt.body:  # create_app(): app.include_router(...)
                _statement_calls(out, inner)
            continue
        _statement_calls(out, stmt)
    known = {entry[0] for entry in out["imports"]} | {f.name for f in bodies}
    text = lines_of(data, known) if bodies else None
    for function in bodies:  # the last definition of a name wins, as at run time
        out["functions"][function.name], called = _names_used(function, known, text)
        if called:
            out["param_calls"][function.name] = called
        else:
            out["param_calls"].pop(function.name, None)
        out["returns"][function.name] = _returned_calls(
            function, text.naming(function, b"return") if text is not None else None)
    return out


def summary_of(data: bytes) -> Summary:
    """The summary of the module whose text is ``data``: what
    :meth:`.index.Project.summarise` hands another process, which knows nothing else of
    the project."""
    return parsed_summary(data)[0]


def parsed_summary(data: bytes, tree: Optional[ast.AST] = None
                   ) -> tuple[Summary, Optional[ast.AST]]:
    """The summary of the module whose text is ``data`` (an empty one where it does not
    parse), and its parse: ``tree`` when given (the linted module's, flake8's), else
    parsed now (None: it does not parse)."""
    if tree is None:
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return summarize(ast.Module(body=[], type_ignores=[])), None
    return summarize(tree, data), tree


def _names_used(function: ast.FunctionDef | ast.AsyncFunctionDef, known: set[str],
                text: Optional[Written]) -> tuple[list[str], list[str]]:
    """The imported names and module-level functions a module-level function's body reads
    (``execute``, ``helpers.execute``): the edges of the project's call graph, as written.
    Every read counts (a call, a callback handed on): which of them reach an execution is
    decided across modules (:mod:`.reach`). And, from the same walk, the parameters it calls
    (``"0:value"``, ``":fn"`` for a keyword-only one): handing it plugin code executes the
    plugin (:mod:`..model.handoffs`). With the module's ``text``, a statement whose lines
    write none of those names is not entered."""
    found: set[str] = set()
    order, params = signature(function)
    called: set[str] = set()
    hot = text.hot(function, params) if text is not None else None
    stack: list[ast.AST] = [function]
    while stack:
        node = stack.pop()
        if hot is not None and isinstance(node, ast.stmt) and node is not function \
                and not on_lines(node, hot):
            continue
        param = param_call(node, order, params)
        if param is not None:
            called.add(param)
        if isinstance(node, ast.Name):
            if node.id in known and isinstance(node.ctx, ast.Load):
                found.add(node.id)
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            name = dotted(node)
            if name is not None and name.split(".", 1)[0] in known:
                found.add(name)
        push_children(stack, node)
    return sorted(found), sorted(called)


def _returned_calls(function: ast.FunctionDef | ast.AsyncFunctionDef,
                    lines: Optional[list[int]]) -> list[str]:
    """What a module-level function returns, where it returns a call: the callee as
    written (``plugin.steps``), from its statements and blocks, not nested functions. The
    configuration decides which of them are plugin executions (:mod:`.hooks`). With the
    ``lines`` that write ``return``, the statements on none of them are not entered."""
    found: list[str] = []
    stack = list(function.body)
    while stack:
        stmt = stack.pop()
        if lines is not None and not on_lines(stmt, lines):
            continue
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            callee = returned_by(stmt.value)
            if callee is not None and callee not in found:
                found.append(callee)
        elif not isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            for attr in ("body", "orelse", "finalbody"):
                stack.extend(getattr(stmt, attr, ()))
            for handler in getattr(stmt, "handlers", ()):
                stack.extend(handler.body)
    return sorted(found)


def module_statements(tree: ast.AST) -> Iterator[ast.stmt]:
    stack = list(reversed(getattr(tree, "body", ())))
    while stack:
        stmt = stack.pop()
        yield stmt
        if isinstance(stmt, _BLOCKS):
            inner: list[ast.stmt] = []
            for attr in ("body", "orelse", "finalbody", "handlers"):
                for child in getattr(stmt, attr, ()):
                    inner.extend(child.body if isinstance(child, ast.ExceptHandler) else [child])
            stack.extend(reversed(inner))


def _assigned(out: Summary, name: str, value: ast.expr) -> None:
    text = str_constant(value)
    if text is not None:
        out["consts"][name] = text
    elif isinstance(value, (ast.Name, ast.Attribute)):
        target = dotted(value)
        if target:
            out["alias"][name] = target
    elif isinstance(value, ast.Subscript):
        deps = _annotated_deps(value)
        if deps:
            out["annotated"][name] = deps
    elif isinstance(value, (ast.List, ast.Tuple)):
        deps = [dep for elt in value.elts for dep in _depends(elt)]
        if deps:
            out["lists"][name] = deps
    elif isinstance(value, ast.Call) and _last(value.func) in ("APIRouter", "FastAPI"):
        out["routers"][name] = _dependencies(value.keywords)


def _statement_calls(out: Summary, stmt: ast.stmt) -> None:
    """``x.include_router(child, dependencies=...)`` as an expression statement."""
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        call = stmt.value
        func = call.func
        if isinstance(func, ast.Attribute) and func.attr == "include_router" and call.args:
            child = dotted(call.args[0])
            if child:
                out["includes"].append([dotted(func.value) or "", child,
                                        _dependencies(call.keywords)])


def _dependencies(keywords: list[ast.keyword]) -> list[str]:
    """The auth candidates of ``dependencies=``: ``Depends(x)`` names, and ``@NAME`` for a
    list given by name (resolved later, maybe in another module)."""
    found: list[str] = []
    for keyword in keywords:
        if keyword.arg != "dependencies":
            continue
        value = keyword.value
        if isinstance(value, (ast.Name, ast.Attribute)):
            name = dotted(value)
            if name:
                found.append("@" + name)
        elif isinstance(value, (ast.List, ast.Tuple)):
            found += [dep for elt in value.elts for dep in _depends(elt)]
    return found


def _depends(node: ast.AST) -> list[str]:
    """``Depends(x)``, ``Security(x)``, ``Depends(x(...))``, ``Depends(dependency=x)``."""
    if not isinstance(node, ast.Call) or _last(node.func) not in ("Depends", "Security"):
        return []
    dep: Optional[ast.AST] = node.args[0] if node.args else next(
        (kw.value for kw in node.keywords if kw.arg == "dependency"), None)
    if isinstance(dep, ast.Call):
        dep = dep.func
    name = dotted(dep) if dep is not None else None
    return [name] if name else []


def _annotated_deps(value: ast.Subscript) -> list[str]:
    if _last(value.value) != "Annotated" or not isinstance(value.slice, ast.Tuple):
        return []
    return [dep for elt in value.slice.elts[1:] for dep in _depends(elt)]


def route_receiver(decorator: ast.AST) -> Optional[str]:
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute) \
            and decorator.func.attr in _ROUTE_METHODS:
        return dotted(decorator.func.value)
    return None


def _last(node: ast.AST) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def imported_entry(summary: Summary, local: str) -> Optional[tuple[str, str, str, int]]:
    """(local, module, name, level) of the import binding ``local``; the last one wins."""
    found = None
    for entry in summary["imports"]:
        if entry[0] == local:
            found = entry
    return (found[0], found[1], found[2], found[3]) if found is not None else None
