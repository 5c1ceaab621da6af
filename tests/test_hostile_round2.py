"""Hostile input, round 2 (issue 21): no safe fix changes a value, no input aborts a run,
the gate equals flake8. One test (or more) per numbered point, run as users run the tools:
flake8, ``execgov check``, ``execgov fix`` (files and stdin), ``execgov baseline``.
Points 1 and the prefilter half of 7 have their tests with the prefilter."""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import NO_PROJECT, Execgov, Flake8Dir, run_in_process

NOT_FIXED = " (an unsafe fix: --unsafe-fixes applies it)"


def execgov_process(cwd: Path, *args: str, stdin: bytes = b"",
                    timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    """A real process, for what would take the test run down with it: a native crash of
    libcst's parser, a read that blocks or never ends (the timeout turns it into a
    failure)."""
    return subprocess.run([sys.executable, "-m", "flake8_execgov.cli", *args], cwd=cwd,
                          input=stdin, capture_output=True, timeout=timeout)


# -- 2: a safe fix never changes another value ---------------------------------------------

LEAKS = """\
def walrus(n):
    update_execution_metrics(n, (st := "SUCCESS"))
    return st


def chained(n):
    state = job_status = "SUCCESS"
    update_execution_metrics(n, state)
    return job_status


def declared_global(n):
    global STATUS
    STATUS = "SUCCESS"
    update_execution_metrics(n, STATUS)


def outer(n):
    st = None

    def inner():
        nonlocal st
        st = "SUCCESS"
        update_execution_metrics(n, st)
    inner()
    return st


def loop_target(n, jobs):
    st = "SUCCESS"
    for st in jobs:
        pass
    update_execution_metrics(n, st)


def walrus_passed_on(n):
    record((st := "SUCCESS"))
    update_execution_metrics(n, st)


def attribute(n, job):
    job.state = st = "SUCCESS"
    update_execution_metrics(n, st)
"""


def test_safe_fixes_leave_literals_that_reach_anything_else(flake8_dir: Flake8Dir,
                                                            execgov_cli: Execgov) -> None:
    flake8_dir.write("a.py", LEAKS)
    assert [code for _, _, code in flake8_dir.run("a.py").findings] == ["GOV004"] * 7
    execgov_cli.path = flake8_dir.path
    result = execgov_cli("fix", "a.py")
    assert (result.exit_code, result.out) == (0, b"")
    assert (flake8_dir.path / "a.py").read_text() == LEAKS
    expected = [
        ("2:40", "st is also used on line 3"),
        ("7:26", "job_status is also used on line 9"),
        ("14:14", "STATUS is declared global: other code can read it"),
        ("23:14", "st is declared nonlocal: other code can read it"),
        ("30:10", "st is also bound on line 31 (not by a plain assignment)"),
        ("37:19", "the walrus (st := ...) on line 37 also passes the value on"),
        ("42:22", "the value is also assigned to job.state (line 42)")]
    assert result.err.splitlines() == [f"a.py:{line}: GOV004 not fixed: {why}{NOT_FIXED}"
                                       for line, why in expected]
    unsafe = execgov_cli("fix", "--unsafe-fixes", "a.py")
    assert (unsafe.exit_code, unsafe.err) == (1, "")
    assert (flake8_dir.path / "a.py").read_text() == LEAKS.replace('"SUCCESS"', '"INITIALIZED"')


# -- 3: the unsafe fix's "bound inside the try" knows match captures -------------------------

@pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10")
def test_a_match_capture_in_the_try_keeps_the_call(execgov_cli: Execgov) -> None:
    source = textwrap.dedent("""\
        class ToolRunner:
            def run(self, name, payload):
                validate_input_payload(payload)
                try:
                    result = validate_plugin_output(self.plugin.run(payload))
                    match result:
                        case {"state": st}:
                            pass
                    update_execution_metrics(name, "INITIALIZED", st)
                except Exception as exc:
                    return build_error_envelope(exc)
        """)
    result = execgov_cli("fix", "--unsafe-fixes", "-", stdin=source.encode())
    assert (result.exit_code, result.out.decode()) == (0, source)
    assert result.err == NO_PROJECT + ("stdin:5:45: GOV002 not fixed: the metrics call uses "
                                       "st, bound inside the try; bind it before the try\n")


def test_names_every_binding_form_binds() -> None:
    from flake8_execgov.fix.plan import _bound, _unbound_after

    module = ast.parse(
        "del gone\nglobal g\n[x for comp in y]\n[(w := 1) for z in y]\n"
        + ("match v:\n    case {'k': cap, **rest}: pass\n    case [a1, *star]: pass\n"
           "    case str() as s2: pass\n" if sys.version_info >= (3, 10) else ""))
    expected = ["g", "gone", "w"] + (["a1", "cap", "rest", "s2", "star"]
                                     if sys.version_info >= (3, 10) else [])
    assert sorted(_bound(module.body)) == sorted(expected)
    handler = ast.parse("try:\n    pass\nexcept E as err:\n    del other\n").body[0]
    assert isinstance(handler, ast.Try)
    assert _unbound_after(handler.handlers) == {"err", "other"}


# -- 4: only the bytes of the fix change -------------------------------------------------------

@pytest.mark.parametrize("data", [
    b"# -*- coding: unicode_escape -*-\nx = 'caf\\u00e9'\n"
    b"update_execution_metrics(n, 'SUCCESS')\n",
    b"# coding: utf-7\nx = '+AOk-'\nupdate_execution_metrics(n, 'SUCCESS')\n",
    b"# coding: cp932\nx = '\x87\x90'\nupdate_execution_metrics(n, 'SUCCESS')\n",
], ids=["unicode_escape", "utf-7", "cp932-duplicate"])
def test_fixes_rewrite_only_their_own_bytes(execgov_cli: Execgov, data: bytes) -> None:
    (execgov_cli.path / "a.py").write_bytes(data)
    result = execgov_cli("fix", "a.py")
    assert (result.exit_code, result.err) == (1, "")
    assert (execgov_cli.path / "a.py").read_bytes() == data.replace(b"SUCCESS", b"INITIALIZED")
    piped = run_in_process("execgov", "fix", "-", stdin=data, cwd=execgov_cli.path)
    assert piped.stdout == data.replace(b"SUCCESS", b"INITIALIZED")


def test_a_span_inside_a_shift_sequence_is_refused() -> None:
    from flake8_execgov.source.files import Decoded, SourceError

    data = b"# coding: utf-7\nx = '+AOkA6Q-'\n"  # two e-acute in one base64 run
    decoded = Decoded.from_bytes(data)
    with pytest.raises(SourceError, match="cannot be rewritten byte for byte"):
        decoded.splice(data, decoded.text.replace("\u00e9\u00e9", "\u00e9x"))
    assert decoded.splice(data, decoded.text.replace("x =", "y =")) == data.replace(b"x", b"y")


# -- 5: the gate reads # noqa where flake8 does, on multi-statement lines too ----------------

MULTI = '''\
plugin.run(1); x = """
text
"""  # noqa: GOV001
plugin.run(2); y = 1 + \\
    2  # noqa
z = (1,
     2); plugin.run(3)  # noqa
a = 1; \\
plugin.run(4)  # noqa
if plugin.run(5): b = """
"""  # noqa
if ready: plugin.run(6); c = """
"""  # noqa
plugin.run(7)  # a comment ending in a backslash \\
d = 1
'''


def test_noqa_after_a_second_statement_matches_flake8(flake8_dir: Flake8Dir,
                                                      execgov_cli: Execgov) -> None:
    flake8_dir.write("multi.py", MULTI)
    flake8 = flake8_dir.run("--select=GOV", "multi.py")
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check", "multi.py")
    assert gate.out.decode() == flake8.out
    assert [line.split(":")[1] for line in flake8.out.splitlines()] == ["14"]


# -- 6: one file's parser failure is that file's line, not the run's end -------------------

def test_a_too_deep_expression_is_one_e999_line(execgov_cli: Execgov) -> None:
    (execgov_cli.path / "deep.py").write_text("x = " + "-" * 3000 + "1\nplugin.run(1)\n")
    (execgov_cli.path / "good.py").write_text("plugin.run(1)\n")
    result = execgov_cli("check", "deep.py", "good.py")
    assert result.exit_code == 1
    lines = result.out.decode().splitlines()
    assert len(lines) == 2 and lines[0].startswith("deep.py:1:1: E999 ")
    assert lines[1].startswith("good.py:1:1: GOV001 ")


# -- 7: the gate's noqa lookup is linear in the findings of a block ------------------------

def test_noqa_lookup_is_linear_in_the_findings_of_a_block(
        execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from flake8_execgov.source import statements

    calls = [0]

    def counted(stmt: ast.stmt) -> int:
        calls[0] += 1
        return statements.first_line(stmt)

    for name in ("flake8_execgov.gate.files", "flake8_execgov.source.noqa_regions"):
        try:
            module = importlib.import_module(name)
        except ImportError:  # pragma: no cover - the layout before
            continue
        if hasattr(module, "first_line"):
            monkeypatch.setattr(module, "first_line", counted)
    findings = 200  # quadratic: about 20,000 calls, ten times the bound below
    body = "".join(f"    plugin.run({i})\n" for i in range(findings))
    (execgov_cli.path / "many.py").write_text("def f(plugin):\n" + body)
    result = execgov_cli("check", "many.py")
    assert result.out.count(b"GOV001") == findings
    assert calls[0] < 10 * findings  # quadratic: about findings**2 / 2


# -- 8: a garbage baseline is one line, exit 2 ------------------------------------------------

GARBAGE = {
    "non-string-path": '{"format": "flake8-execgov baseline 1", "findings": [{"path": 1, '
                       '"code": "GOV001", "scope": "f", "source": "plugin.run", "count": 1}]}',
    "lone-surrogate": '{"format": "flake8-execgov baseline 1", "findings": [{"path": "a.py", '
                      '"code": "GOV001", "scope": "f", "source": "\\ud800", "count": 1}]}',
    "deep": "[" * 100_000 + "]" * 100_000,
    "entry-not-an-object": '{"format": "flake8-execgov baseline 1", "findings": [1]}',
}


@pytest.mark.parametrize("name", sorted(GARBAGE))
def test_garbage_baselines_are_one_line(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                        name: str) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-baseline = ./b.json\n")
    flake8_dir.write("a.py", "def f(plugin):\n    return plugin.run(1)\n")
    (flake8_dir.path / "b.json").write_text(GARBAGE[name])
    linted = flake8_dir.run("--select=GOV", "a.py")
    assert (linted.exit_code, linted.out) == (2, "")
    assert linted.err.startswith("flake8: error: ") and "execgov-baseline: " in linted.err
    assert linted.err.count("\n") == 1
    execgov_cli.path = flake8_dir.path
    for command in (["check", "a.py"], ["baseline", "--check", "a.py"],
                    ["baseline", "--update", "a.py"]):
        result = execgov_cli(*command)
        assert (result.exit_code, result.out) == (2, b""), command
        assert result.err.count("\n") == 1 and "Traceback" not in result.err, command


# -- 9: baseline write targets --------------------------------------------------------------

def test_baseline_writes_through_symlinks_and_refuses_what_is_no_file(
        execgov_cli: Execgov) -> None:
    root = execgov_cli.path
    (root / "a.py").write_text("def f(plugin):\n    return plugin.run(1)\n")
    (root / "link.json").symlink_to("real.json")  # a link to a baseline yet to write
    assert execgov_cli("baseline", "--file", "link.json", "a.py").exit_code == 0
    assert (root / "link.json").is_symlink() and '"GOV001"' in (root / "real.json").read_text()
    os.mkfifo(root / "fifo.json")
    (root / "folder.json").mkdir()
    for target, why in [("fifo.json", "cannot read it (not a regular file (a FIFO))"),
                        ("folder.json", "cannot read it (not a regular file (a folder))"),
                        ("missing/b.json", f"cannot write it (no such folder: "
                                           f"'{root / 'missing'}')"),
                        ("a.py/b.json", f"cannot write it (not a folder: '{root / 'a.py'}')")]:
        result = execgov_cli("baseline", "--file", target, "a.py")
        assert (result.exit_code, result.out) == (2, b""), target
        assert result.err == f"execgov: error: {target}: {why}\n"
    assert stat.S_ISFIFO(os.stat(root / "fifo.json").st_mode)


# -- 10: a crash of libcst's native parser cannot take the buffer ------------------------------

BOOL_CHAIN = ("x = " + " and ".join(["a"] * 8000) +
              "\nupdate_execution_metrics(n, 'SUCCESS')\n").encode()


def test_a_flat_boolean_chain_is_refused_and_echoed(tmp_path: Path) -> None:
    result = execgov_process(tmp_path, "fix", "-", stdin=BOOL_CHAIN)
    assert (result.returncode, result.stdout) == (1, BOOL_CHAIN)
    assert result.stderr == NO_PROJECT.encode() + (
        b"stdin: skipped: not fixed: the code is nested more than 100 "
        b"levels deep, more than libcst can take; fix it by hand\n")


def test_a_native_crash_on_stdin_still_echoes_the_buffer(tmp_path: Path) -> None:
    """The guard switched off: libcst's parser dies (SIGSEGV) in a child, not here."""
    script = ("import sys\nfrom flake8_execgov.fix import fixer\n"
              "fixer.MAX_FIX_DEPTH = 10 ** 9\nfrom flake8_execgov.cli import main\n"
              "sys.exit(main(['fix', '-']))\n")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, input=BOOL_CHAIN,
                            capture_output=True, timeout=120)
    assert (result.returncode, result.stdout) == (1, BOOL_CHAIN)
    assert result.stderr.startswith(NO_PROJECT.encode() + b"stdin: skipped: not fixed: the "
                                    b"fixer crashed (") or b"nested too deeply" in result.stderr
    assert result.stderr.count(b"\n") == 2  # the no-project note, then why: no traceback


# -- 11: the fixer applies exactly what flake8 reports ------------------------------------------

def test_a_file_marked_flake8_noqa_is_not_fixed(flake8_dir: Flake8Dir,
                                                execgov_cli: Execgov) -> None:
    source = "# flake8: noqa\nupdate_execution_metrics(n, 'SUCCESS')\n"
    flake8_dir.write("a.py", source)
    assert flake8_dir.run("a.py").out == ""
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("check", "a.py").out == b""
    result = execgov_cli("fix", "a.py")
    assert (result.exit_code, result.out, result.err) == (0, b"", "")
    assert (flake8_dir.path / "a.py").read_text() == source
    assert execgov_cli("fix", "-", stdin=source.encode()).out == source.encode()


# -- 12: one run reaches the fixed point --------------------------------------------------------

TWICE = """\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        state = "INITIALIZED"
        try:
            result = validate_plugin_output(self.plugin.run(payload))
            update_execution_metrics(name, state)
        except Exception as exc:
            state = "ERROR"
            return build_error_envelope(exc)
        return result
"""


def test_one_unsafe_run_reaches_the_fixed_point(flake8_dir: Flake8Dir,
                                                execgov_cli: Execgov) -> None:
    flake8_dir.write("a.py", TWICE)
    assert [code for _, _, code in flake8_dir.run("a.py").findings] == ["GOV002"]
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("fix", "--unsafe-fixes", "a.py").exit_code == 1
    assert flake8_dir.run("a.py").out == ""
    assert '            state = "FAILED"\n' in (flake8_dir.path / "a.py").read_text()
    again = execgov_cli("fix", "--unsafe-fixes", "a.py")
    assert (again.exit_code, again.out, again.err) == (0, b"", "")


# -- 13: a fix is located by the source, never by 3.9's f-string columns -----------------------

FSTRING = ("def f(n):\n"
           "    abcdefghijklm = f\"\"\"\n"
           "{update_execution_metrics(n, 'SUCCESS')}\"\"\";  y = 'SUCCESS'\n"
           "    return abcdefghijklm, y\n")


def _parse_as_python_3_9(source: str, *args: object, **kwargs: object) -> ast.AST:
    """CPython 3.9's columns inside a multi-line f-string: shifted by the f-string's own
    column + 1 (as 3.9 reports them; other Pythons get them right)."""
    tree = _REAL_PARSE(source, *args, **kwargs)  # type: ignore[arg-type]
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and node.end_lineno != node.lineno:
            shift = node.col_offset + 1
            for inner in ast.walk(node):
                if inner is not node and getattr(inner, "lineno", node.lineno) > node.lineno:
                    inner.col_offset += shift  # type: ignore[attr-defined]
                    inner.end_col_offset += shift  # type: ignore[attr-defined]
    return tree


_REAL_PARSE = ast.parse


def test_fixes_in_f_strings_ignore_wrong_columns(execgov_cli: Execgov,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ast, "parse", _parse_as_python_3_9)
    result = execgov_cli("fix", "-", stdin=FSTRING.encode())
    assert result.out.decode() == FSTRING.replace("(n, 'SUCCESS')", "(n, 'INITIALIZED')")
    assert result.err == NO_PROJECT


def test_fixes_in_f_strings(execgov_cli: Execgov) -> None:
    source = ("def f(n, c):\n"
              "    return f\"{n}{update_execution_metrics(n, 'SUCCESS')}\" \"a\" f'''\n"
              "{LifecycleState.ERROR}{update_execution_metrics(n, 'ERROR' if c else 'X')}'''\n")
    result = execgov_cli("fix", "-", stdin=source.encode())
    assert result.out.decode() == source.replace("'SUCCESS'", "'INITIALIZED'").replace(
        "State.ERROR", "State.FAILED").replace("'ERROR' if", "'FAILED' if")


# -- 14: only regular files are read --------------------------------------------------------------

def test_fifos_and_devices_are_one_line_each(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.py")
    (tmp_path / "z.py").symlink_to("/dev/zero")
    (tmp_path / "good.py").write_text("def f(plugin):\n    return plugin.run(1)\n")
    check = execgov_process(tmp_path, "check", "x.py", "z.py", "good.py", timeout=60)
    assert check.returncode == 1
    assert sorted(check.stdout.decode().splitlines()) == [
        "good.py:2:12: GOV001 plugin.run() bypasses ToolRunner; execute plugins through "
        "ToolRunner.run()",
        "x.py:0:1: E902 OSError: not a regular file (a FIFO)",
        "z.py:0:1: E902 OSError: not a regular file (a character device)"]
    fix = execgov_process(tmp_path, "fix", "x.py", "z.py", "good.py", timeout=60)
    assert fix.returncode == 1 and fix.stderr.decode().splitlines() == [
        "x.py: skipped: not a regular file (a FIFO)",
        "z.py: skipped: not a regular file (a character device)"]
    base = execgov_process(tmp_path, "baseline", "x.py", "z.py", "good.py", timeout=60)
    assert base.returncode == 1 and base.stderr.decode().splitlines() == [
        "x.py: skipped: not a regular file (a FIFO)",
        "z.py: skipped: not a regular file (a character device)"]


# -- 15: a fix keeps owner, group, mode and hard links ------------------------------------------

def test_a_fix_keeps_hard_links_mode_and_owner(execgov_cli: Execgov) -> None:
    target = execgov_cli.path / "a.py"
    target.write_text("update_execution_metrics(n, 'SUCCESS')\n")
    os.link(target, execgov_cli.path / "b.py")
    os.chmod(target, 0o640)
    if os.geteuid() == 0:
        os.chown(target, 12345, 23456)
    before = os.stat(target)
    assert execgov_cli("fix", "a.py").exit_code == 1
    after = os.stat(target)
    assert (execgov_cli.path / "b.py").read_text() == "update_execution_metrics(n, 'INITIALIZED')\n"
    assert (after.st_ino, after.st_nlink, after.st_mode, after.st_uid, after.st_gid) == \
        (before.st_ino, 2, before.st_mode, before.st_uid, before.st_gid)


def test_an_owner_the_user_cannot_give_is_kept_by_writing_in_place(
        execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    target = execgov_cli.path / "a.py"
    target.write_text("update_execution_metrics(n, 'SUCCESS')\n")
    before = os.stat(target)

    def not_allowed(fd: int, uid: int, gid: int) -> None:
        raise PermissionError("not the owner")

    monkeypatch.setattr(os, "fstat", _foreign_owner(os.fstat))
    monkeypatch.setattr(os, "fchown", not_allowed)
    assert execgov_cli("fix", "a.py").exit_code == 1
    assert os.stat(target).st_ino == before.st_ino
    assert target.read_text() == "update_execution_metrics(n, 'INITIALIZED')\n"
    assert sorted(p.name for p in execgov_cli.path.iterdir()) == ["a.py"]


def _foreign_owner(real: object) -> object:
    """``os.fstat`` as if the temporary file belonged to someone else than the original."""
    def fstat(fd: int) -> os.stat_result:
        result = real(fd)  # type: ignore[operator]
        values = list(result)
        values[4] += 1  # st_uid
        return os.stat_result(values)
    return fstat


# -- 16: limits before work; undecodable stdin ------------------------------------------------------

def test_a_file_over_the_limit_is_refused_before_it_is_parsed(
        execgov_cli: Execgov, monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov.fix import fixer

    monkeypatch.setattr(fixer, "MAX_FIX_CHARS", 2_000)
    parsed: list[int] = []
    real = ast.parse

    def parse(source: str, *args: object, **kwargs: object) -> ast.AST:
        parsed.append(len(source))
        return real(source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ast, "parse", parse)
    source = "x = [" + ", ".join(["1"] * 2000) + "]; update_execution_metrics(n, 'SUCCESS')\n"
    (execgov_cli.path / "big.py").write_text(source)
    (execgov_cli.path / "data.py").write_text("x = [" + ", ".join(["1"] * 2000) + "]\n")
    result = execgov_cli("fix", "big.py", "data.py")
    assert result.exit_code == 1
    assert result.err == (f"big.py: skipped: not fixed: {len(source):,} characters is over the "
                          "fixer's limit of 2,000 (libcst needs about 1 GB per MB); fix it by "
                          "hand\n")
    assert all(size <= 2_000 for size in parsed)


def test_undecodable_stdin_is_one_line(execgov_cli: Execgov) -> None:
    result = execgov_cli("check", "-", stdin=b"x = '\xff'\nplugin.run(1)\n")
    assert result.exit_code == 1
    assert result.out.decode().startswith("stdin:0:1: E902 UnicodeDecodeError: ")
    assert result.out.count(b"\n") == 1 and "Traceback" not in result.err


# -- 17: every finding reported as fixable is fixed or named --------------------------------------

def test_implicit_concatenation_is_named_as_not_fixed(execgov_cli: Execgov) -> None:
    (execgov_cli.path / "a.py").write_text(
        "update_execution_metrics(n, 'SUCC' 'ESS')\nupdate_execution_metrics(n, 'DONE')\n")
    result = execgov_cli("fix", "--check", "a.py")
    assert result.err.splitlines() == [
        "a.py:1:29: GOV004 not fixed: the literal is not one plain string; fix it by hand",
        "a.py:2:29: GOV004 not fixed: execgov-state-replacements names no replacement for "
        "'DONE'"]
