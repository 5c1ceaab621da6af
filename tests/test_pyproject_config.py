"""``[tool.flake8]`` in pyproject.toml, read by the commands without the Flake8-pyproject
loader, chosen among the files as flake8 with the loader chooses; a broken file is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Execgov

RUNNER = "[tool.flake8]\nexecgov-runner-classes = [\"Gateway\"]\nexecgov-extend-plugin-names = \"engine\"\n"
SOURCE = "def serve(engine):\n    return engine.run()\n"


@pytest.fixture
def no_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """flake8 as it is without Flake8-pyproject: its plugin not found, its hook undone."""
    from flake8.options import aggregator, config
    from flake8.plugins import finder

    found = finder.find_plugins
    monkeypatch.setattr(finder, "find_plugins", lambda cfg, opts: [
        p for p in found(cfg, opts) if p.package.lower() != "flake8-pyproject"])
    try:
        from flake8p import hook
    except ImportError:  # pragma: no cover - the loader is in the test extra
        return
    monkeypatch.setattr(config, "parse_config", hook.flake8_parse_config)
    monkeypatch.setattr(aggregator, "aggregate_options", hook.flake8_aggregate_options)


@pytest.mark.usefixtures("no_loader")
def test_commands_read_tool_flake8(tmp_path: Path, execgov_cli: Execgov) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = \"x\"\n\n" + RUNNER)
    (tmp_path / "app.py").write_text(SOURCE)
    shown = execgov_cli("check-config")
    assert shown.exit_code == 0
    lines = shown.out.decode().splitlines()
    assert lines[0] == "# configuration read: pyproject.toml"
    assert "execgov-runner-classes = Gateway" in lines
    assert "execgov-plugin-names = plugin, *_plugin, engine" in lines
    check = execgov_cli("check", "app.py")
    assert (check.exit_code, check.out.decode()) == (1, (
        "app.py:2:12: GOV001 engine.run() bypasses Gateway; execute plugins through "
        "Gateway.run()\n"))
    assert execgov_cli("fix", "--check", "app.py").exit_code == 0  # read, nothing to fix


@pytest.mark.usefixtures("no_loader")
def test_pyproject_table_wins_over_setup_cfg(tmp_path: Path, execgov_cli: Execgov) -> None:
    """As the loader: a [tool.flake8] table in the current folder replaces setup.cfg; a
    pyproject.toml without one leaves setup.cfg in charge."""
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-runner-classes = FromCfg\n")
    (tmp_path / "pyproject.toml").write_text(RUNNER)
    lines = execgov_cli("check-config").out.decode().splitlines()
    assert lines[0] == "# configuration read: pyproject.toml"
    assert "execgov-runner-classes = Gateway" in lines
    (tmp_path / "pyproject.toml").write_text("[tool.black]\nline-length = 100\n")
    lines = execgov_cli("check-config").out.decode().splitlines()
    assert lines[0] == "# configuration read: setup.cfg"
    assert "execgov-runner-classes = FromCfg" in lines
    isolated = execgov_cli("check-config", "--isolated").out.decode().splitlines()
    assert isolated[0] == "# configuration read: none (--isolated)"


@pytest.mark.parametrize("loader", [False, True], ids=["no-loader", "loader"])
def test_invalid_toml_is_one_line(tmp_path: Path, execgov_cli: Execgov, loader: bool,
                                  request: pytest.FixtureRequest) -> None:
    if not loader:
        request.getfixturevalue("no_loader")
    (tmp_path / "pyproject.toml").write_text("[tool.flake8\nmax-line-length = 100\n")
    (tmp_path / "app.py").write_text(SOURCE)
    message = ("pyproject.toml: invalid TOML: Expected ']' at the end of a table declaration "
               "(at line 1, column 13)\n")
    for command, prog in ((["check"], "execgov check"), (["check-config"], "execgov"),
                          (["fix", "app.py"], "execgov")):
        result = execgov_cli(*command)
        assert (result.exit_code, result.out, result.err) == (2, b"", f"{prog}: error: {message}")


@pytest.mark.usefixtures("no_loader")
def test_bad_value_in_pyproject_names_it(tmp_path: Path, execgov_cli: Execgov) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.flake8]\nexecgov-forbidden-statuses = 999\n")
    (tmp_path / "app.py").write_text(SOURCE)
    result = execgov_cli("check")
    assert (result.exit_code, result.err) == (2, (
        "execgov check: error: pyproject.toml: execgov-forbidden-statuses: '999' is not an "
        "HTTP status code (100-599)\n"))


def test_language_server_finds_the_pyproject_folder(tmp_path: Path) -> None:
    from flake8_execgov.lsp.configs import Configs

    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    (tmp_path / "pkg" / "pyproject.toml").write_text(RUNNER)
    configs = Configs([str(tmp_path)])
    assert configs.directory_of(str(tmp_path / "pkg" / "sub")) == str(tmp_path / "pkg")
    assert configs.directory_of(str(tmp_path)) == str(tmp_path)
