"""Findings kept on disk (``flake8_execgov.run``): a warm run reads them instead of
parsing and walking, and gives exactly what a cold run gives, also when another module,
the baseline or the settings changed what a module's findings are."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Execgov, execgov, execgov_text, flake8_text
from test_project import expected, parsed

from flake8_execgov.gate.files import GateProcessor

CASE = ROOT / "tests" / "project_case"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(CASE, target, ignore=shutil.ignore_patterns(".execgov_cache"))
    return target


def gate(where: Path, *args: str) -> tuple[list[tuple[str, int, int, str]], str]:
    """``execgov check ARGS`` as a new process runs it (a run of its own: what an earlier
    one kept is read from disk; conftest.run_in_process)."""
    proc = execgov_text("check", *args, cwd=where)
    return parsed(proc.stdout), "\n".join(line for line in proc.stderr.splitlines()
                                          if not line.startswith("Found "))


def flake8(where: Path, *args: str) -> tuple[list[tuple[str, int, int, str]], str]:
    proc = flake8_text("--select=GOV", *args, cwd=where)
    return parsed(proc.stdout), proc.stderr


def packs(project: Path) -> list[dict[str, object]]:
    return [json.loads(path.read_bytes())
            for path in sorted((project / ".execgov_cache").glob("by-path-*.json"))]


def test_a_warm_run_reads_what_a_cold_run_found(project: Path) -> None:
    want = expected()
    assert gate(project, ".") == (want, "")  # cold: walked, kept
    [pack] = packs(project)
    assert isinstance(pack["entries"], dict)
    kept = {Path(p).relative_to(project).as_posix() for p in pack["entries"]}
    assert {f[0] for f in want} | {"app/helpers.py", "app/service.py"} <= kept
    assert not kept & {"app/states.py", "app/deps.py"}  # the prefilter rules them out
    assert gate(project, ".") == (want, "")  # warm: read
    assert flake8(project, ".") == (want, "")  # flake8 reads the same entries
    assert gate(project, "-j2", ".") == (want, "")
    assert gate(project, "--no-cache", ".") == (want, "")


def parses_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the gate parses in this process from now on (with ``-j1``)."""
    parses: list[str] = []
    original = GateProcessor.build_ast

    def counted(self: GateProcessor) -> object:
        parses.append(self.filename)
        return original(self)

    monkeypatch.setattr(GateProcessor, "build_ast", counted)
    return parses


def test_a_warm_gate_parses_nothing_it_kept(project: Path, execgov_cli: Execgov,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert gate(project, ".") == (expected(), "")  # another run kept the findings
    parses = parses_counted(monkeypatch)
    execgov_cli.path = project
    result = execgov_cli("check", "-j1", ".")  # in this process: its parses are counted
    assert parsed(result.out.decode()) == expected()
    assert parses == []
    (project / "app" / "jobs.py").write_text(
        (project / "app" / "jobs.py").read_text(encoding="utf-8") + "\n# edited\n",
        encoding="utf-8")
    assert parsed(execgov_cli("check", "-j1", ".").out.decode()) == expected()
    assert parses == ["./app/jobs.py"]


def test_a_cold_gate_walks_each_module_once(project: Path, execgov_cli: Execgov,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The fix plans behind "N fixable" come from the walk that found the findings: a
    fixable module is not walked a second time to plan them (cold, and --no-cache)."""
    from flake8_execgov import engine

    walked: list[object] = []
    original = engine.analyze

    def counted(tree: object, *args: object, **kwargs: object) -> object:
        walked.append(tree)
        return original(tree, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "analyze", counted)
    execgov_cli.path = project
    for extra in ([], ["--no-cache"]):
        walked.clear()
        result = execgov_cli("check", "-j1", *extra, ".")
        assert parsed(result.out.decode()) == expected()
        assert "1 fixable" in result.err
        assert walked and len(set(walked)) == len(walked)  # a tree hashes by identity


def test_other_code_of_the_plugin_reads_nothing_kept(
        project: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same version number, other rules (a commit between two releases): the cache's
    key holds a hash of the plugin's source, so nothing written by other code is read."""
    from flake8_execgov.project import cache

    assert gate(project, ".") == (expected(), "")
    parses = parses_counted(monkeypatch)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "other code")
    execgov_cli.path = project
    assert parsed(execgov_cli("check", "-j1", ".").out.decode()) == expected()
    [pack] = [p for p in packs(project)  # what the other code kept: every module the
              if "other code" in str(p["salt"])]  # prefilter passes
    assert isinstance(pack["entries"], dict)
    assert sorted(parses) == sorted(
        f"./{Path(p).relative_to(project).as_posix()}" for p in pack["entries"])


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_an_edit_elsewhere_is_a_miss(project: Path) -> None:
    """worker.py's text is unchanged; what its import is (a state constant of states.py)
    changed: its kept findings are not trusted."""
    want = expected()
    assert gate(project, ".") == (want, "")
    states = project / "app" / "states.py"
    states.write_text('DONE = "RUNNING"\nOK = "RUNNING"\n', encoding="utf-8")
    after = [f for f in want if f[0] not in ("app/worker.py", "app/worker2.py")]
    assert gate(project, ".") == (after, "")
    assert flake8(project, ".") == (after, "")
    states.write_text('DONE = "SUCCESS"\nOK = "RUNNING"\n', encoding="utf-8")
    assert gate(project, ".") == (want, "")


def test_a_helper_no_module_imports_any_more_is_found_again(project: Path) -> None:
    """helpers.py's text and imports are unchanged; whether another module imports its
    ``execute`` is the answer the walk asked for, kept with its findings, and it changed."""
    want = expected()
    assert gate(project, ".") == (want, "")
    for name in ("service.py", "governed.py", "tasks.py", "worker2.py"):
        text = (project / "app" / name).read_text(encoding="utf-8")
        (project / "app" / name).write_text(
            text.replace("execute", "other_name").replace("relay", "other_relay"),
            encoding="utf-8")
    after = gate(project, "--no-cache", "app/helpers.py")
    assert after == ([("app/helpers.py", 5, 12, "GOV001"), ("app/helpers.py", 13, 12, "GOV001")],
                     "")
    assert gate(project, "app/helpers.py") == after


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_a_changed_baseline_or_configuration_is_a_miss(project: Path) -> None:
    want = expected()
    assert gate(project, ".") == (want, "")
    assert execgov("baseline", "--file", "base.json", ".", cwd=project).returncode == 0
    assert gate(project, "--execgov-baseline=base.json", ".") == ([], "")
    document = json.loads((project / "base.json").read_text(encoding="utf-8"))
    dropped = [e for e in document["findings"] if e["path"] == "app/worker.py"]
    assert dropped
    document["findings"] = [e for e in document["findings"] if e["path"] != "app/worker.py"]
    (project / "base.json").write_text(json.dumps(document), encoding="utf-8")
    assert gate(project, "--execgov-baseline=base.json", ".") == (
        [f for f in want if f[0] == "app/worker.py"], "")
    other = gate(project, "--no-cache", "--execgov-extend-lifecycle-states=SUCCESS", ".")
    assert other[0] != want and not [f for f in other[0] if f[3] == "GOV004"]
    assert gate(project, "--execgov-extend-lifecycle-states=SUCCESS", ".") == other
    assert gate(project, ".") == (want, "")
    # one document per configuration: the baseline's path is no setting (its records for
    # each module are part of that module's key)
    assert len(packs(project)) == 2


def test_noqa_of_a_kept_finding_spanning_lines(tmp_path: Path) -> None:
    """flake8 finds a finding's ``# noqa`` on the last line of its token run: the region
    to tokenize is kept with the finding, so a warm gate (no tree) answers as flake8."""
    (tmp_path / "setup.cfg").write_text("[flake8]\n", encoding="utf-8")
    (tmp_path / "m.py").write_text(
        'def f(plugin):\n    plugin.run("""\n    x""")  # noqa: GOV001\n\n\n'
        'def g(plugin):\n    plugin.run(1)\n', encoding="utf-8")
    want = [("m.py", 7, 5, "GOV001")]
    assert gate(tmp_path, "m.py") == (want, "")  # cold
    assert gate(tmp_path, "m.py") == (want, "")  # warm: no tree, the kept region
    assert flake8(tmp_path, "m.py") == (want, "")


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_a_broken_or_foreign_pack_is_never_trusted(project: Path) -> None:
    want = expected()
    assert gate(project, ".") == (want, "")
    [path] = sorted((project / ".execgov_cache").glob("by-path-*.json"))
    document = json.loads(path.read_bytes())
    entries = document["entries"]
    lied = {p: [mac, json.dumps({**json.loads(text),
                                 "found": [[1, 0, "GOV001", "GOV001 made up", 0, 0]]})]
            for p, (mac, text) in entries.items()}
    for spoilt in (b"{not json", b"[]", json.dumps({"salt": "other", "entries": lied}).encode(),
                   json.dumps({**document, "entries": lied}).encode(),
                   json.dumps({**document, "entries": {p: {"key": 1} for p in entries}}).encode()):
        path.write_bytes(spoilt)
        assert gate(project, ".") == (want, "")


def test_one_document_merges_what_each_process_learnt(tmp_path: Path) -> None:
    from flake8_execgov.project.cache import SummaryCache
    from flake8_execgov.project.seal import load_seal

    seal, _ = load_seal()
    assert seal is not None

    def pack(salt: str = "settings"):  # type: ignore[no-untyped-def]
        return SummaryCache(tmp_path / "cache", seal).pack(salt)

    def entry(version: str) -> dict[str, object]:
        return {"key": version, "state": "", "imports": [], "receivers": [], "facts": "",
                "asked": {}, "found": []}

    def put(into, path: str, version: str) -> None:  # type: ignore[no-untyped-def]
        into.put(path, entry(version))

    x, y = str(tmp_path / "x.py"), str(tmp_path / "y.py")
    for name in (x, y):
        Path(name).write_text("", encoding="utf-8")
    first, second = pack(), pack()  # two processes, each with its own view
    put(first, x, "1")
    put(second, y, "2")
    assert first.get(x) == entry("1") and pack().get(x) is None  # written when it ends
    first.flush()
    second.flush()
    assert (pack().get(x), pack().get(y)) == (entry("1"), entry("2"))
    assert first.get(x) == entry("1")  # still known to the process that wrote it
    assert pack("other settings").get(y) is None
    Path(x).unlink()
    third = pack()
    put(third, y, "3")
    third.flush()
    assert (pack().get(x), pack().get(y)) == (None, entry("3"))  # a deleted module's is dropped
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".tmp")] == []


EDITS = [  # (file, old text, new text): each a change in one module that moves findings
    ("app/main.py", "app.include_router(router, dependencies=[Depends(require_auth)])",
     "app.include_router(router)"),  # routes.py's routes lose their auth
    ("app/states.py", 'DONE = "SUCCESS"', 'DONE = "RUNNING"'),  # worker.py is clean
    ("app/service.py", "return execute(name, payload)", "return name"),  # through() is safe
    ("app/tasks.py", "from app.helpers import relay", "relay = print"),  # relay: no importer
    ("app/helpers.py", "return get_plugin(name).run(payload)\n\n\ndef relay",
     "return payload\n\n\ndef relay"),  # execute no longer runs anything
    ("app/main.py", "app.include_router(router)",
     "app.include_router(router, dependencies=[Depends(require_auth)])"),
    ("app/states.py", 'DONE = "RUNNING"', 'DONE = "ERROR"'),
]


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_after_every_edit_a_warm_run_equals_a_run_without_cache(project: Path) -> None:
    """A differential test over a sequence of edits, each in one module, each changing the
    findings of others: the kept findings never outlive what they depend on."""
    seen = [gate(project, ".")]
    for name, old, new in EDITS:
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
        warm = gate(project, ".")
        assert warm == gate(project, "--no-cache", "."), (name, new)
        seen.append(warm)
    assert len({tuple(found) for found, _ in seen}) == len(seen)  # every edit moved something
    (project / "app" / "helpers.py").unlink()  # a deleted module
    assert gate(project, ".") == gate(project, "--no-cache", ".")


def test_a_cache_that_cannot_be_written_costs_speed_only(tmp_path: Path) -> None:
    """A read-only checkout (here: the cache folder would have to be made under a file):
    the run reports what it always reports, says nothing more, and leaves nothing."""
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-cache-dir = blocked/cache\n",
                                        encoding="utf-8")
    (tmp_path / "blocked").write_text("", encoding="utf-8")
    (tmp_path / "m.py").write_text("def g(plugin):\n    plugin.run(1)\n", encoding="utf-8")
    want = ([("m.py", 2, 5, "GOV001")], "")
    assert gate(tmp_path, "m.py") == want
    assert gate(tmp_path, "-j2", "m.py") == want
    assert flake8(tmp_path, "m.py") == want
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocked", "m.py", "setup.cfg"]


def test_a_linted_module_is_not_parsed_again_for_its_summary(
        project: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module another file names is summarised while it is linted, from the tree being
    walked: an importer linted after it asks for its summary without a second parse."""
    import traceback

    from flake8_execgov.project.index import Project

    linted = parses_counted(monkeypatch)
    reparsed: list[tuple[str, int]] = []  # (module, how many files were linted before)
    original = Project.summary_parsed

    def spied(self: Project, module: str, data: bytes) -> object:
        # asked through summary(): for the summary alone (the reach's walk of a module
        # asks summary_parsed itself, for a tree it walks)
        summary, tree = original(self, module, data)
        if tree is not None and "summary" in [f.name for f in traceback.extract_stack(limit=3)]:
            reparsed.append((module, len(linted)))
        return summary, tree

    monkeypatch.setattr(Project, "summary_parsed", spied)
    execgov_cli.path = project
    # the imported module first, then its importer (flake8 keeps the order given)
    result = execgov_cli("check", "-j1", "app/helpers.py", "app/service.py")
    assert parsed(result.out.decode()) == [f for f in expected()
                                           if f[0] in ("app/helpers.py", "app/service.py")]
    assert linted == ["app/helpers.py", "app/service.py"]
    # modules nobody lints here are parsed for the project's questions; a linted one is not
    assert [name for name, before in reparsed  # without it: ["app.helpers"]
            if name in ("app.helpers", "app.service")[:before]] == []


def test_a_path_through_a_linked_folder_is_the_file_the_system_opens(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    """``sub/../x.py`` with ``sub`` a link: the system opens the ``x.py`` beside the link's
    target, not the project's ``x.py`` that ``abspath`` names. The gate lints what flake8
    lints (the project's bytes of its own ``x.py`` are not that file), cold, warm, without
    the cache."""
    root, elsewhere = tmp_path / "root", tmp_path / "elsewhere"
    (elsewhere / "d").mkdir(parents=True)
    root.mkdir()
    (root / "setup.cfg").write_text("[flake8]\n", encoding="utf-8")
    defaulted = 'def run(tool_name="Default"):\n    return tool_name\n'
    (root / "a.py").write_text(defaulted, encoding="utf-8")
    (root / "x.py").write_text("def ok():\n    return 1\n", encoding="utf-8")
    (elsewhere / "x.py").write_text(defaulted, encoding="utf-8")
    (root / "sub").symlink_to(elsewhere / "d")
    execgov_cli.path = root
    for extra in ([], [], ["--no-cache"]):
        out = execgov_cli("check", "-j1", *extra, "a.py", "sub/../x.py").out.decode()
        assert [line.split(" ")[:2] for line in out.splitlines()] == [
            ["a.py:1:19:", "GOV006"], ["sub/../x.py:1:19:", "GOV006"]], extra


def test_a_module_naming_a_reaching_function_as_a_word_is_parsed_as_a_part_not(
        project: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module the rules' words rule out is parsed when it may call a function of the
    project that executes a plugin: when it names one as a whole word, not when the name
    is only part of a longer one (``executed``), which cannot call it."""
    (project / "app" / "near.py").write_text(
        "from app import helpers\n\nexecuted = helpers\n", encoding="utf-8")
    (project / "app" / "calls.py").write_text(
        "from app.helpers import execute\n\nexecuted = execute\n", encoding="utf-8")
    parses = parses_counted(monkeypatch)
    execgov_cli.path = project
    execgov_cli("check", "-j1", "--no-cache", "app/near.py", "app/calls.py")
    assert parses == ["app/calls.py"]
