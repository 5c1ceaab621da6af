"""The gate's ``# noqa`` lines are flake8's, by construction: differential tests.

For every line of a file, the gate's processor (which tokenizes only a region around the
line) must give the line flake8's processor gives (which tokenizes the whole file):
generated multi-statement sources here, every file of the standard library in the sweep;
and end to end, ``execgov check`` must print what ``flake8 --select=GOV`` prints.
"""

from __future__ import annotations

import argparse
import ast
import sysconfig
import textwrap
from pathlib import Path
from typing import Any

import pytest
from flake8.processor import FileProcessor
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Execgov, Flake8Dir
from flake8_execgov.gate.files import GateProcessor

OPTIONS = argparse.Namespace(hang_closing=False, indent_size=4, max_line_length=79,
                             max_doc_length=None, verbose=0, disable_noqa=False)

# Statements on one line, sharing lines, joined by backslashes, holding multi-line strings.
SIMPLE = [
    "plugin.run({k})",
    "plugin.run({k}); x{k} = 1",
    "plugin.run({k}); s{k} = '''\ntext {k}\n'''",
    "plugin.run({k}); y{k} = 1 + \\\n    2",
    "t{k} = (1,\n     2); plugin.run({k})",
    "u{k} = 1; \\\nplugin.run({k})",
    "v{k} = plugin.run('''\n{k}\n''')",
    "plugin.run({k})  # a comment ending in a backslash \\",
    "w{k} = [\n    plugin.run({k}),\n]",
    "z{k} = f'''\n{{plugin.run({k})}}\n'''",
]
COMPOUND = [
    "if plugin.run({k}): a{k} = '''\n'''",
    "if ready: plugin.run({k}); b{k} = '''\n'''",
    "if (plugin.run({k}) and\n        ready):\n{body}",
    "for item in plugin.run({k}): \\\n    pass",
    "while plugin.run({k}) or \\\n        waiting:\n{body}",
    "try:\n{body}\nexcept (plugin.run({k}),\n        KeyError):\n{body}",
    "@decorate(plugin.run({k}))\ndef f{k}(value=plugin.run({k})):\n{body}",
    "class C{k}:\n{body}",
    "with plugin.run({k}) as c{k}, \\\n        other:\n{body}",
]
NOQA = ["", "  # noqa", "  # noqa: GOV001", "  # noqa: E501"]


@st.composite
def sources(draw: Any, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        k = draw(st.integers(0, 99))
        if depth < 2 and draw(st.booleans()):
            body = textwrap.indent(draw(sources(depth + 1)), "    ")
            part = draw(st.sampled_from(COMPOUND)).format(k=k, body=body.rstrip("\n"))
        else:
            part = draw(st.sampled_from(SIMPLE)).format(k=k)
        noqa = draw(st.sampled_from(NOQA))
        part_lines = part.split("\n")
        at = draw(st.integers(0, len(part_lines) - 1))
        if not part_lines[at].rstrip().endswith(("\\", ":")) and "'''" not in part_lines[at]:
            part_lines[at] += noqa
        parts.append("\n".join(part_lines))
    return "\n".join(parts) + "\n"


def mapping_differences(lines: list[str]) -> list[tuple[int, Any, Any]]:
    """Lines whose noqa line differs between the gate and flake8 (both processors)."""
    flake8 = FileProcessor("x.py", OPTIONS, lines=list(lines))
    gate = GateProcessor("x.py", OPTIONS, lines=list(lines))
    gate.build_ast()
    return [(number, gate.noqa_line_for(number), flake8.noqa_line_for(number))
            for number in range(1, len(lines) + 1)
            if gate.noqa_line_for(number) != flake8.noqa_line_for(number)]


@pytest.mark.untraced  # generated sources: a search for differences, untraced
@given(source=sources())
def test_generated_noqa_lines_equal_flake8s(source: str) -> None:
    try:
        ast.parse(source)
    except SyntaxError:
        return
    assert mapping_differences(source.splitlines(keepends=True)) == []


@pytest.mark.untraced  # generated sources: a search for differences, untraced
@settings(max_examples=max(5, settings().max_examples // 3))  # flake8 runs twice each
@given(source=sources())
def test_generated_files_end_to_end(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                    source: str) -> None:
    try:
        ast.parse(source)
    except SyntaxError:
        return
    flake8_dir.write("g.py", source)
    flake8 = flake8_dir.run("--select=GOV", "g.py")
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check", "g.py")
    assert (gate.exit_code, gate.out.decode()) == (flake8.exit_code, flake8.out)


@pytest.mark.sweep
def test_standard_library_noqa_lines_equal_flake8s() -> None:
    """Every line of every file of the standard library: 0 differences."""
    checked = 0
    for path in sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py")):
        try:
            lines = FileProcessor(str(path), OPTIONS).lines
            ast.parse("".join(lines))
        except (SyntaxError, ValueError, UnicodeError, RecursionError, MemoryError, OSError):
            continue
        assert mapping_differences(lines) == [], path
        checked += 1
    assert checked > 1000


@pytest.mark.sweep
def test_standard_library_gate_equals_flake8(flake8_dir: Flake8Dir,
                                             execgov_cli: Execgov) -> None:
    """``execgov check`` against ``flake8 --select=GOV`` over the standard library, with
    every name a plugin (findings everywhere): the same lines, E999/E902 apart."""
    stdlib = sysconfig.get_paths()["stdlib"]
    # site-packages and the test suites aside: pyflakes (which flake8 runs whatever
    # --select says) dies of RecursionError on some of them, and flake8 with it
    args = ["--isolated", "--execgov-plugin-names=*", "--exit-zero", "-j2",
            "--extend-exclude=site-packages,test,tests,lib2to3,idlelib", stdlib]
    flake8 = flake8_dir.run("--select=GOV", *args)
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check", *args)
    gate_lines = [line for line in gate.out.decode().splitlines()
                  if " E999 " not in line and " E902 " not in line]
    assert len(gate_lines) > 100
    assert gate_lines == flake8.out.splitlines()
