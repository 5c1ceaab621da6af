"""A mention is not an execution (GOV001): only what can run the plugin is a run access."""
import functools
import inspect


def executions(plugin, executor, payload):
    plugin.run(payload)  # expect: GOV001:5
    executor.submit(plugin.run, payload)  # expect: GOV001:21
    functools.partial(plugin.run, payload)  # expect: GOV001:23
    handler = plugin.run  # expect: GOV001:15
    describe(plugin.run)  # expect: GOV001:14
    return plugin.run  # expect: GOV001:12


def mentions(plugin, handlers, log):
    assert handlers == [plugin.run]
    assert plugin.run is not None
    if plugin.run in handlers:
        log.info(f"bad hook {plugin.run!r}")
    log.info("hook %s" % plugin.run)
    log.info("hooks %s %s" % (plugin.run, plugin.name))
    name = plugin.run.__name__
    flag = getattr(plugin.run, "off_by_default", False)
    routine = inspect.isroutine(plugin.run)
    shown = repr(plugin.run)
    kind = isinstance(plugin.run, type)
    return name, flag, routine, shown, kind


def getattr_reads_an_attribute(plugin):
    return getattr(plugin, "run")  # expect: GOV001:12


class ToolRunner:
    def run(self, plugin, payload):
        # a mention inside a runner is no execution to govern: no GOV002/GOV101-103 here
        return plugin.run.__name__


class CollectorTest(TestCase):
    def test_events(self, col, hook, plugin):
        """Containers compared by unittest's assertions, nested, are only looked at."""
        self.assertEqual({**col.events, "page": [hook.on_page, plugin.run]}, col.events)
        self.assertIn(plugin.run, col.handlers)
        self.assertCountEqual([(plugin.run, 1)], col.calls)
        assert col.seen == {"run": {plugin.run}}
        self.assertRaises(ValueError, plugin.run, 1)  # expect: GOV001:39
