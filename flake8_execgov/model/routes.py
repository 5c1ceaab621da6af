"""The web part of the semantic model: route functions and the routers that authorize them."""

from __future__ import annotations

import ast
from typing import Optional

from .records import Route
from .nodes import dotted, last_id, str_constant
from .vocabulary import Vocabulary

ROUTE_METHODS = frozenset(
    ("get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket"))


class RouteContext:
    """Mixed into the semantic model: route detection and router ``dependencies=``."""

    vocab: Vocabulary
    routes: list[Route]
    router_grants: list[tuple[str, list[ast.keyword]]]

    def _route(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> Optional[Route]:
        """A function decorated ``@<router>.<method>(path, ...)`` with a route path."""
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not isinstance(decorator.func, ast.Attribute) \
                    or decorator.func.attr not in ROUTE_METHODS:
                continue
            path_node = decorator.args[0] if decorator.args else next(
                (kw.value for kw in decorator.keywords if kw.arg == "path"), None)
            if path_node is None:
                continue
            path = str_constant(path_node)
            receiver = decorator.func.value
            if path is not None and path and not path.startswith("/"):
                continue  # not a route path: ``mock.patch("pkg.mod.attr")`` and friends
            if path is None and last_id(receiver) == "mock":
                continue
            route = Route(node, decorator.func.attr, decorator, dotted(receiver), path)
            self.routes.append(route)
            return route
        return None

    def _router_built(self, target: ast.AST, value: Optional[ast.AST]) -> None:
        if isinstance(value, ast.Call) and self.vocab.is_named(value.func, "APIRouter", "FastAPI"):
            name = dotted(target)
            if name is not None:
                self.router_grants.append((name, value.keywords))
