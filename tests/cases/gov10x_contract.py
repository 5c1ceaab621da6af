"""GOV101-GOV103: validation and the error envelope around a covered run access."""


class ToolRunner:
    def no_input_validation(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            result = plugin.run(payload)  # expect: GOV101:22
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def input_validated_too_late(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            result = plugin.run(payload)  # expect: GOV101:22
            validate_input_payload(payload)
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def output_outside_try(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)  # expect: GOV102:22
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)
        return validate_plugin_output(result), None

    def output_in_else(self, name, payload):
        # in the else a failing validation escapes the handler: no envelope (GOV102)
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)  # expect: GOV102:22
        except Exception as exc:
            return None, build_error_envelope(exc)
        else:
            return validate_plugin_output(result), None
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def narrow_handler(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)  # expect: GOV103:22
            return validate_plugin_output(result), None
        except ValueError as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def handler_without_envelope(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)  # expect: GOV103:22
            return validate_plugin_output(result), None
        except Exception as exc:
            return None, {"error": str(exc)}
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def tuple_handler(self, name, payload):
        plugin = self.registry.get_plugin(name)
        validate_input_payload(payload)
        try:
            result = plugin.run(payload)
            return validate_plugin_output(result), None
        except (ValueError, Exception) as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def nothing(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            return plugin.run(payload)  # expect: GOV101:20 GOV102:20 GOV103:20
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def wrapped_validators(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            return validate_plugin_output(plugin.run(validate_input_payload(payload)))
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)

    def validator_in_other_call_argument(self, name, payload):
        plugin = self.registry.get_plugin(name)
        try:
            return plugin.run(payload), validate_input_payload(payload)  # expect: GOV101:20 GOV102:20
        except Exception as exc:
            return None, build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "RUNNING", 1, False)
