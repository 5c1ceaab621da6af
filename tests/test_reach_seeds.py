"""The reach's seeds are the modules that may execute a plugin themselves: their text
passes the prefilter and holds the execution rules' own words, or names a class deriving
elsewhere from a plugin type (``project.words.may_run``). A test suite that passes the
prefilter only because ``@mock.patch(`` looks like a route is not walked for them."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional

from conftest import Execgov

from flake8_execgov.config.options import DEFAULT_CONFIG
from flake8_execgov.project import facts
from flake8_execgov.project.facts import _found, _own_runs
from flake8_execgov.project.words import may_run
from flake8_execgov.project.index import Project
from flake8_execgov.project.reach import Reach, Screens
from flake8_execgov.project.unseen import Parsed
from flake8_execgov.rules import prefilter_for

PREFILTER = prefilter_for(DEFAULT_CONFIG)
FILES = {
    "pkg/__init__.py": "",
    "pkg/base.py": "class BasePlugin:\n    def run(self, payload):\n        return payload\n",
    "pkg/impl.py": "from pkg.base import BasePlugin\n\n\nclass OcrTool(BasePlugin):\n    pass\n",
    # passes the prefilter by a validator only; runs a plugin class derived elsewhere
    "pkg/val.py": "from pkg.impl import OcrTool\n"
                  "from pkg.checks import validate_input_payload\n\n\n"
                  "def go(payload):\n    validate_input_payload(payload)\n"
                  "    return OcrTool().run(payload)\n",
    "pkg/checks.py": "def validate_input_payload(payload):\n    return payload\n",
    # passes the prefilter by a decorator that looks like a route, executes nothing
    "pkg/test_mocks.py": "from unittest import mock\n\n\n@mock.patch('os.getcwd')\n"
                         "def test_cwd(getcwd):\n    return getcwd.run()\n",
    "pkg/job.py": "from pkg.val import go\n\ngo(1)\n",
    "pkg/suite.py": "from pkg.test_mocks import test_cwd\n",  # it is imported: not deferred
}


def write(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_the_seeds_are_the_modules_thatmay_run(tmp_path: Path) -> None:
    project = Project(write(tmp_path, FILES), DEFAULT_CONFIG, None, prefilter=PREFILTER)
    walked: list[str] = []

    def runs(module: str, parsed: Optional[Parsed]) -> Mapping[str, str]:
        walked.append(module)
        return _own_runs(project, PREFILTER, module, parsed)

    reach = Reach(project, runs, Screens(lambda seen: _found(PREFILTER, seen),
                                         lambda seen: may_run(project, PREFILTER, seen)),
                  PREFILTER)
    assert reach.names() == {"go"}
    assert "pkg.test_mocks" not in walked and "pkg.val" in walked
    mocks = (tmp_path / "pkg/test_mocks.py").read_text()
    assert _found(PREFILTER, mocks) and not may_run(project, PREFILTER, mocks)


def test_a_call_of_a_helper_running_a_derived_plugin_is_found(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    """``job.py`` names nothing the rules know; it calls ``go``, which runs ``OcrTool``
    (a plugin by a base in another module) in a module that names no execution word."""
    execgov_cli.path = write(tmp_path, FILES)
    found = execgov_cli("check", "-j1", "--no-cache", "--exit-zero", ".")
    assert b"pkg/job.py:3:1: GOV" in found.out, found


def test_without_derived_classes_only_the_run_words_are_searched(tmp_path: Path) -> None:
    """No class derives elsewhere: a module without the execution rules' words cannot run,
    so the prefilter's other words are not searched for in it (a lint asks them later,
    :meth:`Reach.screened` None); one with them passes the prefilter too."""
    files = {"pkg/__init__.py": "",
             "pkg/tools.py": "def go(n):\n    return get_plugin(n).run()\n",
             "pkg/app.py": "from pkg.tools import go\n",
             "pkg/test_mocks.py": FILES["pkg/test_mocks.py"]}
    root = write(tmp_path, files)
    project = Project(root, DEFAULT_CONFIG, None, prefilter=PREFILTER)
    reach = facts.reach_of(project, PREFILTER)
    assert reach.names() == {"go"}
    mocks, tools = (root / "pkg/test_mocks.py"), (root / "pkg/tools.py")
    assert reach.screened(str(mocks), mocks.read_text()) is None
    assert reach.screened(str(tools), tools.read_text()) is True
