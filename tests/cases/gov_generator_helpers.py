"""Generator helpers run where the caller iterates them, not where it calls them."""


class ToolRunner:
    def run(self, name, payload):
        validate_input_payload(payload)
        rows = self._rows(payload)
        try:
            return validate_plugin_output([row for row in rows])
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED")

    def run_next(self, name, payload):
        validate_input_payload(payload)
        first = self._first(payload)
        try:
            return validate_plugin_output(next(first))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED")

    def run_outside(self, name, payload):
        rows = self._late(payload)
        for row in rows:
            return row

    def _rows(self, payload):
        for plugin in self.plugins.values():
            yield plugin.run(payload)

    def _first(self, payload):
        yield self.plugin.run(payload)

    def _late(self, payload):
        yield self.plugin.run(payload)  # expect: GOV002:15 GOV101:15 GOV102:15 GOV103:15
