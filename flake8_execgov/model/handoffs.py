"""Plugin code handed to a function that calls what it is given: the hand-over executes.

``await await_me_maybe(hook)`` for a ``hook`` a plugin execution returned, or
``call_with_supported_arguments(renderers[fmt], ...)``: the host's generic helper calls its
parameter, so handing it plugin code runs the plugin there. As the labels of
docs/evaluation.md count it, and as ``executor.submit(plugin.run)`` is counted, the
hand-over is the execution site (the helper's own call of its parameter is generic).

A *caller of its parameter* is a module-level function of the project whose body (nested
functions included: a wrapper that calls it later) calls one of its parameters by name
(``value()``, ``await fn(**kwargs)``); this module's are found by the walk, other modules'
by their summaries (``param_calls``). Plugin code is what the walk knows as such: a local
holding what a plugin execution returned, or an entry of a registry. A hand-over is matched
by position or keyword against the parameters the function calls.
"""

from __future__ import annotations

import ast
from typing import Any, Callable, Optional

from .imported import ProjectFacts
from .nodes import dotted, push_children
from .records import Access, Scope
from .vocabulary import Vocabulary

# (the callee as written, position or keyword, the access) of a hand-over that waits for
# the module to be complete (which functions call their parameters)
Handoff = tuple[str, str, Access]


class HandoffContext:
    """Mixed into the semantic model: callers of their parameters and hand-overs to them."""

    vocab: Vocabulary
    scope: Scope
    module_scope: Scope
    facts: ProjectFacts
    accesses: list[Access]
    param_calls: dict[str, set[str]]  # module-level function -> "index:name" it calls
    handoffs: list[Handoff]
    skipped: list[ast.stmt]  # module-level definitions the walk did not enter
    producers: set[str]  # this module's functions that return what a plugin returned
    deferred: list[tuple[str, Access]]  # calls of what such a function returned
    deferred_handoffs: list[tuple[str, Handoff]]  # hand-overs of what it returned

    def _calls_parameter(self, func: ast.expr) -> None:
        """``value()`` where ``value`` is a parameter of a module-level function."""
        if not isinstance(func, ast.Name):
            return
        holder: Optional[Scope] = self.scope
        while holder is not None and not holder.is_local(func.id):
            holder = holder.parent
        if holder is not None and holder.parent is self.module_scope \
                and func.id in holder.params and holder.name:
            order = holder.param_order
            index = str(order.index(func.id)) if func.id in order else ""
            self.param_calls.setdefault(holder.name, set()).add(f"{index}:{func.id}")

    def _hand_over(self, node: ast.Call, access: Callable[[ast.expr, str], Access]) -> None:
        """Arguments that are plugin code, handed to a function by name: decided later. The
        argument is the run access (``pool.submit(plugin.run)`` is reported so too)."""
        callee = dotted(node.func)
        if callee is None:
            return
        slots = [(str(i), arg) for i, arg in enumerate(node.args)
                 if not isinstance(arg, ast.Starred)]
        slots += [(f"kw:{kw.arg}", kw.value) for kw in node.keywords if kw.arg is not None]
        for slot, arg in slots:
            if self.vocab.dispatches(arg):  # a registry entry: plugin code now
                self.handoffs.append((callee, slot, access(arg, callee)))
            elif isinstance(arg, ast.Name) and arg.id in self.scope.produced_names:
                self.scope.pending_handoffs.append((arg.id, (callee, slot,
                                                             access(arg, callee))))

    def _return(self, node: ast.Return, stack: list[Any]) -> bool:
        """A module-level function returning what a plugin execution returned (``return
        plugin.steps()``, or a local holding it): its callers get plugin code."""
        scope, value = self.scope, node.value
        if value is not None and scope.kind == "function" and scope.parent is self.module_scope:
            made = self.vocab.produced(value)
            if made is True:
                self.producers.add(scope.name)
            elif isinstance(made, str):
                scope.return_edges.append(made)
            elif isinstance(value, ast.Name):
                scope.return_names.append(value.id)
        return True

    def _returns_plugin_code(self, scope: Scope, plugins: set[str]) -> None:
        """When a function's scope closes: does a ``return`` hand back plugin code?"""
        if any(edge in plugins for edge in scope.return_edges) or any(
                name in scope.dispatch_direct and name in scope.produced_names
                for name in scope.return_names):
            self.producers.add(scope.name)

    def _settled_handoffs(self) -> None:
        """Once the module is complete: calls and hand-overs of what this module's
        functions returned, then the hand-overs to a caller of that parameter."""
        for callee, access in self.deferred:
            if callee in self.producers:
                self.accesses.append(access)
        self.handoffs += [handoff for callee, handoff in self.deferred_handoffs
                          if callee in self.producers]
        skipped = {s.name: s for s in self.skipped if isinstance(s, _FUNCTIONS)}
        for callee, slot, access in self.handoffs:
            if callee in skipped and callee not in self.param_calls:  # named nothing hot
                self.param_calls[callee] = set(called_params(skipped.pop(callee)))
            calls = self.param_calls.get(callee) if "." not in callee else None
            called = tuple(calls) if calls is not None else self.facts.param_callers.get(callee)
            if called and any(_matches(slot, item) for item in called):
                self.accesses.append(access)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def param_call(node: ast.AST, order: list[str], params: set[str]) -> Optional[str]:
    """``"index:name"`` when ``node`` calls one of the parameters (``index`` empty for a
    keyword-only one), else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id in params:
        name = node.func.id
        return f"{order.index(name) if name in order else ''}:{name}"
    return None


def signature(function: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[str], set[str]]:
    """The positional parameters in order, and every parameter that can be named."""
    args = function.args
    order = [a.arg for a in args.posonlyargs + args.args]
    return order, set(order) | {a.arg for a in args.kwonlyargs}


def called_params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    """The parameters a definition the walk skipped calls: its nodes, once (the walk did
    not enter it, so the module's nodes are still visited once in all)."""
    order, params = signature(function)
    found: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        called = param_call(node, order, params)
        if called is not None:
            found.add(called)
        push_children(stack, node)
    return sorted(found)


def returned_by(value: ast.expr) -> Optional[str]:
    """The callee of ``f(...)`` / ``await mod.f(...)`` as written: a function whose return
    value may be plugin code (:meth:`HandoffContext._return`, the summaries' ``returns``)."""
    if isinstance(value, ast.Await):
        value = value.value
    return dotted(value.func) if isinstance(value, ast.Call) else None


def _matches(slot: str, called: str) -> bool:
    """A position or keyword (``"0"``, ``"kw:fn"``) against ``"index:name"`` called."""
    index, _, name = called.partition(":")
    return slot == index if not slot.startswith("kw:") else slot[3:] == name
