"""A host without a metrics API (``metrics-functions =``) keeps the contract rules; the try
that counts is the one whose handlers catch a failure, not an inner try/finally that only
releases a resource."""
# flake8 args: --execgov-metrics-functions=


class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            lock = self.acquire()
            try:
                result = self.registry.get_plugin(name).run(payload)
            finally:
                lock.release()
            return validate_plugin_output(result)
        except Exception as exc:
            return build_error_envelope(exc)

    def run_unvalidated(self, name, payload):
        validate_input_payload(payload)
        try:
            lock = self.acquire()
            try:
                result = self.registry.get_plugin(name).run(payload)  # expect: GOV102:26
            finally:
                lock.release()
            return result
        except Exception as exc:
            return build_error_envelope(exc)

    def check(self, name):
        try:
            return validate_plugin_output(self.registry.get_plugin(name).run())
        except Exception as exc:
            return build_error_envelope(exc)

    def check_with_input(self, name, payload):
        try:
            return validate_plugin_output(self.registry.get_plugin(name).run(payload))  # expect: GOV101:43
        except Exception as exc:
            return build_error_envelope(exc)
