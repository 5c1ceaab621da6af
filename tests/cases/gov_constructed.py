"""Values typed by construction (issue 32): a name or ``self`` attribute that is only ever
built from a project class that is no plugin type is no plugin, whatever its name."""


class BufferedOutput:
    def run(self):
        pass


class BasePlugin:
    pass


class OutputPlugin(BasePlugin):
    pass


class Host:
    def __init__(self, config):
        self.output_plugin = BufferedOutput(config)
        self.ocr_plugin = OutputPlugin()
        self.other_plugin = BufferedOutput(config)

    def use(self, loaded):
        self.output_plugin.run()
        self.ocr_plugin.run()  # expect: GOV001:9
        self.other_plugin.run()  # expect: GOV001:9

    def rebind(self, loaded):
        self.other_plugin = loaded


def locals_(config, plugin):
    main_plugin = BufferedOutput(config)
    main_plugin.run()
    plugin = BufferedOutput(config)
    plugin.run()  # expect: GOV001:5
    third_plugin = ExternalOutput(config)
    third_plugin.run()  # expect: GOV001:5
    for each_plugin in config:
        each_plugin = BufferedOutput(config)
        each_plugin.run()  # expect: GOV001:9
