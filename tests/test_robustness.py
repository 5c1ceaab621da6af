"""The plugin never crashes flake8: generated programs, real corpora, pathological files."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from conftest import CASE_FILES, Flake8Dir
from flake8_execgov.model.records import Finding
from flake8_execgov.config.options import DEFAULT_CONFIG, Config, build_config
from flake8_execgov.engine import analyse
from flake8_execgov.plugin import ExecGovChecker

# Every option at a "match anything" setting, so the prefilter never skips a walk.
WIDE = build_config({"execgov-plugin-names": "*", "execgov-runner-functions": "*run*",
                     "execgov-runner-classes": "*Runner", "execgov-lifecycle-enums": "*"})


def lint_tree(source: str, config: Config = DEFAULT_CONFIG) -> list[Finding]:
    """All findings, the walk forced (no prefilter)."""
    tree = ast.parse(source)
    return analyse(tree, source.splitlines(keepends=True), config, prefiltered=False)


def _hypothesmith() -> Any:
    """hypothesmith, imported where a program is drawn: it loads libcst as it imports,
    which every xdist worker that only collects this file would pay."""
    import hypothesmith

    return hypothesmith


@pytest.mark.untraced  # generated programs: a search for crashes, untraced (coverage is the other tests')
# deferred: building the grammar takes seconds, paid where the test runs, not by every
# xdist worker that only collects this file
@given(source=st.deferred(lambda: _hypothesmith().from_grammar()))
def test_generated_programs_never_raise(source: str) -> None:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    lint_tree(source)
    lint_tree(source, WIDE)
    assert_prefilter_is_conservative(source)


def assert_prefilter_is_conservative(source: str) -> None:
    """Skipping the walk when the prefilter says so never loses a finding."""
    tree, lines = ast.parse(source), source.splitlines(keepends=True)
    assert analyse(tree, lines, DEFAULT_CONFIG) == \
        analyse(tree, lines, DEFAULT_CONFIG, prefiltered=False)


@pytest.mark.parametrize("case", CASE_FILES,
                         ids=lambda p: p.name)
def test_prefilter_keeps_every_fixture_finding(case: Path) -> None:
    source = case.read_text(encoding="utf-8")
    assert_prefilter_is_conservative(source)
    for line in source.splitlines(keepends=True):  # and line by line, where most skip
        try:
            ast.parse(line)
        except SyntaxError:
            continue
        assert_prefilter_is_conservative(line)


@pytest.mark.untraced  # generated trees: a search for crashes, untraced
# from_node spends about a second generating each example (the test's own work is a few
# milliseconds): 4 in the default run, 66 with --sweep
@settings(max_examples=max(4, settings().max_examples // 6))
@given(source=st.deferred(lambda: _hypothesmith().from_node()))
def test_generated_syntax_trees_never_raise(source: str) -> None:
    lint_tree(source, WIDE)


def _corpus() -> list[Path]:
    roots = {Path(sysconfig.get_paths()["stdlib"]), Path(sysconfig.get_paths()["purelib"])}
    return sorted(p for root in roots for p in root.rglob("*.py"))


@pytest.mark.sweep
def test_stdlib_and_site_packages_never_raise() -> None:
    """Every .py file of this interpreter, with the default and the widest configuration."""
    checked = 0
    for path in _corpus():
        try:
            source = path.read_bytes().decode("utf-8")
            tree = ast.parse(source)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
            continue
        lines = source.splitlines(keepends=True)
        for config in (DEFAULT_CONFIG, WIDE):
            analyse(tree, lines, config)
        checked += 1
    assert checked > 1000


PATHOLOGICAL = {
    "deep-nesting": "".join("    " * i + "if x:\n" for i in range(99)) + "    " * 99 + "plugin.run(1)\n",
    "deep-brackets": "x = " + "[" * 150 + "plugin.run" + "]" * 150 + "\n",
    # Through flake8, pyflakes (run whatever --select says) fails from ~500 levels on;
    # see test_deep_trees_in_process for depths only this plugin is asked to walk.
    "long-chain": "x = plugin.run(1)" + " + 1" * 300 + "\n",
    "huge-literal": "x = '" + "SUCCESS" * 200_000 + "'\nplugin.run(1)\n",
    # past the recursion limit (1,000 frames): a walk that recursed per statement fails
    "many-lines": "def f(plugin):\n" + "    plugin.run(1)\n" * 1_100,
    "form-feed": "\x0cdef f(plugin):\n\x0c    return plugin.run(1)\n",
    "carriage-returns": "def f(plugin):\r    return plugin.run(1)\r",
}


@pytest.mark.untraced  # big inputs, a search for crashes: untraced
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_inputs(flake8_dir: Flake8Dir, name: str) -> None:
    target = flake8_dir.path / "p.py"
    target.write_bytes(PATHOLOGICAL[name].encode())
    result = flake8_dir.run_fresh("--select=GOV,E999", "p.py")
    assert "Traceback" not in result.err and "failed during execution" not in result.out
    assert result.lines, result.err
    assert all(":" in line and ("GOV001" in line or "E999" in line) for line in result.lines)


def test_deep_trees_in_process() -> None:
    """950 levels: CPython still builds the tree (it refuses from ~1000); the walk is
    iterative, so no RecursionError whatever the depth."""
    source = "x = plugin.run(1)" + " + 1" * 950 + "\n"
    found = lint_tree(source, DEFAULT_CONFIG)
    assert [(f.line, f.code) for f in found] == [(1, "GOV001")]
    assert lint_tree(source, WIDE)


def test_non_utf8_coding_cookie(flake8_dir: Flake8Dir) -> None:
    source = "# -*- coding: latin-1 -*-\nname = 'café'\ndef f(plugin):\n    return plugin.run(name)\n"
    (flake8_dir.path / "l.py").write_bytes(source.encode("latin-1"))
    assert flake8_dir.run_fresh("--select=GOV", "l.py").findings == [(4, 12, "GOV001")]


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_deterministic_between_runs_and_jobs(flake8_dir: Flake8Dir) -> None:
    for case in CASE_FILES:
        (flake8_dir.path / case.name).write_text(case.read_text())
    runs = [flake8_dir.run_fresh("--select=GOV", "-j", jobs, ".").out for jobs in ("1", "2", "2")]
    assert runs[0] and runs[0] == runs[1] == runs[2]


def test_plugin_run_returns_tuples() -> None:
    """The flake8 contract: (line, col, message, type) with 0-based columns."""
    tree = ast.parse("plugin.run(1)\n")
    checker = ExecGovChecker(tree, ["plugin.run(1)\n"])
    assert list(checker.run()) == [
        (1, 0, "GOV001 plugin.run() bypasses ToolRunner; execute plugins through ToolRunner.run()",
         ExecGovChecker)]
