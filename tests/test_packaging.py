"""The distributions: what the wheel installs, and what the sdist needs to test itself."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, e2e_tool

# builds the distributions and runs twine: CI's e2e job (and its build job)
pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    e2e_tool("build")
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the test extra brings setuptools; no download, a few seconds
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return {"wheel": next(out.glob("*.whl")), "sdist": next(out.glob("*.tar.gz"))}


def test_wheel_ships_the_plugin_only(dists: dict[str, Path]) -> None:
    names = zipfile.ZipFile(dists["wheel"]).namelist()
    packages = {name.split("/")[0] for name in names if not name.split("/")[0].endswith("-info")}
    assert packages == {"flake8_execgov"}  # no generic top-level reference_runtime
    assert "flake8_execgov/py.typed" in names
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(dists["wheel"]).read(meta).decode()
    assert "License-Expression: MIT" in metadata
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(dists["wheel"]).read(entry_points).decode()
    assert "GOV = flake8_execgov.plugin:ExecGovChecker" in text
    assert "execgov-github = flake8_execgov.formats:GitHubFormatter" in text


def test_sdist_holds_what_its_tests_need(dists: dict[str, Path]) -> None:
    with tarfile.open(dists["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "setup.cfg",
                   ".pre-commit-hooks.yaml", ".ci/run", ".ci/bootstrap",
                   ".github/workflows/execution-ci.yml", "tests/conftest.py",
                   "tests/cases/gov004_flow.py", "tests/runtime/test_runner.py",
                   "reference_runtime/runner.py", "docs/rules.md", "docs/performance.md",
                   "examples/plugin_server.py", "benchmarks/bench.py"):
        assert needed in names, needed
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)


def test_twine_accepts_both(dists: dict[str, Path]) -> None:
    e2e_tool("twine")
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                             str(dists["wheel"]), str(dists["sdist"])],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
