"""flake8-execgov: execution-governance rules for plugin-execution servers."""

__version__ = "0.3.0"
