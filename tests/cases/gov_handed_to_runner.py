"""A function handed to a runner instance's method runs inside the governed path: it is
covered there when every use of it is such a hand-over."""
# flake8 args: --execgov-runner-classes=ExtensionManager --execgov-metrics-functions=


def _format(ext, data):
    return ext.plugin.run(data)


def _leaked(ext, data):
    return ext.plugin.run(data)  # expect: GOV001:12


def export(data, names):
    manager = ExtensionManager(names)
    results = manager.map(_format, data)
    direct = ExtensionManager(names).map(_leaked, data)
    return results, direct, _leaked(None, data)
