"""``execgov fix`` and ``execgov baseline`` across modules: the fixture project
(``tests/project_case``) run through the command line as users run it, every command in the
project ``execgov check`` lints in, so that what is recorded, checked and fixed is what the
gate reports (issue 23: a file's findings do not depend on the command that reads it)."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import NO_PROJECT, ROOT, execgov

CASE = ROOT / "tests" / "project_case"
BASELINED = '[flake8]\nexecgov-baseline = ./.execgov-baseline.json\n'

# A runner of the project's runner family, two modules away from ToolRunner
# (TaskRunner -> JobRunner in app/custom.py -> ToolRunner in app/runners.py): alone, this
# file has no runner and its plugin.run() is a GOV001; in the project it is a GOV002 whose
# metrics call --unsafe-fixes moves into a finally.
TASKS = '''\
from .custom import JobRunner


class TaskRunner(JobRunner):
    def run(self, name, payload):
        plugin = get_plugin(name)
        try:
            result = validate_plugin_output(plugin.run(validate_input_payload(payload)))
            update_execution_metrics(name, "RUNNING")
        except Exception as exc:
            return build_error_envelope(exc)
        return result
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(CASE, target)
    (target / "app" / "task_runner.py").write_text(TASKS, encoding="utf-8")
    return target


def check_json(where: Path, *args: str) -> list[dict[str, object]]:
    proc = execgov("check", "--format=json", *args, cwd=where)
    assert proc.returncode in (0, 1), proc.stderr
    found: list[dict[str, object]] = json.loads(proc.stdout)
    for item in found:
        item["path"] = str(item["path"]).removeprefix("./")
    return found


def recorded(baseline: Path) -> Counter[tuple[str, str]]:
    """``(path, code)`` of every finding a baseline file records, with its count."""
    data = json.loads(baseline.read_text(encoding="utf-8"))
    return Counter({(e["path"], e["code"]): 0 for e in data["findings"]}) + Counter(
        (e["path"], e["code"]) for e in data["findings"] for _ in range(e["count"]))


def sources(where: Path) -> dict[str, bytes]:
    return {p.relative_to(where).as_posix(): p.read_bytes() for p in where.rglob("*.py")}


def test_the_baseline_records_what_check_reports(project: Path) -> None:
    reported = check_json(project)
    # the cross-module findings are there: a constant (GOV004), a renamed enum (GOV005),
    # runner subclasses (GOV002), a plugin class's subclass (GOV001); the GOV201s that
    # main.py and app/deps.py answer are not
    assert {(d["path"], d["code"]) for d in reported} >= {
        ("app/worker.py", "GOV004"), ("app/status.py", "GOV005"), ("app/jobs.py", "GOV001"),
        ("app/custom.py", "GOV002"), ("app/task_runner.py", "GOV002")}
    assert not [d for d in reported if d["path"] == "app/routes.py"]
    written = execgov("baseline", cwd=project)
    assert (written.returncode, written.stderr) == (0, b"")
    assert recorded(project / ".execgov-baseline.json") == \
        Counter((str(d["path"]), str(d["code"])) for d in reported)

    (project / "setup.cfg").write_text(BASELINED, encoding="utf-8")
    gate = execgov("check", cwd=project)
    assert (gate.returncode, gate.stdout, gate.stderr) == (0, b"", b"")
    ratchet = execgov("baseline", "--check", cwd=project)
    assert (ratchet.returncode, ratchet.stdout) == (0, b"")
    # fix leaves the accepted code alone: nothing to change, and it says what it left
    before = sources(project)
    fixed = execgov("fix", "--unsafe-fixes", cwd=project)
    assert (fixed.returncode, fixed.stdout) == (0, b"")
    assert fixed.stderr.decode().splitlines()[-1] == \
        "2 baselined findings left unfixed (execgov fix --include-baselined fixes them)"
    assert sources(project) == before


def test_the_ratchet_sees_findings_the_project_answers(project: Path) -> None:
    """The router is included without auth when the baseline is written; main.py then
    includes it with auth: the GOV201 of routes.py's route without an auth parameter is
    stale for --check, dropped by --update, and check stays clean."""
    main = project / "app" / "main.py"
    with_auth = main.read_text(encoding="utf-8")
    main.write_text(with_auth.replace(
        "app.include_router(router, dependencies=[Depends(require_auth)])",
        "app.include_router(router)"), encoding="utf-8")
    assert execgov("baseline", cwd=project).returncode == 0
    assert recorded(project / ".execgov-baseline.json")["app/routes.py", "GOV201"] == 1
    main.write_text(with_auth, encoding="utf-8")
    (project / "setup.cfg").write_text(BASELINED, encoding="utf-8")
    ratchet = execgov("baseline", "--check", cwd=project)
    assert ratchet.returncode == 1
    assert ratchet.stdout.decode().splitlines() == [
        "stale: app/routes.py: GOV201 in <module>: def open_job (recorded 1, found 0)"]
    update = execgov("baseline", "--update", cwd=project)
    assert (update.returncode, update.stdout.decode().splitlines()) == (
        0, ["removed: app/routes.py: GOV201 in <module>: def open_job (recorded 1, found 0)"])
    assert ("app/routes.py", "GOV201") not in recorded(project / ".execgov-baseline.json")
    assert execgov("check", cwd=project).returncode == 0
    assert execgov("baseline", "--check", cwd=project).returncode == 0


def test_fix_changes_what_check_calls_fixable_and_nothing_else(project: Path) -> None:
    before = sources(project)
    reported = check_json(project)
    fixable = {(d["path"], d["code"]): d["fix"] for d in reported if d["fix"]}
    assert fixable == {("app/status.py", "GOV005"): "safe",
                       ("app/task_runner.py", "GOV002"): "unsafe"}
    gate = execgov("check", cwd=project)
    assert gate.stderr.decode().endswith(
        "1 fixable with 'execgov fix' (1 more with 'execgov fix --unsafe-fixes').\n")

    alone = execgov("check", "app/task_runner.py", cwd=project)  # fixable in the project
    assert alone.stderr == b"Found 1 finding; 1 fixable with 'execgov fix --unsafe-fixes'.\n"

    safe = execgov("fix", cwd=project)
    assert (safe.returncode, safe.stdout) == (1, b"./app/status.py: fixed\n")
    elsewhere = "GOV004 not fixed: the state is a constant of another module: fix it where " \
        "it is defined"
    assert sorted(safe.stderr.decode().splitlines()) == [
        f"./app/worker.py:5:36: {elsewhere}", f"./app/worker2.py:14:34: {elsewhere}",
        f"./app/worker2.py:6:36: {elsewhere}"]
    assert "PluginState.INITIALIZED)" in (project / "app" / "status.py").read_text()
    unsafe = execgov("fix", "--unsafe-fixes", cwd=project)
    assert (unsafe.returncode, unsafe.stdout) == (1, b"./app/task_runner.py: fixed\n")
    assert "        finally:\n            update_execution_metrics(name, \"RUNNING\")\n" in \
        (project / "app" / "task_runner.py").read_text()

    after = sources(project)
    assert {name for name in after if after[name] != before[name]} == \
        {"app/status.py", "app/task_runner.py"}
    left = check_json(project)
    assert [d for d in left if d["fix"]] == []
    assert sorted((d["path"], d["line"], d["code"]) for d in left) == sorted(
        (d["path"], d["line"], d["code"]) for d in reported
        if (d["path"], d["code"]) not in fixable)
    assert execgov("fix", "--unsafe-fixes", "--check", cwd=project).returncode == 0


def test_stdin_is_fixed_in_the_project_when_it_is_named(project: Path) -> None:
    status = (project / "app" / "status.py").read_bytes()
    named = execgov("fix", "-", "--stdin-filename", "app/status.py", stdin=status, cwd=project)
    assert (named.returncode, named.stderr) == (0, b"")
    assert named.stdout == status.replace(b"PluginState.SUCCESS", b"PluginState.INITIALIZED")
    diff = execgov("fix", "--diff", "-", "--stdin-filename", "app/status.py", stdin=status,
                   cwd=project)
    assert diff.returncode == 1
    assert diff.stdout.decode().splitlines()[:2] == ["--- a/app/status.py", "+++ b/app/status.py"]
    # without a name it has no place in the project: on its own, said once
    alone = execgov("fix", "-", stdin=status, cwd=project)
    assert (alone.returncode, alone.stdout, alone.stderr.decode()) == (0, status, NO_PROJECT)


def test_no_cache_for_fix_and_baseline(project: Path) -> None:
    cache = project / ".execgov_cache"
    assert execgov("baseline", "--no-cache", cwd=project).returncode == 0
    assert execgov("fix", "--no-cache", "--check", cwd=project).returncode == 1
    assert not cache.exists()
    assert recorded(project / ".execgov-baseline.json")["app/worker.py", "GOV004"] == 1
    assert execgov("baseline", "--check", cwd=project).returncode == 0  # with the cache
    assert any(cache.glob("*.json"))


def test_update_only_shrinks_and_leaves_a_current_baseline_untouched(project: Path) -> None:
    """--update judges with the project too: a second GOV004 of the imported constant in
    the recorded scope is new (check reports it; --update never adds it), and a baseline
    with nothing stale is not rewritten."""
    assert execgov("baseline", cwd=project).returncode == 0
    (project / "setup.cfg").write_text(BASELINED, encoding="utf-8")
    baseline = project / ".execgov-baseline.json"
    written = baseline.read_bytes()
    os.utime(baseline, (1_000_000, 1_000_000))
    update = execgov("baseline", "--update", cwd=project)
    assert (update.returncode, update.stdout, update.stderr) == (0, b"", b"")
    assert baseline.stat().st_mtime == 1_000_000
    worker = project / "app" / "worker.py"
    worker.write_text(worker.read_text(encoding="utf-8") +
                      "    update_execution_metrics(name, DONE)\n", encoding="utf-8")
    gate = execgov("check", cwd=project)
    assert (gate.returncode, gate.stdout.decode().split(": GOV004 ")[0]) == \
        (1, "./app/worker.py:7:36")
    assert execgov("baseline", "--update", cwd=project).returncode == 0
    assert baseline.read_bytes() == written
    assert execgov("check", cwd=project).returncode == 1
