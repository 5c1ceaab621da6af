"""flake8 behaviour users rely on: messages, stdin, -j, noqa, per-file-ignores, config."""

from __future__ import annotations

import pytest

from conftest import Flake8Dir

BAD = """\
def handler(plugin, payload):
    return plugin.run(payload)
"""

MIXED = """\
def handler(plugin, payload, registry, name, attr):
    plugin.run(payload)
    registry.get_plugin(name).run(payload)  # noqa: GOV001
    getattr(plugin, attr)  # noqa: GOV
    plugin.run(payload)  # noqa
    plugin.run(payload)  # noqa: E501
"""


def test_exact_output_line(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.lint(BAD)
    assert result.lines == [
        "example.py:2:12: GOV001 plugin.run() bypasses ToolRunner; "
        "execute plugins through ToolRunner.run()",
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize("source, expected", [
    ("class ToolRunner:\n    def run(self, plugin):\n        return plugin.run(1)\n",
     "example.py:3:16: GOV002 plugin.run() runs outside a try/finally; run it in the body "
     "of a try whose finally calls update_execution_metrics()"),
    ("class ToolRunner:\n    def run(self, plugin):\n        try:\n            plugin.run(1)\n"
     "        finally:\n            pass\n",
     "example.py:4:13: GOV003 the finally around plugin.run() is missing the metrics call; "
     "call update_execution_metrics() unconditionally in the finally"),
    ("update_execution_metrics('ocr', 'SUCCESS', 1, False)\n",
     "example.py:1:33: GOV004 state 'SUCCESS' reaching update_execution_metrics() is not a "
     "lifecycle state; use one of LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE"),
    ("x = LifecycleState.ERROR\n",
     "example.py:1:5: GOV005 LifecycleState.ERROR is not a lifecycle state; use one of "
     "LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE"),
    ("tool_name = 'default'\n",
     "example.py:1:13: GOV006 tool name falls back to hard-coded 'default'; require an "
     "explicit tool name"),
    ("getattr(plugin, name)\n",
     "example.py:1:1: GOV007 getattr() with a dynamic name on a plugin can reach run(); use "
     "a constant attribute name or execute through ToolRunner.run()"),
    ("@router.get('/x')\ndef route():\n    pass\n",
     "example.py:2:1: GOV201 route GET /x has no auth dependency; add Depends(require_auth)"),
    ("@router.get('/health')\ndef route():\n    raise HTTPException(500)\n",
     "example.py:3:11: GOV202 route answers HTTP 500; map errors to 400/404/409, never 500"),
])
def test_exact_messages(flake8_dir: Flake8Dir, source: str, expected: str) -> None:
    code = expected.split()[1]  # (the runners also lack validation: GOV101-103, tested below)
    assert flake8_dir.lint(source, f"--select={code}").lines == [expected]


def test_exact_messages_runner_contract(flake8_dir: Flake8Dir) -> None:
    source = ("class ToolRunner:\n    def run(self, plugin):\n        try:\n"
              "            plugin.run(1)\n        finally:\n"
              "            update_execution_metrics('x', 'RUNNING')\n")
    assert flake8_dir.lint(source).lines == [
        "example.py:4:13: GOV101 plugin.run() runs without input validation; "
        "call validate_input_payload() before it",
        "example.py:4:13: GOV102 plugin.run() output is not validated; "
        "call validate_plugin_output() on it in the try body",
        "example.py:4:13: GOV103 plugin.run() failure is not wrapped in an error envelope; "
        "catch Exception and call build_error_envelope()",
    ]


def test_noqa_forms(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.lint(MIXED)
    assert result.findings == [(2, 5, "GOV001"), (6, 5, "GOV001")]


def test_noqa_on_first_line_of_multiline_expression(flake8_dir: Flake8Dir) -> None:
    """The finding is on the expression's first line; only a noqa there silences it."""
    source = ("x = (\n    plugin  # noqa: GOV001\n    .run(1)\n)\n"
              "y = (\n    plugin\n    .run(1)  # noqa: GOV001\n)\n")
    assert flake8_dir.lint(source).findings == [(6, 5, "GOV001")]


def test_non_ascii_columns_are_characters(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.lint("x = 'héllo—'; plugin.run(1)\n")
    assert result.findings == [(1, 15, "GOV001")]


def test_stdin_matches_disk(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("app/handlers.py", MIXED)
    on_disk = flake8_dir.run_process("--select=GOV", "app/handlers.py")
    via_stdin = flake8_dir.run_process("--select=GOV", "--stdin-display-name=app/handlers.py", "-",
                                       stdin=MIXED)
    assert on_disk.out == via_stdin.out
    assert on_disk.lines and on_disk.exit_code == via_stdin.exit_code == 1


def test_stdin_honours_per_file_ignores(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n")
    flake8_dir.write("tests/test_x.py", BAD)
    on_disk = flake8_dir.run_process("--select=GOV", "tests/test_x.py")
    via_stdin = flake8_dir.run_process("--select=GOV", "--stdin-display-name=tests/test_x.py",
                                       "-", stdin=BAD)
    assert on_disk.out == via_stdin.out == ""
    other = flake8_dir.run_process("--select=GOV", "--stdin-display-name=app/x.py", "-", stdin=BAD)
    assert other.findings == [(2, 12, "GOV001")]


def test_jobs_equal_serial(flake8_dir: Flake8Dir) -> None:
    for i in range(6):
        flake8_dir.write(f"pkg/m{i}.py", MIXED if i % 2 else BAD)
    serial = flake8_dir.run_process("--select=GOV", "-j", "1", "pkg")
    parallel = flake8_dir.run_process("--select=GOV", "-j", "2", "pkg")
    assert sorted(serial.lines) == sorted(parallel.lines)
    assert len(serial.lines) == 9


def test_per_file_ignores_exempts_tests(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write(".flake8", "[flake8]\nper-file-ignores = tests/*:GOV001,GOV007\n")
    flake8_dir.write("tests/test_plugin.py", BAD)
    flake8_dir.write("app/x.py", BAD)
    result = flake8_dir.run(".")
    assert result.lines == [
        "./app/x.py:2:12: GOV001 plugin.run() bypasses ToolRunner; "
        "execute plugins through ToolRunner.run()"]


def test_ignoring_pycodestyle_keeps_governance(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nignore = E,W\n")
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run("--select=E,W,F,GOV", "example.py")
    assert result.findings == [(2, 12, "GOV001")]


def test_extend_select_with_project_select(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("tox.ini", "[flake8]\nselect = F\nextend-select = GOV\n")
    flake8_dir.write("example.py", BAD)
    assert flake8_dir.run("--extend-select=GOV", "example.py").findings == [(2, 12, "GOV001")]


@pytest.mark.parametrize("config_file", ["setup.cfg", "tox.ini", ".flake8"])
@pytest.mark.parametrize("key", ["execgov-runner-classes", "execgov_runner_classes"])
def test_config_files_and_key_spellings(flake8_dir: Flake8Dir, config_file: str, key: str) -> None:
    flake8_dir.write(config_file, f"[flake8]\n{key} = GovernedRunner, *Executor\n")
    source = ("class GovernedRunner:\n    def go(self, plugin):\n        return plugin.run(1)\n"
              "class ToolRunner:\n    def go(self, plugin):\n        return plugin.run(1)\n"
              "class JobExecutor:\n    def go(self, plugin):\n        return plugin.run(1)\n")
    result = flake8_dir.lint(source, "--select=GOV0")  # where runners are: GOV001 vs GOV002
    assert result.findings == [(3, 16, "GOV002"), (6, 16, "GOV001"), (9, 16, "GOV002")]


def test_command_line_option_replaces_default(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("example.py", "def f(engine, tool):\n    engine.run(1)\n    tool.run(1)\n"
                                   "    plugin.run(1)\n")
    result = flake8_dir.run("--execgov-plugin-names=engine,*tool", "example.py")
    assert result.findings == [(2, 5, "GOV001"), (3, 5, "GOV001")]


def test_runner_functions_option(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-functions = execute_*\n")
    source = ("def execute_tool(plugin):\n    return plugin.run(1)\n"
              "class Service:\n    def execute_job(self, plugin):\n        def inner():\n"
              "            return plugin.run(2)\n        return inner()\n")
    assert flake8_dir.lint(source, "--select=GOV0").findings == [(2, 12, "GOV002"),
                                                                 (6, 20, "GOV002")]


@pytest.mark.parametrize("setting, message", [
    ("execgov-runner-classes = Tool Runner(", "execgov-runner-classes: 'Runner(' is not a name"),
    ("execgov-metrics-state-position = two", "execgov-metrics-state-position: 'two' is not a"),
    ("execgov-forbidden-statuses = 500, 999", "execgov-forbidden-statuses: '999' is not an HTTP"),
    ("execgov-public-routes = health", "execgov-public-routes: 'health' is not a route path"),
    ("execgov-state-replacements = SUCCESS:DONE",
     "execgov-state-replacements: SUCCESS:DONE replaces with 'DONE'"),
    ("execgov-runner-class = GovernedRunner",
     "setup.cfg: unknown option 'execgov-runner-class' "
     "(did you mean 'execgov-runner-classes'?)"),
])
def test_invalid_configuration_is_one_line(flake8_dir: Flake8Dir, setting: str, message: str) -> None:
    flake8_dir.write("setup.cfg", f"[flake8]\n{setting}\n")
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run_process("--select=GOV", "example.py")
    assert result.exit_code == 2
    assert result.out == ""
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("flake8: error: ") and message in result.err


def test_invalid_command_line_value(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run_process("--select=GOV", "--execgov-metrics-state-keyword=1x",
                                    "example.py")
    assert result.exit_code == 2
    assert result.err == ("flake8: error: the command line: execgov-metrics-state-keyword: "
                          "'1x' is not a Python identifier\n")


def test_syntax_error_file_is_e999_not_a_crash(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("broken.py", "def f(:\n    plugin.run(1)\n")
    flake8_dir.write("fine.py", BAD)
    result = flake8_dir.run_process("--select=E999,GOV", ".")
    assert sorted(result.lines)[0].startswith("./broken.py:1:")
    assert "E999" in sorted(result.lines)[0]
    # E999's column is CPython's parser offset, which differs between Python versions.
    found = sorted(result.findings)
    assert [(found[0][0], found[0][2]), found[1]] == [(1, "E999"), (2, 12, "GOV001")]
    assert "Traceback" not in result.err


def test_plugin_is_registered(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.run_process("--version")
    assert "flake8-execgov" in result.out


def test_require_plugins(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run_process("--require-plugins=flake8-execgov", "--select=GOV",
                                    "example.py")
    assert result.findings == [(2, 12, "GOV001")]


def test_pyproject_through_flake8_pyproject_loader(flake8_dir: Flake8Dir) -> None:
    """pyproject.toml [tool.flake8] works where the user has a loader (Flake8-pyproject)."""
    flake8_dir.write("pyproject.toml", '[tool.flake8]\nexecgov-runner-classes = ["GovernedRunner"]\n')
    flake8_dir.write("a.py", "class GovernedRunner:\n    def go(self, plugin):\n"
                             "        return plugin.run(1)\n")
    result = flake8_dir.run_process("--select=GOV0", "a.py")
    assert result.findings == [(3, 16, "GOV002")]
    flake8_dir.write("pyproject.toml", '[tool.flake8]\nexecgov-runner-clas = "x"\n')
    bad = flake8_dir.run_process("--select=GOV", "a.py")
    assert bad.exit_code == 2
    assert bad.err == ("flake8: error: pyproject.toml: unknown option 'execgov-runner-clas' "
                       "(did you mean 'execgov-runner-classes'?)\n")


def test_isolated_ignores_config_files(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-clas = X\nexecgov-plugin-names = nope\n")
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run_process("--isolated", "--select=GOV", "example.py")
    assert (result.exit_code, result.findings) == (1, [(2, 12, "GOV001")])


def test_pyproject_loader_without_pyproject(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("example.py", BAD)
    result = flake8_dir.run_process("--select=GOV", "example.py")
    assert (result.exit_code, result.err, result.findings) == (1, "", [(2, 12, "GOV001")])


def test_config_and_append_config_are_the_files_checked(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-clas = X\n")
    flake8_dir.write("ci.cfg", "[flake8]\nexecgov-plugin-names = plugin\n")
    flake8_dir.write("extra.cfg", "[flake8]\nexecgov-plugin-namez = y\n")
    flake8_dir.write("example.py", BAD)
    chosen = flake8_dir.run_process("--config=ci.cfg", "--select=GOV", "example.py")
    assert (chosen.exit_code, chosen.err, chosen.findings) == (1, "", [(2, 12, "GOV001")])
    appended = flake8_dir.run_process("--config=ci.cfg", "--append-config=extra.cfg",
                                      "--select=GOV", "example.py")
    assert appended.exit_code == 2
    assert appended.err == ("flake8: error: extra.cfg: unknown option 'execgov-plugin-namez' "
                            "(did you mean 'execgov-plugin-names'?)\n")
    discovered = flake8_dir.run_process("--select=GOV", "example.py")
    assert discovered.exit_code == 2 and discovered.err.startswith(
        "flake8: error: setup.cfg: unknown option 'execgov-runner-clas'")


def test_unselected_codes_cost_nothing(flake8_dir: Flake8Dir,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """With GOV not selected (``--select=E,W,F``) the plugin does no work and yields
    nothing: flake8 would only throw its findings away, after a noqa lookup each."""
    from flake8_execgov import plugin, run

    flake8_dir.write("a.py", BAD)
    selected_some = flake8_dir.run("--select=GOV001,E", "a.py")
    assert selected_some.findings == [(2, 12, "GOV001")]
    assert plugin.ExecGovChecker.settings.selected == {"GOV001"}

    def walked(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("the plugin walked a file although nothing of it is selected")

    monkeypatch.setattr(run.Run, "findings", walked)
    result = flake8_dir.run("--select=E,W,F", "a.py")
    assert (result.exit_code, result.out, result.err) == (0, "", "")
    assert plugin.ExecGovChecker.settings.selected == frozenset()


def test_inspection_functions_option(flake8_dir: Flake8Dir) -> None:
    """A project's own reporting helper only looks at the run method it is given."""
    source = "def warn(hook, log):\n    _warn_for(hook.run)\n    log.debug(describe(hook.run))\n"
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-plugin-names = hook\n")
    flake8_dir.write("a.py", source)
    assert flake8_dir.run("a.py").findings == [(2, 15, "GOV001"), (3, 24, "GOV001")]
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-plugin-names = hook\n"
                                  "execgov-inspection-functions = callable, _warn_for, describe\n")
    assert flake8_dir.run("a.py").findings == []


@pytest.mark.parametrize("setting, expected", [
    ("execgov-runner-classes = PluginManager",
     "a.py:2:12: GOV001 hook.function() bypasses PluginManager; execute plugins through "
     "PluginManager"),
    ("execgov-runner-classes =\nexecgov-runner-functions = execute_job",
     "a.py:2:12: GOV001 hook.function() bypasses execute_job; execute plugins through "
     "execute_job()"),
    ("execgov-runner-classes = *Runner",
     "a.py:2:12: GOV001 hook.function() bypasses a runner class (*Runner); execute plugins "
     "through a runner class (*Runner)"),
])
def test_messages_name_the_configured_runner(flake8_dir: Flake8Dir, setting: str,
                                             expected: str) -> None:
    flake8_dir.write("setup.cfg", f"[flake8]\nexecgov-plugin-names = hook\n{setting}\n"
                                  "execgov-run-methods = function\n")
    flake8_dir.write("a.py", "def f(hook):\n    return hook.function(1)\n")
    assert flake8_dir.run("a.py").lines == [expected]


def test_route_messages(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-auth-dependencies = require_*\n")
    flake8_dir.write("a.py", "@router.get('')\ndef index():\n    pass\n")
    assert flake8_dir.run("a.py").lines == [
        "a.py:2:1: GOV201 route GET index has no auth dependency; add Depends() on an auth "
        "dependency matching require_*"]


def test_pattern_exclusions(flake8_dir: Flake8Dir) -> None:
    """``!name`` excludes what a list's other patterns would match."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-run-methods = pytest_*, !pytest_plugins\n")
    flake8_dir.write("a.py", "def f(plugin):\n    plugin.pytest_configure(1)\n"
                             "    return plugin.pytest_plugins\n")
    assert flake8_dir.run("a.py").findings == [(2, 5, "GOV001")]


def test_gov007_names_the_run_methods_it_can_reach(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-run-methods = run, execute, on_*\n")
    flake8_dir.write("a.py", "def f(plugin, name):\n    getattr(plugin, name)\n"
                             "    if name.startswith('on_'):\n        getattr(plugin, name)\n")
    assert [line.split(": ", 1)[1] for line in flake8_dir.run("a.py").lines] == [
        "GOV007 getattr() with a dynamic name on a plugin can reach run()/execute()/on_*(); "
        "use a constant attribute name or execute through ToolRunner.run()",
        "GOV007 getattr() with a dynamic name on a plugin can reach on_*(); "
        "use a constant attribute name or execute through ToolRunner.run()"]


DISPATCH = '''\
class EventRunner:
    def fire(self, name, item):
        validate_input_payload(item)
        for method in self.events[name]:
            result = method(item)
            update_execution_metrics(name, "RUNNING")
        return validate_plugin_output(result)

    def fire_governed(self, name, item):
        validate_input_payload(item)
        handler = self.handlers.get(name)
        try:
            return validate_plugin_output(handler(item))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING")


def outside(registry, name, item):
    registry.handlers[name](item)
    for hook in registry.startup_hooks:
        hook()
    describe = len(registry.events)
    return describe
'''


def test_runners_that_dispatch(flake8_dir: Flake8Dir) -> None:
    """Calls of entries of plugin-callable registries are executions: governed in runners
    (GOV002/003/101-103), bypasses outside (GOV001)."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-classes = EventRunner\n"
                                  "execgov-dispatch-names = events, handlers, *_hooks\n")
    flake8_dir.write("a.py", DISPATCH)
    assert flake8_dir.run("a.py").lines == [
        "a.py:5:22: GOV002 method() runs outside a try/finally; run it in the body of a try "
        "whose finally calls update_execution_metrics()",
        "a.py:5:22: GOV103 method() failure is not wrapped in an error envelope; catch "
        "Exception and call build_error_envelope()",
        "a.py:21:5: GOV001 registry.handlers[name]() bypasses EventRunner; execute plugins "
        "through EventRunner",  # it has no run(): its own methods are the governed path
        "a.py:23:9: GOV001 hook() bypasses EventRunner; execute plugins through "
        "EventRunner",
    ]
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-classes = EventRunner\n")
    assert flake8_dir.run("a.py").lines == []  # without the option: invisible, as before


def test_messages_name_the_runner_the_module_defines(flake8_dir: Flake8Dir) -> None:
    """Of several runner patterns, the one this module's runner class matches governs its
    code, and the message names that class (after ``run()`` only when it has one)."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-classes = ToolRunner, *Dispatcher\n")
    flake8_dir.write("a.py", "class HookDispatcher:\n    def fire(self, plugin, x):\n"
                             "        return 1\n\n\ndef leak(plugin):\n    plugin.run(1)\n")
    assert flake8_dir.run("a.py").lines == [
        "a.py:7:5: GOV001 plugin.run() bypasses HookDispatcher; execute plugins through "
        "HookDispatcher"]
    flake8_dir.write("b.py", "def leak(plugin):\n    plugin.run(1)\n")
    assert flake8_dir.run("b.py").lines == [
        "b.py:2:5: GOV001 plugin.run() bypasses ToolRunner; execute plugins through "
        "ToolRunner.run()"]


def test_empty_metrics_list_keeps_the_contract_rules(flake8_dir: Flake8Dir) -> None:
    """A host without a metrics API: no GOV002/GOV003, GOV101-GOV103 still judged."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-metrics-functions =\n")
    flake8_dir.write("a.py", "class ToolRunner:\n    def run(self, plugin, x):\n"
                             "        validate_input_payload(x)\n"
                             "        return plugin.run(x)\n")
    assert flake8_dir.run("a.py").findings == [(4, 16, "GOV102"), (4, 16, "GOV103")]


def test_module_level_helper_of_a_runner_function(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-classes =\n"
                                  "execgov-runner-functions = execute\n")
    flake8_dir.write("a.py", "def _call(plugin, x):\n    return plugin.run(x)\n\n\n"
                             "def execute(plugin, x):\n    try:\n        return _call(plugin, x)\n"
                             "    finally:\n        update_execution_metrics('p', 'RUNNING')\n")
    assert flake8_dir.run("a.py", "--select=GOV0").findings == []
    flake8_dir.write("b.py", "from a import _call\n\n\ndef other(plugin):\n"
                             "    return plugin.run(1)\n")
    assert flake8_dir.run("b.py", "--select=GOV0").findings == [(5, 12, "GOV001")]


def test_per_file_ignores_for_nested_test_folders(flake8_dir: Flake8Dir) -> None:
    """The documented patterns (docs/configuration.md): ``tests/*`` is the top folder,
    ``*/tests/*`` nested ones."""
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n")
    for path in ("tests/test_a.py", "pkg/tests/test_b.py"):
        flake8_dir.write(path, BAD)
    assert [line.split(":")[0] for line in flake8_dir.run(".").lines] == [
        "./pkg/tests/test_b.py"]
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n"
                                  "    */tests/*: GOV001\n")
    assert flake8_dir.run(".").lines == []
