"""The reference runtime is the plugin's main fixture.

It is clean under every GOV rule, and a copy with exactly one contract broken yields
exactly the matching code, at the line of the break, and nothing else.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, Flake8Dir

RUNTIME = ROOT / "reference_runtime"

# (id, file, old text, new text, expected code, text on the reported line)
BREAKS = [
    ("finally-removed", "runner.py",
     """        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000.0
            self._registry.update_execution_metrics(
                plugin_name, state, elapsed_ms, state is not LifecycleState.INITIALIZED)
""", "", "GOV002", "output = plugin.run(checked)"),
    ("metrics-call-removed", "runner.py",
     """            self._registry.update_execution_metrics(
                plugin_name, state, elapsed_ms, state is not LifecycleState.INITIALIZED)
""", "", "GOV003", "output = plugin.run(checked)"),
    ("metrics-call-conditional", "runner.py",
     """            self._registry.update_execution_metrics(
                plugin_name, state, elapsed_ms, state is not LifecycleState.INITIALIZED)
""", """            if error is None:
                self._registry.update_execution_metrics(
                    plugin_name, state, elapsed_ms, False)
""", "GOV003", "output = plugin.run(checked)"),
    ("state-success-string", "runner.py",
     "            state = LifecycleState.INITIALIZED\n",
     '            state = "SUCCESS"\n', "GOV004", 'state = "SUCCESS"'),
    ("state-success-member", "runner.py",
     "            state = LifecycleState.INITIALIZED\n",
     "            state = LifecycleState.SUCCESS\n", "GOV005", "state = LifecycleState.SUCCESS"),
    ("enum-member-defined", "lifecycle.py",
     '    UNAVAILABLE = "UNAVAILABLE"\n',
     '    UNAVAILABLE = "UNAVAILABLE"\n    ERROR = "ERROR"\n', "GOV005", 'ERROR = "ERROR"'),
    ("input-validation-removed", "runner.py",
     "            checked = validate_input_payload(payload)\n",
     "            checked = dict(payload)  # type: ignore[call-overload]\n",
     "GOV101", "output = plugin.run(checked)"),
    ("output-validation-removed", "runner.py",
     "            result = validate_plugin_output(output)\n",
     "            result = dict(output)\n", "GOV102", "output = plugin.run(checked)"),
    ("envelope-removed", "runner.py",
     "            error = build_error_envelope(exc, plugin_name)\n",
     "            raise\n", "GOV103", "output = plugin.run(checked)"),
    ("direct-run-in-service", "services.py",
     "        return self._runner.run(plugin_name, payload)\n",
     "        plugin = self._runner._registry.get_plugin(plugin_name)\n"
     "        return plugin.run(payload), None  # type: ignore[return-value]\n",
     "GOV001", "return plugin.run(payload), None"),
    ("default-tool-name", "analysis.py",
     '    tool_name = request.get("tool_name")\n',
     '    tool_name = request.get("tool_name", "default")\n', "GOV006",
     'tool_name = request.get("tool_name", "default")'),
    ("dynamic-getattr", "services.py",
     "        return self._runner.run(plugin_name, payload)\n",
     "        plugin = self._runner._registry.get_plugin(plugin_name)\n"
     "        getattr(plugin, plugin_name)\n"
     "        return self._runner.run(plugin_name, payload)\n",
     "GOV007", "getattr(plugin, plugin_name)"),
]


# Web contracts in api.py: removing one route's auth, or answering 500 in one.
API_ROUTES = ["analyze", "submit_analysis", "list_jobs", "get_job", "job_result", "cancel_job"]
API_BREAKS = [
    (f"no-auth-{name}", "api.py", None, name, "GOV201", f"async def {name}(") for name in API_ROUTES
] + [
    ("raise-500", "api.py",
     "    job = _runtime(request).jobs.get_job(job_id)\n    if job.status not in FINISHED:\n",
     "    job = _runtime(request).jobs.get_job(job_id)\n"
     "    if job.error is not None:\n"
     "        raise HTTPException(status_code=500, detail=\"plugin failed\")\n"
     "    if job.status not in FINISHED:\n",
     "GOV202", "raise HTTPException(status_code=500"),
    ("respond-500", "api.py",
     "    return _job(_runtime(request).jobs.cancel_job(job_id))\n",
     "    return JSONResponse({}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)"
     "  # type: ignore[return-value]\n",
     "GOV202", "return JSONResponse({}, status_code=status.HTTP_500"),
]


def test_runtime_is_clean(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.run_fresh("--isolated", "--select=GOV", str(RUNTIME))
    assert (result.exit_code, result.out, result.err) == (0, "", "")


def test_runtime_is_clean_with_every_plugin_selected(flake8_dir: Flake8Dir) -> None:
    result = flake8_dir.run_fresh("--isolated", "--select=E,W,F,C90,GOV",
                                  "--max-line-length=110", str(RUNTIME))
    assert (result.exit_code, result.out) == (0, "")


@pytest.mark.untraced  # flake8 over the whole runtime per break: its lines are traced by
# test_runtime_is_clean and the rule fixtures; untraced, these cost a third
@pytest.mark.parametrize("name, filename, old, new, code, reported", BREAKS + API_BREAKS,
                         ids=[b[0] for b in BREAKS + API_BREAKS])
def test_one_broken_contract_yields_its_code(flake8_dir: Flake8Dir, name: str, filename: str,
                                             old: str, new: str, code: str, reported: str) -> None:
    copy = flake8_dir.path / "reference_runtime"
    shutil.copytree(RUNTIME, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / filename
    source = target.read_text(encoding="utf-8")
    if old is None:  # remove the auth dependency from the decorator of the route ``new``
        route = re.compile(r"(@router\.\w+\((?:[^()]|\([^()]*\))*?),\s*dependencies="
                           r"\[Depends\(require_auth\)\](\)\nasync def " + new + r"\()")
        assert len(route.findall(source)) == 1, f"the break {name!r} no longer applies"
        target.write_text(route.sub(r"\1\2", source), encoding="utf-8")
    else:
        assert source.count(old) == 1, f"the break {name!r} no longer applies"
        target.write_text(source.replace(old, new), encoding="utf-8")
    line = next(i for i, text in enumerate(target.read_text().splitlines(), 1) if reported in text)
    result = flake8_dir.run("--isolated", "--select=GOV", "reference_runtime")
    assert [(Path(out.split(":")[0]).name, f[0], f[2]) for out, f in zip(result.lines, result.findings)] \
        == [(filename, line, code)]


def test_breaks_cover_every_execution_rule() -> None:
    assert {b[4] for b in BREAKS} == {"GOV001", "GOV002", "GOV003", "GOV004", "GOV005",
                                      "GOV006", "GOV007", "GOV101", "GOV102", "GOV103"}
