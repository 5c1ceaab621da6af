"""Helpers that execute plugins, used from other modules: judged where they are used."""


def execute(name, payload):
    return get_plugin(name).run(payload)


def relay(name, payload):
    return execute(name, payload)


def orphan(name, payload):
    return get_plugin(name).run(payload)  # expect: GOV001:12
