"""The proposal as a ``[flake8]`` section: every value on its own line, its evidence below.

configparser drops whole-line comments inside a multi-line value, and flake8 splits list
values at commas and whitespace, so a value written one item a line, each followed by a
``# path:line: what was seen`` line, is read exactly as ``a, b, c``: the evidence stays
in the file the adopter commits, next to what it justifies.
"""

from __future__ import annotations

from typing import Sequence

from ..config.specs import OPTIONS
from .records import Option, Proposal

TESTS = ("tests/*", "*/tests/*", "test_*.py")
IGNORED = "GOV001,GOV007"


def option_lines(option: Option) -> list[str]:
    """One option: its note, then ``key =`` and its items with their evidence."""
    note = option.note + (" (a guess: check it)" if option.guess else "")
    out = [f"# {note}"]
    if not option.items:
        return out + [f"{option.key} ="]
    out.append(f"{option.key} =")
    for item in option.items:
        out += [f"    {item.value}", f"    # {item.evidence}"]
    return out


def ignore_patterns(support: Sequence[str] = ()) -> list[str]:
    """The test folders' patterns, then each test-support module by its path (a module
    that imports a testing library, :func:`discover.read.is_test_support`)."""
    return [f"{pattern}: {IGNORED}" for pattern in TESTS] + [
        f"{path}: {IGNORED}" for path in support]


def per_file_ignores(has_tests: bool, support: Sequence[str] = ()) -> list[str]:
    if not has_tests:
        return []
    head = "# tests and examples drive plugins on purpose"
    if support:
        head += " (also the modules that import a testing library)"
    return [head, "per-file-ignores ="] + [f"    {item}" for item in ignore_patterns(support)]


def render(proposal: Proposal, where: str, modules: int, has_tests: bool,
           summary: str, support: Sequence[str] = ()) -> str:
    """The whole proposal; ``summary`` is the execution map's one line."""
    head = [f"# execgov init: proposed from {modules} modules of {where}; each value is "
            "followed by its evidence"]
    head += [f"# {line}" for line in proposal.skipped]
    head += [f"# considered: {line}" for line in proposal.considered]
    if not proposal.machinery:
        head += ["# no plugin machinery found (no plugin base class, hook specification, "
                 "signal, plugin registry or loader):",
                 "# the defaults are shown commented out; name your plugin code to use them",
                 "[flake8]", "extend-select = GOV"]
        for spec in OPTIONS:
            if spec.kind in ("path", "flag") or spec.default is None:
                continue
            head.append(f"# {spec.key} = {spec.default}")
        return "\n".join(head + per_file_ignores(has_tests, support) + [f"# {summary}", ""])
    body = ["[flake8]", "extend-select = GOV"]
    for option in proposal.options:
        body += option_lines(option)
    return "\n".join(head + body + per_file_ignores(has_tests, support) + [f"# {summary}", ""])


def flat(values: Sequence[str]) -> str:
    return ", ".join(values)
