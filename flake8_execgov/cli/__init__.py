"""The command layer: ``execgov`` and its subcommands."""

from .main import main

__all__ = ["main"]
