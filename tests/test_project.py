"""Across modules: the fixture project (``tests/project_case``) linted every way a user
lints it, with identical findings; a cache that stays right when modules change between
runs, that several processes build at once, and that is never trusted when broken."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, Execgov, Flake8Dir, calls_of, execgov_text, flake8_text
from test_rules import expected_findings

from flake8_execgov.config.options import DEFAULT_CONFIG, build_config
from flake8_execgov.engine import analyse
from flake8_execgov.fix.plan import ELSEWHERE, verdicts
from flake8_execgov.source.lines import source_lines
from flake8_execgov.project.cache import SUMMARY, SummaryCache
from flake8_execgov.project.seal import Seal
from flake8_execgov.project.facts import reach_of
from flake8_execgov.project.index import Project
from flake8_execgov.project.records import Def
from flake8_execgov.project.root import cache_enabled
from flake8_execgov.project.summary import summarize

CASE = ROOT / "tests" / "project_case"
Finding = tuple[str, int, int, str]


def expected() -> list[Finding]:
    return sorted((path.relative_to(CASE).as_posix(), *finding)
                  for path in CASE.rglob("*.py") for finding in expected_findings(path))


def parsed(out: str) -> list[Finding]:
    """``(file, line, col, code)`` of flake8's default output, paths made relative."""
    found = []
    for line in out.splitlines():
        if ".py:" not in line and not line.startswith("stdin:"):
            continue
        name, lineno, col, rest = line.split(":", 3)
        found.append((name.removeprefix("./"), int(lineno), int(col), rest.split()[0]))
    return sorted(found)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(CASE, target, ignore=shutil.ignore_patterns(".execgov_cache"))
    return target


def flake8_run(where: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """``flake8 --select=GOV ARGS`` as a new process runs it (in this one: conftest)."""
    return flake8_text("--select=GOV", *args, cwd=where, stdin=stdin)


def gate_run(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``execgov check ARGS`` as a new process runs it (in this one: conftest)."""
    return execgov_text("check", *args, cwd=where)


def in_process(flake8_dir: Flake8Dir, where: Path, *args: str) -> list[Finding]:
    flake8_dir.path = where
    result = flake8_dir.run(*args)
    assert result.err == ""
    return parsed(result.out)


def test_the_fixture_states_findings_in_every_kind_of_module() -> None:
    codes = {code for *_, code in expected()}
    assert {"GOV001", "GOV004", "GOV005", "GOV201"} <= codes
    files = {name for name, *_ in expected()}
    # the FastAPI pattern: the alias and the router's dependencies are elsewhere
    assert "app/routes.py" not in files and "app/deps.py" not in files


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_every_way_of_linting_gives_the_same_findings(flake8_dir: Flake8Dir, project: Path,
                                                      execgov_cli: Execgov) -> None:
    want = expected()
    assert in_process(flake8_dir, project, ".") == want  # cold
    assert (project / ".execgov_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert in_process(flake8_dir, project, ".") == want  # warm
    proc = flake8_run(project, "-j2", ".")
    assert (parsed(proc.stdout), proc.stderr) == (want, "")
    gate = gate_run(project, "-j2")
    assert (parsed(gate.stdout), gate.returncode) == (want, 1)
    assert [line for line in gate.stderr.splitlines() if not line.startswith("Found ")] == []
    execgov_cli.path = project
    assert parsed(execgov_cli("check", ".").out.decode()) == want
    cold = gate_run(project, "--no-cache", ".")
    assert parsed(cold.stdout) == want
    for path in sorted(CASE.rglob("*.py")):
        name = path.relative_to(CASE).as_posix()
        alone = [f for f in want if f[0] == name]
        assert in_process(flake8_dir, project, name) == alone, name
        shown = flake8_run(project, "--stdin-display-name", name, "-",
                           stdin=path.read_text(encoding="utf-8"))
        assert (parsed(shown.stdout), shown.stderr) == (alone, ""), name


def test_a_fresh_cache_folder_and_no_cache(flake8_dir: Flake8Dir, project: Path) -> None:
    want = expected()
    assert in_process(flake8_dir, project, "--execgov-cache-dir=elsewhere", ".") == want
    assert any((project / "elsewhere").glob("*.json"))
    assert not (project / ".execgov_cache").exists()
    assert in_process(flake8_dir, project, "--execgov-cache=false", ".") == want
    assert not (project / ".execgov_cache").exists()
    other = project.parent / "other"
    other.mkdir()
    assert in_process(flake8_dir, other, f"--execgov-project-root={project}",
                      str(project / "app" / "worker.py")) == \
        [(str(project / "app" / "worker.py"), 5, 36, "GOV004")]


def test_stdin_without_a_name_is_per_file_and_said_once(project: Path) -> None:
    source = (project / "app" / "routes.py").read_text(encoding="utf-8")
    proc = flake8_run(project, "-", stdin=source)
    assert [f[1:] for f in parsed(proc.stdout)] == [(9, 1, "GOV201"), (14, 1, "GOV201")]
    assert proc.stderr.count("has no place in a project") == 1
    assert proc.returncode == 1


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_an_edit_rename_or_delete_changes_the_findings_of_other_modules(
        flake8_dir: Flake8Dir, project: Path) -> None:
    want = expected()
    assert in_process(flake8_dir, project, ".") == want
    states = project / "app" / "states.py"
    states.write_text('DONE = "RUNNING"\nOK = "RUNNING"\n', encoding="utf-8")
    after_edit = [f for f in want if f[0] not in ("app/worker.py", "app/worker2.py")]
    assert in_process(flake8_dir, project, ".") == after_edit
    states.write_text('DONE = "SUCCESS"\nOK = "RUNNING"\n', encoding="utf-8")
    assert in_process(flake8_dir, project, ".") == want
    (project / "app" / "deps.py").rename(project / "app" / "dependencies.py")
    renamed = in_process(flake8_dir, project, ".")
    # app.deps is gone: its alias and its list no longer authorize b() and a(); the
    # routes of routes.py stay authorized where main.py includes their router
    assert sorted(set(renamed) - set(want)) == [("app/admin.py", 11, 1, "GOV201"),
                                                ("app/admin.py", 16, 1, "GOV201")]
    states.unlink()
    assert ("app/worker.py", 5, 36, "GOV004") not in in_process(flake8_dir, project, ".")


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_helpers_across_modules_are_judged_where_they_are_used(
        project: Path) -> None:
    """Pysa's way: a helper that executes is covered when every use in the project is;
    an uncovered use is the finding, naming the helper and the run it reaches."""
    want = expected()
    found = flake8_run(project, ".")
    assert "./app/tasks.py:7:12: GOV001 relay() (which runs get_plugin(name).run() in " \
        "app.helpers.execute) bypasses ToolRunner; execute plugins through " \
        "ToolRunner.run()" in found.stdout.splitlines()
    assert parsed(found.stdout) == want
    # the module that uses it names no plugin: linted alone, on stdin, by the gate
    assert parsed(flake8_run(project, "app/tasks.py").stdout) == \
        [f for f in want if f[0] == "app/tasks.py"]
    text = (project / "app" / "tasks.py").read_text(encoding="utf-8")
    alone = flake8_run(project, "--stdin-display-name=app/tasks.py", "-", stdin=text)
    assert parsed(alone.stdout.replace("app/tasks.py", "stdin")) == \
        [("stdin", *f[1:]) for f in want if f[0] == "app/tasks.py"]
    assert parsed(gate_run(project, "--select=GOV", ".").stdout) == want
    # the helper stops executing: its uses elsewhere are no executions any more
    helpers = project / "app" / "helpers.py"
    helpers.write_text(helpers.read_text(encoding="utf-8").replace(
        "    return get_plugin(name).run(payload)\n\n\ndef relay", "    return name\n\n\ndef relay"),
        encoding="utf-8")
    edited = parsed(flake8_run(project, ".").stdout)
    assert sorted(set(want) - set(edited)) == [
        ("app/governed.py", 23, 16, "GOV002"), ("app/tasks.py", 7, 12, "GOV001"),
        ("app/tasks.py", 11, 5, "GOV001"), ("app/tasks.py", 15, 17, "GOV001")]
    assert set(edited) <= set(want)
    # a module that used nothing from it now imports the orphan: the orphan is judged there
    (project / "app" / "cron.py").write_text(
        "from app.helpers import orphan\n\n\ndef tick():\n    orphan('ocr', {})\n",
        encoding="utf-8")
    moved = parsed(flake8_run(project, ".").stdout)
    assert sorted(set(moved) - set(edited)) == [("app/cron.py", 5, 5, "GOV001")]
    assert sorted(set(edited) - set(moved)) == [("app/helpers.py", 13, 12, "GOV001")]
    # a use in a file flake8 excludes is judged nowhere, so it governs nothing
    for exclude in ("--extend-exclude=cron.py", "--extend-exclude=./app/cron.py"):
        assert parsed(flake8_run(project, exclude, ".").stdout) == edited


def test_a_cycle_of_helpers_reaches_what_leaves_it(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "pkg" / "a.py").write_text(
        "from pkg.b import pong\n\n\ndef ping(n):\n    return pong(n)\n\n\n"
        "def idle(n):\n    return ping\n", encoding="utf-8")
    (tmp_path / "pkg" / "b.py").write_text(
        "from pkg import a\n\n\ndef pong(n):\n    return a.ping(n)\n\n\n"
        "def go(n):\n    return get_plugin(n).run()\n\n\ndef both(n):\n    return pong(n) or go(n)\n",
        encoding="utf-8")
    reach = reach_of(Project(tmp_path, DEFAULT_CONFIG, None), None)
    assert reach.of(Def("pkg.a", "ping")) is None and reach.of(Def("pkg.b", "pong")) is None
    assert reach.of(Def("pkg.b", "both")) == "get_plugin(n).run() in pkg.b.go"
    assert reach.of(Def("pkg.a", "idle")) is None and reach.of(Def("pkg.a", "missing")) is None
    assert reach.names() == {"go", "both"}


def test_a_corrupt_or_foreign_cache_is_rebuilt(flake8_dir: Flake8Dir, project: Path) -> None:
    want = expected()
    assert in_process(flake8_dir, project, ".") == want
    entries = sorted((project / ".execgov_cache").glob("?" * 32 + ".json"))
    assert entries
    empty = {"imports": [], "classes": {}, "alias": {}, "consts": {}, "annotated": {},
             "lists": {}, "routers": {}, "includes": [], "receivers": []}
    spoilt = [b"{not json", b"", json.dumps({"key": "other", "summary": empty}).encode(),
              json.dumps({"key": entries[0].stem, "summary": {"imports": [[1, 2]]}}).encode(),
              json.dumps([1, 2, 3]).encode()]
    for index, entry in enumerate(entries):
        entry.write_bytes(spoilt[index % len(spoilt)])
    summaries = sorted((project / ".execgov_cache").glob("summaries-by-path-*.json"))
    assert summaries
    for index, document in enumerate(summaries):
        document.write_bytes(spoilt[index % len(spoilt)])
    for document in (project / ".execgov_cache").glob("by-path-*.json"):
        document.unlink()  # no kept findings: every module asks the project again
    assert in_process(flake8_dir, project, ".") == want
    assert all(whole(entry) for entry in entries)  # rebuilt in place, sealed
    assert all(whole_summaries(document) for document in summaries)


def whole_summaries(document: Path) -> bool:
    """Is this a document of summaries this machine wrote, every entry of it?"""
    from flake8_execgov.project.cache import SUMMARY, trusted
    from flake8_execgov.project.seal import load_seal

    seal, _ = load_seal()
    assert seal is not None
    stored = json.loads(document.read_bytes())
    return bool(stored["entries"]) and all(
        trusted(seal, SUMMARY, f"{stored['salt']}\0{path}", entry) is not None
        for path, entry in stored["entries"].items())


def whole(entry: Path) -> bool:
    """Is this cache file an entry this machine wrote, of one of the kinds kept per file?"""
    from flake8_execgov.project.cache import ANSWER, RUNS, SummaryCache
    from flake8_execgov.project.seal import load_seal

    seal, _ = load_seal()
    assert seal is not None
    cache = SummaryCache(entry.parent, seal)
    return any(cache.get(kind, entry.stem) is not None for kind in (RUNS, ANSWER))


CONCURRENT = """
import sys
from flake8.main import cli
sys.exit(cli.main(["--select=GOV", "."]))
"""


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_concurrent_writers_share_one_cache(project: Path) -> None:
    """Several processes build the same cold cache at once (-j workers, an editor and a
    pre-commit hook): every one sees the project's findings, every entry is whole."""
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for out, err in outputs:
        assert (parsed(out), err) == (expected(), "")
    entries = list((project / ".execgov_cache").glob("?" * 32 + ".json"))
    assert entries and all(whole(e) for e in entries)
    [pack] = (project / ".execgov_cache").glob("by-path-*.json")  # merged, whole
    kept = json.loads(pack.read_bytes())["entries"]
    assert {f[0] for f in expected()} <= {Path(p).relative_to(project).as_posix() for p in kept}
    assert not list((project / ".execgov_cache").glob(".tmp-*"))


def test_summaries_and_resolution(tmp_path: Path) -> None:
    tree = ast.parse("from . import x\nfrom ..a.b import c as d\nimport e.f\nimport g.h as i\n"
                     "if T:\n    from j import *\nclass K(x.Base, d):\n    pass\n"
                     "L = 'text'\nM = x.N\nr = APIRouter(dependencies=AUTH)\n"
                     "def create():\n    app.include_router(r, dependencies=[Depends(f())])\n")
    summary = summarize(tree)
    assert summary["imports"] == [["x", "", "x", 1], ["d", "a.b", "c", 2],
                                  ["e", "e", "", 0], ["i", "g.h", "", 0]]
    assert summary["classes"] == {"K": ["x.Base", "d"]}
    assert (summary["consts"], summary["alias"]) == ({"L": "text"}, {"M": "x.N"})
    assert summary["routers"] == {"r": ["@AUTH"]}
    assert summary["includes"] == [["app", "r", ["f"]]]
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "__init__.py").write_text("from .q import Loop\n")
    (tmp_path / "p" / "q.py").write_text("from . import Loop\n")
    index = Project(tmp_path, DEFAULT_CONFIG, None)
    assert index.resolve("p", "Loop") in {("p", "Loop"), ("p.q", "Loop")}  # a cycle ends
    assert index.module_of(tmp_path / "p" / "q.py") == "p.q"
    assert index.module_of(tmp_path.parent / "x.py") is None


def test_the_cache_never_fails_a_run(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("")
    cache = SummaryCache(blocked / "cache", Seal(b"k" * 32))  # no folder under a file
    cache.put(SUMMARY, "k", summarize(ast.parse("")))
    assert cache.get(SUMMARY, "k") is None and not cache.writable
    assert cache_enabled(build_config({"cache": "off"})) is False
    assert cache_enabled(build_config({"cache": "Yes"})) is True
    with pytest.raises(ValueError, match="execgov-cache"):
        build_config({"cache": "maybe"})


def test_a_root_that_is_no_project_is_walked_only_so_far(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov.project import files as files_module

    for name in "abcde":
        (tmp_path / name).mkdir()
        (tmp_path / name / "m.py").write_text("x = 1\n")
    monkeypatch.setattr(files_module, "MAX_FILES", 2)
    assert len(Project(tmp_path, DEFAULT_CONFIG, None).files()) == 2


def test_a_state_constant_of_another_module_has_no_fix_here(project: Path) -> None:
    """``DONE`` and ``states.DONE`` are reported where they reach the metrics call, and
    never rewritten there: the literal lives in app/states.py, which others read too."""
    index = Project(project, DEFAULT_CONFIG, None)
    for name, lines in (("worker.py", [5]), ("worker2.py", [6, 14])):
        path = project / "app" / name
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        found = analyse(tree, source_lines(text), DEFAULT_CONFIG, filename=str(path),
                        project=index)
        assert [(f.line, f.code) for f in found] == [(line, "GOV004") for line in lines]
        assert {v.why for v in verdicts(tree, source_lines(text), found, DEFAULT_CONFIG)} \
            == {ELSEWHERE}


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_a_long_chain_of_helpers_across_modules_is_followed_without_recursion(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """300 modules, each helper calling the one before: the top use names the run at the
    bottom; nothing recurses (the default recursion limit is 1,000 frames), and the chain
    settles in one round per module, each a lookup in the identifier index: the project's
    texts are searched a fixed number of times, not once a round (on a whole Python
    installation, hundreds of rounds over twenty thousand files were most of a run)."""
    searches = calls_of(monkeypatch, Project, "texts")
    package = tmp_path / "chain"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "m0.py").write_text("def f0(name):\n    return get_plugin(name).run()\n",
                                   encoding="utf-8")
    for i in range(1, 300):
        (package / f"m{i}.py").write_text(
            f"from chain.m{i - 1} import f{i - 1}\n\n\ndef f{i}(name):\n"
            f"    return f{i - 1}(name)\n", encoding="utf-8")
    (tmp_path / "main.py").write_text("from chain.m299 import f299\n\nf299('ocr')\n",
                                      encoding="utf-8")
    found = flake8_run(tmp_path, "--isolated", "-j1", ".")
    assert found.stdout.splitlines() == [
        "./main.py:3:1: GOV001 f299() (which runs get_plugin(name).run() in chain.m0.f0) "
        "bypasses ToolRunner; execute plugins through ToolRunner.run()"], found.stderr
    assert 0 < len(searches) < 20  # 300 rounds: with a search each, over 300
