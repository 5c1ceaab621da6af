"""The same file gives the same findings from any working directory.

Module names come from the package structure (:mod:`flake8_execgov.project.modules`), so
the fixture project's cross-module findings (a router included with auth in another module,
a helper only a runner calls, a plugin subclass and a state constant from other modules)
hold when flake8 or the gate runs from the project's root, from the folder above it, from
inside a package, with or without a configuration file, on stdin, in a flat layout, a
``src/`` layout and a monorepo of distributions.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Execgov, Flake8Dir
from test_project import expected

from flake8_execgov.config.options import DEFAULT_CONFIG, build_config
from flake8_execgov.project.index import Project

CASE = ROOT / "tests" / "project_case"
Finding = tuple[str, int, int, str]

# layout -> where the fixture's two packages go (app/ uses lib/), and the marker files
LAYOUTS = {
    "flat": ({"app": "app", "lib": "lib"}, []),
    "src": ({"app": "src/app", "lib": "src/lib"}, ["pyproject.toml"]),
    "monorepo": ({"app": "packages/server/app", "lib": "packages/core/src/lib"},
                 ["packages/server/pyproject.toml", "packages/core/setup.py"]),
}


def build(base: Path, layout: str) -> tuple[Path, dict[str, str]]:
    """The fixture project laid out as ``layout`` in ``base/proj``, and where each package
    went."""
    places, markers = LAYOUTS[layout]
    project = base / "proj"
    for package, place in places.items():
        shutil.copytree(CASE / package, project / place,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(CASE / "setup.cfg", project / "setup.cfg")
    for marker in markers:
        (project / marker).parent.mkdir(parents=True, exist_ok=True)
        (project / marker).write_text("", encoding="utf-8")
    return project, places


def want(places: dict[str, str], under: str = "") -> list[Finding]:
    moved = []
    for path, line, col, code in expected():
        package, _, rest = path.partition("/")
        moved.append((f"{places[package]}/{rest}", line, col, code))
    return sorted(f for f in moved if f[0].startswith(under))


def named(out: str, where: Path, project: Path) -> list[Finding]:
    found = []
    for line in out.splitlines():
        name, lineno, col, rest = line.split(":", 3)
        path = Path(os.path.normpath(where / name)).relative_to(project).as_posix()
        found.append((path, int(lineno), int(col), rest.split()[0]))
    return sorted(found)


@pytest.mark.untraced  # every line it runs is traced by a lighter test
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_flake8_from_the_root_the_parent_and_a_package(flake8_dir: Flake8Dir,
                                                       tmp_path: Path, layout: str) -> None:
    project, places = build(tmp_path, layout)
    inner = project / places["app"]
    runs = [(project, (".",)),  # the root: flake8 finds setup.cfg
            (tmp_path, ("--config", "proj/setup.cfg", "proj")),  # the folder above
            (tmp_path, ("--isolated", "proj")),  # above, no configuration file at all
            (inner, (".",))]  # inside the package: setup.cfg found above
    if layout != "monorepo":  # without a configuration, a distribution's folder is a root
        runs.append((inner, ("--isolated", ".")))  # inside the package, no configuration
    for where, args in runs:
        flake8_dir.path = where
        result = flake8_dir.run(*args)
        assert result.err == ""
        under = "" if where != inner else places["app"]
        assert named(result.out, where, project) == want(places, under), (where, args)


def test_the_gate_and_stdin_from_the_parent(execgov_cli: Execgov, flake8_dir: Flake8Dir,
                                            tmp_path: Path) -> None:
    project, places = build(tmp_path, "monorepo")
    execgov_cli.path = tmp_path
    result = execgov_cli("check", "--isolated", "proj")
    assert named(result.out.decode(), tmp_path, project) == want(places)
    source = (project / places["app"] / "custom.py").read_text(encoding="utf-8")
    for where, name in ((tmp_path, f"proj/{places['app']}/custom.py"),
                        (project / "packages", "server/app/custom.py")):
        flake8_dir.path = where
        path = where / name
        stdin = flake8_dir.run_fresh("--select=GOV", "--isolated", "--stdin-display-name",
                                     name, "-", stdin=source)
        assert named(stdin.out, where, project) == [
            f for f in want(places) if Path(project, f[0]) == path]


def test_names_follow_packages_not_the_root(tmp_path: Path) -> None:
    (tmp_path / "svc" / "app" / "plugins").mkdir(parents=True)
    (tmp_path / "svc" / "pyproject.toml").write_text("", encoding="utf-8")
    for name in ("app/plugins/__init__.py", "app/plugins/base.py", "app/main.py"):
        (tmp_path / "svc" / name).write_text("", encoding="utf-8")
    (tmp_path / "my-tools" / "pkg").mkdir(parents=True)
    (tmp_path / "my-tools" / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "my-tools" / "pkg" / "m.py").write_text("", encoding="utf-8")
    project = Project(tmp_path, DEFAULT_CONFIG, None)
    svc = tmp_path / "svc"
    assert project.module_of(svc / "app" / "plugins" / "base.py") == "app.plugins.base"
    assert project.module_of(svc / "app" / "main.py") == "app.main"  # a namespace package
    assert project.module_of(tmp_path / "my-tools" / "pkg" / "m.py") == "pkg.m"
    assert project.path_of("app.main") == svc / "app" / "main.py"
    assert project.canonical("svc.app.main") == "app.main"
    configured = Project(tmp_path, build_config({"source-roots": ["svc/app"]}), None,
                         (svc / "app",))
    assert configured.module_of(svc / "app" / "main.py") == "main"
    assert configured.module_of(svc / "app" / "plugins" / "base.py") == "plugins.base"


def test_a_shadowed_module_has_no_name(tmp_path: Path) -> None:
    for package in ("a", "b"):
        (tmp_path / package / "src" / "util").mkdir(parents=True)
        (tmp_path / package / "src" / "util" / "__init__.py").write_text("", encoding="utf-8")
    project = Project(tmp_path, DEFAULT_CONFIG, None)
    assert project.module_of(tmp_path / "a" / "src" / "util" / "__init__.py") == "util"
    assert project.module_of(tmp_path / "b" / "src" / "util" / "__init__.py") is None


def test_per_file_ignores_are_matched_from_the_working_directory(
        flake8_dir: Flake8Dir, execgov_cli: Execgov, tmp_path: Path) -> None:
    """What docs/configuration.md says: flake8 reads a ``per-file-ignores`` pattern with a
    ``/`` from the directory it runs in, the gate too (it is flake8's machinery), and the
    language server as flake8 run in the configuration file's folder; a pattern without
    ``/`` matches the file's name from anywhere."""
    from flake8_execgov.settings import Settings
    from flake8_execgov.lsp.analysis import lint

    project = tmp_path / "proj"
    violation = "def f(plugin):\n    plugin.run(1)\n"
    for name in ("tests/test_a.py", "checks/check_b.py"):
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(violation, encoding="utf-8")
    (project / "setup.cfg").write_text(
        "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n    check_*.py: GOV001\n",
        encoding="utf-8")
    from_above = [("tests/test_a.py", 2, 5, "GOV001")]
    flake8_dir.path = project
    assert named(flake8_dir.run(".").out, project, project) == []
    flake8_dir.path = tmp_path
    assert named(flake8_dir.run("--config", "proj/setup.cfg", "proj").out, tmp_path,
                 project) == from_above
    for where, args, want_found in ((project, (".",), []),
                                    (tmp_path, ("--config", "proj/setup.cfg", "proj"),
                                     from_above)):
        execgov_cli.path = where
        assert named(execgov_cli("check", *args).out.decode(), where, project) == want_found
    settings = Settings.in_directory(str(project))
    for name in ("tests/test_a.py", "checks/check_b.py"):
        assert lint(violation, str(project / name), settings).findings == []


def test_the_configuration_given_places_the_project(tmp_path: Path) -> None:
    """``--config proj/setup.cfg proj`` from a folder that holds another checkout of the
    same project: the project is the configuration file's folder (flake8 keeps
    ``--config`` out of its options: it is read from the command line), so the other
    checkout's modules of the same names shadow nothing."""
    from conftest import run_in_process

    project, places = build(tmp_path, "flat")
    shutil.copytree(project, tmp_path / "other")
    for program, args in (("execgov", ("check",)), ("flake8", ("--select=GOV",))):
        done = run_in_process(program, *args, "--config", "proj/setup.cfg", "proj",
                              cwd=tmp_path)
        assert named(done.stdout.decode(), tmp_path, project) == \
            want(places), program
