"""Hooks declared by a plugin type of another module (app/contract.py) are executions."""


def start(plugin, config, kinds):
    plugin.setup(config)  # expect: GOV001:5
    label = plugin.label
    for kind in kinds:
        if plugin.supports(kind):  # expect: GOV001:12
            return label
    return plugin.teardown()
