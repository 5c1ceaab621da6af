from .runners import ToolRunner


class JobRunner(ToolRunner):
    def run(self, name, payload):
        plugin = get_plugin(name)
        return plugin.run(payload)  # expect: GOV002:16 GOV101:16 GOV102:16 GOV103:16


def outside(name, payload):
    return get_plugin(name).run(payload)  # expect: GOV001:12
