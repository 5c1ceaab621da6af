"""A runner function nested in an ordinary module-level function is a runner: the README
promises runner functions at any level (a regression of the rule-units restructuring made
it an ordinary function, GOV001 instead of GOV002)."""
# flake8 args: --execgov-runner-functions=_run_one,_run_bare


def batch(names, plugins):
    def _run_one(name):
        validate_input_payload(name)
        try:
            return validate_plugin_output(plugins[name].run(name))
        except Exception as exc:
            return build_error_envelope(exc)
        finally:
            update_execution_metrics(name, "INITIALIZED")

    def _run_bare(name):
        validate_input_payload(name)
        return validate_plugin_output(plugins[name].run(name))  # expect: GOV002:39 GOV103:39

    leaked = plugins["x"].run(1)  # expect: GOV001:14
    return [_run_one(n) for n in names] + [_run_bare(n) for n in names] + [leaked]
