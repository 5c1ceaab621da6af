"""No state hidden in modules: a run's state lives in its :class:`flake8_execgov.run.Run`.

Module-level memo tables made the suite start a process per test (a table filled by one
run answered the next) and grew without bound in a long-lived process. This test reads
every module of the package: no module-level ``dict``/``list``/``set`` may be changed by
code that runs after import (a subscript assignment, ``del``, or a mutating method called
on it inside a function), no ``global`` statement, and no ``id()`` anywhere (issue 31: an
``id`` outlives its object and is reused, so a table keyed by one answers for the wrong
object). A table keys by the object itself: ``ast`` and libcst nodes, functions and the
model's ``eq=False`` records hash by identity; a value-compared record (``Finding``) is
matched by its position, never by an ``id``.
"""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "flake8_execgov"
MUTATORS = frozenset(("append", "extend", "insert", "update", "setdefault", "pop", "popitem",
                      "clear", "add", "discard", "remove", "__setitem__", "__delitem__"))
CONTAINERS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
FACTORIES = frozenset(("dict", "list", "set", "defaultdict", "OrderedDict", "Counter",
                       "deque"))


def module_containers(tree: ast.Module) -> set[str]:
    """Names a module binds, at its top level, to a new mutable container."""
    found = set()
    for node in tree.body:
        targets: list[ast.expr] = []
        value = None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        mutable = isinstance(value, CONTAINERS) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and value.func.id in FACTORIES)
        if mutable:
            found |= {t.id for t in targets if isinstance(t, ast.Name)}
    return found


def changed_at_run_time(tree: ast.Module, names: set[str]) -> list[str]:
    """Where code inside a function changes one of ``names``, or declares a global."""
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                found.append(f"{node.lineno}: global {', '.join(node.names)}")
            target = None
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
                for item in getattr(node, "targets", None) or [getattr(node, "target")]:
                    if isinstance(item, ast.Subscript):
                        target = item.value
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in MUTATORS:
                target = node.func.value
            if isinstance(target, ast.Name) and target.id in names:
                found.append(f"{node.lineno}: {target.id}")
    return found


def id_keys(tree: ast.Module) -> list[str]:
    return [f"{node.lineno}: id()" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id == "id"]


def test_no_module_state_changes_at_run_time() -> None:
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for where in changed_at_run_time(tree, module_containers(tree)):
            problems.append(f"{path.relative_to(ROOT)}:{where}")
    assert problems == []


def test_no_id_keys() -> None:
    problems = [f"{path.relative_to(ROOT)}:{where}" for path in sorted(PACKAGE.rglob("*.py"))
                for where in id_keys(ast.parse(path.read_text(encoding="utf-8")))]
    assert problems == []


def test_the_scan_finds_what_it_forbids() -> None:
    tree = ast.parse("MEMO = {}\nSEEN: list[int] = []\nFIXED = {1: 2}\n"
                     "def f(k):\n    MEMO[k] = 1\n    SEEN.append(k)\n    return FIXED[k]\n"
                     "def g():\n    global X\n    return id(g)\n")
    assert module_containers(tree) == {"MEMO", "SEEN", "FIXED"}
    assert changed_at_run_time(tree, module_containers(tree)) == [
        "5: MEMO", "6: SEEN", "9: global X"]
    assert id_keys(tree) == ["10: id()"]
