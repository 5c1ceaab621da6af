"""Web routes (contract section 3, GOV201/GOV202): every route is authenticated, none
answers HTTP 500.

GOV201: a route (``@<router>.get/post/...(path)``) is authorized by ``Depends(A)`` or
``Security(A)`` (or ``Depends(A(...))``) as a parameter default or ``Annotated[...]``
metadata (also through a module-level alias or a string), in the decorator's
``dependencies=[...]``, or on its router (``APIRouter(dependencies=...)``,
``include_router(router, dependencies=...)``) in the same module; public routes are exempt.
GOV202: inside a route, an ``HTTPException`` or ``*Response`` built with a forbidden status.
"""

from __future__ import annotations

import ast
import re
from http import HTTPStatus
from typing import Iterable, Optional

from ..model.runner_coverage import RunnerCoverage

from ..model.records import Finding
from ..config.names import is_glob
from ..config.options import normalize_route
from ..config.prefilter import Needs, route_decorator
from ..model.semantic import SemanticModel
from ..model.nodes import dotted, last_id, parse_annotation, str_constant
from ..model.routes import ROUTE_METHODS
from ..model.vocabulary import Vocabulary
from .base import Hooks, Rule

_HTTP_NAME = re.compile(r"^HTTP_(\d{3})(?:_|$)")

GOV201 = Rule(
    code="GOV201", title="web route without the auth dependency",
    template="route {route} has no auth dependency; add {hint}",
    where="the route's `def` line",
    what="A function decorated with `@<router>.get/post/put/patch/delete/head/options/"
    "api_route/websocket(path, ...)` must be authorized: `Depends(A)`/`Security(A)` (or "
    "`Depends(A(...))`) as a parameter default or `Annotated[...]` metadata (also through "
    "a module-level alias), in the decorator's `dependencies=[...]`, or on the router "
    "(`APIRouter(dependencies=[...])`, `include_router(router, dependencies=[...])`) in the "
    "same module. Public routes are exempt.",
    why="Every execution endpoint runs third-party code on the server: none may be anonymous.",
    example="@router.post(\"/analyses\")\n"
    "async def analyze(body: dict):\n"
    "    return body\n",
    fixed="@router.post(\"/analyses\")\n"
    "async def analyze(body: dict, user=Depends(require_auth)):\n"
    "    return body\n",
    options=("auth-dependencies", "public-routes"), fix="none",
    valid=("@router.get(\"/health/\")\ndef health():\n    return {}\n",
           "@mock.patch(\"pkg.mod\")\ndef test_x(mocked):\n    pass\n"))

GOV202 = Rule(
    code="GOV202", title="web route answers HTTP 500",
    template="route answers HTTP {status}; map errors to 400/404/409, never {status}",
    where="the call that builds the response",
    what="Inside a route (nested functions included), `HTTPException`, `JSONResponse`, "
    "`Response` or any `*Response` built with a forbidden status: `status_code=`, "
    "`HTTPException`'s first argument or a response's second, written as a number, "
    "`status.HTTP_500_...` or `HTTPStatus.INTERNAL_SERVER_ERROR`.",
    why="Execution errors are typed: map them to 400/404/409. A deliberate 500 hides the "
    "cause from clients and pages on-call for a client error.",
    example="@router.get(\"/jobs/{job_id}\", dependencies=[Depends(require_auth)])\n"
    "def job(job_id: str):\n"
    "    raise HTTPException(status_code=500, detail=\"unknown job\")\n",
    fixed="@router.get(\"/jobs/{job_id}\", dependencies=[Depends(require_auth)])\n"
    "def job(job_id: str):\n"
    "    raise HTTPException(status_code=404, detail=\"unknown job\")\n",
    options=("forbidden-statuses",), fix="none",
    invalid=("@router.get(\"/x\", dependencies=[Depends(require_auth)])\n"
             "def x():\n"
             "    return JSONResponse({}, status.HTTP_500_INTERNAL_SERVER_ERROR)\n",))

RULES = (GOV201, GOV202)
ROUTE_DECORATOR = route_decorator(ROUTE_METHODS)
# A route decorator (GOV201/202); the calls that grant routes their auth module-wide
# (``APIRouter(dependencies=...)``, ``include_router(...)``) wherever they stand.
hooks = Hooks(needs=lambda config: Needs(words=("APIRouter", "FastAPI", "include_router"),
                                         patterns=(ROUTE_DECORATOR,)))


def http_status(vocab: Vocabulary, node: ast.AST) -> Optional[int]:
    """A status written as ``500``, ``status.HTTP_500_...`` or ``HTTPStatus.X[.value]``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Attribute) and node.attr == "value":
        node = node.value
    name = last_id(node)
    if name is None:
        return None
    found = _HTTP_NAME.match(name)
    if found:
        return int(found.group(1))
    if isinstance(node, ast.Attribute) and vocab.is_named(node.value, "HTTPStatus"):
        member = HTTPStatus.__members__.get(name)
        return member.value if member is not None else None
    return None


@hooks.on(ast.Call)
def error_status(model: SemanticModel, node: ast.Call) -> None:
    """GOV202: the ``status_code=`` keyword, or the exception's first / a response's
    second argument, inside a route."""
    name = last_id(node.func)
    if not model.route_depth or name is None:
        return
    if name == "HTTPException":
        position = 0
    elif name.endswith("Response"):
        position = 1
    else:
        return
    candidates = [kw.value for kw in node.keywords if kw.arg == "status_code"]
    candidates += node.args[position:position + 1]
    for candidate in candidates:
        status = http_status(model.vocab, candidate)
        if status in model.config.forbidden_statuses:
            model.report(GOV202.at(node, status=status))
            return


@hooks.at_end
def finish(model: SemanticModel, coverage: RunnerCoverage) -> Iterable[Finding]:
    """GOV201: routes without the auth dependency (public routes are exempt)."""
    cfg = model.config
    if not cfg.auth_dependencies:  # nothing to require
        return
    auth = cfg.auth_dependencies.first
    hint = f"Depends() on an auth dependency matching {auth}" \
        if is_glob(auth) else f"Depends({auth})"
    granted = {router for router, keywords in model.router_grants
               if _grants(model, keywords)} | model.facts.granted_routers
    for route in model.routes:
        node = route.node
        if route.receiver in granted or _grants(model, route.decorator.keywords) \
                or (route.path is not None and normalize_route(route.path) in cfg.public_routes) \
                or _parameters_authorized(model, node.args):
            continue
        method = route.method.upper()
        label = f"{method} {route.path}" if route.path else f"{method} {node.name}"
        yield GOV201.at(node, route=label, hint=hint)


def _grants(model: SemanticModel, keywords: list[ast.keyword]) -> bool:
    """``dependencies=[...]`` holding an auth dependency; the list may be a module-level
    constant (``AUTH = [Depends(require_auth)]`` ... ``dependencies=AUTH``)."""
    for keyword in keywords:
        if keyword.arg != "dependencies":
            continue
        value = keyword.value
        if dotted(value) in model.facts.auth_lists:  # a list of another module
            return True
        lists = model.module_scope.assigns.get(value.id, []) \
            if isinstance(value, ast.Name) else [value]
        for listed in lists:
            if isinstance(listed, (ast.List, ast.Tuple)) and \
                    any(_is_auth(model, e) for e in listed.elts):
                return True
    return False


def _is_auth(model: SemanticModel, node: ast.AST) -> bool:
    """``Depends(A)``, ``Security(A)`` or ``Depends(A(...))`` with ``A`` an auth dependency."""
    if not isinstance(node, ast.Call) or not model.vocab.is_named(node.func, "Depends", "Security"):
        return False
    dep = node.args[0] if node.args else next(
        (kw.value for kw in node.keywords if kw.arg == "dependency"), None)
    if isinstance(dep, ast.Call):
        dep = dep.func
    return dep is not None and model.vocab.matches(model.config.auth_dependencies, dep)


def _parameters_authorized(model: SemanticModel, args: ast.arguments) -> bool:
    defaults = [d for d in args.defaults + args.kw_defaults if d is not None]
    if any(_is_auth(model, d) for d in defaults):
        return True
    annotations = [a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs]
    return any(_annotation_authorized(model, a, 0) for a in annotations)


def _annotation_authorized(model: SemanticModel, ann: Optional[ast.AST], depth: int) -> bool:
    """``Annotated[T, Depends(A)]``, also through a module-level alias or a string."""
    if ann is None or depth > 4:
        return False
    module_values = model.module_scope.assigns
    text = str_constant(ann)
    if text is not None:
        return _annotation_authorized(model, parse_annotation(text), depth + 1)
    if dotted(ann) in model.facts.auth_annotations:  # an alias of another module
        return True
    if isinstance(ann, ast.Name) and ann.id in module_values:
        return any(_annotation_authorized(model, v, depth + 1) for v in module_values[ann.id])
    if isinstance(ann, ast.Subscript) and model.vocab.is_named(ann.value, "Annotated") \
            and isinstance(ann.slice, ast.Tuple):
        return any(_is_auth(model, e) for e in ann.slice.elts[1:])
    return False
