"""GOV001: run access on a plugin outside a runner (and its look-alikes)."""
import asyncio
import subprocess
from typing import Optional, Union, Annotated

from app.plugins import BasePlugin, Plugin
from app.registry import get_plugin as fetch


def direct(plugin, payload):
    plugin.run(payload)  # expect: GOV001:5
    return plugin.run(payload)  # expect: GOV001:12


async def awaited(self, payload):
    await self.plugin.run(payload)  # expect: GOV001:11
    await self._plugin.run(payload)  # expect: GOV001:11
    self.ocr_plugin.run({"image": payload})  # expect: GOV001:5


def collections(self, plugins, name):
    plugins[name].run(1)  # expect: GOV001:5
    self._plugins["ocr"].run(1)  # expect: GOV001:5
    self.plugins.get(name).run(1)  # expect: GOV001:5


def getters(registry, name):
    registry.get_plugin(name).run(1)  # expect: GOV001:5
    get_plugin_instance(name).run(1)  # expect: GOV001:5
    fetch(name).run(1)  # expect: GOV001:5


def bound_locals(registry, name, plugins):
    p = registry.get_plugin(name)
    q = p
    q.run(1)  # expect: GOV001:5
    r = s = plugins[name]
    s.run(1)  # expect: GOV001:5
    if (w := registry.get_plugin(name)) is not None:
        w.run(1)  # expect: GOV001:9
    for item in plugins:
        item.run(1)  # expect: GOV001:9
    for item2 in plugins.values():
        item2.run(1)  # expect: GOV001:9
    for key, value in plugins.items():
        value.run(1)  # expect: GOV001:9
        key.run(1)
    later.run(1)  # expect: GOV001:5
    later = plugins[name]


def annotated(a: BasePlugin, b: Optional[Plugin], c: "BasePlugin", d: Union[Plugin, None],
              e: "Plugin | None", f: Annotated[BasePlugin, "x"], g: list[BasePlugin]):
    a.run(1)  # expect: GOV001:5
    b.run(1)  # expect: GOV001:5
    c.run(1)  # expect: GOV001:5
    d.run(1)  # expect: GOV001:5
    e.run(1)  # expect: GOV001:5
    f.run(1)  # expect: GOV001:5
    g.run(1)
    h: BasePlugin = make()
    h.run(1)  # expect: GOV001:5


def references(pool, loop, plugin, x):
    f = plugin.run  # expect: GOV001:9
    pool.submit(plugin.run, x)  # expect: GOV001:17
    loop.run_in_executor(None, plugin.run, x)  # expect: GOV001:32
    getattr(plugin, "run")(x)  # expect: GOV001:5
    getattr(plugin, "run", None)  # expect: GOV001:5
    callback = lambda: plugin.run(x)  # expect: GOV001:24
    return f, callback


def closures(registry, name):
    p = registry.get_plugin(name)

    def inner():
        return p.run(1)  # expect: GOV001:16

    return inner


def multiline(plugin, payload):
    return (
        plugin  # expect: GOV001:9
        .run(payload)
    )


# --- look-alikes that must stay silent -------------------------------------------

def silent(runner, job, tool, plugin, plugin_name, plugins):
    subprocess.run(["ls"])
    asyncio.run(main())
    runner.run(job)
    tool.run(job)
    plugin_name.run()
    plugins.run()
    plugin.name
    plugin.running
    if callable(plugin.run):
        pass
    callable(getattr(plugin, "run", None))
    getattr(plugin, "name", "?")
    text = "plugin.run(payload)"
    other = """
    plugin.run(payload)
    """
    # plugin.run(payload)
    plugin.run = None
    super().run(job)
    return text, other


class OCRPlugin(BasePlugin):
    def run(self, payload):
        return self.helper(payload)


def shadow(name):
    runner = make_runner(name)
    runner.run(1)
