"""``execgov fix`` end to end: safe/unsafe fixes, noqa, encodings, idempotency, stdin."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import NO_PROJECT, execgov, flake8_text

SAFE_BEFORE = '''\
from app.lifecycle import LifecycleState as LS


def record(name, ok):
    state = "SUCCESS" if ok else 'ERROR'  # keep this comment
    update_execution_metrics(name, state, 0, not ok)
    member = LifecycleState.SUCCESS
    item = LifecycleState["ERROR"]
    call = LS("SUCCESS")
    kept = "SUCCESS"  # noqa: GOV004
    update_execution_metrics(name, kept)
    blanket = LS.ERROR  # noqa
    pieces = "SUC" "CESS"
    update_execution_metrics(name, pieces)
    other = JobStatus.SUCCESS
    update_execution_metrics(name, "UNKNOWN")
'''

SAFE_AFTER = '''\
from app.lifecycle import LifecycleState as LS


def record(name, ok):
    state = "INITIALIZED" if ok else 'FAILED'  # keep this comment
    update_execution_metrics(name, state, 0, not ok)
    member = LifecycleState.INITIALIZED
    item = LifecycleState["FAILED"]
    call = LS("INITIALIZED")
    kept = "SUCCESS"  # noqa: GOV004
    update_execution_metrics(name, kept)
    blanket = LS.ERROR  # noqa
    pieces = "SUC" "CESS"
    update_execution_metrics(name, pieces)
    other = JobStatus.SUCCESS
    update_execution_metrics(name, "UNKNOWN")
'''

ENUM = '''\
class LifecycleState(enum.Enum):
    LOADED = "LOADED"
    SUCCESS = "SUCCESS"
'''

UNSAFE_BEFORE = '''\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(plugin.run(payload))
            update_execution_metrics(name, "INITIALIZED", 0, False)
        except Exception as exc:
            update_execution_metrics(name, "INITIALIZED", 0, False)
            return None, build_error_envelope(exc)
        return result, None

    async def run_async(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(await plugin.run(payload))
            await record_metrics(name)
            await update_execution_metrics(name, "INITIALIZED", 0, False)
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            self.log("done")
        return result, None
'''

UNSAFE_AFTER = '''\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED", 0, False)
        return result, None

    async def run_async(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            result = validate_plugin_output(await plugin.run(payload))
            await record_metrics(name)
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            self.log("done")
            await update_execution_metrics(name, "INITIALIZED", 0, False)
        return result, None
'''


def flake8_codes(cwd: Path, *paths: str) -> str:
    return flake8_text("--select=GOV", *paths, cwd=cwd).stdout


def test_safe_fixes(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(SAFE_BEFORE)
    (tmp_path / "enum_def.py").write_text(ENUM)
    result = execgov("fix", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.decode() == "./a.py: fixed\n"
    assert (tmp_path / "a.py").read_text() == SAFE_AFTER
    assert (tmp_path / "enum_def.py").read_text() == ENUM  # definitions are never changed
    again = execgov("fix", ".", cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, b"")
    assert (tmp_path / "a.py").read_text() == SAFE_AFTER


def test_unsafe_fixes_need_the_flag(tmp_path: Path) -> None:
    target = tmp_path / "runner.py"
    target.write_text(UNSAFE_BEFORE)
    safe_only = execgov("fix", "runner.py", cwd=tmp_path)
    assert (safe_only.returncode, target.read_text()) == (0, UNSAFE_BEFORE)
    assert execgov("fix", "--check", "--unsafe-fixes", "runner.py", cwd=tmp_path).returncode == 1
    assert target.read_text() == UNSAFE_BEFORE
    assert execgov("fix", "--unsafe-fixes", "runner.py", cwd=tmp_path).returncode == 1
    assert target.read_text() == UNSAFE_AFTER
    assert flake8_codes(tmp_path, "runner.py") == ""
    assert execgov("fix", "--unsafe-fixes", "runner.py", cwd=tmp_path).returncode == 0


def test_diff_and_check_write_nothing(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(SAFE_BEFORE)
    diff = execgov("fix", "--diff", "a.py", cwd=tmp_path)
    assert diff.returncode == 1
    text = diff.stdout.decode()
    assert text.startswith("--- a/a.py\n+++ b/a.py\n")
    assert '-    state = "SUCCESS" if ok else \'ERROR\'  # keep this comment\n' in text
    assert '+    state = "INITIALIZED" if ok else \'FAILED\'  # keep this comment\n' in text
    check = execgov("fix", "--check", "a.py", cwd=tmp_path)
    assert (check.returncode, check.stdout) == (1, b"a.py: would fix\n")
    assert target.read_text() == SAFE_BEFORE


@pytest.mark.parametrize("encoding, bom, newline", [
    ("utf-8", False, "\r\n"), ("utf-8", True, "\n"), ("latin-1", False, "\n"),
    ("utf-8", True, "\r\n"),
])
def test_encodings_bom_and_line_endings_are_kept(tmp_path: Path, encoding: str, bom: bool,
                                                 newline: str) -> None:
    cookie = "# -*- coding: latin-1 -*-\n" if encoding == "latin-1" else ""
    text = cookie + "café = 'é'\n" + SAFE_BEFORE
    data = text.replace("\n", newline).encode(encoding)
    if bom:
        data = codecs.BOM_UTF8 + data
    target = tmp_path / "a.py"
    target.write_bytes(data)
    assert execgov("fix", "a.py", cwd=tmp_path).returncode == 1
    expected = (cookie + "café = 'é'\n" + SAFE_AFTER).replace("\n", newline).encode(encoding)
    assert target.read_bytes() == (codecs.BOM_UTF8 + expected if bom else expected)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("encoding, newline, word", [
    ("latin-1", "\n", "café"), ("latin-1", "\r\n", "café"), ("cp932", "\n", "日本"),
])
def test_a_diff_is_in_the_files_encoding_and_git_applies_it(
        tmp_path: Path, encoding: str, newline: str, word: str) -> None:
    """A diff patches bytes: its lines are the file's own (latin-1 stays latin-1 whatever
    the terminal's encoding), so git finds the lines it patches."""
    data = (f"# -*- coding: {encoding} -*-\ndef record(name):\n"
            f"    update_execution_metrics(name, 'SUCCESS')  # {word}\n"
            ).replace("\n", newline).encode(encoding)
    target = tmp_path / "a.py"
    target.write_bytes(data)
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=tmp_path, check=True)
    old = data.splitlines(keepends=True)
    new = data.replace(b"'SUCCESS'", b"'INITIALIZED'").splitlines(keepends=True)
    want = b"--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,3 @@\n " + old[0] + b" " + old[1] + \
        b"-" + old[2] + b"+" + new[2]
    diff = execgov("fix", "--diff", "a.py", cwd=tmp_path)
    assert (diff.returncode, diff.stdout, diff.stderr) == (1, want, b"")
    piped = execgov("fix", "--diff", "-", "--stdin-filename", "a.py", stdin=data, cwd=tmp_path)
    assert (piped.returncode, piped.stdout) == (1, want)
    (tmp_path / "fix.patch").write_bytes(diff.stdout)
    applied = subprocess.run(["git", "apply", "fix.patch"], cwd=tmp_path, capture_output=True)
    assert (applied.returncode, applied.stderr) == (0, b"")
    assert target.read_bytes() == b"".join(new)
    assert execgov("fix", "--check", "a.py", cwd=tmp_path).returncode == 0


def test_clean_files_are_never_rewritten(tmp_path: Path) -> None:
    clean = tmp_path / "clean.py"
    data = codecs.BOM_UTF8 + "x = 1\r\ny = 'SUCCESS'\r\n".encode()
    clean.write_bytes(data)
    os.utime(clean, (1_000_000, 1_000_000))
    assert execgov("fix", ".", cwd=tmp_path).returncode == 0
    assert clean.read_bytes() == data and clean.stat().st_mtime == 1_000_000


def test_unparsable_file_is_reported_and_others_fixed(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def f(:\n    update_execution_metrics(n, 'SUCCESS')\n")
    (tmp_path / "a.py").write_text(SAFE_BEFORE)
    result = execgov("fix", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert "\n./broken.py: skipped: cannot parse:" in result.stderr.decode()
    assert (tmp_path / "a.py").read_text() == SAFE_AFTER


def test_stdin_to_stdout(tmp_path: Path) -> None:
    result = execgov("fix", "-", "--stdin-filename", "app/x.py",
                     stdin=SAFE_BEFORE.encode(), cwd=tmp_path)
    assert (result.returncode, result.stdout.decode()) == (0, SAFE_AFTER)  # printed: done
    clean = execgov("fix", "-", stdin=b"x = 1\n", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, b"x = 1\n")
    broken = execgov("fix", "-", stdin=b"def f(:\n", cwd=tmp_path)
    assert (broken.returncode, broken.stdout) == (1, b"def f(:\n")
    assert broken.stderr.decode().startswith(NO_PROJECT + "stdin: skipped: cannot parse: ")


def test_same_configuration_as_flake8(tmp_path: Path) -> None:
    """per-file-ignores, ignore and exclude decide for the fixer exactly as for flake8."""
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nper-file-ignores = tests/*: GOV004\nextend-exclude = build\n"
        "execgov-state-replacements = SUCCESS:RUNNING\n")
    for folder in ("tests", "app", "build"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.py").write_text("update_execution_metrics(n, 'SUCCESS')\n")
    via_stdin = execgov("fix", "-", "--stdin-filename", "tests/m.py",
                        stdin=b"update_execution_metrics(n, 'SUCCESS')\n", cwd=tmp_path)
    assert via_stdin.stdout == b"update_execution_metrics(n, 'SUCCESS')\n"
    assert execgov("fix", ".", cwd=tmp_path).returncode == 1
    assert (tmp_path / "app" / "m.py").read_text() == "update_execution_metrics(n, 'RUNNING')\n"
    assert (tmp_path / "tests" / "m.py").read_text() == "update_execution_metrics(n, 'SUCCESS')\n"
    assert (tmp_path / "build" / "m.py").read_text() == "update_execution_metrics(n, 'SUCCESS')\n"


def test_file_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.py"
    target.write_text(SAFE_BEFORE)
    target.chmod(0o750)
    execgov("fix", "a.py", cwd=tmp_path)
    assert target.stat().st_mode & 0o777 == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["a.py"]  # no temporary file left


def test_reference_runtime_is_untouched(tmp_path: Path) -> None:
    runtime = Path(__file__).resolve().parent.parent / "reference_runtime"
    result = execgov("fix", "--check", "--unsafe-fixes", str(runtime), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, b"", b"")


def test_symlink_target_is_fixed_and_link_kept(tmp_path: Path) -> None:
    real = tmp_path / "real.py"
    real.write_text(SAFE_BEFORE)
    link = tmp_path / "link.py"
    link.symlink_to(real)
    assert execgov("fix", "link.py", cwd=tmp_path).returncode == 1
    assert link.is_symlink() and real.read_text() == SAFE_AFTER


def test_unwritable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    from flake8_execgov import cli

    (tmp_path / "a.py").write_text(SAFE_BEFORE)
    (tmp_path / "b.py").write_text(SAFE_BEFORE)

    def refuse(src: str, dst: str) -> None:
        if str(dst).endswith("a.py"):
            raise PermissionError("read-only file system")
        os.rename(src, dst)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "replace", refuse)
    assert cli.main(["fix", "--isolated", "."]) == 1
    captured = capsys.readouterr()
    assert "\n./a.py: skipped: cannot write: read-only file system\n" in captured.err
    assert captured.out == "./b.py: fixed\n"
    assert (tmp_path / "a.py").read_text() == SAFE_BEFORE
    assert (tmp_path / "b.py").read_text() == SAFE_AFTER
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.py", "b.py"]


def test_every_file_is_judged_before_any_is_written(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A run reads each project file as its first read gave it, and leaves out one written
    since (project.snapshot): so ``fix`` writes its files once every file was judged
    against the project as it was, never a fixed file before a later file's analysis."""
    from flake8_execgov.cli import fix as fix_module

    for name in ("a.py", "b.py", "c.py"):
        (tmp_path / name).write_text(SAFE_BEFORE)
    events: list[str] = []
    judge, write = fix_module.fix_text, fix_module.write_file
    monkeypatch.setattr(fix_module, "fix_text", lambda *a, **k: (
        events.append("judge"), judge(*a, **k))[1])
    monkeypatch.setattr(fix_module, "write_file", lambda path, data: (
        events.append("write"), write(path, data))[1])
    result = execgov("fix", ".", cwd=tmp_path)
    assert sorted(result.stdout.decode().splitlines()) == [
        "./a.py: fixed", "./b.py: fixed", "./c.py: fixed"]
    assert events == ["judge"] * 3 + ["write"] * 3
