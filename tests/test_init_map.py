"""``execgov init`` and ``execgov map`` as users run them (issue 33)."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, Execgov


def _copy_example(path: Path) -> None:
    shutil.copy(ROOT / "examples" / "plugin_server.py", path / "plugin_server.py")


def _options(text: str) -> dict[str, str]:
    parser = configparser.RawConfigParser()
    parser.read_string(text)
    return {k: " ".join(v.split()) for k, v in parser.items("flake8")}


def test_init_on_the_example_proposes_the_documented_defaults(
        tmp_path: Path, execgov_cli: Execgov) -> None:
    """The README documents the example under the defaults: init proposes them, and the
    example's findings with what it writes are the README's, line for line."""
    _copy_example(tmp_path)
    before = execgov_cli("check", "--isolated")
    proposed = execgov_cli("init")
    assert proposed.exit_code == 0
    options = _options(proposed.out.decode())
    assert options == {
        "extend-select": "GOV", "execgov-runner-classes": "ToolRunner",
        "execgov-plugin-names": "plugin *_plugin", "execgov-plugin-collections": "plugins *_plugins",
        "execgov-metrics-functions": "update_execution_metrics",
        "execgov-input-validators": "validate_input_payload",
        "execgov-output-validators": "validate_plugin_output",
        "execgov-error-envelope-builders": "build_error_envelope",
        "execgov-auth-dependencies": "require_auth"}
    text = proposed.out.decode()
    assert "    # plugin_server.py:25: called in the finally of a runner\n" in text
    assert text.endswith("# execution map: 0 plugin types, 3 execution sites, 2 governed "
                         "(execgov map .)\n")
    assert execgov_cli("init", "--write").exit_code == 0
    after = execgov_cli("check")
    assert (after.exit_code, after.out) == (1, before.out)
    assert len(after.out.decode().splitlines()) == 12


def test_init_on_reference_runtime(tmp_path: Path, execgov_cli: Execgov) -> None:
    shutil.copytree(ROOT / "reference_runtime", tmp_path / "reference_runtime")
    proposed = execgov_cli("init")
    options = _options(proposed.out.decode())
    assert options["execgov-runner-classes"] == "ToolRunner"
    assert options["execgov-plugin-types"] == "BasePlugin"
    assert options["execgov-run-methods"] == "run"
    assert options["execgov-metrics-functions"] == "update_execution_metrics"
    assert options["execgov-input-validators"] == "validate_input_payload"
    assert options["execgov-output-validators"] == "validate_plugin_output"
    assert options["execgov-error-envelope-builders"] == "build_error_envelope"
    assert options["execgov-lifecycle-enums"] == "LifecycleState"
    assert options["execgov-lifecycle-states"] == "LOADED INITIALIZED RUNNING FAILED UNAVAILABLE"
    assert options["execgov-auth-dependencies"] == "require_auth"
    assert "    # reference_runtime/api.py:81: Depends(require_auth) on 6 of 6 routes\n" \
        in proposed.out.decode()
    assert execgov_cli("init", "--write").exit_code == 0
    checked = execgov_cli("check")
    assert (checked.exit_code, checked.out) == (0, b"")  # it obeys every rule


def test_write_never_overwrites(tmp_path: Path, execgov_cli: Execgov) -> None:
    _copy_example(tmp_path)
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n"
                                        "execgov-runner-classes = Governor\n\n[other]\nx = 1\n")
    result = execgov_cli("init", "--write")
    assert result.exit_code == 0
    assert result.err.splitlines() == [
        "execgov init: setup.cfg: kept execgov-runner-classes = Governor (proposed: ToolRunner)",
        "execgov init: setup.cfg: 8 option(s) added, 1 kept as they were"]
    written = (tmp_path / "setup.cfg").read_text()
    options = _options(written)
    assert options["execgov-runner-classes"] == "Governor"
    assert options["execgov-metrics-functions"] == "update_execution_metrics"
    assert written.endswith("\n\n[other]\nx = 1\n")
    again = execgov_cli("init", "--write")
    assert again.err.splitlines()[-1] == (
        "execgov init: setup.cfg: 0 option(s) added, 1 kept as they were")


def test_write_into_pyproject(tmp_path: Path, execgov_cli: Execgov) -> None:
    _copy_example(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.flake8]\nmax-line-length = 100\n")
    assert execgov_cli("init", "--write").exit_code == 0
    shown = execgov_cli("check-config").out.decode().splitlines()
    assert shown[0] == "# configuration read: pyproject.toml"
    assert "execgov-metrics-functions = update_execution_metrics" in shown


def test_no_plugin_machinery(tmp_path: Path, execgov_cli: Execgov) -> None:
    (tmp_path / "app.py").write_text("def add(a, b):\n    return a + b\n")
    result = execgov_cli("init")
    text = result.out.decode()
    assert result.exit_code == 0
    assert "# no plugin machinery found" in text
    assert "# execgov-runner-classes = ToolRunner\n" in text
    assert _options(text) == {"extend-select": "GOV"}
    assert text.endswith("# execution map: 0 plugin types, 0 execution sites, 0 governed "
                         "(execgov map .)\n")


def test_bad_input_is_one_line(tmp_path: Path, execgov_cli: Execgov) -> None:
    missing = execgov_cli("init", "nowhere")
    assert (missing.exit_code, missing.err) == (
        2, "execgov: error: nowhere: not a directory (give the folder of a project)\n")
    (tmp_path / "empty").mkdir()
    empty = execgov_cli("map", "empty")
    assert (empty.exit_code, empty.err) == (
        2, "execgov: error: empty: no Python modules here, not a project\n")
    _copy_example(tmp_path)
    (tmp_path / "broken.py").write_text("class Plugin:\n    def f(:\n")
    broken = execgov_cli("init")
    assert broken.exit_code == 0
    assert broken.err == "execgov: broken.py:2: skipped, not valid Python (invalid syntax)\n"
    assert "# broken.py:2: skipped, not valid Python (invalid syntax)\n" in broken.out.decode()


EXAMPLE_MAP = """\
execution map of .: 0 plugin types, 3 execution sites, 2 governed

plugin types:
  none found

execution sites:
  plugin_server.py:15:18  plugin.run()  governed by ToolRunner
      GOV002 plugin.run() runs outside a try/finally; run it in the body of a try whose finally calls update_execution_metrics()
      GOV101 plugin.run() runs without input validation; call validate_input_payload() before it
      GOV102 plugin.run() output is not validated; call validate_plugin_output() on it in the try body
      GOV103 plugin.run() failure is not wrapped in an error envelope; catch Exception and call build_error_envelope()
  plugin_server.py:22:20  plugin.run()  governed by ToolRunner
      GOV003 the finally around plugin.run() makes the metrics call conditional; call update_execution_metrics() unconditionally in the finally
      GOV101 plugin.run() runs without input validation; call validate_input_payload() before it
      GOV102 plugin.run() output is not validated; call validate_plugin_output() on it in the try body
      GOV103 plugin.run() failure is not wrapped in an error envelope; catch Exception and call build_error_envelope()
  plugin_server.py:37:24  ocr.run()  UNGOVERNED
      GOV001 ocr.run() bypasses ToolRunner; execute plugins through ToolRunner.run()
"""  # noqa: E501

EXAMPLE_MERMAID = """\
flowchart LR
    types["plugin types"]
    R0["runner: ToolRunner"]
    U["ungoverned"]:::ungoverned
    S0["plugin_server.py:15 plugin.run()"]
    R0 --> S0
    S1["plugin_server.py:22 plugin.run()"]
    R0 --> S1
    S2["plugin_server.py:37 ocr.run()"]:::ungoverned
    U --> S2
    classDef ungoverned fill:#fde2e2,stroke:#b91c1c,color:#7f1d1d
"""


def test_map_of_the_example(tmp_path: Path, execgov_cli: Execgov) -> None:
    _copy_example(tmp_path)
    shown = execgov_cli("map")
    assert (shown.exit_code, shown.out.decode()) == (0, EXAMPLE_MAP)
    mermaid = execgov_cli("map", "--format", "mermaid", "--html", "map.html")
    assert (mermaid.exit_code, mermaid.out.decode()) == (0, EXAMPLE_MERMAID)
    page = (tmp_path / "map.html").read_text()
    assert "http" not in page.replace('lang="en"', "")  # nothing fetched from anywhere
    assert page.count('class="site ungoverned"') == 1 and page.count('class="site governed"') == 2


CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--no-first-run")


def test_map_html_in_a_real_browser(tmp_path: Path, execgov_cli: Execgov) -> None:
    """The page, opened from disk in headless Chromium: every execution site of the
    example is on it, the ungoverned one marked."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                    "(pip install selenium; it is in the test extra)")
    if not CHROMIUM.exists() or shutil.which("chromedriver") is None:
        pytest.skip("no browser: install Chromium and its driver "
                    "(Debian: apt-get install chromium chromium-driver)")
    _copy_example(tmp_path)
    assert execgov_cli("map", "--html", "map.html").exit_code == 0
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        driver.get((tmp_path / "map.html").as_uri())
        from selenium.webdriver.common.by import By

        assert driver.find_element(By.ID, "summary").text == \
            "0 plugin types, 3 execution sites, 2 governed"
        rows = driver.find_elements(By.CSS_SELECTOR, "#sites tbody tr")
        seen = [(r.get_attribute("data-line"), r.get_attribute("class"),
                 r.find_element(By.CLASS_NAME, "status").text) for r in rows]
        assert seen == [("15", "site governed", "governed by ToolRunner"),
                        ("22", "site governed", "governed by ToolRunner"),
                        ("37", "site ungoverned", "UNGOVERNED")]
        red = driver.find_element(By.CSS_SELECTOR, "tr.ungoverned td").value_of_css_property(
            "background-color")
        assert red == "rgba(253, 226, 226, 1)"  # marked, not only labelled
    finally:
        driver.quit()


@pytest.mark.e2e
def test_mermaid_parses_with_mermaids_own_cli(tmp_path: Path, execgov_cli: Execgov) -> None:
    """Opt-in (-m e2e): Mermaid's CLI renders the example's map (npx fetches it)."""
    npx = shutil.which("npx")
    if npx is None:
        pytest.skip("node/npx not installed")
    _copy_example(tmp_path)
    (tmp_path / "map.mmd").write_text(execgov_cli("map", "--format", "mermaid").out.decode())
    _puppeteer(tmp_path)
    env = dict(os.environ, PUPPETEER_SKIP_DOWNLOAD="true")  # the system Chromium renders
    proc = subprocess.run([npx, "--yes", "@mermaid-js/mermaid-cli", "-i", "map.mmd", "-o",
                           "map.svg", "-p", "puppeteer.json"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "plugin_server.py:37 ocr.run()" in (tmp_path / "map.svg").read_text()


def _puppeteer(path: Path) -> None:
    """mermaid-cli renders in the system Chromium (no browser download)."""
    (path / "puppeteer.json").write_text(json.dumps({
        "executablePath": str(CHROMIUM), "args": list(FLAGS)}))
