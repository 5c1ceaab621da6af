"""Tool names (contract section 3, GOV006): a tool name never falls back to a hard-coded
default.

For each name in ``tool-name-args`` and each value in ``forbidden-tool-defaults``
(compared case-insensitively): ``x.get("tool_name", "default")``; ``tool_name = "default"``
(also annotated, also an attribute target); ``<tool-name expression> or "default"``; a
parameter default; a keyword argument; a dict entry -- and wherever such a destination
receives the literal as a fallback (``os.getenv("TOOL") or "default"``,
``x if x else "default"``).
"""

from __future__ import annotations

import ast
from typing import Optional

from ..config.prefilter import Needs
from ..model.semantic import SemanticModel
from ..model.nodes import last_id, str_constant
from .base import Hooks, Rule

GOV006 = Rule(
    code="GOV006", title="tool name falls back to a hard-coded default",
    template="tool name falls back to hard-coded {value!r}; require an explicit tool name",
    where="the `\"default\"` literal",
    what="Flags `x.get(\"tool_name\", \"default\")`, `tool_name = \"default\"` (also annotated and "
    "attribute targets), `<tool name> or \"default\"`, a parameter default, a keyword "
    "argument and a dict entry -- also where such a destination receives the literal as "
    "a fallback (`tool_name = os.getenv(\"TOOL\") or \"default\"`, "
    "`x if x else \"default\"`), the fallback of `getattr(req, \"tool_name\", ...)` and of "
    "environment variables (`os.getenv(\"TOOL_NAME\", ...)`), and the forbidden name asked "
    "of a plugin collection or getter (`plugins[\"default\"]`, `get_plugin(\"default\")`). "
    "Keys and names compare exactly (environment variables upper-cased), values "
    "case-insensitively.",
    why="A silent default runs a plugin the caller never asked for and hides the missing "
    "field; the request should fail with a 400 instead.",
    example="tool_name = request.get(\"tool_name\", \"default\")\n",
    fixed="tool_name = request[\"tool_name\"]\n",
    options=("tool-name-args", "forbidden-tool-defaults"), fix="none",
    invalid=("def run(tool_name=\"Default\"):\n    pass\n",
             "job = {\"tool_name\": \"default\"}\n",
             "name = request.tool_name or \"default\"\n"),
    valid=("mode = request.get(\"mode\", \"default\")\n",))

RULES = (GOV006,)
hooks = Hooks(needs=lambda config: Needs(
    names=(config.plugin_collections, config.plugin_getters), words=tuple(config.tool_name_args)))


@hooks.on(ast.Assign, ast.AnnAssign)
def assigned(model: SemanticModel, node: ast.Assign | ast.AnnAssign) -> None:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        if isinstance(target, (ast.Name, ast.Attribute)) \
                and last_id(target) in model.config.tool_name_args:
            _forbidden(model, node.value)


@hooks.on(ast.BoolOp)
def or_fallback(model: SemanticModel, node: ast.BoolOp) -> None:
    if isinstance(node.op, ast.Or):
        seen_tool_name = False
        for value in node.values:
            if seen_tool_name:
                _forbidden(model, value)
            seen_tool_name = seen_tool_name or _is_tool_name(model, value)


@hooks.on(ast.Dict)
def dict_entry(model: SemanticModel, node: ast.Dict) -> None:
    for key, value in zip(node.keys, node.values):
        if key is not None and str_constant(key) in model.config.tool_name_args:
            _forbidden(model, value)


@hooks.on(ast.Call)
def call_argument(model: SemanticModel, node: ast.Call) -> None:
    """A keyword argument ``tool_name=...``; the fallback of a getter that produces a tool
    name (``x.get("tool_name", ...)``, ``getattr(req, "tool_name", ...)``, an environment
    variable ``os.getenv("TOOL_NAME", ...)``, upper case as environment variables are); a
    plugin getter asked for the forbidden name (``get_plugin("default")``)."""
    names = model.config.tool_name_args
    func, args = node.func, node.args
    name = last_id(func)
    if name is None:
        return
    for keyword in node.keywords:
        if keyword.arg in names:
            _forbidden(model, keyword.value)
    environment = name == "getenv" or (
        name == "get" and isinstance(func, ast.Attribute) and last_id(func.value) == "environ")
    key = str_constant(args[0]) if args else None
    if name in ("get", "getenv") and len(args) == 2 and key is not None \
            and (key in names or (environment and key.lower() in names)):
        _forbidden(model, args[1])
    if name == "getattr" and isinstance(func, ast.Name) and len(args) == 3 \
            and str_constant(args[1]) in names:
        _forbidden(model, args[2])
    if args and model.vocab.matches(model.config.plugin_getters, func):
        _forbidden(model, args[0])


@hooks.on(ast.Subscript)
def collection_key(model: SemanticModel, node: ast.Subscript) -> None:
    """A plugin collection looked up by the forbidden name (``plugins["default"]``)."""
    if isinstance(node.ctx, ast.Load) and model.vocab.is_collection(node.value):
        _forbidden(model, node.slice)


@hooks.on(ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
def parameter_default(model: SemanticModel,
                      node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
    args = node.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for arg, default in pairs:
        if arg.arg in model.config.tool_name_args:
            _forbidden(model, default)


def _forbidden(model: SemanticModel, value: Optional[ast.AST]) -> None:
    """Report a forbidden literal that a tool-name destination can receive: the value
    itself, an ``or`` fallback or a conditional arm."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, ast.BoolOp) and isinstance(item.op, ast.Or):
            stack.extend(item.values[1:])
        elif isinstance(item, ast.IfExp):
            stack.extend((item.body, item.orelse))
        else:
            text = str_constant(item)
            if item is not None and text is not None \
                    and text.lower() in model.config.forbidden_tool_defaults:
                model.report(GOV006.at(item, value=text))


def _is_tool_name(model: SemanticModel, node: ast.AST) -> bool:
    names = model.config.tool_name_args
    if isinstance(node, (ast.Name, ast.Attribute)):
        return last_id(node) in names
    if isinstance(node, ast.Subscript):
        return str_constant(node.slice) in names
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "get" and len(node.args) == 1:
        return str_constant(node.args[0]) in names
    return False
