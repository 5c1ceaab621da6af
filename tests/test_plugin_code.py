"""Issue 32 through flake8 as users run it: runners named by module, hooks that a plugin
type of another module declares, messages naming the configured runner."""

from __future__ import annotations

from conftest import Flake8Dir

QUALIFIED = """
    [flake8]
    execgov-runner-functions = pkg.lookup:lookup, pkg.svc:Service.call
    execgov-runner-classes = pkg.gov:Gov
    execgov-metrics-functions =
    execgov-input-validators =
    execgov-output-validators =
    execgov-error-envelope-builders =
"""


def _project(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", QUALIFIED)
    flake8_dir.write("pkg/__init__.py", "")
    flake8_dir.write("pkg/lookup.py", """
        def lookup(plugin, x):
            return plugin.run(x)


        class Geo:
            def lookup(self, plugin):
                return plugin.run(1)
    """)
    flake8_dir.write("pkg/svc.py", """
        class Service:
            def call(self, plugin):
                return plugin.run(1)

            def other(self, plugin):
                return plugin.run(2)


        def lookup(plugin):
            return plugin.run(3)
    """)
    flake8_dir.write("pkg/gov.py", """
        class Gov:
            def go(self, plugin):
                return plugin.run(1)


        class Other:
            def go(self, plugin):
                return plugin.run(2)
    """)


def test_qualified_runners_govern_their_own_definition_only(flake8_dir: Flake8Dir) -> None:
    """``pkg.lookup:lookup`` governs that function, not a plugin's method ``lookup`` nor
    another module's ``lookup``; ``pkg.svc:Service.call`` one method; ``pkg.gov:Gov`` one
    class. The message names the first configured runner by its own name (a runner class
    comes first: the module defining it names it without a run method it lacks)."""
    _project(flake8_dir)
    result = flake8_dir.run("pkg")
    assert result.err == ""
    assert sorted(result.out.splitlines()) == [
        "pkg/gov.py:8:16: GOV001 plugin.run() bypasses Gov; execute plugins through Gov",
        "pkg/lookup.py:7:16: GOV001 plugin.run() bypasses Gov; execute plugins through Gov.run()",
        "pkg/svc.py:10:12: GOV001 plugin.run() bypasses Gov; execute plugins through Gov.run()",
        "pkg/svc.py:6:16: GOV001 plugin.run() bypasses Gov; execute plugins through Gov.run()"]


def test_a_bare_name_keeps_its_meaning(flake8_dir: Flake8Dir) -> None:
    _project(flake8_dir)
    flake8_dir.write("setup.cfg", QUALIFIED.replace("pkg.lookup:lookup", "lookup"))
    result = flake8_dir.run("pkg")
    assert sorted(result.findings) == [(6, 16, "GOV001"), (8, 16, "GOV001")]


def test_a_qualified_name_only_where_it_can_be_one(flake8_dir: Flake8Dir) -> None:
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-plugin-names = pkg.mod:name\n")
    flake8_dir.write("a.py", "x = 1\n")
    result = flake8_dir.run("a.py")
    assert result.exit_code == 2
    assert "execgov-plugin-names: 'pkg.mod:name' is not a name or shell-style pattern " \
        "(only runner-classes and runner-functions take pkg.module:name)" in result.err
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-functions = pkg.mod:a.b.c\n")
    assert "a qualified name is pkg.module:function or pkg.module:Class.method" \
        in flake8_dir.run("a.py").err


def test_hooks_declared_in_another_module(flake8_dir: Flake8Dir) -> None:
    """The plugin type is defined in one module; its hooks are executions in another, and
    ``execgov-hook-methods = listed`` turns that off."""
    flake8_dir.write("setup.cfg", "[flake8]\n")
    flake8_dir.write("app/__init__.py", "")
    flake8_dir.write("app/interfaces.py", """
        class Installer:
            def deploy_cert(self, domain):
                raise NotImplementedError

            @property
            def name(self):
                return "?"
    """)
    flake8_dir.write("app/client.py", """
        def deploy(installer, domain):
            installer.deploy_cert(domain)
            return installer.name
    """)
    args = ("--execgov-plugin-types=Installer", "--execgov-plugin-names=installer", "app")
    assert flake8_dir.run(*args).findings == [(2, 5, "GOV001")]
    assert flake8_dir.run("--execgov-hook-methods=listed", *args).findings == []


def test_a_registry_filled_in_another_module(flake8_dir: Flake8Dir) -> None:
    """The registering decorator and its container are in one module; the host that calls
    an entry imports the container (its text names nothing else the rules know)."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-registry-decorators = register\n")
    flake8_dir.write("app/__init__.py", "")
    flake8_dir.write("app/registry.py", """
        formatters = {}


        def register(key):
            def decorate(fn):
                formatters[key] = fn
                return fn
            return decorate
    """)
    flake8_dir.write("app/host.py", """
        from app.registry import formatters


        def render(key, record):
            return formatters[key](record)
    """)
    result = flake8_dir.run("app")
    assert result.out == ("app/host.py:5:12: GOV001 formatters[key]() bypasses ToolRunner; "
                          "execute plugins through ToolRunner.run()\n")


def test_a_helper_imported_inside_a_function_is_judged_there(flake8_dir: Flake8Dir) -> None:
    """``def main(): from app.core import main`` (a lazy import, also in a method): the use
    is where the path enters, even where tests import the helper too; the module's own
    ``main`` elsewhere in it is not the imported one."""
    flake8_dir.write("setup.cfg", "[flake8]\nper-file-ignores =\n    tests/*: GOV001\n")
    flake8_dir.write("app/__init__.py", "")
    flake8_dir.write("app/core.py", """
        def main(plugin):
            return plugin.run()
    """)
    flake8_dir.write("app/__main__.py", """
        def main():
            from app.core import main
            return main(None)


        class Cli:
            def __init__(self):
                from app import core
                self.verbs = {"run": core.main}


        main()
    """)
    flake8_dir.write("tests/test_core.py", """
        from app.core import main


        def test_main(plugin):
            main(plugin)
    """)
    result = flake8_dir.run("app", "tests")
    assert result.out.splitlines() == [
        "app/__main__.py:3:12: GOV001 main() (which runs plugin.run() in app.core.main) "
        "bypasses ToolRunner; execute plugins through ToolRunner.run()",
        "app/__main__.py:9:30: GOV001 core.main (which runs plugin.run() in app.core.main) "
        "bypasses ToolRunner; execute plugins through ToolRunner.run()"]


def test_plugin_code_handed_to_another_modules_caller(flake8_dir: Flake8Dir) -> None:
    """The helper that calls what it is given is in another module (its summary says which
    parameter it calls)."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-plugin-names = hook\n"
                     "execgov-run-methods = startup\n")
    flake8_dir.write("app/__init__.py", "")
    flake8_dir.write("app/utils.py", """
        async def await_me_maybe(value, *, strict=False):
            return value() if callable(value) else value


        def keep(value):
            return [value]
    """)
    flake8_dir.write("app/app.py", """
        from app.utils import await_me_maybe, keep


        async def start(pm):
            for fn in pm.hook.startup():
                await await_me_maybe(fn)
                keep(fn)
    """)
    result = flake8_dir.run("app")
    assert result.findings == [(5, 15, "GOV001"), (6, 30, "GOV001")]
    assert "GOV001 fn handed to await_me_maybe() bypasses ToolRunner" in result.out


def test_what_a_host_function_returned_from_a_plugin(flake8_dir: Flake8Dir) -> None:
    """A function of another module returns what a plugin execution returned (the
    summaries' ``returns``): calling it, an item of it or an attribute of either executes
    the plugin; another function's return value is not plugin code."""
    flake8_dir.write("setup.cfg", "[flake8]\nexecgov-runner-classes = Governed\n")
    flake8_dir.write("app/__init__.py", "")
    flake8_dir.write("app/collect.py", """
        def pipeline(plugin, job):
            return plugin.run(job)


        def data(obj):
            return obj.run()
    """)
    flake8_dir.write("app/host.py", """
        from app import collect
        from app.collect import data


        def host(registry, job):
            for step in collect.pipeline(registry, job):
                step.apply(job)
            for item in data(job):
                item.apply(job)
    """)
    result = flake8_dir.run("app")
    assert result.out.splitlines() == [
        "app/host.py:6:17: GOV001 collect.pipeline() (which runs plugin.run() in "
        "app.collect.pipeline) bypasses Governed; execute plugins through Governed.run()",
        "app/host.py:7:9: GOV001 step.apply() bypasses Governed; execute plugins through "
        "Governed.run()"]
