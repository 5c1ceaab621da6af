"""Output formats for CI: GitHub workflow commands, escaped as GitHub documents them.

A workflow command is ``::error file=F,line=L,col=C,title=T::MESSAGE``. In its message,
``%``, ``\\r`` and ``\\n`` are percent-encoded; in a property value, ``:`` and ``,`` too
(they separate the properties). Unescaped, a path holding ``,`` or a message holding
``%0A`` or ``::`` would break the annotation or forge another one.

:class:`GitHubFormatter` offers it to flake8 users as ``--format=execgov-github``.
"""

from __future__ import annotations

from flake8.formatting.base import BaseFormatter
from flake8.violation import Violation


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (``file=``, ``title=``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(path: str, line: int, col: int, code: str, text: str) -> str:
    """One finding as an ``::error`` workflow command (``col`` is 1-based)."""
    return (f"::error file={escape_property(path)},line={line},col={col},"
            f"title={escape_property(code)}::{escape_data(f'{code} {text}')}")


class GitHubFormatter(BaseFormatter):  # type: ignore[misc]  # flake8 ships no type hints
    """flake8 ``--format=execgov-github``: one annotation per finding."""

    def format(self, error: Violation) -> str:
        return github_annotation(error.filename, error.line_number, error.column_number,
                                 error.code, error.text)
