"""The reach's names leave out modules no other file can import from (project/unseen.py):
no walk of them, the same answers for every file that can reach into them, and a rejected
file costs no split of its words when no answer has a name."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Optional

import pytest

from conftest import Execgov, calls_of

from flake8_execgov import engine
from flake8_execgov.config.options import DEFAULT_CONFIG
from flake8_execgov.config.prefilter import Prefilter
from flake8_execgov.project import unseen
from flake8_execgov.project.facts import _found, _own_runs, reach_of
from flake8_execgov.project.index import Project
from flake8_execgov.project.reach import Reach, Screens
from flake8_execgov.project.records import Def
from flake8_execgov.project.unseen import Parsed, top_level_def
from flake8_execgov.rules import prefilter_for

PREFILTER = prefilter_for(DEFAULT_CONFIG)
FILES = {
    "pkg/__init__.py": "",
    # a test suite: executes, and nothing else imports from it
    "pkg/suite.py": "def helper(n):\n    return get_plugin(n).run()\n\n\n"
                    "def setUpModule():\n    return helper(1)\n",
    # names the suite's stem, but none of its functions: it cannot import one
    "pkg/notes.py": "SEE = 'pkg.suite'\n",
    # names a function of the suite, but not its stem: a helper of its own
    "pkg/other.py": "def helper():\n    return 1\n",
    "pkg/tools.py": "def go(n):\n    return get_plugin(n).run()\n",
    "pkg/app.py": "from pkg.tools import go\n\n\ndef serve(n):\n    return go(n)\n",
}


def write(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def reach_counted(root: Path) -> tuple[Reach, list[str]]:
    """A reach of the project at ``root`` and the modules it walks from now on."""
    project = Project(root, DEFAULT_CONFIG, None, prefilter=PREFILTER)
    walked: list[str] = []

    def runs(module: str, parsed: Optional[Parsed]) -> Mapping[str, str]:
        walked.append(module)
        return _own_runs(project, PREFILTER, module, parsed)

    return Reach(project, runs, Screens(lambda seen: _found(PREFILTER, seen))), walked


def test_a_module_no_other_file_imports_from_is_not_walked(tmp_path: Path) -> None:
    reach, walked = reach_counted(write(tmp_path, FILES))
    assert reach.names() == {"go", "serve"}
    assert reach.deferred() == {"pkg.suite"}
    assert sorted(walked) == ["pkg.tools"]  # the others pass no prefilter
    assert reach.whole() == {"go", "serve", "helper", "setUpModule"}
    assert sorted(walked) == ["pkg.suite", "pkg.tools"]


def test_an_import_of_a_function_keeps_its_module_walked(tmp_path: Path) -> None:
    files = {**FILES, "pkg/user.py": "from pkg import suite\n\n\n"
                                     "def again():\n    return suite.helper(2)\n"}
    reach, walked = reach_counted(write(tmp_path, files))
    assert reach.deferred() == frozenset()
    assert reach.names() == reach.whole() == {"go", "serve", "helper", "setUpModule", "again"}
    assert sorted(walked) == ["pkg.suite", "pkg.tools"]


@pytest.mark.parametrize("first", ["names", "of", "whole"])
def test_an_answer_inside_a_deferred_module_is_the_whole_fixed_points(
        tmp_path: Path, first: str) -> None:
    """Asked before or after the names, a function of a deferred module gets the answer the
    names would give it had nothing been left out (a walk from a file the project does not
    hold can enter it)."""
    root = write(tmp_path, FILES)
    whole, _ = reach_counted(root)
    whole.whole()
    want = whole.of(Def("pkg.suite", "setUpModule"))
    assert want == "get_plugin(n).run() in pkg.suite.helper"
    reach, _ = reach_counted(root)
    if first == "whole":  # a buffer asked first (the names kept from an earlier run)
        assert reach.whole() == whole.whole()
    if first in ("names", "whole"):
        reach.names()
    assert reach.of(Def("pkg.suite", "setUpModule")) == want
    if first == "of":
        assert reach.names() == {"go", "serve"} and reach.deferred() == {"pkg.suite"}
    assert reach.of(Def("pkg.suite", "helper")) == whole.of(Def("pkg.suite", "helper"))
    assert reach.of(Def("pkg.app", "serve")) == "get_plugin(n).run() in pkg.tools.go"


def test_a_buffer_that_imports_from_a_deferred_module_is_parsed(tmp_path: Path) -> None:
    """No file of the project reaches into the suite, but a buffer being edited may: its
    words name the suite's stem and a function of it, and the whole answer decides."""
    project = Project(write(tmp_path, FILES), DEFAULT_CONFIG, None, prefilter=PREFILTER)
    calling = "from pkg.suite import setUpModule\n\nsetUpModule()\n"
    unrelated = "from pkg import other\n\nother.helper()\n"  # another helper, no stem
    assert engine.worth_parsing(calling, DEFAULT_CONFIG, project, PREFILTER)
    assert not engine.worth_parsing(unrelated, DEFAULT_CONFIG, project, PREFILTER)
    assert not engine.worth_parsing("import pkg.suite as s\n", DEFAULT_CONFIG, project, PREFILTER)


def test_the_gate_finds_the_same_with_modules_deferred_or_not(
        tmp_path: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {**FILES, "pkg/cron.py": "from pkg.app import serve\n\n\n"
                                     "class ToolRunner:\n    def run(self, name):\n"
                                     "        return serve(name)\n"}
    execgov_cli.path = write(tmp_path, files)
    deferred = execgov_cli("check", "-j1", "--no-cache", "--exit-zero", ".")
    monkeypatch.setattr(unseen, "_LOOKS", 0)  # nothing looked at: nothing deferred
    walked = execgov_cli("check", "-j1", "--no-cache", "--exit-zero", ".")
    assert deferred.out == walked.out and b"GOV" in deferred.out


def test_a_rejected_file_is_not_split_when_no_answer_has_a_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write(tmp_path, {**FILES, "pkg/tools.py": "def go(n):\n    return n\n"})
    project = Project(root, DEFAULT_CONFIG, None, prefilter=PREFILTER)
    split: list[bytes] = []
    monkeypatch.setattr(engine, "identifiers", lambda data: split.append(data) or frozenset())
    assert not engine.worth_parsing("from pkg.tools import go\n\ngo(1)\n", DEFAULT_CONFIG,
                                    project, PREFILTER)
    assert split == []


@pytest.mark.parametrize(("text", "holds"), [
    (b"def f():\n    pass\n", True),
    (b"\xef\xbb\xbfdef f():\n    pass\n", True),
    (b"import os\n\n\nasync def f():\n    pass\n", True),
    (b"x = 1\r\ndef f():\r\n    pass\r\n", True),
    (b"if x:\n    def f():\n        pass\n", False),  # not in the module's body
    (b"class A:\n    def f(self):\n        pass\n", False),
    (b"class A:\n\x0c    def f(self):\n        pass\n", True),  # a form feed: can't tell
])
def test_a_module_level_def_is_seen_in_the_text(text: bytes, holds: bool) -> None:
    assert top_level_def(text) is holds


def test_a_project_file_the_names_screened_is_not_searched_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write(tmp_path, FILES)
    project = Project(root, DEFAULT_CONFIG, None, prefilter=PREFILTER)
    # every file of the project holding the execution rules' words screened (with no
    # class derived elsewhere, the others cannot run: searched when linted, once)
    reach_of(project, PREFILTER).names()
    searched = calls_of(monkeypatch, Prefilter, "found_in")
    texts = {}
    for name, worth in (("pkg/tools.py", True), ("pkg/notes.py", False), ("pkg/app.py", True)):
        texts[name] = text = (root / name).read_text(encoding="utf-8")
        assert engine.worth_parsing(text, DEFAULT_CONFIG, project, PREFILTER,
                                    str(root / name)) is worth
    assert searched == [texts["pkg/notes.py"], texts["pkg/app.py"]]
    edited = texts["pkg/tools.py"] + "x = 1\n"
    assert engine.worth_parsing(edited, DEFAULT_CONFIG, project, PREFILTER,
                                str(root / "pkg" / "tools.py"))
    assert searched[2:] == [edited]  # other bytes than the file's: searched


@pytest.mark.parametrize(("user", "deferred"), [
    # not ASCII: its names are read as the parser reads them (the fullwidth "ｓ" is "s")
    ("# café\nfrom pkg import \uff53uite\n\n\ndef again():\n    return suite.helper(2)\n",
     frozenset()),
    # not ASCII, names the stem, but none of the suite's functions
    ("# café\nSEE = 'pkg.suite'\n", frozenset({"pkg.suite"})),
    # not ASCII, names a function of the suite but not its stem
    ("# café\nfrom pkg.other import helper\n", frozenset({"pkg.suite"})),
])
def test_a_file_that_is_not_ascii_is_looked_at_as_the_parser_reads_it(
        tmp_path: Path, user: str, deferred: frozenset[str]) -> None:
    reach, _ = reach_counted(write(tmp_path, {**FILES, "pkg/user.py": user}))
    assert reach.deferred() == deferred


@pytest.mark.parametrize("reexport", [
    "from pkg import suite as ts\n",
    "import pkg.suite as ts\n",
    "from pkg import suite\n\nts = suite\n",
])
def test_a_module_re_exported_under_another_name_keeps_its_functions_reachable(
        tmp_path: Path, reexport: str) -> None:
    """The re-export names the suite's stem and none of its functions;
    ``reexport.ts.helper(3)`` in a third file names a function and not the stem. No single
    file names both, yet the call resolves into the suite: what its functions reach is not
    the suite's alone, and the names are the whole fixed point's."""
    files = {**FILES, "pkg/reexport.py": reexport,
             "pkg/caller.py": "from pkg import reexport\n\n\n"
                              "def run_it():\n    return reexport.ts.helper(3)\n"}
    reach, _ = reach_counted(write(tmp_path, files))
    assert reach.project.resolve("pkg.caller", "reexport.ts.helper") == Def("pkg.suite", "helper")
    assert "run_it" in reach.whole()
    assert reach.names() == reach.whole() and not reach.deferred()


def test_a_module_imported_under_its_own_name_is_still_deferred(tmp_path: Path) -> None:
    """``from pkg import suite`` binds the stem itself: a chain through it names the stem."""
    files = {**FILES, "pkg/reexport.py": "from pkg import suite\n"}
    reach, _ = reach_counted(write(tmp_path, files))
    assert reach.deferred() == {"pkg.suite"}


def test_the_gate_finds_a_call_through_a_renamed_module(
        tmp_path: Path, execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file naming no rule's vocabulary calls ``run_it``, which reaches the suite's run
    through ``reexport.ts``: found with the suite looked at, as with nothing deferred."""
    files = {**FILES, "pkg/reexport.py": "from pkg import suite as ts\n",
             "pkg/caller.py": "from pkg import reexport\n\n\n"
                              "def run_it():\n    return reexport.ts.helper(3)\n",
             "pkg/job.py": "from pkg.caller import run_it\n\nrun_it()\n"}
    execgov_cli.path = write(tmp_path, files)
    looked = execgov_cli("check", "-j1", "--no-cache", "--exit-zero", ".")
    monkeypatch.setattr(unseen, "_LOOKS", 0)
    walked = execgov_cli("check", "-j1", "--no-cache", "--exit-zero", ".")
    assert looked.out == walked.out
    assert b"pkg/job.py:3:1:" in looked.out
