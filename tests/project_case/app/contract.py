"""A plugin type of the project (its name is a configured plugin type): the methods it
declares are hooks in every module (app/host.py calls them)."""


class Plugin:
    def setup(self, config):
        pass

    @classmethod
    def supports(cls, kind):
        return False

    @property
    def label(self):
        return "plugin"
