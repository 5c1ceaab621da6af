"""``execgov check --changed-since REF``: on random edit sequences in a git repository, the
findings it reports are exactly the full run's for the files it checks, and it checks
every file whose full-run findings changed. git runs as a process; the checks in-process."""

from __future__ import annotations

import contextlib
import random
import re
import subprocess
from pathlib import Path

import pytest

from conftest import execgov_text, fresh_process_state, run_in_process, untraced

TRACED_SEQUENCES = 4  # traced; the others repeat their lines untraced
MODULES = 7  # app/mod_0.py ... app/mod_6.py, besides the fixed modules

FIXED = {
    "setup.cfg": "[flake8]\nexclude = .git,.execgov_cache\n",
    "app/__init__.py": "from .helpers import relay\n",
    "app/states.py": 'DONE = "RUNNING"\n',
    "app/metrics.py": "def update_execution_metrics(name, state, seconds=0, failed=False):\n"
                      "    return name, state\n",
    "app/helpers.py": "def execute(name, plugin):\n    return plugin.run(name)\n\n\n"
                      "def relay(name, plugin):\n    return execute(name, plugin)\n\n\n"
                      "def orphan(plugin):\n    return plugin.run()\n",
    "app/deps.py": "from typing import Annotated\n\nfrom fastapi import Depends\n\n\n"
                   "def require_auth():\n    return 'user'\n\n\n"
                   "CurrentUser = Annotated[str, Depends(require_auth)]\n",
    "app/base.py": "class BasePlugin:\n    def run(self, payload):\n        return payload\n\n\n"
                   "class AppPlugin(BasePlugin):\n    pass\n",
    "app/main.py": "from fastapi import Depends, FastAPI\n\nfrom app.deps import require_auth\n"
                   "from app.mod_0 import router\n\napp = FastAPI()\n"
                   "app.include_router(router, dependencies=[Depends(require_auth)])\n",
}

# pieces a module is made of (each a function or a class using another module)
PIECES = [
    "from app.helpers import execute\n\n\ndef call_{k}(plugin):\n    return execute('x', plugin)\n",
    "from app import relay\n\n\ndef pass_{k}(plugin):\n    return relay('x', plugin)\n",
    "from app.states import DONE\nfrom app.metrics import update_execution_metrics\n\n\n"
    "class ToolRunner:\n    def run(self, name, payload):\n        try:\n"
    "            return name\n        finally:\n"
    "            update_execution_metrics(name, DONE)\n",
    "from app.base import AppPlugin\n\n\nclass Plugin{k}(AppPlugin):\n    pass\n\n\n"
    "def make_{k}():\n    return Plugin{k}().run({{}})\n",
    "from fastapi import APIRouter\n\nfrom app.deps import CurrentUser\n\n"
    "router = APIRouter()\n\n\n@router.get('/a{k}')\nasync def a_{k}(user: CurrentUser):\n"
    "    return 1\n\n\n@router.get('/b{k}')\nasync def b_{k}():\n    return 2\n",
    "def shared_{k}(plugin):\n    return plugin.run()\n",
]


def git(where: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
                          cwd=where, check=True, capture_output=True, text=True).stdout


def write_project(repo: Path, rng: random.Random) -> None:
    for name, text in FIXED.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    for k in range(MODULES):
        pieces = rng.sample(range(len(PIECES)), 2)
        text = "".join(PIECES[p].format(k=k) + "\n\n" for p in sorted(pieces))
        if k == 0 and 4 not in pieces:  # main.py includes mod_0's router
            text += PIECES[4].format(k=k)
        users = [j for j in range(k) if "def shared_" in (repo / f"app/mod_{j}.py").read_text()]
        if users and rng.random() < 0.7:  # a module that uses an earlier one's helper
            j = rng.choice(users)
            text = f"from app.mod_{j} import shared_{j}\n" + text + \
                f"\n\ndef use_{k}(plugin):\n    return shared_{j}(plugin)\n"
        (repo / f"app/mod_{k}.py").write_text(_tidy(text))


def _tidy(text: str) -> str:
    """Imports first (a module made of pieces), one blank line set between the rest."""
    lines = text.splitlines()
    imports = sorted({line for line in lines if line.startswith(("from ", "import "))})
    body = "\n".join(line for line in lines if not line.startswith(("from ", "import ")))
    return "\n".join(imports) + "\n\n\n" + re.sub(r"\n{3,}", "\n\n\n", body.strip()) + "\n"


def modules(repo: Path) -> list[Path]:
    return sorted(p for p in (repo / "app").glob("mod_*.py"))


def edit(repo: Path, rng: random.Random, step: int) -> str:
    """One random edit of the kinds a change set has; returns what it did."""
    mods = modules(repo)
    kind = rng.choice(["add", "remove", "import", "rename", "delete", "state", "new"])
    if kind == "add" and mods:
        path = rng.choice(mods)
        path.write_text(path.read_text() + f"\n\ndef bad_{step}(plugin):\n    return plugin.run()\n")
    elif kind == "remove" and mods:
        path = rng.choice(mods)
        text = re.sub(r"\n\n\ndef (bad|shared)_\w+\(plugin\):\n    return plugin\.run\(\)\n", "\n",
                      path.read_text(), count=1)
        path.write_text(text)
    elif kind == "import" and mods:
        path = rng.choice(mods)
        text = path.read_text()
        line = "from app.helpers import orphan  # noqa: F401\n"
        path.write_text(text.replace(line, "") if line in text else line + text)
    elif kind == "rename":
        helpers = repo / "app/helpers.py"
        text = helpers.read_text()
        old, new = ("execute", "execute_v2") if "def execute(" in text else ("execute_v2", "execute")
        helpers.write_text(text.replace(old, new))
    elif kind == "delete" and mods:
        rng.choice(mods).unlink()
    elif kind == "state":
        states = repo / "app/states.py"
        text = states.read_text()
        states.write_text(text.replace('"RUNNING"', '"SUCCESS"') if "RUNNING" in text
                          else text.replace('"SUCCESS"', '"RUNNING"'))
    elif kind == "new":  # an untracked module using a helper
        (repo / f"app/mod_{MODULES + step}.py").write_text(
            "from app.helpers import execute\n\n\n"
            f"def new_{step}(plugin):\n    return execute('x', plugin)\n")
    else:
        return "nothing"
    return kind


def findings(repo: Path, *args: str, keep: bool = False) -> tuple[dict[str, list[str]], str]:
    """The run's findings by file; ``keep``: its process state stays (its project) until
    :func:`fresh_process_state`."""
    done = run_in_process("execgov", "check", "--exit-zero", *args, cwd=repo, fresh=not keep)
    assert done.returncode == 0, done.stderr
    found: dict[str, list[str]] = {}
    for line in done.stdout.decode().splitlines():
        path = line.split(":", 1)[0]
        found.setdefault(str((repo / path).resolve()), []).append(line)
    return found, done.stderr.decode()


def test_changed_since_equals_full_run_on_random_edits(tmp_path: Path) -> None:
    rng = random.Random(34)
    repo = tmp_path / "repo"
    repo.mkdir()
    write_project(repo, rng)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "start")
    before, _ = findings(repo)
    assert before, "the project has findings to change"
    kinds: set[str] = set()
    for sequence in range(20):
        # the first sequences traced run every line the rest repeat
        with untraced() if sequence >= TRACED_SEQUENCES else contextlib.nullcontext():
            done, before = one_sequence(repo, rng, sequence, before)
        kinds.update(done)
    assert {"add", "remove", "import", "rename", "delete", "state", "new"} <= kinds


def one_sequence(repo: Path, rng: random.Random, sequence: int,
                 before: dict[str, list[str]]) -> tuple[list[str], dict[str, list[str]]]:
    """Edits since a revision, then ``--changed-since`` it against a full run: the edits
    made, and the full run's findings (the next sequence's ``before``)."""
    from flake8_execgov.gate.changed import selection
    from flake8_execgov.plugin import ExecGovChecker

    ref = git(repo, "rev-parse", "HEAD").strip()
    done = [edit(repo, rng, sequence * 10 + i) for i in range(rng.randint(1, 4))]
    if rng.random() < 0.3:  # part of the change committed since REF
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"part of {sequence}")
    full, _ = findings(repo)
    only, stderr = findings(repo, "--changed-since", ref, keep=True)
    # the files it chose, asked again of the same project (the run's, kept)
    chosen, _ = selection(ref, ExecGovChecker.settings.project, None, str(repo))
    fresh_process_state()
    assert chosen is not None, (done, stderr)
    checked = {str(Path(p).resolve()) for p in chosen if p.endswith(".py")}
    count = int(re.search(r"checking (\d+) files?", stderr).group(1))  # type: ignore[union-attr]
    assert count == len(checked), (done, stderr, sorted(checked))
    # exactly the full run's findings, for the files it checks
    assert only == {path: lines for path, lines in full.items() if path in checked}, done
    # and every file whose findings changed is checked
    moved = {path for path in set(full) | set(before)
             if full.get(path) != before.get(path) and Path(path).exists()}
    assert moved <= checked, (done, sorted(moved - checked))
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"sequence {sequence}", "--allow-empty")
    return done, full


def test_changed_since_outside_git_and_unknown_revision(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("plugin.run()\n")
    done = execgov_text("check", "--changed-since", "HEAD", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("execgov check: error: --changed-since needs a git repository")
    assert len(done.stderr.splitlines()) == 1
    git(tmp_path, "init", "-q", "-b", "main")
    done = execgov_text("check", "--changed-since", "no-such-ref", cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (
        2, "", "execgov check: error: --changed-since: 'no-such-ref' is no revision git "
               "knows here\n")


@pytest.mark.parametrize("changed", ["setup.cfg", "pkg/__init__.py"])
def test_changed_since_a_change_it_cannot_follow_checks_everything(
        tmp_path: Path, changed: str) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/a.py").write_text("def f(plugin):\n    return plugin.run()\n")
    (tmp_path / "b.py").write_text("def g(plugin):\n    return plugin.run()\n")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "start")
    path = tmp_path / changed
    path.write_text(path.read_text() + "\n" if path.exists() else "")
    done = execgov_text("check", "--changed-since", "HEAD", cwd=tmp_path)
    assert done.stdout.splitlines() == [
        "./b.py:2:12: GOV001 plugin.run() bypasses ToolRunner; execute plugins through "
        "ToolRunner.run()",
        "./pkg/a.py:2:12: GOV001 plugin.run() bypasses ToolRunner; execute plugins through "
        "ToolRunner.run()"]
    assert f"1 file changed since HEAD; {Path(changed)} changed, so every file is checked" \
        in done.stderr


def test_verbose_counts_the_files_analysed(tmp_path: Path) -> None:
    """``-v``: the files checked, and how many were parsed and analysed (a warm run: none;
    a file the prefilter rejects: never)."""
    (tmp_path / "setup.cfg").write_text("[flake8]\n")
    (tmp_path / "a.py").write_text("def f(plugin):\n    return plugin.run()\n")
    (tmp_path / "b.py").write_text("x = 1\n")
    counts = []
    for _ in range(2):
        done = execgov_text("check", "-v", cwd=tmp_path,
                            env={"EXECGOV_CACHE_DIR": str(tmp_path / "cache")})
        assert done.stdout == ("./a.py:2:12: GOV001 plugin.run() bypasses ToolRunner; "
                               "execute plugins through ToolRunner.run()\n")
        counts.append(done.stderr.splitlines()[-1])
    assert counts == [
        "execgov check: 2 files checked, 1 parsed and analysed, 1 answered without a parse "
        "(prefilter or kept findings).",
        "execgov check: 2 files checked, 0 parsed and analysed, 2 answered without a parse "
        "(prefilter or kept findings)."]
    done = execgov_text("check", cwd=tmp_path)
    assert "checked" not in done.stderr


def test_dependents_follow_every_way_an_import_is_written(tmp_path: Path) -> None:
    """The graph behind ``--changed-since``: a dotted use after ``import a.b``, a relative
    import of a package's own name, a re-export, a chain of ``include_router`` (its
    importers too), a deleted module's importers, and a file that does not parse."""
    from flake8_execgov.config.options import DEFAULT_CONFIG
    from flake8_execgov.project.dependents import Dependents
    from flake8_execgov.project.index import Project

    files = {
        "app/__init__.py": "from .core import helper\n",
        "app/core.py": "def helper(plugin):\n    return plugin.run()\n",
        "app/rel.py": "from . import helper\n",
        "app/reexported.py": "from app import helper\n",
        "app/sub/__init__.py": "",
        "app/sub/deep.py": "import app.core\n\n\ndef f(p):\n    return app.core.helper(p)\n",
        "app/sub/routes2.py": "from fastapi import APIRouter\n\nsub = APIRouter()\n",
        "app/routes.py": "from fastapi import APIRouter\n\nfrom app.sub.routes2 import sub\n\n"
                         "router = APIRouter()\nrouter.include_router(sub)\n",
        "app/main.py": "from fastapi import FastAPI\n\nfrom app.routes import router\n\n"
                       "app = FastAPI()\napp.include_router(router)\n",
        "app/uses_sub.py": "from app.sub.routes2 import sub\n",
        "app/gone_user.py": "from app.gone import thing\n",
        "app/broken.py": "def f(:\n    core\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)

    def affected(changed: list[str], gone: list[str] = [],
                 before: dict[str, str] = {}) -> set[str]:
        project = Project(tmp_path, DEFAULT_CONFIG, None)
        found = Dependents(project).affected(
            [tmp_path / p for p in changed], [tmp_path / p for p in gone],
            {tmp_path / p: t.encode() for p, t in before.items()})
        return {str(p.relative_to(tmp_path)) for p in found}

    assert affected(["app/core.py"]) == {
        "app/core.py", "app/__init__.py", "app/rel.py", "app/reexported.py",
        "app/sub/deep.py"}
    assert affected(["app/main.py"]) == {
        "app/main.py", "app/routes.py", "app/sub/routes2.py", "app/uses_sub.py"}
    assert affected([], ["app/gone.py"], {"app/gone.py": "import app.core\nthing = 1\n"}) \
        == {"app/gone_user.py", "app/core.py", "app/__init__.py"}  # ``import app.core``: both
    assert affected(["app/broken.py"]) == {"app/broken.py"}
