"""What ``execgov init`` infers from small hosts, one plugin mechanism each (issue 33): the
options it proposes, their evidence, and the execution map's summary."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from conftest import Execgov

PLUGGY = {
    "app/hookspecs.py": 'from pluggy import HookspecMarker\n\nhookspec = HookspecMarker("app")\n\n\n'
                        '@hookspec\ndef startup(app):\n    """Called once."""\n\n\n'
                        '@hookspec\ndef render(row):\n    """Render one row."""\n',
    "app/main.py": 'import pluggy\n\npm = pluggy.PluginManager("app")\n\n\n'
                   "def boot(app):\n    pm.hook.startup(app=app)\n",
}
SIGNALS = {
    "app/signals.py": 'from blinker import signal\n\ninitialized = signal("initialized")\n'
                      'get_writer = signal("get_writer")\n',
    "app/writers.py": "class Writer:\n    def write_file(self, name):\n        return name\n",
    "app/core.py": "from . import signals\nfrom .writers import Writer\n\n\n"
                   "def run(settings):\n    signals.initialized.send(settings)\n"
                   '    writer = Writer()\n    writer.write_file("x")\n',
}
ABSTRACT = {
    "app/plugins.py": "import abc\n\n\nclass Exporter(abc.ABC):\n    @abc.abstractmethod\n"
                      '    def export(self, data):\n        """Export."""\n\n\n'
                      "class CsvExporter(Exporter):\n    def export(self, data):\n"
                      "        return data\n\n\nREGISTRY = {}\n\n\n"
                      "def register(fn):\n    REGISTRY[fn.__name__] = fn\n    return fn\n",
    "app/service.py": "def export_all(exporters, data):\n    for exporter in exporters:\n"
                      "        try:\n            exporter.export(data)\n"
                      "        except Exception:\n            pass\n",
    "app/web.py": "from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n"
                  '@router.get("/items")\ndef items():\n    return []\n',
    "tests/test_export.py": "def test_export(exporter):\n    exporter.export(1)\n",
}
WRAPPER = {
    "app/plugin.py": "class Tracer:\n    def start(self):\n        pass\n\n"
                     "    def stop(self):\n        pass\n\n\n"
                     "class DebugTracer(Tracer):\n    def __init__(self, tracer):\n"
                     "        self.tracer = tracer\n\n    def start(self):\n"
                     "        return self.tracer.start()\n\n    def stop(self):\n"
                     "        return self.tracer.stop()\n",
    "app/use.py": "def go(tracer):\n    tracer.start()\n",
}


def _init(path: Path, execgov_cli: Execgov, files: dict[str, str]) -> tuple[dict[str, str], str]:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    result = execgov_cli("init")
    assert (result.exit_code, result.err) == (0, "")
    text = result.out.decode()
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return {k: " ".join(v.split()) for k, v in parser.items("flake8")}, text


def test_pluggy_hooks(tmp_path: Path, execgov_cli: Execgov) -> None:
    options, text = _init(tmp_path, execgov_cli, PLUGGY)
    assert options["execgov-run-methods"] == "startup render"
    assert options["execgov-plugin-names"] == "plugin *_plugin hook"
    assert options["execgov-runner-classes"] == "ToolRunner"  # none found: the inventory
    assert "    # app/hookspecs.py:7: a hook specification\n" in text
    assert options["execgov-metrics-functions"] == ""
    assert "# off: nothing in the host does it (no metrics call in a runner's finally)\n" in text
    assert text.endswith("# execution map: 1 plugin types, 1 execution sites, 0 governed "
                         "(execgov map .)\n")
    shown = execgov_cli("map").out.decode()
    assert "  app/main.py:7:5  pm.hook.startup()  UNGOVERNED\n" in shown


def test_signals_and_what_they_let_plugins_supply(tmp_path: Path, execgov_cli: Execgov) -> None:
    options, text = _init(tmp_path, execgov_cli, SIGNALS)
    assert options["execgov-plugin-types"] == "Writer"
    assert options["execgov-run-methods"] == "write_file send"
    assert options["execgov-plugin-names"] == (
        "plugin *_plugin writer *_writer initialized get_writer *_signal")
    assert "    # app/writers.py:1: the host's own; app/signals.py:4: get_writer lets plugins " \
           "supply writer objects\n" in text
    assert text.endswith("# execution map: 2 plugin types, 2 execution sites, 0 governed "
                         "(execgov map .)\n")


def test_abstract_type_registry_routes_and_a_catch_that_is_no_runner(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    options, text = _init(tmp_path, execgov_cli, ABSTRACT)
    assert options["execgov-plugin-types"] == "Exporter"
    assert options["execgov-run-methods"] == "export"
    assert options["execgov-plugin-names"] == "plugin *_plugin exporter *_exporter"
    assert options["execgov-dispatch-names"] == "REGISTRY"
    assert options["execgov-auth-dependencies"] == ""
    assert options["per-file-ignores"] == (
        "tests/*: GOV001,GOV007 */tests/*: GOV001,GOV007 test_*.py: GOV001,GOV007")
    assert "# considered: app/service.py:4: exporter.export() in a guarded try of export_all: " \
           "only caught (no finally, validator or envelope), not a runner\n" in text
    assert "# off: 1 route(s), none with a Depends(...) dependency; name the auth dependency " \
           "to require one\n" in text
    assert "    # app/plugins.py:18: a decorator files functions in REGISTRY\n" in text


def test_a_wrapper_every_call_goes_through_is_a_runner(tmp_path: Path,
                                                       execgov_cli: Execgov) -> None:
    options, text = _init(tmp_path, execgov_cli, WRAPPER)
    assert options["execgov-runner-classes"] == "DebugTracer"
    assert options["execgov-plugin-types"] == "Tracer"
    assert "    # app/plugin.py:9: derives from Tracer and passes start, stop() on to the " \
           "Tracer it holds: a wrapper every call goes through\n" in text
    shown = execgov_cli("map").out.decode().splitlines()
    assert shown[0] == "execution map of .: 1 plugin types, 3 execution sites, 2 governed"
    assert "  app/use.py:2:5  tracer.start()  UNGOVERNED" in shown
    assert "  app/plugin.py:14:16  self.tracer.start()  governed by DebugTracer" in shown


def test_write_a_new_flake8_file_and_a_toml_table(tmp_path: Path, execgov_cli: Execgov) -> None:
    _init(tmp_path, execgov_cli, PLUGGY)
    assert execgov_cli("init", "--write").err == (
        "execgov init: .flake8: 10 option(s) added, 0 kept as they were\n")
    (tmp_path / ".flake8").unlink()
    (tmp_path / "pyproject.toml").write_text("[tool.flake8]\nexecgov-run-methods = \"startup\"\n"
                                             "\n[tool.other]\nx = 1\n")
    written = execgov_cli("init", "--write")
    assert written.err == ("execgov init: pyproject.toml: kept execgov-run-methods = startup "
                           "(proposed: startup, render)\n"
                           "execgov init: pyproject.toml: 9 option(s) added, 1 kept as they were\n")
    toml = (tmp_path / "pyproject.toml").read_text()
    assert 'execgov-plugin-names = "plugin, *_plugin, hook"\n' in toml
    assert toml.endswith("\n[tool.other]\nx = 1\n")
    shown = execgov_cli("check-config").out.decode().splitlines()
    assert shown[0] == "# configuration read: pyproject.toml"
    assert "execgov-plugin-names = plugin, *_plugin, hook" in shown
    assert "execgov-run-methods = startup" in shown


def test_a_long_read_reports_progress(tmp_path: Path, execgov_cli: Execgov,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A clock that moves 1.5 s a look: every look after two seconds says where it is."""
    import types

    from flake8_execgov.discover import read, sitemap

    ticks = iter(range(0, 10_000, 3))
    clock = types.SimpleNamespace(monotonic=lambda: next(ticks) / 2)
    monkeypatch.setattr(read, "time", clock)
    monkeypatch.setattr(sitemap, "time", clock)
    for name, text in PLUGGY.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    result = execgov_cli("init")
    assert result.exit_code == 0
    assert result.err.splitlines() == ["execgov: 1 of 2 modules read",
                                       "execgov: execution map: 1 of 2 modules"]


def test_callables_the_machinery_keeps(tmp_path: Path, execgov_cli: Execgov) -> None:
    """A container annotated with Callable in the plugin machinery's module is a registry:
    calling its entries runs what plugins registered (governed in the class that holds and
    runs it, its dispatcher; not elsewhere); a flag read with getattr is not."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/plugins.py": "from typing import Callable\n\n\nclass Events:\n"
                          "    def __init__(self):\n"
                          "        self.handlers: dict[str, list[Callable]] = {}\n\n"
                          "    def emit(self, name):\n"
                          "        for handler in self.handlers[name]:\n"
                          "            handler()\n\n\n"
                          "def fire(events, name):\n"
                          "    for handler in events.handlers[name]:\n"
                          "        handler()\n",
        "app/load.py": "import importlib\n\n\ndef load(name):\n"
                       "    module = importlib.import_module(name)\n"
                       "    if getattr(module, 'multiple', False):\n        return None\n"
                       "    return getattr(module, 'setup_plugin')\n"})
    assert options["execgov-dispatch-names"] == "setup_plugin handlers"
    assert "    # app/plugins.py: annotated dict str list Callable: callables the plugin " \
           "machinery keeps\n" in text
    assert "    # app/load.py:8: looked up on a loaded module\n" in text
    # the class that calls its own registry's entries is the dispatcher they run through
    assert "    # app/plugins.py:10: Events.emit() calls the entries of self.handlers, a " \
           "registry of plugin callables, and runs plugins in no other way: the dispatcher " \
           "they run through\n" in text
    shown = execgov_cli("map").out.decode().splitlines()
    assert "  app/plugins.py:10:13  handler()  governed by Events" in shown
    assert "  app/plugins.py:15:9  handler()  UNGOVERNED" in shown
