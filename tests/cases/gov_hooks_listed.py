"""execgov-hook-methods = listed: only the configured run methods execute a plugin."""
# flake8 args: --execgov-hook-methods=listed


class BasePlugin:
    def filters(self):
        return []


def host(plugin, job):
    plugin.filters()
    plugin.run(job)  # expect: GOV001:5
