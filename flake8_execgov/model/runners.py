"""The runner part of the semantic model: runner frames, their ``try`` context, run accesses.

Inside a runner method or runner function the walk keeps where it stands: in the body,
``else``, handler or ``finally`` of which ``try``, and whether that ``try``'s ``finally``
records metrics. Every run access and every ``self.<method>`` use is stamped with it, so
coverage can be judged once the module is complete (:mod:`coverage`).
"""

from __future__ import annotations

import ast
from typing import Optional

from .effects import Effects, helper_call, unconditional_calls
from .imported import ProjectFacts
from ..source.statements import end, pos
from .records import (Access, RunnerClass, RunnerFrame, Scope, Site, StackItem, TryFrame,
                      TryStack)
from ..config.options import Config
from .vocabulary import Vocabulary


# What a returned value's builtin data type already has (``result.get("x")``,
# ``lines.append(s)``): handling the data a plugin returned, not calling its code.
DATA_METHODS = frozenset(name for kind in (dict, list, str, bytes, set, tuple)
                         for name in dir(kind) if not name.startswith("__"))


class RunnerContext:
    """Mixed into the semantic model: the runner, try and handler stacks."""

    config: Config
    vocab: Vocabulary
    scope: Scope
    stmt: Optional[ast.stmt]
    calls: dict[ast.AST, ast.Call]
    helper_names: frozenset[str]
    facts: ProjectFacts

    def _init_runner_context(self) -> None:
        self.runner: Optional[RunnerFrame] = None
        self.runner_class: Optional[RunnerClass] = None
        self._runner_scope: Optional[Scope] = None  # the scope of the current runner frame
        self._runner_class_scope: Optional[Scope] = None
        self.trys: TryStack = ()
        self.in_finally: list[TryFrame] = []
        # the try of each handler we are in; None for a handler too narrow to count
        self.in_handler: list[Optional[TryFrame]] = []
        self.accesses: list[Access] = []
        # module-level functions that may be helpers of runners, and the uses of their names
        self.module_helpers = RunnerClass()
        self.outside = RunnerFrame("<outside a runner>", None, None)
        self.mentions: set[ast.AST] = set()  # expressions only looked at (mentions.py)
        # the runner classes this module defines: name -> the names of their methods
        self.runner_classes: dict[str, frozenset[str]] = {}
        self.class_path: list[str] = []  # the classes being defined, outermost first
        self.class_records: list[RunnerClass] = []  # every runner class, for helper effects
        self.handed_over: set[ast.AST] = set()  # names handed to a runner instance's method
        self.effects = Effects()  # helper calls whose effect the complete module decides
        # the frames a nested runner function interrupts (inside a candidate helper)
        self._interrupted: list[tuple[RunnerFrame, Optional[Scope], TryStack,
                                      list[TryFrame], list[Optional[TryFrame]]]] = []

    # -- frames -------------------------------------------------------------------------

    def _enter_runner(self, node: ast.FunctionDef | ast.AsyncFunctionDef,
                      in_class_body: bool, scope: Scope, module_level: bool) -> None:
        named = self.config.runner_functions(node.name) or self.config.runner_functions.qualifies(
            self.facts.module, ".".join([*self.class_path, node.name]) if in_class_body
            else node.name if module_level else "")
        if self.runner is not None:
            if not (self.runner.helper_candidate and named):
                return  # a function nested in a runner is part of it
            # a runner function nested in an ordinary module-level function is a runner
            self._interrupted.append((self.runner, self._runner_scope, self.trys,
                                      self.in_finally, self.in_handler))
        owner = self.runner_class if in_class_body else None
        frame = None
        if owner is not None or named:
            params = node.args.posonlyargs + node.args.args
            static = any(self.vocab.is_named(d, "staticmethod") for d in node.decorator_list)
            self_name = params[0].arg if owner and params and not static else None
            frame = RunnerFrame(node.name, owner, self_name, body=node.body)
            if owner is not None:
                owner.frames.append(frame)
        elif module_level:  # a helper of runners, if every use of it turns out covered
            frame = RunnerFrame(node.name, self.module_helpers, None, helper_candidate=True,
                                body=node.body)
            self.module_helpers.frames.append(frame)
        if frame is not None:
            self.runner, self._runner_scope = frame, scope
            self.trys, self.in_finally, self.in_handler = (), [], []

    def _imported_use(self, node: ast.Name | ast.Attribute, name: str) -> None:
        """A use of another module's function that executes a plugin (a call, or a
        callback handed on): an execution here, where the ungoverned path would enter.
        It counts unless a scope between binds the name itself."""
        if node not in self.mentions:
            access = Access(node, "run", self.calls.get(node), self.runner, self.trys,
                            self.stmt, self.scope, via=self.facts.reaching[name])
            self.scope.pending_imported.append((name.split(".", 1)[0], access))

    def _name_use(self, node: ast.Name) -> None:
        """A use of a module-level function's name (a call or a callback reference)."""
        if node.id in self.facts.reaching:
            self._imported_use(node, node.id)
        if node.id in self.helper_names:
            call = self.calls.get(node)
            self.module_helpers.sites.append(Site(
                node.id, pos(node), end(call or node), self.trys if self.runner else (),
                self.runner or self.outside, self._holder(call),
                governed=node in self.handed_over))

    def _holder(self, call: Optional[ast.Call]) -> Optional[str]:
        """``gen = helper(...)``: the local the call's result is bound to."""
        stmt = self.stmt
        if call is not None and isinstance(stmt, ast.Assign) and stmt.value is call \
                and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            return stmt.targets[0].id
        return None

    def _iterated(self, name: ast.expr, where: ast.AST) -> None:
        """A local iterated in a runner frame: where a generator helper's body runs."""
        if self.runner is not None and isinstance(name, ast.Name):
            self.runner.iterations.setdefault(name.id, []).append((pos(where), self.trys))

    def _yields(self, node: ast.Yield | ast.YieldFrom, stack: list[StackItem]) -> bool:
        if self.runner is not None and self.scope is self._runner_scope:
            self.runner.generator = True
        return True

    def _leave_runner(self) -> None:
        if self.runner is not None and self._runner_scope is self.scope:
            self.runner, self._runner_scope = None, None
            self.trys = ()
            if self._interrupted and self._interrupted[-1][1] is not self.scope:
                (self.runner, self._runner_scope, self.trys, self.in_finally,
                 self.in_handler) = self._interrupted.pop()

    def _enter_runner_class(self, node: ast.ClassDef) -> None:
        if self.runner is None and self.runner_class is None \
                and (self.config.runner_classes(node.name)
                     or node.name in self.vocab.runner_subclasses
                     or (not self.class_path and self.scope.parent is not None
                         and self.scope.parent.kind == "module"
                         and self.config.runner_classes.qualifies(self.facts.module, node.name))):
            self.runner_class = RunnerClass()
            self.class_records.append(self.runner_class)
            self._runner_class_scope = self.scope
            self.runner_classes.setdefault(node.name, frozenset(
                stmt.name for stmt in node.body
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef))))

    def _leave_runner_class(self) -> None:
        if self.runner_class is not None and self._runner_class_scope is self.scope:
            self.runner_class = None

    # -- try context ----------------------------------------------------------------------

    def _try(self, node: ast.Try, stack: list[StackItem]) -> bool:
        if self.runner is None:
            return True
        records, helpers = unconditional_calls(node.finalbody, self.vocab, self.runner.self_name,
                                               self.helper_names)
        frame = TryFrame(bool(node.finalbody), records, handles=bool(node.handlers))
        if helpers:  # ``finally: self._record()``: decided once every helper is known
            self.effects.finally_helpers.append((frame, self.runner, helpers))
        frame.any_metrics = frame.unconditional_metrics
        outer = self.trys
        stack.append((self._set_finally, None))
        stack.extend(reversed(node.finalbody))
        stack.append((self._set_finally, frame))
        stack.append((self._set_trys, outer))
        stack.extend(reversed(node.orelse))
        stack.append((self._set_trys, outer + ((frame, "else"),)))
        for handler in reversed(node.handlers):
            stack.append((self._leave_handler, None))
            stack.append(handler)
            stack.append((self._enter_handler, (frame, handler)))
        stack.append((self._set_trys, outer))
        stack.extend(reversed(node.body))
        stack.append((self._set_trys, outer + ((frame, "body"),)))
        return False

    def _set_trys(self, trys: TryStack) -> None:
        self.trys = trys

    def _set_finally(self, frame: Optional[TryFrame]) -> None:
        if frame is None:
            self.in_finally.pop()
        else:
            self.in_finally.append(frame)

    def _enter_handler(self, arg: tuple[TryFrame, ast.ExceptHandler]) -> None:
        frame, handler = arg
        self.in_handler.append(frame if self._is_broad(handler.type) else None)

    def _leave_handler(self, _: None) -> None:
        self.in_handler.pop()

    def _is_broad(self, caught: Optional[ast.expr]) -> bool:
        """A handler for ``Exception``, ``BaseException`` or everything."""
        if caught is None:
            return True
        members = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        return any(self.vocab.is_named(m, "Exception", "BaseException") for m in members)

    # -- what happens inside a runner ----------------------------------------------------------

    def _access(self, node: ast.AST, target: ast.AST, kind: str) -> None:
        """A run access (``kind='run'``) or dynamic getattr (``'dynamic'``) on ``target``,
        recorded now if it is a plugin expression, or once its scope knows its locals."""
        plugin = self.vocab.plugin_expr(target)
        if plugin is not False:
            self._record(plugin, Access(node, kind, self.calls.get(node), self.runner,
                                        self.trys, self.stmt, self.scope),
                         self.scope.pending_access)

    def _dispatched(self, node: ast.Call) -> None:
        """A call of a plugin callable from a dispatch registry: an execution."""
        kind = self.vocab.dispatch_expr(node.func)
        if kind is False:
            kind = self._produced_callee(node.func)
        if kind is not False:
            self._record(kind, Access(node.func, "run", node, self.runner, self.trys,
                                      self.stmt, self.scope), self.scope.pending_dispatch)

    def _produced_callee(self, func: ast.expr) -> "bool | str":
        """``step(...)`` or ``cmd.handler(...)`` for a local bound to what a plugin
        execution returned: its name (decided when the scope closes), else False."""
        if isinstance(func, ast.Attribute):
            if func.attr in DATA_METHODS:
                return False
            func = func.value
        if isinstance(func, ast.Name) and func.id in self.scope.produced_names:
            return func.id
        return False

    def _record(self, found: "bool | str", access: Access,
                pending: list[tuple[str, Access]]) -> None:
        """Now (``True``), or once the scope knows what its local ``found`` is bound to."""
        if found is True:
            self.accesses.append(access)
        elif isinstance(found, str):
            pending.append((found, access))

    def _self_use(self, node: ast.Attribute) -> None:
        """A ``self.<method>`` use in a runner method: a call or a callback reference."""
        frame = self.runner
        if frame is not None and frame.owner is not None and frame.self_name is not None \
                and isinstance(node.value, ast.Name) and node.value.id == frame.self_name:
            call = self.calls.get(node)
            frame.owner.sites.append(Site(node.attr, pos(node), end(call or node),
                                          self.trys, frame, self._holder(call)))

    def _handed_to_runner(self, node: ast.Call) -> None:
        """``manager.map(fmt, data)`` on a runner instance (``manager = ToolRunner(...)``
        in this or an enclosing scope, or ``ToolRunner(...).map(fmt)``): a function handed
        to it runs inside the governed path."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        owner = func.value
        instance = isinstance(owner, ast.Call) and \
            self.vocab.is_runner_class(owner.func)
        scope: Optional[Scope] = self.scope
        while not instance and isinstance(owner, ast.Name) and scope is not None:
            instance = owner.id in scope.runner_locals
            scope = scope.parent
        if instance:
            for arg in [*node.args, *(keyword.value for keyword in node.keywords)]:
                if isinstance(arg, ast.Name):
                    self.handed_over.add(arg)

    def _runner_call(self, node: ast.Call) -> None:
        """Validator and envelope-builder calls in a runner; metrics calls in a finally."""
        cfg, vocab, func = self.config, self.vocab, node.func
        if self.runner is None:
            return
        if vocab.matches(cfg.input_validators, func):
            self.runner.inputs.append(pos(node))
        if vocab.matches(cfg.output_validators, func):
            self.runner.outputs.append((pos(node), end(node), self.trys))
        if vocab.matches(cfg.error_envelope_builders, func):
            self.runner.builds_envelope = True
            for frame in self.in_handler:
                if frame is not None:
                    frame.envelope_handler = True
        elif self.in_handler:  # ``except Exception as e: return self._envelope(e)``
            helper = helper_call(func, self.runner.self_name, self.helper_names)
            if helper is not None:
                self.effects.handler_helpers.append(
                    ([f for f in self.in_handler if f is not None], self.runner, helper))
