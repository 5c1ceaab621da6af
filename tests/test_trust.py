"""Nothing a repository carries, and no working directory, changes a finding.

Tried as an attacker would: a pull request commits a cache folder (entries poisoned with a
key of the attacker's own, made at the path the CI runner will use), or links that make a
cache read hang or never end; CI clones the repository afresh and runs the gate. Each run
must report exactly what a cold run reports. git runs as a process; the checks run
in-process as a new process would (a run reads its user's key from ``XDG_CACHE_HOME`` when
it opens its cache, so two machines are two environments), ``-j2`` with forked workers.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_in_process
from test_project import expected

from flake8_execgov.project.cache import ANSWER, FOUND, RUNS, SUMMARY, sealed, trusted
from flake8_execgov.project.seal import load_seal

CASE = ROOT / "tests" / "project_case"
Finding = tuple[str, int, int, str]


def run(where: Path, home: Path, program: str, *args: str,
        **env: str) -> subprocess.CompletedProcess[str]:
    """``program`` as a new process of the machine whose user cache is ``home`` runs it (in
    this process: the key is read from the environment when a run opens its cache)."""
    done = run_in_process(program, *args, cwd=where,
                          env={"XDG_CACHE_HOME": str(home), "EXECGOV_CACHE_DIR": "",
                               "EXECGOV_NO_CACHE": "", **env})
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(),
                                       done.stderr.decode())


def findings(proc: subprocess.CompletedProcess[str], where: Path, project: Path) -> list[Finding]:
    """The run's findings, each file named from ``project`` whatever the run's directory."""
    found = []
    for line in proc.stdout.splitlines():
        if ".py:" not in line:
            continue
        name, lineno, col, rest = line.split(":", 3)
        path = Path(os.path.normpath(where / name)).relative_to(project).as_posix()
        found.append((path, int(lineno), int(col), rest.split()[0]))
    return sorted(found)


def git(where: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=where,
                   check=True, capture_output=True, timeout=60)


def checks(where: Path, home: Path) -> list[tuple[list[Finding], str]]:
    """The gate, flake8 and flake8 -j2, as CI runs them in ``where``."""
    runs = [run(where, home, "execgov", "check", "."),
            run(where, home, "flake8", "--select=GOV", "."),
            run(where, home, "flake8", "--select=GOV", "-j2", ".")]
    return [(findings(proc, where, where), "\n".join(
        line for line in proc.stderr.splitlines() if not line.startswith("Found ")))
        for proc in runs]


@pytest.fixture
def upstream(tmp_path: Path) -> Path:
    """A repository of the fixture project (its cache folder ignored, as it says)."""
    repo = tmp_path / "first"
    shutil.copytree(CASE, repo, ignore=shutil.ignore_patterns(".execgov_cache"))
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "project")
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(tmp_path / "upstream.git"))
    return tmp_path / "upstream.git"


def emptied(entry: Any) -> Any:
    """A kept-findings entry without its findings, a summary entry without what makes one
    (functions, routers, classes' bases)."""
    if "found" in entry:
        return {**entry, "found": []}
    summary = entry["summary"]
    return {**entry, "summary": {**summary, "functions": {}, "includes": [], "routers": {},
                                 "classes": {name: [] for name in summary["classes"]}}}


def poison(cache: Path, home: Path) -> int:
    """Every entry of ``cache`` emptied of what makes a finding, and sealed again with the
    key under ``home`` (the attacker's: the strongest forgery there is). Returns how many."""
    seal, _ = load_seal(home / "flake8-execgov")
    assert seal is not None
    changed = 0
    for path in cache.glob("*.json"):
        stored = json.loads(path.read_bytes())
        if "by-path-" in path.name:  # a document: kept findings, or summaries
            salt = stored["salt"]
            kind = SUMMARY if path.name.startswith("summaries-") else FOUND
            for module, entry in stored["entries"].items():
                opened = trusted(seal, kind, f"{salt}\0{module}", entry)
                assert opened is not None
                stored["entries"][module] = sealed(seal, kind, f"{salt}\0{module}",
                                                   emptied(opened))
                changed += 1
        elif trusted(seal, RUNS, path.stem, stored) is not None:
            stored = sealed(seal, RUNS, path.stem, {"runs": {}})
            changed += 1
        else:  # a project-wide answer: none
            assert trusted(seal, ANSWER, path.stem, stored) is not None
            stored = sealed(seal, ANSWER, path.stem, [])
            changed += 1
        path.write_text(json.dumps(stored), encoding="utf-8")
    return changed


def test_a_committed_cache_forged_for_the_ci_path_is_ignored(upstream: Path,
                                                             tmp_path: Path) -> None:
    ci = tmp_path / "ci"  # the runner's checkout path: predictable
    attacker, runner = tmp_path / "attacker-home", tmp_path / "runner-home"
    want = expected()
    git(tmp_path, "clone", "-q", str(upstream), str(ci))
    assert [f for f, _ in checks(ci, attacker)] == [want] * 3  # the attacker's own cache
    assert poison(ci / ".execgov_cache", attacker) > 20
    forged = checks(ci, attacker)
    assert all(f != want for f, _ in forged)  # the forgery works where its key is trusted
    git(ci, "add", "-f", ".execgov_cache")
    git(ci, "commit", "-qm", "a cache, to speed CI up")
    git(ci, "push", "-q", "origin", "HEAD:main")
    shutil.rmtree(ci)
    git(tmp_path, "clone", "-q", str(upstream), str(ci))  # CI: a fresh clone, its own key
    assert (ci / ".execgov_cache" / ".gitignore").exists()
    assert checks(ci, runner) == [(want, "")] * 3
    assert checks(ci, runner) == [(want, "")] * 3  # warm: what the runner wrote itself


@pytest.mark.untraced  # every line it runs is traced by a lighter test
def test_a_cache_copied_from_another_checkout_is_computed_again(upstream: Path,
                                                                tmp_path: Path) -> None:
    """Same machine, same key: the other checkout's code differs (its helper runs nothing,
    so its modules report less), and its document is renamed to this checkout's name."""
    home = tmp_path / "home"
    other, here = tmp_path / "other", tmp_path / "here"
    git(tmp_path, "clone", "-q", str(upstream), str(other))
    git(tmp_path, "clone", "-q", str(upstream), str(here))
    want = expected()
    assert checks(here, home)[0] == (want, "")
    [mine] = (here / ".execgov_cache").glob("by-path-*.json")
    helpers = other / "app" / "helpers.py"
    helpers.write_text(helpers.read_text().replace(".run(", ".name("), encoding="utf-8")
    theirs = checks(other, home)
    assert all(found != want for found, _ in theirs)
    shutil.rmtree(here / ".execgov_cache")
    shutil.copytree(other / ".execgov_cache", here / ".execgov_cache")
    [document] = (here / ".execgov_cache").glob("by-path-*.json")
    document.rename(mine)
    assert checks(here, home) == [(want, "")] * 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("plant", ["self-loop", *(  # the others' lines: traced by lighter tests
    pytest.param(plant, marks=pytest.mark.untraced)
    for plant in ["dev-zero", "fifo-document", "fifo-lock", "fifo-entry"])])
def test_hostile_cache_files_mean_a_cold_run(upstream: Path, tmp_path: Path,
                                             plant: str) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    git(tmp_path, "clone", "-q", str(upstream), str(work))
    want = expected()
    assert checks(work, home)[0] == (want, "")  # names of the cache's files, made here
    cache = work / ".execgov_cache"
    [document] = cache.glob("by-path-*.json")
    entry = next(p for p in cache.glob("*.json") if not p.name.startswith("by-path-"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    if plant == "self-loop":
        shutil.rmtree(cache)
        cache.symlink_to(".execgov_cache")
    else:
        target = {"dev-zero": (document, "/dev/zero"), "fifo-document": (document, str(fifo)),
                  "fifo-lock": (document.with_suffix(".lock"), str(fifo)),
                  "fifo-entry": (entry, str(fifo))}[plant]
        target[0].unlink(missing_ok=True)
        target[0].symlink_to(target[1])
        shutil.copy(CASE / "app" / "service.py", work / "app" / "service.py")
        (work / "app" / "service.py").write_text(  # a change: the document is written
            (work / "app" / "service.py").read_text() + "\n", encoding="utf-8")
    git(work, "add", "-fA")
    git(work, "commit", "-qm", "planted")
    fresh = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(work), str(fresh))
    results = checks(fresh, home)
    note = ("flake8-execgov: running without the cache: "
            f"{fresh / '.execgov_cache'} is a symbolic link")
    for found, err in results:
        assert found == want
        assert err.strip() in (("", note) if plant == "self-loop" else ("",))
        assert "Traceback" not in err


def test_the_environment_turns_the_cache_off_or_moves_it(upstream: Path, tmp_path: Path) -> None:
    home, work, elsewhere = tmp_path / "home", tmp_path / "work", tmp_path / "elsewhere"
    git(tmp_path, "clone", "-q", str(upstream), str(work))
    proc = run(work, home, "flake8", "--select=GOV", ".", EXECGOV_NO_CACHE="1")
    assert findings(proc, work, work) == expected()
    assert not (work / ".execgov_cache").exists()
    proc = run(work, home, "flake8", "--select=GOV", ".", EXECGOV_CACHE_DIR=str(elsewhere))
    assert findings(proc, work, work) == expected()
    assert not (work / ".execgov_cache").exists() and list(elsewhere.glob("by-path-*.json"))
    key = home / "flake8-execgov" / "key"
    assert key.stat().st_mode & 0o777 == 0o600


def test_every_kind_of_entry_passes_the_one_test(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Summaries, a module's runs, kept findings and project-wide answers all leave the
    cache through ``cache.trusted``: with it refusing everything, a warm run asks it for
    each kind and reports what a cold run reports."""
    import ast

    from flake8_execgov.config.options import DEFAULT_CONFIG
    from flake8_execgov.project import cache as cache_module
    from flake8_execgov.project.index import Project
    from flake8_execgov.rules import prefilter_for
    from flake8_execgov.run import Run
    from flake8_execgov.source.lines import source_lines

    work = tmp_path / "proj"
    shutil.copytree(CASE, work)
    seal, _ = load_seal()
    assert seal is not None

    def lint() -> list[Finding]:
        cache = cache_module.SummaryCache(work / ".execgov_cache", seal)
        prefilter = prefilter_for(DEFAULT_CONFIG)
        run = Run(DEFAULT_CONFIG, None, Project(work, DEFAULT_CONFIG, cache, prefilter=prefilter),
                  prefilter)
        found = []
        for path in sorted(work.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            lines = source_lines(text)
            for line, col, code, *_ in run.findings(ast.parse(text), lines, str(path)):
                found.append((path.relative_to(work).as_posix(), line, col + 1, code))
        run.close()
        return sorted(found)

    want = expected()
    assert lint() == want  # cold: every kind written
    asked: set[str] = set()
    real = cache_module.trusted

    def refuse(seal: Any, kind: Any, scope: str, stored: Any) -> None:
        assert real(seal, kind, scope, stored) is not None  # what this machine wrote
        asked.add(kind.name)
        return None

    monkeypatch.setattr(cache_module, "trusted", refuse)
    assert lint() == want
    assert asked == {"summary", "runs", "found", "answer"}
