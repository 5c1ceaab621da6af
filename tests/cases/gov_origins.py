"""A plugin is known by where it comes from: an instance of a class deriving from a plugin
type (directly or through other classes of the module, in any order), what a manager
lists, and a dynamic attribute of a plugin that is called is an execution."""
from app.plugins import BasePlugin


class Formatter(CsvFormatterBase):
    """Derives from a plugin class defined further down."""


class CsvFormatterBase(BasePlugin):
    pass


class NotAPlugin(Exception):
    pass


def export(data, manager, method_name, args):
    formatter = Formatter()
    formatter.run(data)  # expect: GOV001:5
    CsvFormatterBase().run(data)  # expect: GOV001:5
    NotAPlugin().run(data)
    for ext in manager.plugins():
        ext.run(data)  # expect: GOV001:9
    getattr(ext, method_name)(*args)  # expect: GOV001:5 GOV007:5


def typed(formatter: Formatter, data):
    return formatter.run(data)  # expect: GOV001:12


class ToolRunner:
    def dispatch(self, ext, method_name, args):
        validate_input_payload(args)
        return getattr(ext.plugin, method_name)(*args)  # expect: GOV002:16 GOV102:16 GOV103:16

    def governed(self, ext, method_name, args):
        validate_input_payload(args)
        try:
            return validate_plugin_output(getattr(ext.plugin, method_name)(*args))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(method_name, "INITIALIZED")


def load_plugins(data):
    """What an entry point of the host loads is a plugin."""
    for ep in entry_points(group="myhost.plugins"):
        plugin = ep.load()
        plugin.run(data)  # expect: GOV001:9
        module = ep.load()
        getattr(module, "run", None)(data)  # expect: GOV001:9
    for ep in importlib.metadata.entry_points().select(group="myhost.plugins"):
        ep.load().run(data)  # expect: GOV001:9


class WebhookView:
    """An executor object holding a plugin's callable: the execution is reported where the
    callable leaves the plugin (the alias or the hand-over), where the ungoverned path
    enters; calling ``self.func`` later is that same execution."""

    def __init__(self, plugin, func=None):
        self.func = func or plugin.run  # expect: GOV001:29

    def dispatch(self, request, **kw):
        return self.func(request, **kw)


def register(app, plugin):
    app.add_view(WebhookView(None, plugin.run))  # expect: GOV001:36
