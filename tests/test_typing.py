"""The packages are mypy --strict clean (configuration in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, e2e_tool


@pytest.mark.e2e  # a cold mypy run: CI's e2e job
def test_mypy_strict() -> None:
    e2e_tool("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
