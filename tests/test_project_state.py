"""The project's state (``Project.state``): a warm run of a project where no file changed
trusts its kept findings without asking the project anything, and any change the file
system can see (content, size, times, a file added or removed, the excluded patterns)
sends it back to checking each entry's facts and answers."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import ROOT, execgov_text
from test_project import expected, parsed

from flake8_execgov import run as run_module
from flake8_execgov.project.files import RACY_NS, files_state

CASE = ROOT / "tests" / "project_case"
AN_HOUR = 3_600_000_000_000


def settled(folder: Path) -> None:
    """Every file of ``folder`` last modified an hour ago: older than the racy window."""
    past = time.time_ns() - AN_HOUR
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(past, past))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "proj"
    shutil.copytree(CASE, target, ignore=shutil.ignore_patterns(".execgov_cache"))
    settled(target)
    return target


def facts_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The modules whose kept entries the run checks against the project from now on."""
    asked: list[str] = []
    original = run_module.facts_of_imports

    def counted(project: object, filename: str, *args: object, **kwargs: object) -> object:
        asked.append(filename)
        return original(project, filename, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(run_module, "facts_of_imports", counted)
    return asked


def gate(where: Path, *args: str) -> list[tuple[str, int, int, str]]:
    proc = execgov_text("check", "-j1", *args, ".", cwd=where)
    return parsed(proc.stdout)


def test_an_unchanged_project_is_trusted_whole(project: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    want = expected()
    assert gate(project) == want  # cold: walked and kept, with the project's state
    asked = facts_counted(monkeypatch)
    assert gate(project) == want
    assert asked == []  # warm, nothing changed: no entry's facts asked again


def test_an_unchanged_project_is_not_read_again(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The project-wide answers (classes derived elsewhere, registries, declared hooks,
    functions reaching a run) are kept for the project's state: a warm run of an unchanged
    project reads none of its files to answer them (a module the prefilter rules out asks
    them), a changed state reads them again and answers as a run without cache."""
    from flake8_execgov.project.index import Project

    want = expected()
    assert gate(project) == want
    read: list[str] = []
    original = Project.texts

    def texts(self: Project, pattern: object, *words: object) -> object:
        read.append(str(pattern))
        return original(self, pattern, *words)  # type: ignore[arg-type]

    monkeypatch.setattr(Project, "texts", texts)
    assert gate(project) == want
    assert read == []
    (project / "app" / "new.py").write_text("from app.runners import ToolRunner\n",
                                            encoding="utf-8")
    settled(project)
    assert gate(project) == want
    assert read  # another state: the answers computed again (a warm run, not --no-cache)
    assert gate(project, "--no-cache") == want


def test_a_change_the_clock_cannot_see_is_still_seen(project: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """states.py rewritten with a text of the same size and given back its old
    modification time: its change time (which no program can set) tells."""
    want = expected()
    assert gate(project) == want
    states = project / "app" / "states.py"
    before = states.stat()
    text = states.read_text(encoding="utf-8")
    assert 'DONE = "SUCCESS"' in text
    states.write_text(text.replace('DONE = "SUCCESS"', 'DONE = "RUNNING"'), encoding="utf-8")
    os.utime(states, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert states.stat().st_size == before.st_size
    asked = facts_counted(monkeypatch)
    after = [f for f in want if f[0] not in ("app/worker.py", "app/worker2.py")]
    assert gate(project) == after
    assert "./app/jobs.py" in asked  # a module the edit did not touch: checked, not trusted


def test_an_excluded_module_changes_the_state(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """What flake8 excludes is part of the state: an exclusion can change which uses of a
    helper count (a module nobody lints governs nothing)."""
    assert gate(project) == expected()
    asked = facts_counted(monkeypatch)
    gate(project, "--extend-exclude=app/tasks.py")
    assert "./app/jobs.py" in asked  # other exclusions, another state: entries checked
    assert gate(project, "--extend-exclude=app/tasks.py") == gate(
        project, "--extend-exclude=app/tasks.py", "--no-cache")


def test_the_state_follows_every_file(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("y = 2\n", encoding="utf-8")
    files = sorted(tmp_path.glob("*.py"))
    assert files_state(files, [], "") is None  # just written: too recent to tell
    settled(tmp_path)
    first = files_state(files, [], "")
    assert first is not None and first == files_state(files, [], "")
    assert files_state(files[:1], [], "") != first  # a file less
    assert files_state(files, [tmp_path], "") != first  # a source root more
    assert files_state(files, [], "tests/*") != first  # other exclusions
    (tmp_path / "b.py").write_text("y = 3\n", encoding="utf-8")  # same size
    os.utime(tmp_path / "b.py", ns=(time.time_ns() - 2 * RACY_NS,) * 2)
    assert files_state(files, [], "") not in (None, first)
    (tmp_path / "b.py").unlink()
    assert files_state(files, [], "") is None  # a listed file is gone: no state


def test_entries_kept_in_the_racy_window_are_trusted_once_confirmed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run while a file was just written (the project has no state) keeps entries
    without one; the next run, the files settled, checks each against the project and
    keeps it with the state, so the run after trusts it whole. Before, every later run
    checked every entry again (a warm run twice as slow, until the cache was emptied)."""
    just_written = next(path for path in project.rglob("*.py"))
    os.utime(just_written)  # now: inside the racy window
    first = gate(project)
    assert first == expected()
    settled(project)
    asked = facts_counted(monkeypatch)
    assert gate(project) == first and asked  # each entry checked against the project
    asked.clear()
    assert gate(project) == first and asked == []  # trusted whole
