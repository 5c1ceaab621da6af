"""Module-level helpers of a runner: covered when every use of them is (like helper methods)."""


def _execute(plugin, payload):
    return plugin.run(payload)


def _submit(plugin, payload):
    return plugin.run(payload)


def _also_used_elsewhere(plugin, payload):
    return plugin.run(payload)  # expect: GOV001:12


def _called_before_the_try(plugin, payload):
    return plugin.run(payload)  # expect: GOV001:12


class ToolRunner:
    def run(self, name, payload, pool):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        early = _called_before_the_try(plugin, payload)
        try:
            first = validate_plugin_output(_execute(plugin, payload))
            second = validate_plugin_output(pool.submit(_submit, plugin, payload))
            third = validate_plugin_output(_also_used_elsewhere(plugin, payload))
            return first, second, third, early
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED")


def service(plugin):
    return _also_used_elsewhere(plugin, {})


def _leaked(plugin, payload):
    return plugin.run(payload)  # expect: GOV001:12


class ToolRunner:  # noqa: F811 - a second runner class, for this case
    def run(self, name, payload, pool):
        plugin = self.registry.get_plugin(name)
        try:
            return _leaked(plugin, payload)
        finally:
            update_execution_metrics(name, "INITIALIZED")


def unrelated(x):
    # names nothing the rules know: the prefilter skips it, yet its use of _leaked counts
    return _leaked(x, {})
