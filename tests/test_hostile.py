"""Hostile input: no hang, no traceback, no "safe" fix that changes behaviour.

Each test is one point of the hardening issue, run as users run the tools: flake8 on files
and config files, ``execgov fix`` on paths and on stdin. The pathological sources are
generated here, never checked in.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from conftest import NO_PROJECT, Execgov, Flake8Dir, linear_enough
from flake8_execgov.config.options import DEFAULT_CONFIG
from flake8_execgov.engine import analyse

RUNNER_HEAD = [
    "class ToolRunner:",
    "    def run(self, x):",
    "        validate_input_payload(x)",
    "        try:",
    "            return validate_plugin_output({call})",
    "        except Exception as exc:",
    "            return build_error_envelope(exc)",
    "        finally:",
    "            update_execution_metrics('p', 'FAILED')",
]


def helper_lattice(levels: int) -> str:
    """``run`` calls ``a0() or b0()``, each ``aK``/``bK`` calls ``a{K+1}() or b{K+1}()``:
    2**levels caller paths to the plugin run at the bottom."""
    lines = [line.format(call="self.a0(x) or self.b0(x)") for line in RUNNER_HEAD]
    for k in range(levels):
        for prefix in "ab":
            below = f"self.a{k + 1}(x) or self.b{k + 1}(x)" if k < levels - 1 else "self.plugin.run(x)"
            lines += [f"    def {prefix}{k}(self, x):", f"        return {below}"]
    return "\n".join(lines) + "\n"


def helper_chain(length: int, covered: bool = True) -> str:
    """``run`` -> ``h0`` -> ``h1`` -> ... -> the plugin run: a chain as long as the file."""
    if covered:
        lines = [line.format(call="self.h0(x)") for line in RUNNER_HEAD]
    else:
        lines = ["class ToolRunner:", "    def run(self, x):", "        return self.h0(x)"]
    for k in range(length):
        below = f"self.h{k + 1}(x)" if k < length - 1 else "self.plugin.run(x)"
        lines += [f"    def h{k}(self, x):", f"        return {below}"]
    return "\n".join(lines) + "\n"


# -- 1, 2: helper coverage is linear and iterative --------------------------------------

@pytest.mark.parametrize("source, expected", [
    (helper_lattice(40), []),
    (helper_chain(300), []),
    (helper_chain(300, covered=False), [(603, 16, code) for code in (
        "GOV002", "GOV101", "GOV102", "GOV103")]),
], ids=["lattice-40", "chain-300", "chain-300-uncovered"])
def test_helper_graphs_lint_to_the_exact_findings(flake8_dir: Flake8Dir, source: str,
                                                  expected: list[tuple[int, int, str]]) -> None:
    """Through flake8, exact findings; 2**40 caller paths in the lattice: an exponential
    walk never ends (the scaling tests below turn that into a failure)."""
    result = flake8_dir.lint(source)
    assert (result.err, result.findings) == ("", expected)


def _walk(source: str) -> None:
    analyse(ast.parse(source), source.splitlines(keepends=True), DEFAULT_CONFIG)


@pytest.mark.untraced  # times the code, not the tracer
@pytest.mark.parametrize("covered", [True, False], ids=["covered", "uncovered"])
def test_a_chain_of_helpers_is_walked_without_recursion_in_linear_time(covered: bool) -> None:
    """1,200 helpers deep is past Python's recursion limit (1,000 frames): a recursive
    walk fails here. Eight times the chain costs about eight times the time; a quadratic
    walk costs 64 (a bound against runaway only, far from either). The timed sizes are
    50 and 400 helpers: at 50 the walk's fixed cost is already small beside the helpers'
    (about 20 ms of 0.6 ms a helper), so a quadratic walk shows its 64."""
    source = helper_chain(1200, covered)
    found = analyse(ast.parse(source), source.splitlines(keepends=True), DEFAULT_CONFIG)
    assert [(f.line, f.code) for f in found] == ([] if covered else [
        (2403, code) for code in ("GOV002", "GOV101", "GOV102", "GOV103")])
    small, large = linear_enough(lambda n: _walk(helper_chain(n, covered)), 50)
    assert large < 24 * small + 0.05, (small, large)


@pytest.mark.untraced  # times the code, not the tracer
def test_a_lattice_of_helpers_is_walked_in_linear_time() -> None:
    """Twice the levels, twice the helpers: about twice the time; an exponential walk
    (2**levels caller paths) costs 2**10 times as much."""
    small, large = linear_enough(lambda levels: _walk(helper_lattice(levels)), 10, factor=2)
    assert large < 10 * small + 0.05, (small, large)


def test_helper_graph_through_execgov_fix(execgov_cli: Execgov) -> None:
    (execgov_cli.path / "runner.py").write_text(helper_lattice(40) + helper_chain(1200)
                                                .replace("ToolRunner", "ToolRunner2"))
    result = execgov_cli("fix", "--unsafe-fixes", "runner.py")
    assert (result.exit_code, result.out, result.err) == (0, b"", "")


# -- 3: the fixer never prints a traceback; stdin always gets its input back -------------

NESTED = "x = " + "[" * 150 + "]" * 150 + "\nupdate_execution_metrics(n, 'SUCCESS')\n"
LONG = "x = " + " + ".join(["a"] * 10_000) + "\nupdate_execution_metrics(n, 'SUCCESS')\n"


@pytest.mark.parametrize("source, reason", [
    (NESTED, "not fixed: the code is nested more than 100 levels deep, more than libcst "
             "can take; fix it by hand"),
    (LONG, None),  # Python's own parser gives up or libcst does: either is said in one line
], ids=["150-nested-lists", "10000-terms"])
def test_fix_stdin_echoes_what_it_cannot_fix(execgov_cli: Execgov, source: str,
                                             reason: str | None) -> None:
    result = execgov_cli("fix", "-", "--stdin-filename", "app/x.py", stdin=source.encode())
    assert (result.exit_code, result.out) == (1, source.encode())
    assert result.err.count("\n") == 1 and result.err.startswith("app/x.py: skipped: ")
    assert "nested" in result.err
    if reason is not None:
        assert result.err == f"app/x.py: skipped: {reason}\n"
    (execgov_cli.path / "x.py").write_text(source)
    in_place = execgov_cli("fix", "x.py")
    assert (in_place.exit_code, in_place.out) == (1, b"")
    assert in_place.err == result.err.replace("app/x.py", "x.py")
    assert (execgov_cli.path / "x.py").read_text() == source


def test_fix_stdin_echoes_on_any_internal_error(execgov_cli: Execgov,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov.cli import fix as fixcmd

    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("a bug")

    monkeypatch.setattr(fixcmd, "fix_text", broken)
    result = execgov_cli("fix", "-", stdin=b"x = 1\n")
    assert (result.exit_code, result.out) == (1, b"x = 1\n")
    assert result.err == NO_PROJECT + "stdin: skipped: internal error: KeyError('a bug')\n"


# -- 4, 5, 12: option values ---------------------------------------------------------------

@pytest.mark.parametrize("setting, message", [
    ("execgov-metrics-state-position = \u00b2",
     "execgov-metrics-state-position: '\u00b2' is not an argument position (0-999)"),
    ("execgov-metrics-state-position = " + "9" * 5000,
     "execgov-metrics-state-position: '" + "9" * 40 + "'... is not an argument position (0-999)"),
    ("execgov-forbidden-statuses = 500, \u00b2",
     "execgov-forbidden-statuses: '\u00b2' is not an HTTP status code (100-599)"),
    ("execgov-plugin-names = [z-a]",
     "execgov-plugin-names: '[z-a]' is not a name or shell-style pattern "
     "(bad character range z-a)"),
    ("execgov-lifecycle-states =",
     "execgov-lifecycle-states: is empty; name at least one valid lifecycle state"),
    ("execgov-runner-classes =\nexecgov-runner-functions =",
     "execgov-runner-classes and execgov-runner-functions are both empty: nothing could "
     "execute a plugin; name the governed runner"),
    ("execgov-state-replacements = SUCCESS:FAILED, SUCCESS:RUNNING",
     "execgov-state-replacements: 'SUCCESS' is replaced twice"),
    ("execgov-state-replacements = FAILED:RUNNING",
     "execgov-state-replacements: FAILED:RUNNING replaces 'FAILED', which is a lifecycle state"),
    ("execgov-tool-name-args = " + "x-" * 50_000,
     "execgov-tool-name-args: '" + "x-" * 20 + "'... is not a Python identifier"),
], ids=["superscript", "5000-digits", "status-superscript", "reversed-range", "no-states",
        "no-runner", "duplicate-replacement", "replaces-a-valid-state", "100kB"])
def test_bad_values_are_one_line_naming_the_option(flake8_dir: Flake8Dir,
                                                   execgov_cli: Execgov, setting: str,
                                                   message: str) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\n" + setting + "\n")
    flake8_dir.write("a.py", "x = 1\n")
    result = flake8_dir.run("a.py")
    message = f"setup.cfg: {message}"  # the file, then the option
    assert (result.exit_code, result.out, result.err) == (2, "", f"flake8: error: {message}\n")
    execgov_cli.path = flake8_dir.path
    for command in (["check-config"], ["fix", "a.py"], ["check", "a.py"]):
        cli = execgov_cli(*command)
        prog = "execgov check" if command[0] == "check" else "execgov"
        assert (cli.exit_code, cli.out, cli.err) == (2, b"", f"{prog}: error: {message}\n")


def test_default_replacements_adapt_to_the_states(flake8_dir: Flake8Dir,
                                                  execgov_cli: Execgov) -> None:
    """Without INITIALIZED the default SUCCESS:INITIALIZED no longer fits: it is dropped,
    not reported as an error about an option the user never set."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-lifecycle-states = READY, FAILED\n")
    flake8_dir.write("a.py", "update_execution_metrics(n, 'SUCCESS')\n"
                             "update_execution_metrics(n, 'ERROR')\n")
    assert flake8_dir.run("a.py").findings == [(1, 29, "GOV004"), (2, 29, "GOV004")]
    execgov_cli.path = flake8_dir.path
    shown = execgov_cli("check-config").out.decode()
    assert "execgov-state-replacements = ERROR:FAILED\n" in shown
    assert execgov_cli("fix", "a.py").exit_code == 1
    assert (flake8_dir.path / "a.py").read_text() == (
        "update_execution_metrics(n, 'SUCCESS')\nupdate_execution_metrics(n, 'FAILED')\n")


# -- 6, 7: one definition of a line; exact round trips -------------------------------------

def test_line_breaks_python_does_not_count(flake8_dir: Flake8Dir, execgov_cli: Execgov) -> None:
    """Form feeds, \\x1c-\\x1e, \\x85, \\u2028 and \\u2029 are not line breaks for Python."""
    source = ("def f(name):\n"
              "    note = 'a\u2028b\x85c\x1cd'\n"
              "\x0c\n"
              "    kept = 'SUCCESS'  # noqa: GOV004\n"
              "    update_execution_metrics(name, kept)\n"
              "    update_execution_metrics(name, 'ERROR')\n")
    flake8_dir.write("a.py", source)
    assert flake8_dir.run("a.py").findings == [(6, 36, "GOV004")]
    execgov_cli.path = flake8_dir.path
    fixed = source.replace("'ERROR'", "'FAILED'")
    assert execgov_cli("fix", "-", stdin=source.encode()).out == fixed.encode()
    assert execgov_cli("fix", "a.py").exit_code == 1
    assert (flake8_dir.path / "a.py").read_text(encoding="utf-8") == fixed


def test_form_feed_line_on_stdin_never_reads_the_disk(execgov_cli: Execgov) -> None:
    (execgov_cli.path / "app.py").write_text("# noqa\n")  # would silence it, if it were read
    source = b"\x0c\nupdate_execution_metrics(n, 'SUCCESS')\n"
    result = execgov_cli("fix", "-", "--stdin-filename", "app.py", stdin=source)
    assert result.out == b"\x0c\nupdate_execution_metrics(n, 'INITIALIZED')\n"


def test_carriage_return_only_files_are_refused_not_damaged(execgov_cli: Execgov) -> None:
    source = b"def f(n):\r    update_execution_metrics(n, 'SUCCESS')\r"
    (execgov_cli.path / "cr.py").write_bytes(source)
    result = execgov_cli("fix", "cr.py")
    assert result.exit_code == 1
    assert result.err == ("cr.py: skipped: not fixed: libcst does not reproduce this file "
                          "exactly (its line endings or whitespace); fix it by hand\n")
    assert (execgov_cli.path / "cr.py").read_bytes() == source


# -- 8, 9: what a safe fix may rewrite -----------------------------------------------------

def test_enum_member_stores_and_deletions_are_not_rewritten(execgov_cli: Execgov) -> None:
    source = ("LifecycleState.SUCCESS = 'SUCCESS'\n"
              "del LifecycleState.ERROR\n"
              "x = LifecycleState.ERROR\n")
    result = execgov_cli("fix", "-", stdin=source.encode())
    assert result.out.decode() == source.replace("x = LifecycleState.ERROR",
                                                 "x = LifecycleState.FAILED")


SHARED = """\
def finish(job, name):
    DONE = "SUCCESS"
    update_execution_metrics(name, DONE)
    return job.status == DONE


def only_states(name, ok):
    final = "SUCCESS" if ok else "ERROR"
    alias = final
    update_execution_metrics(name, alias)
"""


def test_shared_literal_is_an_unsafe_fix(execgov_cli: Execgov) -> None:
    (execgov_cli.path / "a.py").write_text(SHARED)
    safe = execgov_cli("fix", "a.py")
    assert safe.exit_code == 1
    assert safe.err == ("a.py:2:12: GOV004 not fixed: DONE is also used on line 4 "
                        "(an unsafe fix: --unsafe-fixes applies it)\n")
    assert (execgov_cli.path / "a.py").read_text() == SHARED.replace(
        '"SUCCESS" if ok else "ERROR"', '"INITIALIZED" if ok else "FAILED"')
    unsafe = execgov_cli("fix", "--unsafe-fixes", "a.py")
    assert (unsafe.exit_code, unsafe.err) == (1, "")
    assert '    DONE = "INITIALIZED"\n' in (execgov_cli.path / "a.py").read_text()


def test_module_level_literal_is_an_unsafe_fix(execgov_cli: Execgov) -> None:
    source = b"DONE = 'SUCCESS'\nupdate_execution_metrics(n, DONE)\n"
    result = execgov_cli("fix", "-", stdin=source)
    assert (result.exit_code, result.out) == (0, source)
    assert result.err == NO_PROJECT + (
        "stdin:1:8: GOV004 not fixed: DONE is a module-level name that other "
        "code can read (an unsafe fix: --unsafe-fixes applies it)\n")


# -- 11: the unsafe fix keeps the metrics call reachable and its names bound ----------------

def test_moved_call_goes_before_a_return_in_the_finally(execgov_cli: Execgov) -> None:
    before = """\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        result = None
        try:
            result = validate_plugin_output(self.plugin.run(payload))
            update_execution_metrics(name, "INITIALIZED")
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            self.log("done")
            return result
"""
    after = before.replace('            update_execution_metrics(name, "INITIALIZED")\n', "") \
        .replace('            return result\n',
                 '            update_execution_metrics(name, "INITIALIZED")\n'
                 '            return result\n')
    result = execgov_cli("fix", "--unsafe-fixes", "-", stdin=before.encode())
    assert result.out.decode() == after


def test_call_using_a_name_bound_in_the_try_is_not_moved(execgov_cli: Execgov) -> None:
    source = """\
class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            result = validate_plugin_output(self.plugin.run(payload))
            update_execution_metrics(name, "INITIALIZED", result.elapsed)
        except Exception as exc:
            return build_error_envelope(exc)
"""
    result = execgov_cli("fix", "--unsafe-fixes", "-", stdin=source.encode())
    assert (result.exit_code, result.out.decode()) == (0, source)
    assert result.err == NO_PROJECT + ("stdin:5:45: GOV002 not fixed: the metrics call uses "
                                       "result, bound inside the try; bind it before the try\n")


# -- 14, 15 ------------------------------------------------------------------------------------

def test_closed_pipe_is_quiet() -> None:
    pipeline = f"{sys.executable} -m flake8_execgov.cli rules --format json | head -c 10"
    proc = subprocess.run(["bash", "-c", f"set -o pipefail; {pipeline}"], capture_output=True,
                          text=True, timeout=60)
    assert proc.stdout == "[\n  {\n    \""[:10]
    assert proc.stderr == ""


def test_files_over_the_fixer_limit_are_refused(execgov_cli: Execgov,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from flake8_execgov.fix import fixer

    assert fixer.MAX_FIX_CHARS == 1_000_000  # the documented limit; a small one to test it
    monkeypatch.setattr(fixer, "MAX_FIX_CHARS", 2_000)
    source = "x = 1\n" * 400 + "update_execution_metrics(n, 'SUCCESS')\n"
    (execgov_cli.path / "big.py").write_text(source)
    result = execgov_cli("fix", "big.py")
    assert result.exit_code == 1
    assert result.err == ("big.py: skipped: not fixed: 2,439 characters is over the fixer's "
                          "limit of 2,000 (libcst needs about 1 GB per MB); fix it by hand\n")
    assert (execgov_cli.path / "big.py").read_text() == source


@pytest.mark.parametrize("error, why", [
    (RecursionError("deep"), "nested too deeply to analyse"),
    (ValueError("a bug"), "internal error ValueError('a bug'); please report it"),
])
def test_a_file_the_plugin_cannot_handle_is_skipped_with_one_line(
        flake8_dir: Flake8Dir, monkeypatch: pytest.MonkeyPatch, error: Exception,
        why: str) -> None:
    from flake8_execgov import run

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise error

    monkeypatch.setattr(run, "analyse", broken)
    flake8_dir.write("good.py", "plugin.run(1)\n")
    result = flake8_dir.run("good.py")
    assert (result.exit_code, result.out) == (0, "")
    assert result.err == f"good.py: flake8-execgov skipped this file: {why}\n"


def test_names_the_unsafe_fix_reads_and_binds() -> None:
    import ast

    import libcst as cst

    from flake8_execgov.fix.cst_names import leaves
    from flake8_execgov.fix.plan import _bound, _loaded

    module = ast.parse(
        "result = f(x)\nfor a, (b, *c) in y: pass\nimport os.path\nfrom q import r as s\n"
        "with o as (t, u): pass\ndef g(): v = 1\nclass K: pass\n(w := 1)\nz: int = 2\n"
        "zz += 1\nh = lambda m: m\n[i for i in y]\ntry: pass\nexcept E as e: pass\n"
        "from p import *\n")
    assert sorted(_bound(module.body)) == [
        "K", "a", "b", "c", "e", "g", "h", "os", "result", "s", "t", "u", "w", "z", "zz"]
    call = ast.parse("record(name, result.elapsed, key=val, *args, f=lambda q: q)\n").body[0]
    assert sorted(_loaded(call)) == ["args", "name", "record", "result", "val"]
    assert leaves(cst.parse_statement("if x:\n    raise E\n"))
    assert not leaves(cst.parse_statement("def f():\n    return 1\n"))
    assert not leaves(cst.parse_statement("class C:\n    def f(self):\n        return 1\n"))
    assert all(leaves(cst.parse_statement(f"while x:\n    {word}\n"))
               for word in ("break", "continue", "return"))
