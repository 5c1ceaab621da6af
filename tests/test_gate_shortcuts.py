"""The gate's shortcuts give flake8's (and the plugin's) answers.

- ``execgov check`` plans the fixes its summary line (and JSON, SARIF) promise where it
  checked each file, on the tree it parsed: never by reading and parsing the file again
  once the run is over. The promises are the ones ``formats.FixKinds`` makes on its own
  (flake8 with ``--format=execgov-json``), whatever the file's line endings or BOM.
- An ASCII file is split into lines without an incremental decoder: the lines are
  flake8's.
- At ``-j N`` the summaries a project-wide question needs before the workers fork are
  made by N processes, once there are enough of them to pay for the processes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from conftest import Execgov, Flake8Dir

STATES = ("from enum import Enum\n\n\nclass LifecycleState(Enum):\n    LOADED = 1\n\n\n"
          "def finish(plugin):\n    return plugin.run(), LifecycleState.SUCCESS\n")
SOURCES = {"plain.py": STATES.encode(),
           "crlf.py": STATES.replace("\n", "\r\n").encode(),
           "bom.py": b"\xef\xbb\xbf" + STATES.encode()}
SUMMARY = "Found 6 findings; 3 fixable with 'execgov fix'.\n"


def no_second_read(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov import formats

    def refuse(self: object, filename: str) -> None:
        raise AssertionError(f"{filename} planned after the run")

    monkeypatch.setattr(formats.FixKinds, "_plan", refuse)


def test_the_gate_plans_where_it_checked(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    for name, data in SOURCES.items():
        (flake8_dir.path / name).write_bytes(data)
    flake8 = json.loads(flake8_dir.run("--select=GOV", "--format=execgov-json", ".").out)
    assert sorted((d["path"], d["code"], d["fix"]) for d in flake8) == sorted(
        (f"./{name}", code, fix) for name in SOURCES
        for code, fix in (("GOV001", None), ("GOV005", "safe")))
    no_second_read(monkeypatch)
    execgov_cli.path = flake8_dir.path
    for jobs in ("-j1", "-j2"):
        assert execgov_cli("check", jobs).err == SUMMARY
        assert json.loads(execgov_cli("check", jobs, "--format=json").out) == flake8


def test_stdin_is_planned_as_read(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8 import utils

    no_second_read(monkeypatch)
    execgov_cli.path = flake8_dir.path
    try:
        found = execgov_cli("check", "--stdin-display-name=app.py", "-",
                            stdin=STATES.encode())
    finally:  # flake8 keeps what it read from stdin for the whole process
        utils.stdin_get_value.cache_clear()
    assert found.err == "Found 2 findings; 1 fixable with 'execgov fix'.\n"


@pytest.mark.parametrize("data", [
    b"x = 1\n", b"x = 1\r\ny = 2\r\n", b"a = 1\rb = 2\r", b"a\n\r\n\r\rb", b"", b"\n\n",
    b"x = 1", b"# -*- coding: latin-1 -*-\nx = '\xe9'\n", b"\xef\xbb\xbfx = 1\r\n",
    b"x = '\xc3\xa9'\r\n", b"x = '\xff'\n", b"# coding: ascii\nx = 1\r\n",
    b"# coding: utf-16\nx = 1\n"])
def test_lines_are_flake8s(tmp_path: Path, data: bytes) -> None:
    from flake8 import processor

    from flake8_execgov.gate.files import GateProcessor

    options = argparse.Namespace(hang_closing=False, indent_size=4, max_line_length=79,
                                 max_doc_length=None, verbose=0, disable_noqa=False)
    path = tmp_path / "m.py"
    path.write_bytes(data)
    assert GateProcessor(str(path), options).lines == \
        processor.FileProcessor(str(path), options).lines


def test_a_questions_summaries_are_shared_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov.gate import app
    from flake8_execgov.project.summary import summary_of

    started: list[int] = []
    start = app._start_pool
    monkeypatch.setattr(app, "_start_pool", lambda jobs: started.append(jobs) or start(jobs))
    texts = [f"import m{i}\n\n\ndef f():\n    return m{i}.run()\n".encode()
             for i in range(2 * app.FAN_OUT_MINIMUM)]
    with app._fan_out(2) as fan_out:
        assert list(fan_out(summary_of, texts[:3])) == [summary_of(t) for t in texts[:3]]
        assert started == []  # three modules: this process summarises them
        assert list(fan_out(summary_of, texts)) == [summary_of(t) for t in texts]
        assert list(fan_out(summary_of, texts)) == [summary_of(t) for t in texts]
    assert started == [2]  # one pool, for the run's question
