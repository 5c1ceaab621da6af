"""Names as other plugin hosts write them: collections behind string keys, tool-name
getters, wrapped metrics calls in a finally (with the default configuration)."""
import asyncio
import os


def collection_behind_a_string_key(conf, key):
    conf["plugins"][key].run()  # expect: GOV001:5
    for item in conf["plugins"].values():
        item.run()  # expect: GOV001:9


def default_names(request, registry, plugins):
    plugins["default"]  # expect: GOV006:13
    registry.get_plugin("default")  # expect: GOV006:25
    getattr(request, "tool_name", "default")  # expect: GOV006:35
    os.environ.get("TOOL_NAME", "default")  # expect: GOV006:33
    os.getenv("TOOL_NAME", "Default")  # expect: GOV006:28
    # look-alikes: other keys, other defaults
    os.environ.get("LOG_LEVEL", "default")
    getattr(request, "mode", "default")
    plugins["ocr"]


class ToolRunner:
    async def run(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            return validate_plugin_output(await plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            await asyncio.shield(update_execution_metrics(name, "INITIALIZED"))

    def run_returning(self, name, payload):
        validate_input_payload(payload)
        plugin = self.registry.get_plugin(name)
        try:
            return validate_plugin_output(plugin.run(payload))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            self.log(name)
            return update_execution_metrics(name, "INITIALIZED")
