"""What a plugin hands back is plugin code (issue 32): the hooks its type declares, what a
plugin execution returns (and its items and attributes), a property returning a plugin;
and a getattr name fixed to constants that cannot be a run method or hook is no finding."""
import functools


class BasePlugin:
    """A configured plugin type defined here: its methods are hooks."""

    def filters(self):
        return []

    @classmethod
    def supports(cls, mime):
        return False

    @property
    def title(self):
        return "?"

    @staticmethod
    def normalize(text):
        return text

    def __repr__(self):
        return "BasePlugin()"


class Host:
    MARKER = "patterns"

    @functools.cached_property
    def geo(self):
        return get_plugin("geo")

    @property
    def name(self):
        return "host"

    def hooks(self, plugin, mime, job, kind):
        plugin.filters()  # expect: GOV001:9
        plugin.supports(mime)  # expect: GOV001:9
        plugin.title
        plugin.normalize("x")
        repr(plugin)
        plugin.__repr__()
        plugin.unknown()
        self.geo.lookup(job)
        self.geo.run(job)  # expect: GOV001:9
        self.name.run(job)

    async def produced(self, plugin, job, items):
        for step in plugin.run(job):  # expect: GOV001:21
            step(job)  # expect: GOV001:13
        for cmd in plugin.filters():  # expect: GOV001:20
            cmd.handler(job)  # expect: GOV001:13
            cmd.get("x")
        action = await plugin.run(job)  # expect: GOV001:24
        action.apply(job)  # expect: GOV001:9
        action.items()
        result = items.run(job)
        result()
        for entry in items:
            entry(job)

    def constant_names(self, plugin, kind, name):
        getattr(plugin, self.MARKER, [])
        getattr(plugin, f"{kind}_fields", {})
        getattr(plugin, f"fil{kind}")  # expect: GOV007:9
        getattr(plugin, name)  # expect: GOV007:9
        method = "run"
        getattr(plugin, method)(kind)  # expect: GOV001:9
        other = "describe"
        getattr(plugin, other)()


MARKER = "run"


class Shadowed:
    MARKER = "describe"

    def method(self, plugin):
        getattr(plugin, MARKER)  # expect: GOV001:9
        getattr(plugin, self.MARKER)
