"""``execgov check``: exactly what ``flake8 --select=GOV`` reports, plus what it hides
(files that do not parse), and the CI formats (GitHub, SARIF 2.1.0, JSON)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CASE_FILES, ROOT, Execgov, Flake8Dir, run_in_process

CASES = CASE_FILES
BAD = "def handler(plugin, payload):\n    return plugin.run(payload)  # noqa: GOV004\n"
MIXED = ("def a(plugin):\n    return plugin.run(1)\n\n\n"
         "def b(plugin):\n    return plugin.run(2)  # noqa: GOV001\n\n\n"
         "def c(plugin):\n    return plugin.run(3)  # noqa\n\n\n"
         "update_execution_metrics('x', 'SUCCESS')\n")


def both(flake8_dir: Flake8Dir, execgov_cli: Execgov, *args: str) -> tuple[str, str]:
    """(flake8 --select=GOV ..., execgov check ...) outputs, after equal exit codes."""
    flake8 = flake8_dir.run("--select=GOV", *args)
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check", *args)
    err = SUMMARY.sub("", gate.err)  # the gate's own line after the default report
    assert (gate.exit_code, err) == (flake8.exit_code, flake8.err)
    return flake8.out, gate.out.decode()


SUMMARY = re.compile(r"Found \d+ findings?(; [^\n]*)?\.\n\Z")


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_every_fixture_and_the_reference_runtime(flake8_dir: Flake8Dir,
                                                 execgov_cli: Execgov) -> None:
    for case in CASES:
        flake8_dir.write(f"cases/{case.name}", case.read_text(encoding="utf-8"))
    shutil.copytree(ROOT / "reference_runtime", flake8_dir.path / "reference_runtime")
    shutil.copy(ROOT / "examples" / "plugin_server.py", flake8_dir.path / "example.py")
    flake8, gate = both(flake8_dir, execgov_cli, ".")
    assert flake8.count("\n") > 100 and gate == flake8


def test_configuration_files_noqa_and_excludes(flake8_dir: Flake8Dir,
                                               execgov_cli: Execgov) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n"
                                  "extend-exclude = build\nextend-ignore = GOV004\n")
    for folder in ("app", "tests", "build"):
        flake8_dir.write(f"{folder}/m.py", MIXED)
    flake8, gate = both(flake8_dir, execgov_cli)
    assert gate == flake8 == ("./app/m.py:2:12: GOV001 plugin.run() bypasses ToolRunner; "
                              "execute plugins through ToolRunner.run()\n")
    for args in (["--count", "--statistics", "."], ["--exit-zero", "app"],
                 ["--select=GOV004", "app"], ["--isolated", "tests"],
                 ["--format=%(path)s|%(row)d|%(code)s", "app"], ["--disable-noqa", "app"]):
        flake8, gate = both(flake8_dir, execgov_cli, *args)
        assert gate == flake8, args


def test_stdin_with_display_name(flake8_dir: Flake8Dir, tmp_path: Path) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores = tests/*: GOV001\n")
    outputs = []
    for command in (["flake8", "--select=GOV"], ["execgov", "check"]):
        for name in ("app/x.py", "tests/x.py"):
            proc = run_in_process(*command, "--stdin-display-name", name, "-", stdin=MIXED,
                                  cwd=flake8_dir.path)
            outputs.append((proc.returncode, proc.stdout.decode()))
    assert outputs[:2] == outputs[2:]
    assert outputs[0][1].startswith("app/x.py:2:12: GOV001") and outputs[1] == (1, (
        "tests/x.py:13:31: GOV004 state 'SUCCESS' reaching update_execution_metrics() is not "
        "a lifecycle state; use one of LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE\n"))


def test_parallel_jobs_equal_serial(flake8_dir: Flake8Dir) -> None:
    for i in range(8):
        flake8_dir.write(f"pkg/m{i}.py", MIXED)
    runs = [run_in_process(*command, "-j", jobs, "pkg", cwd=flake8_dir.path)  # -j2: forked
            for command in (["flake8", "--select=GOV"], ["execgov", "check"])
            for jobs in ("1", "2")]
    assert len({run.stdout for run in runs}) == 1 and runs[0].stdout.count(b"\n") == 16


def test_files_that_do_not_parse_fail_the_gate(flake8_dir: Flake8Dir,
                                               execgov_cli: Execgov) -> None:
    flake8_dir.write("broken.py", "def plugin(:\n    pass\n")
    flake8_dir.write("clean.py", "x = 1\n")
    hidden = flake8_dir.run("--select=GOV", ".")
    assert (hidden.exit_code, hidden.out) == (0, "")  # flake8 --select=GOV passes it
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check")
    assert gate.exit_code == 1
    # the column is CPython's own (it differs between versions)
    assert re.fullmatch(r"\./broken\.py:1:\d+: E999 SyntaxError: .*\n", gate.out.decode())


def test_prefiltered_files_are_read_not_parsed(flake8_dir: Flake8Dir,
                                               execgov_cli: Execgov) -> None:
    """A file naming nothing the rules know is never parsed (the gate costs a read there):
    its syntax is flake8's business, not the governance gate's."""
    flake8_dir.write("unrelated.py", "def f(:\n")
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("check").exit_code == 0


def test_github_format_escapes(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    flake8_dir.write("we,ird:dir/new\nline.py", "update_execution_metrics(n, 'A%0A::x')\n")
    execgov_cli.path = flake8_dir.path
    result = execgov_cli("check", "--format=github")
    assert result.out.decode() == (
        "::error file=./we%2Cird%3Adir/new%0Aline.py,line=1,col=29,title=GOV004::GOV004 state "
        "'A%250A::x' reaching update_execution_metrics() is not a lifecycle state; use one of "
        "LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE\n")
    assert execgov_cli("check", "--format", "github").out == result.out


def test_sarif_is_valid_sarif_2_1_0(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    flake8_dir.write("app/m.py", MIXED)
    flake8_dir.write("app/broken.py", "def plugin(:\n")
    execgov_cli.path = flake8_dir.path
    result = execgov_cli("check", "--format=sarif")
    assert result.exit_code == 1
    log = json.loads(result.out)
    jsonschema.validate(log, schema)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["GOV001", "GOV002", "GOV003"] and len(rules) == 12
    assert all(r["shortDescription"]["text"] and r["fullDescription"]["text"] and r["helpUri"]
               for r in rules)
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == flake8_dir.path.as_uri() + "/"
    found = [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
              r["locations"][0]["physicalLocation"]["region"]["startLine"],
              r["locations"][0]["physicalLocation"]["region"]["startColumn"])
             for r in run["results"]]
    assert found[0][:3] == ("E999", "app/broken.py", 1)  # the column is CPython's
    assert found[1:] == [("GOV001", "app/m.py", 2, 12), ("GOV004", "app/m.py", 13, 31)]
    flake8 = flake8_dir.run("--select=GOV", "--format=execgov-sarif", ".")
    assert json.loads(flake8.out)["runs"][0]["results"] == run["results"][1:]


def test_json_format(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    flake8_dir.write("m.py", MIXED)
    execgov_cli.path = flake8_dir.path
    data = json.loads(execgov_cli("check", "--format=json").out)
    assert data == [
        {"path": "./m.py", "line": 2, "column": 12, "code": "GOV001",
         "message": "plugin.run() bypasses ToolRunner; execute plugins through ToolRunner.run()",
         "fix": None},
        {"path": "./m.py", "line": 13, "column": 31, "code": "GOV004",
         "message": "state 'SUCCESS' reaching update_execution_metrics() is not a lifecycle "
                    "state; use one of LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE",
         "fix": "safe"}]


NOQA_SHAPES = '''\
x = plugin.run("""
text
""")  # noqa: GOV001
y = plugin.run(1) + \\
    2  # noqa
z = [
    plugin.run(2),  # noqa: GOV001
    plugin.run(3),
]


@decorate(plugin.run(4))  # noqa: GOV001
class Holder:
    value = plugin.run(5)
    note = """
    plugin.run(6)
    """
'''


def test_noqa_lines_match_flake8(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    """The gate finds a finding's ``# noqa`` line without tokenizing the whole file; it
    must be flake8's line: the whole run of a multi-line string or a continuation."""
    flake8_dir.write("shapes.py", NOQA_SHAPES)
    flake8, gate = both(flake8_dir, execgov_cli, "-j1", "--show-source", "shapes.py")
    assert gate == flake8
    assert [line.split(":")[1] for line in gate.splitlines() if line.startswith("shapes")] \
        == ["8", "14"]


def test_noqa_lines_of_nested_statements_match_flake8(flake8_dir: Flake8Dir,
                                                      execgov_cli: Execgov) -> None:
    source = ('class Holder:\n'
              '    def run(self, plugin):\n'
              '        if plugin.run(1):  # noqa: GOV001\n'
              '            x = plugin.run("""\n'
              '            text\n'
              '            """)  # noqa\n'
              '            y = plugin.run(2) + \\\n'
              '                3  # noqa\n'
              '# a comment at the margin\n'
              '            return plugin.run(3)\n')
    flake8_dir.write("nested.py", source)
    flake8, gate = both(flake8_dir, execgov_cli, "-j1", "--show-source", "nested.py")
    assert gate == flake8
    assert [line.split(":")[1] for line in gate.splitlines() if line.startswith("nested")] \
        == ["10"]


HEADER_SHAPES = '''\
class Holder:
    def run(self, plugin,
            value=plugin.run(1)):  # noqa: GOV001
        if (plugin.run(2) and
                ready):  # noqa
            pass
        # a comment between statements
        elif plugin.run(3) or \\
                other:  # noqa: GOV001
            pass
        try:
            pass
        except (plugin.run(4),
                KeyError):  # noqa
            pass
        with plugin.run(5) as a, \\
                b:
            pass
        while plugin.run(6) or \\
                waiting:
            pass
'''


def test_noqa_lines_of_multi_line_headers_match_flake8(flake8_dir: Flake8Dir,
                                                       execgov_cli: Execgov) -> None:
    """A finding in a compound statement's header: its token run is within the header's
    lines, printed whole by ``--show-source`` (flake8's physical line)."""
    flake8_dir.write("headers.py", HEADER_SHAPES)
    flake8, gate = both(flake8_dir, execgov_cli, "-j1", "--show-source", "headers.py")
    assert gate == flake8
    # a noqa after a bracketed line break is not on the finding's token run (flake8)
    assert [line.split(":")[1] for line in gate.splitlines() if line.startswith("headers")] \
        == ["4", "13", "16", "19"]
    assert "        with plugin.run(5) as a, \\\n                b:\n" in gate


SPAWNED = """\
import multiprocessing, sys
multiprocessing.set_start_method("spawn")
from flake8_execgov.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_spawned_workers_are_the_gate_too(flake8_dir: Flake8Dir) -> None:
    """A spawned worker (Windows, macOS, Python 3.14's forkserver) inherits nothing: it
    must become the gate itself, not run every installed plugin. The gate never tokenizes,
    so flake8's own ``--benchmark`` counts no token in any worker."""
    flake8_dir.write("a.py", MIXED)
    flake8_dir.write("b.py", BAD)
    flake8_dir.write("broken.py", "def plugin(:\n")
    gate = subprocess.run([sys.executable, "-c", SPAWNED, "check", "-j2", "--benchmark",
                           "a.py", "b.py", "broken.py"], cwd=flake8_dir.path,
                          capture_output=True, text=True, check=False)
    flake8 = flake8_dir.run("--select=GOV,E999", "-j2", "a.py", "b.py", "broken.py")
    findings = [line for line in gate.stdout.splitlines() if ".py:" in line]
    assert (gate.returncode, gate.stderr) == (1, "Found 4 findings; 1 fixable with 'execgov fix'.\n")
    assert findings == flake8.out.splitlines()
    assert re.search(r"^0 +total tokens processed$", gate.stdout, re.M), gate.stdout


def test_the_gate_leaves_flake8_and_the_collector_as_it_found_them(
        flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    """The gate tunes the cyclic collector and specialises flake8 for its own run only:
    flake8 run afterwards in the same process (an editor, a test) is flake8 again."""
    import gc

    from flake8 import checker

    threshold, file_checker = gc.get_threshold(), checker.FileChecker
    flake8_dir.write("b.py", BAD)
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("check", "b.py").exit_code == 1
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, 0)
    assert checker.FileChecker is file_checker


def test_version_names_execgov_then_the_flake8_it_runs_on(tmp_path: Path) -> None:
    """``execgov check --version`` starts as ``execgov --version`` does (flake8's own line
    would lead with flake8's version, read as execgov's); flake8's stays flake8's. The two
    console scripts run as installed: their one smoke test each."""
    import platform

    import flake8

    from flake8_execgov import __version__

    def script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
        found = Path(sys.executable).with_name(name)
        command = str(found) if found.exists() else shutil.which(name)
        assert command, f"the {name} console script is not installed"
        return subprocess.run([command, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=120)

    top = script("execgov", "--version")
    gate = run_in_process("execgov", "check", "--version", cwd=tmp_path)
    python = f"{platform.python_implementation()} {platform.python_version()} on " \
             f"{platform.system()}"
    assert (gate.returncode, gate.stdout.decode(), gate.stderr) == (
        0, f"execgov {__version__} (flake8 {flake8.__version__}, {python})\n", b"")
    assert (top.returncode, top.stderr) == (0, "")
    assert gate.stdout.decode().startswith(top.stdout.rstrip("\n") + " ")
    assert script("flake8", "--version").stdout.startswith(f"{flake8.__version__} (")
