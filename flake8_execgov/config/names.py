"""Name patterns: shell-style globs matched against one identifier, and the literal text
every match must contain (what the prefilter looks for)."""

from __future__ import annotations

import fnmatch
import re
from typing import Callable, Optional, Sequence

_NAME_PATTERN = re.compile(r"^[A-Za-z0-9_*?\[\]!.-]+$")
_GLOB_META = re.compile(r"[*?\[\]!]")


class NameMatcher:
    """Shell-style glob patterns matched case-sensitively against one identifier; a
    pattern written ``!name`` excludes what it matches (``pytest_*, !pytest_plugins``)."""

    __slots__ = ("patterns", "_match", "_exclude", "literals", "qualified", "_items")

    def __init__(self, patterns: Sequence[str]) -> None:
        # ``pkg.module:function`` / ``pkg.module:Class.method``: one definition of one
        # module (runner options only), never a bare name
        self.qualified = tuple(tuple(p.split(":", 1)) for p in patterns if ":" in p)
        self._items = tuple(p for p in patterns if not p.startswith("!"))
        self.patterns = tuple(p for p in self._items if ":" not in p)
        excluded = tuple(p[1:] for p in patterns if p.startswith("!"))
        self._match = _compiled(self.patterns)
        self._exclude = _compiled(excluded)
        # The longest literal run of each pattern: a file that contains none of them
        # cannot contain a matching identifier (used by the prefilter).
        self.literals = tuple(max(literal_runs(p), key=len) for p in self.patterns) + \
            tuple(qual.rsplit(".", 1)[-1] for _, qual in self.qualified)

    def __bool__(self) -> bool:
        return bool(self.patterns or self.qualified)

    def qualifies(self, module: str, qualname: str) -> bool:
        """Is ``qualname`` (``function``, ``Class.method``) of ``module`` named qualified?"""
        return bool(module) and (module, qualname) in self.qualified

    def __call__(self, name: str | None) -> bool:
        return name is not None and self._match is not None and self._match(name) \
            and (self._exclude is None or not self._exclude(name))

    @property
    def first(self) -> str:
        """A readable example name for messages (first pattern without glob characters)."""
        for pattern in self._items:
            if not is_glob(pattern):
                return pattern.rsplit(":", 1)[-1]  # a qualified one by its own name
        return self._items[0] if self._items else ""


def is_glob(pattern: str) -> bool:
    """Does ``pattern`` match more than the name it spells (``*``, ``?``, ``[...]``, ``!``)?"""
    return _GLOB_META.search(pattern) is not None


def _compiled(patterns: Sequence[str]) -> Optional[Callable[[str], bool]]:
    """One predicate for the patterns: plain names in a set, real globs in one regex (a
    project may configure thousands of names; a regex of them all is slow to build)."""
    if not patterns:
        return None
    names = frozenset(p for p in patterns if not is_glob(p))
    globs = [p for p in patterns if is_glob(p)]
    if not globs:
        return names.__contains__
    regex = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in globs)).match
    return lambda name: name in names or regex(name) is not None


def literal_runs(pattern: str) -> list[str]:
    """The literal parts of a glob, split at ``*``, ``?`` and ``[...]`` as fnmatch reads them
    (an unterminated ``[`` is a literal)."""
    runs, current, i, n = [], "", 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char in "*?":
            runs.append(current)
            current, i = "", i + 1
            continue
        if char == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j < n:  # a character class: one unknown character
                runs.append(current)
                current, i = "", j + 1
                continue
        current += char
        i += 1
    runs.append(current)
    return runs


_QUALIFIED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)?$")


def pattern_problem(pattern: str) -> Optional[str]:
    """Why a glob is not valid (None when it is); the same answer on every Python version:
    3.9's fnmatch raises on a reversed range like ``[z-a]``, later ones match nothing.
    A module-qualified name (``pkg.module:function``, ``pkg.module:Class.method``) is
    valid as written, without glob characters."""
    if ":" in pattern:
        return None if _QUALIFIED.match(pattern) else \
            " (a qualified name is pkg.module:function or pkg.module:Class.method)"
    if pattern.startswith("!"):  # an exclusion: the rest is a pattern
        pattern = pattern[1:]
    if not _NAME_PATTERN.match(pattern):
        return ""
    for members in _classes(pattern):
        i = 0
        while i + 2 < len(members):
            if members[i + 1] == "-":
                if members[i] > members[i + 2]:
                    return f" (bad character range {members[i]}-{members[i + 2]})"
                i += 3
            else:
                i += 1
    return None


def _classes(pattern: str) -> list[str]:
    """The members of each ``[...]`` class, as fnmatch reads them (``!`` and a leading
    ``]`` included literally; an unterminated ``[`` is no class)."""
    found, i, n = [], 0, len(pattern)
    while i < n:
        if pattern[i] == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            start = j
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 1
            if j < n:
                found.append(pattern[start:j])
                i = j
        i += 1
    return found
