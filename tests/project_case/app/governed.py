from app import helpers
from . import service


class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            result = helpers.execute(name, payload)
            return validate_plugin_output(result)
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED", 0, False)

    def run_again(self, name, payload):
        try:
            return service.through(name, payload)
        finally:
            update_execution_metrics(name, "INITIALIZED", 0, False)

    def run_unrecorded(self, name, payload):
        return service.through(name, payload)  # expect: GOV002:16
