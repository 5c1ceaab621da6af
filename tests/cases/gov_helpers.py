"""Helper methods of a runner class are covered by their callers."""
import asyncio


class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            result = self._invoke(name, payload)
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def _invoke(self, name, payload):
        return self.registry.get_plugin(name).run(payload)

    async def run_async(self, name, payload):
        validate_input_payload(payload)
        loop = asyncio.get_running_loop()
        try:
            result = await loop.run_in_executor(None, self._execute, name, payload)
            result = validate_plugin_output(result)
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)
        return result, None

    def _execute(self, name, payload):
        plugin = self.registry.get_plugin(name)
        return plugin.run(payload)

    def never_called(self, name):
        return self.registry.get_plugin(name).run(1)  # expect: GOV002:16 GOV101:16 GOV102:16 GOV103:16

    def uncovered_caller(self, name, payload):
        return self._partly(name, payload)

    def covered_caller(self, name, payload):
        try:
            return self._partly(name, payload)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def _partly(self, name, payload):
        return self.registry.get_plugin(name).run(payload)  # expect: GOV002:16 GOV101:16 GOV102:16 GOV103:16

    def _missing_caller(self, name, payload):
        try:
            return self._only_missing(name, payload)
        finally:
            self.log()

    def _only_missing(self, name, payload):
        return self.registry.get_plugin(name).run(payload)  # expect: GOV003:16 GOV101:16 GOV102:16 GOV103:16


class ToolRunner:  # noqa: F811 - a second runner class: helpers of helpers
    def run(self, name, payload):
        validate_input_payload(payload)
        try:
            result = self._execute(name, payload)
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def _execute(self, name, payload):
        return self._invoke(name, payload)

    def _invoke(self, name, payload):
        plugin = self.registry.get_plugin(name)
        if inspect.iscoroutinefunction(plugin.run) or callable(plugin.run):
            return None
        return plugin.run(payload)

    def before_try(self, name, payload):
        plugin = self.registry.get_plugin(name)
        is_async = asyncio.iscoroutinefunction(plugin.run)
        params = inspect.signature(plugin.run).parameters
        started = plugin.run  # expect: GOV002:19 GOV101:19 GOV102:19 GOV103:19
        return is_async, params, started


class ToolRunner:  # noqa: F811 - a static method's first parameter is not self
    def run(self, name, payload):
        return self.registry.get_plugin(name).run(payload)  # expect: GOV002:16 GOV101:16 GOV102:16 GOV103:16

    @staticmethod
    def probe(plugin, payload):
        validate_input_payload(payload)
        try:
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics("x", "RUNNING", 1, False)
