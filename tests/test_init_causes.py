"""Causes of noise and misses that ``execgov init``'s configuration had on real hosts
(docs/evaluation.md, "Labelling init's findings"), each as a small host: what ``init``
proposes, then flake8 in-process with exactly that proposal, finding for finding."""

from __future__ import annotations

import configparser
import textwrap
from pathlib import Path

from conftest import Execgov, Flake8Dir


def _init(path: Path, execgov_cli: Execgov, files: dict[str, str]) -> tuple[dict[str, str], str]:
    """Write the host, run ``execgov init`` and save what it printed as ``setup.cfg``."""
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(textwrap.dedent(text).lstrip("\n"))
    result = execgov_cli("init")
    assert (result.exit_code, result.err) == (0, "")
    text = result.out.decode()
    (path / "setup.cfg").write_text(text)
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return {k: " ".join(v.split()) for k, v in parser.items("flake8")}, text


EXPORTER = """
    import abc


    class Exporter(abc.ABC):
        @abc.abstractmethod
        def export(self, data):
            '''Export.'''


    class CsvExporter(Exporter):
        def export(self, data):
            return data
"""


def test_a_module_importing_a_testing_library_is_test_support(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """Base classes of plugin tests shipped inside the package (certbot's
    ``dns_test_common.py``) import ``unittest``/``mock``/``pytest`` at module level: they
    are proposed in ``per-file-ignores`` by their path, as test folders are by pattern; a
    module that imports ``unittest`` only inside a function is host code."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/plugins.py": EXPORTER,
        "app/export_test_common.py": """
            from unittest import mock


            class BaseExporterTest:
                def test_export(self):
                    self.exporter.export(mock.MagicMock())
        """,
        "app/service.py": """
            def export_all(exporter, data):
                return exporter.export(data)


            def selftest(exporter):
                import unittest
                return exporter.export(unittest)
        """,
        "tests/test_export.py": "def test_export(exporter):\n    exporter.export(1)\n",
    })
    assert options["per-file-ignores"] == (
        "tests/*: GOV001,GOV007 */tests/*: GOV001,GOV007 test_*.py: GOV001,GOV007 "
        "app/export_test_common.py: GOV001,GOV007")
    assert "# tests and examples drive plugins on purpose (also the modules that import a " \
           "testing library)\n" in text
    found = flake8_dir.run("app", "tests").findings
    assert sorted(found) == [(2, 12, "GOV001"), (7, 12, "GOV001")]
    assert flake8_dir.run("app/export_test_common.py").findings == []
    assert flake8_dir.run("app/export_test_common.py",
                          "--per-file-ignores=").findings == [(6, 9, "GOV001")]


def test_only_containers_of_callables_filled_later_are_registries(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """A table written with its entries (the host's own functions), a parameter (what a
    caller hands over), a callable returning a container, a union of a container and a
    callable and a mapping keyed by callables are no registries of plugin callables;
    an empty container the machinery keeps callables in is one."""
    options, _text = _init(tmp_path, execgov_cli, {
        "app/plugins.py": """
            from typing import Callable, Mapping, Optional


            def boolean(value):
                return value == "yes"


            TYPES: Mapping[str, Callable[[str], object]] = {"int": int, "bool": boolean}


            def sort_by(weight: Callable[[str], tuple[float, str]], names):
                return sorted(names, key=lambda n: weight(n)[0])


            def parse(kind, value, excludes: list[str] | Callable[[str], bool] | None = None):
                return TYPES[kind](value)


            class Events:
                def __init__(self):
                    self.handlers: dict[str, list[Callable]] = {}
                    self.origins: dict[Callable, str] = {}
                    self.last: Optional[dict[str, Callable[[], None]]] = None

                def emit(self, name):
                    for handler in self.handlers[name]:
                        handler()


            def fire(events: Events, name):
                for handler in events.handlers[name]:
                    handler()
        """,
    })
    assert options["execgov-dispatch-names"] == "handlers last"
    assert options["execgov-runner-classes"] == "Events"  # its own calls are governed
    assert sorted(flake8_dir.run("app").findings) == [(32, 9, "GOV001")]


def test_a_class_loaded_objects_are_checked_against_through_a_parameter(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """``self.filter(ConverterPlugin)`` where ``filter`` checks ``issubclass(p, by_type)``
    against its parameter: the class is what loaded plugins are checked against, a plugin
    type even with no implementation in the project; its instances are named after it
    without the word ``Plugin`` (``converter``), its collections too: what
    ``get_converters()`` lists are plugins (classes here: ``supports()`` runs plugin code)."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/plugins/base.py": """
            class BasePlugin:
                name = None


            class ConverterPlugin(BasePlugin):
                def convert(self, body):
                    raise NotImplementedError

                @classmethod
                def supports(cls, mime):
                    raise NotImplementedError
        """,
        "app/plugins/manager.py": """
            from .base import ConverterPlugin


            class PluginManager(list):
                def filter(self, by_type):
                    return [p for p in self if issubclass(p, by_type)]

                def get_converters(self):
                    return self.filter(by_type=ConverterPlugin)
        """,
        "app/output.py": """
            def show(manager, body, mime):
                for converter_class in manager.get_converters():
                    if converter_class.supports(mime):
                        converter = converter_class(mime)
                        return converter.convert(body)
        """,
    })
    assert options["execgov-plugin-types"] == "ConverterPlugin"
    assert options["execgov-run-methods"] == "convert supports"
    assert options["execgov-plugin-names"] == "plugin *_plugin converter *_converter"
    assert "    # app/plugins/base.py:5: declares hooks; 0 project class(es) derive from it\n" \
        in text
    assert sorted(flake8_dir.run("app").findings) == [(3, 12, "GOV001"), (5, 20, "GOV001")]


def test_a_container_filled_with_what_a_hook_returned_is_a_registry(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """Hook results collected in a list, then filed in ``self.renderers``: a registry of
    plugin callables (calling an entry, or handing it over, runs plugin code); a local
    dict filled with hook results is what the function builds, no registry."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/hookspecs.py": """
            from pluggy import HookspecMarker

            hookspec = HookspecMarker("app")


            @hookspec
            def register_output_renderer(app):
                '''Return a renderer.'''


            @hookspec
            def extra_values(app):
                '''Return values.'''
        """,
        "app/main.py": """
            import pluggy

            pm = pluggy.PluginManager("app")


            class App:
                def __init__(self):
                    self.renderers = {}

                def load(self):
                    found = []
                    for hook in pm.hook.register_output_renderer(app=self):
                        found += hook if type(hook) is list else [hook]
                    for renderer in found:
                        self.renderers[renderer["ext"]] = (renderer["render"], None)
                    values = {}
                    for value in pm.hook.extra_values(app=self):
                        values[value["key"]] = value["value"]
                    return values

                def render(self, ext, rows):
                    return self.renderers[ext][0](rows)
        """,
    })
    assert options["execgov-dispatch-names"] == "renderers"
    assert "    # app/main.py:15: filled with what a hook call returned\n" in text
    # App calls its registry's entries but also calls hooks itself: no dispatcher
    assert options["execgov-runner-classes"] == "ToolRunner"
    found = flake8_dir.run("app").findings
    assert sorted(found) == [(12, 21, "GOV001"), (17, 22, "GOV001"), (22, 16, "GOV001")]


def test_an_interface_the_host_implements_itself_is_no_plugin_type(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """Three abstract classes in ``interfaces.py``, each with an implementation the host
    constructs by name: ``Storage`` has no evidence that an instance comes from outside
    the host, so it is the host's own interface (shown as considered, its ``load()`` no
    plugin call); ``Exporter`` is filed by a registration function
    (``add_exporter(exporter: Exporter)``), ``Reader`` is what a declared hook of
    ``Exporter`` returns: both plugin types."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/interfaces.py": """
            import abc


            class Storage(abc.ABC):
                @abc.abstractmethod
                def load(self, key):
                    '''Load.'''


            class Exporter(abc.ABC):
                @abc.abstractmethod
                def export(self, data):
                    '''Export.'''

                @abc.abstractmethod
                def reader(self, path) -> "Reader":
                    '''The reader of a file.'''


            class Reader(abc.ABC):
                @abc.abstractmethod
                def read(self):
                    '''Read.'''
        """,
        "app/builtin.py": """
            from .interfaces import Exporter, Reader, Storage


            class FileStorage(Storage):
                def load(self, key):
                    return key


            class DebugExporter(Exporter):
                def __init__(self, exporter):
                    self.exporter = exporter

                def export(self, data):
                    return self.exporter.export(data)

                def reader(self, path):
                    return self.exporter.reader(path)


            class TextReader(Reader):
                def read(self):
                    return ""
        """,
        "app/registry.py": """
            from .builtin import DebugExporter
            from .interfaces import Exporter


            class Registry:
                def __init__(self):
                    self.exporters = []

                def add_exporter(self, exporter: Exporter) -> None:
                    exporter = DebugExporter(exporter)
                    self.exporters.append(exporter)
        """,
        "app/main.py": """
            from .builtin import FileStorage, TextReader


            def run(registry, path):
                storage = FileStorage()
                data = storage.load(path)
                for exporter in registry.exporters:
                    exporter.export(data)
                    exporter.reader(path).read()
                return TextReader()
        """,
    })
    assert options["execgov-plugin-types"] == "Exporter Reader"
    assert options["execgov-run-methods"] == "export reader read"
    assert "# considered: app/interfaces.py:4: Storage is the host's own interface, not a " \
           "plugin type: the host constructs FileStorage (app/main.py:5) and nothing " \
           "supplies one from outside (no check of loaded objects, no hook or registration " \
           "function, no hook of a plugin type returns one)\n" in text
    assert sorted(flake8_dir.run("app").findings) == [(8, 9, "GOV001"), (9, 9, "GOV001")]


STORAGE = {
    "app/__init__.py": "",
    "app/interfaces.py": """
        import abc


        class Storage(abc.ABC):
            @abc.abstractmethod
            def load(self, key):
                '''Load.'''
    """,
    "app/builtin.py": """
        from .interfaces import Storage


        class FileStorage(Storage):
            def load(self, key):
                return key
    """,
    "app/main.py": """
        from .builtin import FileStorage


        def run(path):  # called by the plugin loader
            storage = FileStorage()
            return storage.load(path)
    """,
}


def test_the_evidence_that_keeps_a_type_is_read_after_the_type_was_turned_down(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    """The host builds ``FileStorage`` in a module ``init`` reads first (it names the
    plugin loader); the registration function that files a ``Storage`` is in a module
    that names only ``Storage``, read in the second reading: it keeps ``Storage`` a
    plugin type (it was turned down for good when only kept types were read again)."""
    options, text = _init(tmp_path, execgov_cli, {**STORAGE, "app/registry.py": """
        from .interfaces import Storage


        class Registry:
            def __init__(self):
                self.items = []

            def add_storage(self, storage: Storage) -> None:
                self.items.append(storage)
    """})
    assert options["execgov-plugin-types"] == "Storage"
    assert "own interface" not in text


def test_a_hook_offering_a_type_by_its_whole_name_keeps_it_once(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    """``get_storage_interface`` offers ``StorageInterface`` by its whole name, as the
    hooks that propose a type read it: the type is kept, not turned down as the host's
    own interface and proposed again."""
    files = {name: text.replace("class Storage(", "class StorageInterface(")
             .replace("(Storage)", "(StorageInterface)")
             .replace("import Storage", "import StorageInterface")
             .replace("  # called by the plugin loader", "")
             for name, text in STORAGE.items()}
    options, text = _init(tmp_path, execgov_cli, {**files, "app/hookspecs.py": """
        import pluggy

        hookspec = pluggy.HookspecMarker("app")


        @hookspec
        def get_storage_interface():
            '''A plugin's storage.'''
    """})
    assert options["execgov-plugin-types"] == "StorageInterface"
    assert "own interface" not in text


def test_a_class_running_the_registry_it_holds_is_the_dispatcher(
        tmp_path: Path, execgov_cli: Execgov, flake8_dir: Flake8Dir) -> None:
    """mkdocs's ``PluginCollection`` shape: a class files each plugin's ``on_*`` methods in
    a registry it holds (read by a computed name) and runs them in a loop, with no other
    plugin call of its own. It is the dispatcher every registered call goes through, the
    host's governed path: proposed as a runner class, its registration probe and its calls
    are governed; a plugin hook called elsewhere is the finding."""
    options, text = _init(tmp_path, execgov_cli, {
        "app/plugins.py": """
            import abc
            from typing import Callable


            class BasePlugin(abc.ABC):
                @abc.abstractmethod
                def on_build(self, config):
                    '''Called at build.'''

                def load_config(self, options):
                    '''Load options.'''


            class Collection(dict):
                def __init__(self):
                    super().__init__()
                    self.events: dict[str, list[Callable]] = {}

                def _register(self, name, method):
                    self.events.setdefault(name, []).append(method)

                def __setitem__(self, key, value: BasePlugin):
                    super().__setitem__(key, value)
                    for name in (x for x in dir(value) if x.startswith("on_")):
                        method = getattr(value, name, None)
                        if callable(method):
                            self._register(name[3:], method)

                def run_event(self, name, **kwargs):
                    for method in self.events.get(name, []):
                        method(**kwargs)
        """,
        "app/config.py": """
            from .plugins import BasePlugin


            def load(plugin: BasePlugin, options):
                plugin.load_config(options)
        """,
        "app/builtin.py": """
            from .plugins import BasePlugin


            class Search(BasePlugin):
                def on_build(self, config):
                    return config
        """,
    })
    assert options["execgov-runner-classes"] == "Collection"
    assert options["execgov-dispatch-names"] == "events"
    assert "    # app/plugins.py:31: Collection.run_event() calls the entries of self.events" \
        in text
    assert sorted(flake8_dir.run("app").findings) == [(5, 5, "GOV001")]
