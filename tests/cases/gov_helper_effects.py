"""What a runner's helpers do counts where they are called: a helper that records metrics
on every path satisfies the finally (GOV003), and validators and envelope builders reached
through helpers (methods, module functions, helpers of helpers) satisfy GOV101-GOV103."""


def _check(payload):
    validate_input_payload(payload)


def _finish(name):
    update_execution_metrics(name, "INITIALIZED")


class ToolRunner:
    def run(self, name, payload):
        _check(payload)
        try:
            return self._checked(self.registry.get_plugin(name).run(payload))
        except Exception as exc:
            return self._envelope(exc)
        finally:
            self._record(name)

    def run_module_helper(self, name, payload):
        self._validate_input(payload)
        try:
            return self._checked(self.registry.get_plugin(name).run(payload))
        except Exception as exc:
            return self._envelope(exc)
        finally:
            _finish(name)

    def run_guarded_record(self, name, payload):
        self._validate_input(payload)
        try:
            return self._checked(self.registry.get_plugin(name).run(payload))  # expect: GOV003:34
        except Exception as exc:
            return self._envelope(exc)
        finally:
            self._maybe_record(name)
            if self.enabled:
                update_execution_metrics(name, "INITIALIZED")

    def run_unhelped(self, name, payload):
        try:
            return self._unchecked(self.registry.get_plugin(name).run(payload))  # expect: GOV101:36 GOV102:36 GOV103:36
        except Exception as exc:
            return self._describe(exc)
        finally:
            self._record(name)

    def _record(self, name):
        self._really_record(name)

    def _really_record(self, name):
        with self.lock:
            update_execution_metrics(name, "INITIALIZED")

    def _maybe_record(self, name):
        if self.enabled:
            update_execution_metrics(name, "INITIALIZED")

    def _validate_input(self, payload):
        return validate_input_payload(payload)

    def _checked(self, result):
        return validate_plugin_output(result)

    def _envelope(self, exc):
        return self._wrap(exc)

    def _wrap(self, exc):
        return build_error_envelope(exc)

    def _unchecked(self, result):
        return result

    def _describe(self, exc):
        return str(exc)
