"""Registries plugins fill (issue 32): the module-level containers a configured registering
decorator writes; calling an entry of one executes a plugin."""
# flake8 args: --execgov-registry-decorators=register_*
formatters = {}
apps = {}
hooks = []
ordinary = {}


def register_formatter(key):
    def decorate(fn):
        formatters[key] = fn
        return fn
    return decorate


def register_app(name, factory):
    apps[name] = {"factory": factory}
    if factory is not None:
        hooks.append(factory)


def unrelated(key, value):
    ordinary[key] = value


def host(key, record, name, config):
    formatters[key](record)  # expect: GOV001:5
    apps[name]["factory"](config)  # expect: GOV001:5
    for hook in hooks:
        hook(config)  # expect: GOV001:9
    formatters.get(key)(record)  # expect: GOV001:5
    ordinary[key](record)
    formatters[key].__name__
    callable(formatters[key])
