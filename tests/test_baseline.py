"""Baseline and ratchet, end to end through flake8 and ``execgov check``: old findings
pass, new ones fail, whatever edits move the old ones around; stale entries are listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, Execgov, Flake8Dir

SERVER = (ROOT / "examples" / "plugin_server.py").read_text(encoding="utf-8")
JOBS = '''\
def run_job(plugin, job):
    plugin.run(job)
    update_execution_metrics(job.name, "DONE")


def cancel(job):
    return job.cancel()
'''
CONFIG = "[flake8]\nexecgov-baseline = ./.execgov-baseline.json\n"


@pytest.fixture
def project(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> tuple[Flake8Dir, Execgov]:
    flake8_dir.write("setup.cfg", CONFIG)
    flake8_dir.write("app/server.py", SERVER)
    flake8_dir.write("app/jobs.py", JOBS)
    execgov_cli.path = flake8_dir.path
    recorded = execgov_cli("baseline")
    assert (recorded.exit_code, recorded.out.decode()) == (
        0, f"{flake8_dir.path}/.execgov-baseline.json: 14 entries, 14 findings\n")
    return flake8_dir, execgov_cli


def findings(project: tuple[Flake8Dir, Execgov]) -> list[tuple[str, int, int, str]]:
    """flake8's findings, after checking that ``execgov check`` reports the same."""
    flake8_dir, execgov_cli = project
    linted = flake8_dir.run("--select=GOV", "-j1", ".")
    gate = execgov_cli("check", "-j1")
    assert (gate.exit_code, gate.out.decode()) == (linted.exit_code, linted.out)
    return [(line.split(":")[0], *map(int, line.split(":")[1:3]), line.split()[1])
            for line in linted.lines]  # type: ignore[misc]


def test_baselined_tree_is_clean(project: tuple[Flake8Dir, Execgov]) -> None:
    assert findings(project) == []
    parallel = project[0].run_fresh("--select=GOV", "-j", "2", ".")  # workers apply it too
    assert (parallel.exit_code, parallel.out, parallel.err) == (0, "", "")
    data = json.loads((project[0].path / ".execgov-baseline.json").read_text())
    assert [(e["path"], e["code"], e["scope"], e["source"], e["count"])
            for e in data["findings"]][:3] == [
        ("app/jobs.py", "GOV001", "run_job", "plugin.run", 1),
        ("app/jobs.py", "GOV004", "run_job", "'DONE'", 1),
        ("app/server.py", "GOV001", "AnalysisService.analyze", "ocr.run", 1)]


def test_edits_do_not_bring_old_findings_back(project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, _ = project
    # lines added above, a function moved below another, the code reformatted
    moved = JOBS.split("\n\n\n")
    flake8_dir.write("app/jobs.py", "import os\n\nLIMIT = 3\n\n\n" + moved[1] + "\n\n\n"
                     + moved[0].replace("plugin.run(job)", "plugin . run(\n        job,\n    )")
                     + "\n")
    flake8_dir.write("app/server.py", "# a header\n# more\n\n" + SERVER.replace("    ", "  "))
    assert findings(project) == []


def test_a_new_violation_in_a_baselined_scope_is_reported(
        project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, _ = project
    flake8_dir.write("app/jobs.py", JOBS.replace(
        "    plugin.run(job)\n", "    plugin.run(job)\n    plugin.run(job)\n"))
    assert findings(project) == [("./app/jobs.py", 3, 5, "GOV001")]


def test_fixed_findings_are_stale_until_updated(project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, execgov_cli = project
    flake8_dir.write("app/jobs.py", JOBS.replace('"DONE"', '"FAILED"'))
    check = execgov_cli("baseline", "--check")
    assert (check.exit_code, check.out.decode()) == (
        1, "stale: app/jobs.py: GOV004 in run_job: 'DONE' (recorded 1, found 0)\n")
    flake8_dir.write("app/other.py", "def f(plugin):\n    return plugin.run(1)\n")
    update = execgov_cli("baseline", "--update")
    assert (update.exit_code, update.out.decode()) == (
        0, "removed: app/jobs.py: GOV004 in run_job: 'DONE' (recorded 1, found 0)\n")
    assert execgov_cli("baseline", "--check").exit_code == 0
    entries = json.loads((flake8_dir.path / ".execgov-baseline.json").read_text())["findings"]
    assert len(entries) == 13 and not any(e["path"] == "app/other.py" for e in entries)  # never adds
    assert findings(project) == [("./app/other.py", 2, 12, "GOV001")]


@pytest.mark.parametrize("content, reason", [
    (None, "no such file (write one with 'execgov baseline')"),
    ("{not json", "not JSON (line 1: Expecting property name enclosed in double quotes)"),
    ('{"format": "other", "findings": []}',
     'not a flake8-execgov baseline (expected {"format": "flake8-execgov baseline 1", '
     '"findings": [...]})'),
    ('{"format": "flake8-execgov baseline 1", "findings": [{"path": "a.py", "code": "GOV001",'
     ' "scope": "", "source": "p.run", "count": 0}]}',
     'not a flake8-execgov baseline (expected {"format": "flake8-execgov baseline 1", '
     '"findings": [...]})'),
    ("", "not JSON (line 1: Expecting value)"),
])
def test_missing_or_corrupt_baseline_is_one_line(project: tuple[Flake8Dir, Execgov],
                                                 content: str | None, reason: str) -> None:
    flake8_dir, execgov_cli = project
    baseline = flake8_dir.path / ".execgov-baseline.json"
    if content is None:
        baseline.unlink()
    else:
        baseline.write_text(content)
    linted = flake8_dir.run("--select=GOV", ".")
    message = f"setup.cfg: execgov-baseline: {baseline}: {reason}\n"
    assert (linted.exit_code, linted.out, linted.err) == (2, "", f"flake8: error: {message}")
    gate = execgov_cli("check")
    assert (gate.exit_code, gate.out, gate.err) == (2, b"", f"execgov check: error: {message}")


def test_fingerprints_of_routes_long_expressions_and_outside_paths(tmp_path: Path) -> None:
    import ast

    from flake8_execgov.baseline.fingerprint import normalised_source, relative_path, scope_of

    tree = ast.parse("class A:\n    if x:\n        def f(self):\n            return g(1)\n")
    func = tree.body[0].body[0].body[0]  # type: ignore[attr-defined]
    call = func.body[0].value
    assert (scope_of(tree, call), normalised_source(call)) == ("A.f", "g(1)")
    assert (scope_of(tree, func), normalised_source(func)) == ("A", "def f")
    long = ast.parse("f(" + ", ".join(["value"] * 40) + ")").body[0].value  # type: ignore
    text = normalised_source(long)
    assert text.startswith("f(value, value") and " sha256:" in text and len(text) < 110
    assert relative_path(str(tmp_path / "a" / "b.py"), tmp_path) == "a/b.py"
    assert relative_path(str(tmp_path / "b.py"), tmp_path / "sub") == "../b.py"


def test_unreadable_baseline(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", CONFIG)
    (flake8_dir.path / ".execgov-baseline.json").mkdir()
    result = flake8_dir.run("--select=GOV", ".")
    assert result.exit_code == 2 and result.err.startswith(
        f"flake8: error: setup.cfg: execgov-baseline: {flake8_dir.path}/.execgov-baseline.json: "
        "cannot read it (")
    assert result.err.count("\n") == 1


# -- a run covers its paths only; deleted files are stale; which instance is new ------------


def test_a_baseline_of_some_paths_keeps_the_entries_of_the_others(
        project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, execgov_cli = project
    flake8_dir.write("app/jobs.py", JOBS.replace('"DONE"', '"FAILED"'))  # one entry less
    again = execgov_cli("baseline", "app/jobs.py")
    assert (again.exit_code, again.out.decode(), again.err) == (
        0, f"{flake8_dir.path}/.execgov-baseline.json: 13 entries, 13 findings "
           "(1 from app/jobs.py, 12 kept from other paths)\n", "")
    assert findings(project) == []
    data = json.loads((flake8_dir.path / ".execgov-baseline.json").read_text())
    assert sum(e["path"] == "app/server.py" for e in data["findings"]) == 12


def test_a_baseline_made_in_a_subfolder_covers_that_folder(
        project: tuple[Flake8Dir, Execgov]) -> None:
    """``cd app && execgov baseline``: the configured baseline (found through the config
    file above), with the entries under ``app`` re-recorded and the others kept."""
    flake8_dir, execgov_cli = project
    flake8_dir.write("lib/util.py", "def f(plugin):\n    return plugin.run(1)\n")
    execgov_cli("baseline")
    flake8_dir.write("app/jobs.py", JOBS + "\n\ndef more(plugin):\n    plugin.run(2)\n")
    execgov_cli.path = flake8_dir.path / "app"
    inside = execgov_cli("baseline")
    assert (inside.exit_code, inside.out.decode()) == (
        0, f"{flake8_dir.path}/.execgov-baseline.json: 16 entries, 16 findings "
           "(15 from app, 1 kept from other paths)\n")
    assert not (flake8_dir.path / "app" / ".execgov-baseline.json").exists()
    execgov_cli.path = flake8_dir.path
    assert findings(project) == []


def test_entries_of_a_deleted_file_are_stale(project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, execgov_cli = project
    (flake8_dir.path / "app" / "jobs.py").unlink()
    check = execgov_cli("baseline", "--check")
    assert (check.exit_code, check.out.decode()) == (1, (
        "stale: app/jobs.py: GOV001 in run_job: plugin.run (recorded 1, found 0: no such file)\n"
        "stale: app/jobs.py: GOV004 in run_job: 'DONE' (recorded 1, found 0: no such file)\n"))
    assert execgov_cli("baseline", "--check", "app/server.py").exit_code == 0  # not its path
    update = execgov_cli("baseline", "--update")
    assert (update.exit_code, update.out.decode().count("removed: app/jobs.py")) == (0, 2)
    assert execgov_cli("baseline", "--check").exit_code == 0
    flake8_dir.write("app/jobs.py", JOBS)  # back under the same name: not silenced
    assert [code for *_, code in findings(project)] == ["GOV001", "GOV004"]


def test_entries_of_an_excluded_file_are_stale(project: tuple[Flake8Dir, Execgov]) -> None:
    flake8_dir, execgov_cli = project
    flake8_dir.write("setup.cfg", CONFIG + "extend-exclude = app/jobs.py\n")
    check = execgov_cli("baseline", "--check")
    assert check.exit_code == 1 and check.out.decode().splitlines()[0] == (
        "stale: app/jobs.py: GOV001 in run_job: plugin.run (recorded 1, found 0: the file is "
        "not checked (excluded, or not a Python file))")


def test_a_missing_path_is_a_usage_error(project: tuple[Flake8Dir, Execgov]) -> None:
    _, execgov_cli = project
    missing = execgov_cli("baseline", "app/nope.py")
    assert (missing.exit_code, missing.err) == (
        2, "execgov: error: no such file or directory: app/nope.py\n")


TWICE = '''\
def twice(plugin, job):
    plugin.run(job.first)
    log(job)
    plugin.run(job.second)
    return job
'''


@pytest.mark.parametrize("edited, line", [
    (TWICE.replace("    plugin.run(job.first)\n",
                   "    plugin.run(job.zero)\n    plugin.run(job.first)\n"), 2),  # above
    (TWICE.replace("    log(job)\n", "    log(job)\n    plugin.run(job.middle)\n"), 4),  # between
    (TWICE.replace("    return job\n", "    plugin.run(job.third)\n    return job\n"), 5),  # below
    (TWICE.replace("    return job\n", "    plugin.run(job.first)\n    return job\n"), 5),  # a copy
    (TWICE.replace("    log(job)\n", "    plugin.run(job.first)\n    log(job)\n"), 3),  # next to it
    ("import os\n\n\n" + TWICE.replace("    log(job)\n", "    plugin.run(job.second)\n"
                                       "    log(job)\n"), 6),  # and the file moved down
])
def test_the_instance_reported_is_the_new_one(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                              edited: str, line: int) -> None:
    """Two recorded ``plugin.run`` accesses in one function; a third added above, between
    or below them (also as a copy of an old line) is the one reported, so its ``# noqa`` or
    its fix goes on the right line."""
    flake8_dir.write("setup.cfg", CONFIG)
    flake8_dir.write("twice.py", TWICE)
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("baseline").exit_code == 0
    flake8_dir.write("twice.py", edited)
    assert findings((flake8_dir, execgov_cli)) == [("./twice.py", line, 5, "GOV001")]


def test_baselines_without_contexts_match_in_file_order(flake8_dir: Flake8Dir,
                                                        execgov_cli: Execgov) -> None:
    """A baseline written before contexts were recorded still applies (in file order), and
    ``--update`` records them."""
    flake8_dir.write("setup.cfg", CONFIG)
    flake8_dir.write("twice.py", TWICE)
    execgov_cli.path = flake8_dir.path
    execgov_cli("baseline")
    path = flake8_dir.path / ".execgov-baseline.json"
    data = json.loads(path.read_text())
    assert data["findings"][0]["instances"] and len(data["findings"][0]["instances"]) == 2
    del data["findings"][0]["instances"]
    path.write_text(json.dumps(data))
    flake8_dir.write("twice.py", TWICE.replace("    return job\n",
                                               "    plugin.run(job.third)\n    return job\n"))
    assert findings((flake8_dir, execgov_cli)) == [("./twice.py", 5, 5, "GOV001")]
    flake8_dir.write("twice.py", TWICE)
    assert execgov_cli("baseline", "--update").exit_code == 0
    assert len(json.loads(path.read_text())["findings"][0]["instances"]) == 2
