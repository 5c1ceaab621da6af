"""GOV007: dynamic attribute access on a plugin outside a runner."""


def dynamic(plugin, registry, name, attr):
    getattr(plugin, attr)  # expect: GOV007:5
    getattr(registry.get_plugin(name), attr, None)  # expect: GOV007:5
    getattr(plugin, f"{attr}_x")  # no run method ends with "_x" (issue 32: constant ends)
    getattr(plugin, f"r{attr}")  # expect: GOV007:5
    p = registry.get_plugin(name)
    getattr(p, attr)  # expect: GOV007:5


def silent(plugin, obj, attr):
    getattr(plugin, "name", "?")
    getattr(obj, attr)
    getattr(plugin)
    if callable(getattr(plugin, attr, None)):
        pass


class ToolRunner:
    def run(self, plugin, attr):
        return getattr(plugin, attr)


def hooks_by_prefix(plugin, log):
    for name in dir(plugin):
        if not name.startswith("on_"):
            continue
        hook = getattr(plugin, name)
        log.debug(hook)
    for name in dir(plugin):
        if name.startswith(("on_", "before_")):
            getattr(plugin, name)
    for name in dir(plugin):
        if not name.startswith("r"):
            continue
        getattr(plugin, name)  # expect: GOV007:9 ("r" can still be "run")
    for name in dir(plugin):
        if inspect.isroutine(getattr(plugin, name)):
            pass


def filtered_by_a_comprehension(plugin):
    """A loop over names a comprehension already limited to a prefix."""
    for event in (n for n in dir(plugin) if n.startswith("on_")):
        getattr(plugin, event, None)
    for event in [n for n in dir(plugin) if n.startswith(("on_", "handle_"))]:
        getattr(plugin, event)(1)
    for event in (n for n in dir(plugin) if n.endswith("_hook")):
        getattr(plugin, event)(1)  # expect: GOV001:9 GOV007:9
