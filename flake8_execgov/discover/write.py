"""``execgov init --write``: the proposal added where the project keeps flake8's settings.

The file is chosen as flake8 (with Flake8-pyproject's choice, :mod:`config.pyproject`)
would read it: ``pyproject.toml`` with a ``[tool.flake8]`` table, else the first of
``setup.cfg``, ``tox.ini``, ``.flake8`` with a ``[flake8]`` section, else a new
``.flake8``. An option the file sets already (either spelling) is never overwritten: the
difference is reported instead. New options go at the end of the section, each with its
evidence.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Optional, Sequence

from ..config.pyproject import table_in
from .records import Option, Proposal
from .render import ignore_patterns, option_lines

Block = tuple[str, list[str], list[str]]  # (key, ini lines, values)


def blocks(proposal: Proposal, has_tests: bool, support: Sequence[str] = ()) -> list[Block]:
    out: list[Block] = [("extend-select", ["extend-select = GOV"], ["GOV"])]
    for option in proposal.options:
        out.append((option.key, option_lines(option), [i.value for i in option.items]))
    if has_tests:
        ignores = ignore_patterns(support)
        out.append(("per-file-ignores", ["# tests and examples drive plugins on purpose",
                                         "per-file-ignores ="] + [f"    {i}" for i in ignores],
                    ignores))
    return out


def target(root: Path) -> tuple[Path, str]:
    """The file to write and its kind (``ini`` or ``toml``)."""
    if table_in(str(root)) is not None:
        return root / "pyproject.toml", "toml"
    for name in ("setup.cfg", "tox.ini", ".flake8"):
        parser = configparser.RawConfigParser()
        try:
            parser.read(root / name, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError):
            continue
        if parser.has_section("flake8"):
            return root / name, "ini"
    return root / ".flake8", "ini"


def existing(path: Path, kind: str) -> dict[str, str]:
    """The options the file sets already, keys spelled with ``-``."""
    if kind == "toml":
        table = table_in(str(path.parent)) or {}
        return {k.replace("_", "-"): ", ".join(map(str, v)) if isinstance(v, list) else str(v)
                for k, v in table.items()}
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return {}
    if not parser.has_section("flake8"):
        return {}
    return {k.replace("_", "-"): v for k, v in parser.items("flake8")}


def write(root: Path, proposal: Proposal, has_tests: bool,
          support: Sequence[str] = ()) -> tuple[Path, list[str], list[str]]:
    """Add the proposal to the configuration file; returns it, the keys added and one line
    for each option kept that differs from the proposal."""
    path, kind = target(root)
    have = existing(path, kind) if path.exists() else {}
    added: list[Block] = []
    kept: list[str] = []
    for key, lines, values in blocks(proposal, has_tests, support):
        if key in have:
            now = [v for v in re.split(r"[,\s]+", have[key]) if v]
            if key == "per-file-ignores" or sorted(now) != sorted(values):
                if key != "per-file-ignores" or " ".join(now) != " ".join(values):
                    kept.append(f"{path.name}: kept {key} = {', '.join(now)} "
                                f"(proposed: {', '.join(values)})")
            continue
        added.append((key, lines, values))
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    new = _toml(added) if kind == "toml" else [line for _, lines, _ in added for line in lines]
    header = "[tool.flake8]" if kind == "toml" else "[flake8]"
    path.write_text(_insert(text, header, new), encoding="utf-8")
    return path, [key for key, _, _ in added], kept


def _toml(added: list[Block]) -> list[str]:
    out = []
    for key, lines, values in added:
        out += [line.strip() for line in lines if line.lstrip().startswith("#")]
        if key == "per-file-ignores":
            out.append(f'{key} = """')
            out += [f"    {v}" for v in values]
            out.append('"""')
        else:
            out.append(f'{key} = "{", ".join(values)}"')
    return out


def _insert(text: str, header: str, new: list[str]) -> str:
    """``new`` lines at the end of the section ``header`` (a new section at the end of the
    file when there is none)."""
    if not new:
        return text
    lines = text.splitlines()
    start: Optional[int] = next((i for i, line in enumerate(lines) if line.strip() == header),
                                None)
    if start is None:
        gap = [""] if lines and lines[-1].strip() else []
        return "\n".join(lines + gap + [header] + new) + "\n"
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")),
               len(lines))
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:end] + new + lines[end:]) + "\n"


def describe(option: Option) -> str:
    return f"{option.key} = {', '.join(i.value for i in option.items)}"
