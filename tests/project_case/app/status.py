from lib.enums import PluginState


def report(name):
    update_execution_metrics(name, PluginState.SUCCESS)  # expect: GOV005:36
