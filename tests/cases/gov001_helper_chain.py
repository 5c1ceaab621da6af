"""A chain of module-level helpers between a runner and the execution: the middle one
names nothing the rules know, and is still part of the chain."""


class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            return validate_plugin_output(relay(name, payload))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED", 0, False)


def relay(name, payload):
    return execute(name, payload)


def execute(name, payload):
    return get_plugin(name).run(payload)


def forward(name, payload):
    return direct(name, payload)


def direct(name, payload):
    return get_plugin(name).run(payload)  # expect: GOV001:12


def stray(payload):
    return forward("x", payload)
