"""The gate's per-file work is done once per file: what ``Run.kept`` computed before the
parse (the module's place, its text, its key) is what the walk that follows uses."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT, Execgov
from test_project import expected, parsed

from flake8_execgov.project.files import _IDENTIFIER, identifiers
from flake8_execgov.run import Run


def test_a_cold_gate_places_and_keys_each_file_once(
        tmp_path: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "proj"
    shutil.copytree(ROOT / "tests" / "project_case", project,
                    ignore=shutil.ignore_patterns(".execgov_cache"))
    placed: Counter[str] = Counter()
    keyed: Counter[str] = Counter()
    place, key = Run._place, Run._key

    def counted_place(self: Run, filename: str) -> object:
        placed[filename] += 1
        return place(self, filename)

    def counted_key(self: Run, where: object, text: str) -> object:
        keyed[where.path] += 1  # type: ignore[attr-defined]
        return key(self, where, text)  # type: ignore[arg-type]

    monkeypatch.setattr(Run, "_place", counted_place)
    monkeypatch.setattr(Run, "_key", counted_key)
    execgov_cli.path = project
    result = execgov_cli("check", "-j1", ".")  # cold: every module walked
    assert parsed(result.out.decode()) == expected()
    assert placed and set(placed.values()) == {1}
    assert keyed and set(keyed.values()) == {1}


@pytest.mark.parametrize("text", [b"x = 0x1f + 1e5 + 12 + 3j", b"a1 = 2b_c + 007 + 9\xc3\xa9t\xc3\xa9",
                                  b"123 456", b"", b"_ __init__ 0_0 1_x"])
def test_identifiers_holds_every_name_the_pattern_finds(text: bytes) -> None:
    """A number alone holds no name (it is not searched for one); one with letters
    after its digits still gives them (``0x1f``: ``x1f``)."""
    assert set(_IDENTIFIER.findall(text)) <= identifiers(text)
    assert {word for word in identifiers(text) if not word.isdigit()} == \
        {word for word in identifiers(text) if word[:1].isdigit() and not word.isdigit()} \
        | set(_IDENTIFIER.findall(text))


def test_a_linted_module_no_file_names_is_not_looked_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the identifier index is built, a linted module that no file names is not
    summarised, and its path and bytes are not asked for that: one lookup in the index.
    A module another file names is summarised from the linted parse, as before."""
    import ast

    from flake8_execgov.config.options import DEFAULT_CONFIG
    from flake8_execgov.project import facts
    from flake8_execgov.project.index import Project

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "alone.py").write_text("def f():\n    return 1\n")
    (tmp_path / "pkg" / "used.py").write_text("def g():\n    return 2\n")
    (tmp_path / "pkg" / "user.py").write_text("from pkg import used\n")
    project = Project(tmp_path, DEFAULT_CONFIG, None)
    project.naming(b"anything")  # the index built (as a run asking about names does)
    asked: list[str] = []
    path_of = Project.path_of

    def counted(self: Project, module: str) -> object:
        asked.append(module)
        return path_of(self, module)

    monkeypatch.setattr(Project, "path_of", counted)
    for module in ("pkg.alone", "pkg.used"):
        text = (tmp_path / "pkg" / f"{module[4:]}.py").read_text()
        with project.linting(module, ast.parse(text), text):
            facts._summarise_linted(project, module, text)
    assert "pkg.alone" not in asked and not project.summarised("pkg.alone")
    assert "pkg.used" in asked and project.summarised("pkg.used")
