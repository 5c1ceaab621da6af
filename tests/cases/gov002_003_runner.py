"""GOV002/GOV003: coverage of run accesses in runners by try/finally + metrics."""
import contextlib


class ToolRunner:
    def covered(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def no_finally(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        result = plugin.run(payload)  # expect: GOV002:18 GOV102:18 GOV103:18
        try:
            result = plugin.run(payload)  # expect: GOV002:22 GOV102:22 GOV103:22
        except Exception:
            pass
        return result

    def in_finally_or_handler(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            pass
        except Exception:
            plugin.run(payload)  # expect: GOV002:13 GOV101:13 GOV102:13 GOV103:13
        finally:
            plugin.run(payload)  # expect: GOV002:13 GOV101:13 GOV102:13 GOV103:13
            update_execution_metrics(name, "FAILED", 1, True)

    def missing(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            plugin.run(payload)  # expect: GOV003:13 GOV101:13 GOV102:13 GOV103:13
        finally:
            self.log("done")

    def conditional(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            plugin.run(payload)  # expect: GOV003:13 GOV101:13 GOV102:13 GOV103:13
        finally:
            if self.enabled:
                update_execution_metrics(name, "FAILED", 1, True)

    def in_loop_or_handler(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            plugin.run(payload)  # expect: GOV003:13 GOV101:13 GOV102:13 GOV103:13
        finally:
            for _ in range(1):
                update_execution_metrics(name, "FAILED", 1, True)
        try:
            plugin.run(payload)  # expect: GOV003:13 GOV101:13 GOV102:13 GOV103:13
        finally:
            try:
                pass
            except Exception:
                update_execution_metrics(name, "FAILED", 1, True)

    async def guarded(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            try:
                result = await plugin.run(payload)
                result = validate_plugin_output(result)
            except BaseException as exc:
                result = build_error_envelope(exc)
        finally:
            with contextlib.suppress(Exception):
                try:
                    state = await self.registry.update_execution_metrics(name, "FAILED", 1, True)
                except Exception:
                    self.log.exception("metrics failed")
        return result

    def lambda_before_try(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        fn = lambda: plugin.run(payload)  # expect: GOV002:22 GOV102:22 GOV103:22
        try:
            return fn()
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def lambda_inside_try(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            fn = lambda: plugin.run(payload)
            result = validate_plugin_output(fn())
        except:  # noqa: E722
            build_error_envelope(None)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)
        return result

    def inner_try_without_metrics(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            try:
                plugin.run(payload)  # expect: GOV003:17 GOV101:17 GOV102:17 GOV103:17
            finally:
                pass
        finally:
            self.other()


class Unrelated:
    def method(self, plugin):
        try:
            plugin.run(1)  # expect: GOV001:13
        finally:
            update_execution_metrics("x", "RUNNING", 1, False)


def free_function(plugin):
    plugin.run(1)  # expect: GOV001:5
