"""The package's architecture, read from its imports: layers that only import downwards,
and no import circle anywhere (function-level and ``TYPE_CHECKING`` imports included)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "flake8_execgov"

# The one place the layer order is written: a module may import from its own layer and
# the layers before it, never from a later one.
LAYERS = (
    ("package", ("__init__",)),       # the version, nothing else
    ("source", ("source",)),          # lines, decoding, writing files, statements, noqa regions
    ("config", ("config",)),          # options, name patterns, the prefilter
    ("model", ("model",)),            # the walk and what it learns; knows no rule
    ("project", ("project",)),        # modules across the project, summarised and cached
    ("rules", ("rules",)),            # the rule units and their documentation
    ("engine", ("engine", "baseline", "run")),  # one file, one configuration: its findings
    ("discover", ("discover",)),      # execgov init/map: the host read, its configuration proposed
    ("fix", ("fix",)),                # libcst fixes of what the engine found
    ("faces", ("plugin", "formats")),  # flake8's entry points
    ("gate", ("gate",)),              # execgov check: flake8's application as the gate
    ("settings", ("settings",)),      # flake8's options read for the commands and the server
    ("lsp", ("lsp",)),                # the language server
    ("cli", ("cli",)),                # the command line (it starts the language server)
)
LAYER_OF = {top: index for index, (_, tops) in enumerate(LAYERS) for top in tops}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """The package modules ``path`` imports (``from .x import y`` may name a module y)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if _is_module(f"{target}.{alias.name}")
                          else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {module for module in found if module.split(".")[0] == "flake8_execgov"}


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def layer(module: str) -> int:
    parts = module.split(".")
    return LAYER_OF[parts[1] if len(parts) > 1 else "__init__"]


@functools.cache
def graph() -> dict[str, set[str]]:
    """Each module's imports, read when a test asks (not when every worker collects)."""
    return {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_every_module_has_a_layer() -> None:
    assert [m for m in graph() if m.count(".") and m.split(".")[1] not in LAYER_OF] == []


def test_imports_only_go_down() -> None:
    upward = sorted(f"{module} -> {target}" for module, targets in graph().items()
                    for target in targets if layer(target) > layer(module))
    assert upward == []


def test_no_import_circle() -> None:
    """Tarjan-free: a depth-first search for a back edge, iteratively."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    circles: list[str] = []
    for start in graph():
        if start in state:
            continue
        path = [start]
        stack = [iter(sorted(graph()[start]))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif nxt not in graph() or state.get(nxt) == 2:
                continue
            elif state.get(nxt) == 1:
                circles.append(" -> ".join(path[path.index(nxt):] + [nxt]))
            else:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph()[nxt])))
    assert circles == []


def test_the_check_sees_imports() -> None:
    """The graph is not empty by accident: the plugin imports the rules, and a module
    importing a package's ``__init__`` counts."""
    assert "flake8_execgov.rules" in graph()["flake8_execgov.plugin"]
    assert any(t.startswith("flake8_execgov.model.") for t in graph()["flake8_execgov.rules.states"])


def test_no_module_over_300_lines() -> None:
    long = {module_name(p): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}


def test_contributing_names_every_layer() -> None:
    """CONTRIBUTING's layer table lists every folder and top-level module of the package,
    in the order of :data:`LAYERS`."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text[text.index("| layer | what it holds |"):text.index("## Follow one file")]
    rows = [line.split("|")[1] for line in table.splitlines()[2:] if line.startswith("|")]
    listed = [[name.strip(" `/").removesuffix(".py") for name in row.split(",")]
              for row in rows]
    tops = [list(tops) for _, tops in LAYERS[1:]]
    assert [sorted(row) for row in listed] == [sorted(row) for row in tops]
