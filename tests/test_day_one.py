"""The first day of adoption, as a team walks it (issue 20): fixes that respect the baseline,
a stdin mode editors can trust, ``execgov check`` that behaves like its peers, a ``--diff``
that ``git apply`` takes, per-finding fix promises that hold, options that extend defaults.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CASE_FILES, ROOT, Execgov, Flake8Dir, execgov, execgov_text

CONFIG = "[flake8]\nexecgov-baseline = ./.execgov-baseline.json\n"
RUNTIME = '''\
def record(name):
    update_execution_metrics(name, "SUCCESS")
'''
RUNNER = '''\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(plugin.run(payload))
            update_execution_metrics(name, "INITIALIZED", 0, False)
        except Exception as exc:
            return None, build_error_envelope(exc)
        return result, None

    def run_bound(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(plugin.run(payload))
            update_execution_metrics(name, result.state, 0, False)
        except Exception as exc:
            return None, build_error_envelope(exc)
        return result, None
'''
ENUM = '''\
class LifecycleState(enum.Enum):
    LOADED = "LOADED"
    SUCCESS = "SUCCESS"


def record(name):
    update_execution_metrics(name, LifecycleState.SUCCESS)
'''


# -- 3. fixes respect the baseline --------------------------------------------------------


def test_fix_leaves_baselined_findings_alone(flake8_dir: Flake8Dir,
                                             execgov_cli: Execgov) -> None:
    flake8_dir.write("setup.cfg", CONFIG)
    target = flake8_dir.write("app/runtime.py", RUNTIME)
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("baseline").exit_code == 0
    left = "1 baselined finding left unfixed (execgov fix --include-baselined fixes it)\n"
    check = execgov_cli("fix", "--check")
    assert (check.exit_code, check.out, check.err) == (0, b"", left)
    fixed = execgov_cli("fix")
    assert (fixed.exit_code, fixed.out, target.read_text()) == (0, b"", RUNTIME)
    target.write_text(RUNTIME + '    update_execution_metrics(name, "ERROR")\n')
    fixed = execgov_cli("fix")
    assert (fixed.exit_code, fixed.out, fixed.err) == (1, b"./app/runtime.py: fixed\n", left)
    assert target.read_text() == RUNTIME + '    update_execution_metrics(name, "FAILED")\n'
    everything = execgov_cli("fix", "--include-baselined")
    assert (everything.exit_code, everything.err) == (1, "")
    assert '"INITIALIZED"' in target.read_text()
    assert execgov_cli("baseline", "--check").exit_code == 1  # now stale, as it should be


def test_stdin_fix_respects_the_baseline(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text(CONFIG)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "runtime.py").write_text(RUNTIME)
    assert execgov("baseline", cwd=tmp_path).returncode == 0
    result = execgov("fix", "-", "--stdin-filename", "app/runtime.py",
                     stdin=RUNTIME.encode(), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, RUNTIME.encode())


# -- 5. stdin exit codes ------------------------------------------------------------------


def test_stdin_fix_exits_0_when_it_printed_the_result(tmp_path: Path) -> None:
    fixed = execgov("fix", "-", "--stdin-filename", "app/runner.py",
                    stdin=RUNTIME.encode(), cwd=tmp_path)
    assert (fixed.returncode, fixed.stdout, fixed.stderr) == (
        0, RUNTIME.replace("SUCCESS", "INITIALIZED").encode(), b"")
    broken = execgov("fix", "-", stdin=b"def f(:\n", cwd=tmp_path)
    assert (broken.returncode, broken.stdout) == (1, b"def f(:\n")
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-run-methodz = go\n")
    config = execgov("fix", "-", stdin=RUNTIME.encode(), cwd=tmp_path)
    assert (config.returncode, config.stdout, config.stderr.decode()) == (
        2, RUNTIME.encode(), "execgov: error: setup.cfg: unknown option 'execgov-run-methodz' "
                             "(did you mean 'execgov-run-methods'?)\n")
    diff = execgov("fix", "--diff", "-", stdin=b"def f(:\n", cwd=tmp_path)
    assert (diff.returncode, diff.stdout) == (2, b"")


# -- 6. execgov check is execgov check ----------------------------------------------------


def test_an_unknown_format_is_a_usage_error(flake8_dir: Flake8Dir,
                                            execgov_cli: Execgov) -> None:
    flake8_dir.write("a.py", RUNTIME)
    execgov_cli.path = flake8_dir.path
    typo = execgov_cli("check", "--format=gihub")
    assert (typo.exit_code, typo.out, typo.err) == (2, b"", (
        "execgov check: error: --format: unknown format 'gihub' (did you mean 'github'?); "
        "use one of default, pylint, quiet-filename, quiet-nothing, github, sarif, json or a "
        "template such as '%(path)s:%(row)d: %(code)s %(text)s'\n"))
    flake8_dir.write("setup.cfg", "[flake8]\nformat = github\n")  # short names in config too
    annotated = execgov_cli("check")
    assert annotated.out.decode().startswith("::error file=./a.py,line=2,col=36,title=GOV004")
    template = execgov_cli("check", "--format=%(row)d %(code)s")
    assert template.out == b"2 GOV004\n"
    bad_flag = execgov_cli("check", "--bogus")
    assert bad_flag.exit_code == 2 and bad_flag.err.splitlines() == [
        "usage: execgov check [options] file file ...",
        "execgov check: error: unrecognized arguments: --bogus"]


def test_check_help_shows_what_the_gate_reads(tmp_path: Path) -> None:
    result = execgov_text("check", "--help", cwd=tmp_path,
                          env={"COLUMNS": "1000"})  # no hyphenation
    text = " ".join(result.stdout.split())
    assert result.returncode == 0 and text.startswith("usage: execgov check [options]")
    assert ("--format format The report: default, pylint, quiet-filename, quiet-nothing, "
            "github (GitHub annotations), sarif (SARIF 2.1.0), json, or a template") in text
    for hidden in ("--max-line-length", "--max-doc-length", "--indent-size", "--hang-closing"):
        assert hidden not in text
    for shown in ("--per-file-ignores", "--exclude", "--select", "--execgov-baseline",
                  "--execgov-extend-inspection-functions"):
        assert shown in text


# -- 7. --diff that git apply and patch take ----------------------------------------------


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("patch") is None,
                    reason="needs git and patch")
def test_diff_output_applies_with_git_and_patch(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "x.py").write_text(RUNTIME)
    (tmp_path / "app" / "no_newline.py").write_text(RUNTIME.rstrip("\n"))
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    diff = execgov("fix", "--diff", ".", cwd=tmp_path)
    assert diff.returncode == 1
    text = diff.stdout.decode()
    assert "--- a/app/x.py\n+++ b/app/x.py\n" in text and "./" not in text
    assert text.count("\\ No newline at end of file\n") == 2
    absolute = execgov("fix", "--diff", str(tmp_path / "app" / "x.py"), cwd=tmp_path)
    assert absolute.stdout.decode().startswith("--- a/app/x.py\n+++ b/app/x.py\n")
    patch = tmp_path / "fix.patch"
    patch.write_bytes(diff.stdout)
    git = subprocess.run(["git", "apply", "--check", str(patch)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert (git.returncode, git.stderr) == (0, "")
    dry = subprocess.run(["patch", "-p1", "--dry-run", "-i", str(patch)], cwd=tmp_path,
                         capture_output=True, text=True)
    assert dry.returncode == 0, dry.stdout + dry.stderr
    subprocess.run(["git", "apply", str(patch)], cwd=tmp_path, check=True)
    assert execgov("fix", "--check", ".", cwd=tmp_path).returncode == 0  # the patch is the fix
    assert (tmp_path / "app" / "no_newline.py").read_text() == \
        RUNTIME.replace("SUCCESS", "INITIALIZED").rstrip("\n")


# -- 8. fix promises per finding, the summary line, what --unsafe-fixes cannot do ---------


def test_fix_field_is_per_finding(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    flake8_dir.write("enum_def.py", ENUM)
    flake8_dir.write("runner.py", RUNNER)
    execgov_cli.path = flake8_dir.path
    data = json.loads(execgov_cli("check", "--format=json").out)
    assert [(d["path"], d["line"], d["code"], d["fix"]) for d in data] == [
        ("./enum_def.py", 3, "GOV005", None),  # a member definition: never rewritten
        ("./enum_def.py", 7, "GOV005", "safe"),
        ("./runner.py", 6, "GOV002", "unsafe"),
        ("./runner.py", 16, "GOV002", None),  # its call reads `result`, bound in the try
    ]
    sarif = json.loads(execgov_cli("check", "--format=sarif").out)
    assert [r["properties"]["fix"] for r in sarif["runs"][0]["results"]] == \
        [d["fix"] for d in data]
    flake8 = flake8_dir.run("--select=GOV", "--format=execgov-json", ".")
    assert json.loads(flake8.out) == data
    default = execgov_cli("check")
    assert (default.exit_code, default.out.decode().count("\n"), default.err) == (1, 4, (
        "Found 4 findings; 1 fixable with 'execgov fix' (1 more with "
        "'execgov fix --unsafe-fixes').\n"))
    unsafe = execgov_cli("fix", "--unsafe-fixes")
    assert unsafe.exit_code == 1
    assert sorted(unsafe.err.splitlines()) == [
        "./enum_def.py:3:5: GOV005 not fixed: only uses of a member are rewritten, not its "
        "definition, a store or a deletion",
        "./runner.py:16:45: GOV002 not fixed: the metrics call uses result, bound inside the "
        "try; bind it before the try"]
    after = execgov_cli("check")
    assert after.err == "Found 2 findings.\n"
    assert execgov_cli("check", "--format=json").err == ""  # machine formats: no summary


@pytest.mark.untraced  # every line it runs is traced by a lighter test; untraced, it costs a third
def test_fix_promises_hold_over_every_fixture(flake8_dir: Flake8Dir,
                                              execgov_cli: Execgov) -> None:
    """What JSON promises per finding is what ``execgov fix`` does: after the safe fixes
    exactly the "safe" findings are gone, after ``--unsafe-fixes`` the "unsafe" too."""
    for case in CASE_FILES:
        flake8_dir.write(f"cases/{case.name}", case.read_text(encoding="utf-8"))
    shutil.copy(ROOT / "examples" / "plugin_server.py", flake8_dir.path / "example.py")
    flake8_dir.write("runner.py", RUNNER)
    execgov_cli.path = flake8_dir.path

    def kinds() -> list[tuple[str, str | None]]:
        found = json.loads(execgov_cli("check", "--format=json", "--isolated").out)
        return [(f"{d['path']}:{d['code']}:{d['message']}", d["fix"]) for d in found
                if d["code"].startswith("GOV")]

    before = kinds()
    assert {kind for _, kind in before} == {None, "safe", "unsafe"}
    execgov_cli("fix", "--isolated")
    assert sorted(kinds(), key=str) == sorted((k for k in before if k[1] != "safe"), key=str)
    fixed = execgov_cli("fix", "--isolated", "--unsafe-fixes")
    assert "could not apply" not in fixed.err
    assert sorted(kinds(), key=str) == sorted((k for k in before if k[1] is None), key=str)


# -- 9. extend a default; name the file ---------------------------------------------------


def test_extend_adds_to_the_default(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    source = "def report(plugin):\n    my_report(plugin.run)\n    repr(plugin.run)\n"
    flake8_dir.write("a.py", source)
    assert flake8_dir.run("a.py").findings == [(2, 15, "GOV001")]
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-extend-inspection-functions = my_report\n")
    assert flake8_dir.run("a.py").findings == []  # my_report added, repr kept
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-inspection-functions = my_report\n")
    assert flake8_dir.run("a.py").findings == [(3, 10, "GOV001")]  # replaced: repr gone
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-extend-lifecycle-states = QUEUED\n"
                                  "execgov-extend-state-replacements = PENDING:QUEUED\n")
    execgov_cli.path = flake8_dir.path
    shown = execgov_cli("check-config").out.decode().splitlines()
    assert shown[0] == "# configuration read: setup.cfg"
    assert "execgov-lifecycle-states = LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE, " \
           "QUEUED" in shown
    assert "execgov-state-replacements = SUCCESS:INITIALIZED, ERROR:FAILED, PENDING:QUEUED" \
        in shown
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-extend-state-replacements = SUCCESS:RUNNING\n")
    clash = execgov_cli("check-config")
    assert (clash.exit_code, clash.err) == (2, (
        "execgov: error: setup.cfg: execgov-extend-state-replacements: 'SUCCESS' is replaced "
        "already (SUCCESS:INITIALIZED); set execgov-state-replacements instead\n"))


def test_config_errors_name_the_file_read(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-forbidden-statuses = 500\n")
    flake8_dir.write("ci.cfg", "[flake8]\nexecgov-forbidden-statuses = 999\n")
    flake8_dir.write("a.py", "x = 1\n")
    execgov_cli.path = flake8_dir.path
    shown = execgov_cli("check-config", "--config", "ci.cfg")
    assert (shown.exit_code, shown.err) == (2, (
        "execgov: error: ci.cfg: execgov-forbidden-statuses: '999' is not an HTTP status code "
        "(100-599)\n"))
    isolated = execgov_cli("check-config", "--isolated")
    assert isolated.out.decode().splitlines()[0] == "# configuration read: none (--isolated)"
    appended = execgov_text("check", "--append-config=ci.cfg", "a.py", cwd=flake8_dir.path)
    assert (appended.returncode, appended.stderr) == (2, (
        "execgov check: error: ci.cfg: execgov-forbidden-statuses: '999' is not an HTTP "
        "status code (100-599)\n"))


# -- 10. the front page -------------------------------------------------------------------


def test_readme_front_page(flake8_dir: Flake8Dir) -> None:
    """The two quickstart commands, the example on the first screen with its real output,
    links that lead somewhere, a version that matches the changelog."""
    import re

    from flake8_execgov import __version__

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("bash .ci/bootstrap && .venv/bin/flake8 --select=GOV "
                    "examples/plugin_server.py\n",
                    "bash .ci/bootstrap && .venv/bin/python -m pytest\n"):
        assert command in readme
    source = readme.split("```python\n", 1)[1].split("```", 1)[0]
    console = readme.split("```console\n", 1)[1].split("```", 1)[0].splitlines()
    assert readme.index("```console") < 3000  # on the first screen
    flake8_dir.write("app/service.py", source)
    shown = console[1:console.index(next(line for line in console[1:] if line[0] == "$"))]
    assert flake8_dir.run("app/service.py").lines == shown
    for page in [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")]:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:\s]+\.md)(?:#[^)]*)?\)", text):
            assert (page.parent / target).exists(), (page.name, target)
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## (\S+)", changelog, re.M).group(1) == __version__  # type: ignore
    version = execgov_text("--version", cwd=flake8_dir.path)
    assert version.stdout == f"execgov {__version__}\n"


def test_a_file_that_does_not_parse_keeps_its_entries(flake8_dir: Flake8Dir,
                                                      execgov_cli: Execgov) -> None:
    flake8_dir.write("setup.cfg", CONFIG)
    flake8_dir.write("a.py", RUNTIME)
    flake8_dir.write("b.py", RUNTIME)
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("baseline").exit_code == 0
    flake8_dir.write("a.py", "def record(:\n")
    again = execgov_cli("baseline")
    assert (again.exit_code, again.out.decode().split(": ", 1)[1]) == (
        1, "2 entries, 2 findings (1 from ., 1 kept from other paths)\n")
    assert again.err.startswith("./a.py: skipped: ")
    check = execgov_cli("baseline", "--check")
    assert (check.exit_code, check.out) == (1, b"")  # nothing stale, but a.py unread


def test_plan_edge_cases(tmp_path: Path) -> None:
    """The plan says "no" where libcst would not apply the fix either."""
    import ast

    from flake8_execgov.config.options import DEFAULT_CONFIG
    from flake8_execgov.config.sources import config_files, source_of, stage_one
    from flake8_execgov.engine import analyse
    from flake8_execgov.fix.fixer import fix_text
    from flake8_execgov.fix.plan import verdicts
    from flake8_execgov.source.lines import source_lines

    source = ('class ToolRunner:\n'
              '    def run(self, name, payload):\n'
              '        validate_input_payload(payload)\n'
              '        try:\n'
              '            r = validate_plugin_output(plugin.run(payload)); '
              'update_execution_metrics(name, "LOADED")\n'
              '        except Exception as exc:\n'
              '            return build_error_envelope(exc)\n'
              '        return r\n'
              'update_execution_metrics(n, "SUCCESS" "")\n')
    tree, lines = ast.parse(source), source_lines(source)
    found = analyse(tree, lines, DEFAULT_CONFIG)
    assert [(f.code, v.kind) for f, v in zip(found, verdicts(tree, lines, found,
                                                             DEFAULT_CONFIG))] == [
        ("GOV002", None), ("GOV004", "safe")]
    assert fix_text(source, DEFAULT_CONFIG, unsafe=True).endswith(
        'update_execution_metrics(n, "INITIALIZED" "")\n')
    assert stage_one(["--config"]).config is None  # not flake8's command line: no error
    assert config_files(["--isolated"]) == []
    (tmp_path / "broken.cfg").write_text("[flake8\n")
    assert source_of(["execgov-x"], [str(tmp_path / "broken.cfg")], True) == \
        str(tmp_path / "broken.cfg")
