"""Which finding a baseline entry is: a *fingerprint*, never a line number, and which of
several found instances of one fingerprint the recorded ones account for.

A baselined finding is matched by its fingerprint so that edits above it, moving its
function within the file or reformatting do not bring it back: the code, the file's path
relative to the baseline's folder, the qualified name of the enclosing scope
(``ToolRunner.run``) and the offending expression's source as ``ast`` normalises it
(``plugin.run(x)``, whatever its spacing or line breaks). Each entry has a count: a second
identical violation in the same scope is new.

Which of several instances of one fingerprint is the new one: each recorded instance also
keeps its *context*, short digests of its line and of the nearest non-blank lines before
and after it (indentation ignored). Found instances are matched to recorded ones first by
the whole context, then by the line with the line before, then by the line with the line
after, then by the line alone, each time in file order; what is left is matched in file
order. So a line added above, below or between the old ones is the one reported, unless it
is indistinguishable from an old one (the same text next to it: then the later one is
reported). Entries written before contexts existed match in file order.

What the file looks like is :mod:`.document`'s; this module knows no file.
"""

from __future__ import annotations

import ast
import hashlib
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from ..model.records import Finding
from ..source.statements import SCOPES, end, inner_statements, pos

_SOURCE_LIMIT = 120


@dataclass(frozen=True, order=True)
class Fingerprint:
    path: str
    code: str
    scope: str
    source: str


def scope_of(tree: ast.AST, node: ast.AST) -> str:
    """``Class.method`` chain of the definitions enclosing ``node`` (by position, no walk:
    a descent through the statement blocks that contain it)."""
    where = pos(node)
    names: list[str] = []
    body: Sequence[ast.stmt] = getattr(tree, "body", ())
    while True:
        holder = next((s for s in body if pos(s) <= where <= end(s)), None)
        if holder is None or holder is node:
            return ".".join(names)
        if isinstance(holder, SCOPES):
            names.append(holder.name)
        body = inner_statements(holder)


def normalised_source(node: ast.AST) -> str:
    """The offending expression as ``ast`` prints it; a route by its function's name."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return f"def {node.name}"
    try:
        text = ast.unparse(node)
    except (RecursionError, ValueError, AttributeError):  # pragma: no cover - defensive
        text = type(node).__name__
    if len(text) <= _SOURCE_LIMIT:
        return text
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{text[:80]}... sha256:{digest}"


def relative_path(filename: str, root: Path) -> str:
    """``filename`` relative to ``root``, with ``/`` (as recorded in the baseline)."""
    absolute = Path(os.path.abspath(filename))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, root)).as_posix()


def fingerprints(tree: ast.AST, findings: Iterable[Finding], path: str) -> list[Fingerprint]:
    return [Fingerprint(path, f.code, scope_of(tree, f.node) if f.node is not None else "",
                        normalised_source(f.node) if f.node is not None else f.message)
            for f in findings]


def context_of(lines: Sequence[str], line: int) -> str:
    """Digests of the line, the nearest non-blank line before it and the one after it
    (stripped), as ``"before line after"``: what tells identical findings apart."""
    def near(step: int) -> str:
        at = line - 1 + step
        while 0 <= at < len(lines) and not lines[at].strip():
            at += step
        return lines[at].strip() if 0 <= at < len(lines) else ""

    here = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return " ".join(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:6]
                    for text in (near(-1), here, near(1)))


# How found instances meet recorded ones, best first: (before, line, after), (before,
# line), (line, after), (line); what is left is matched in file order.
_TIERS = ((0, 1, 2), (0, 1), (1, 2), (1,))


def matched(recorded: Sequence[str], count: int, found: Sequence[str]) -> set[int]:
    """Which of the ``found`` instances (their contexts, in file order) the ``count``
    recorded ones account for (see the module docstring)."""
    mine = [tuple(context.split()) for context in recorded[:count]]
    theirs = [tuple(context.split()) for context in found]
    used = [len(parts) != 3 for parts in mine]
    chosen: set[int] = set()
    for tier in _TIERS:
        pool: dict[tuple[str, ...], list[int]] = {}
        for index in range(len(mine) - 1, -1, -1):
            if not used[index]:
                pool.setdefault(tuple(mine[index][k] for k in tier), []).append(index)
        for index, parts in enumerate(theirs):
            if index in chosen or len(parts) != 3:
                continue
            free = pool.get(tuple(parts[k] for k in tier))
            if free:
                used[free.pop()] = True
                chosen.add(index)
    left = count - len(chosen)
    for index in range(len(found)):
        if left <= 0:
            break
        if index not in chosen:
            chosen.add(index)
            left -= 1
    return chosen


def stale(recorded: Counter[Fingerprint], found: Counter[Fingerprint],
          why: Optional[Mapping[str, str]] = None) -> list[str]:
    """Entries recorded more often than they are found now, one line each; ``why`` says,
    per path, why nothing is found there at all (a deleted or excluded file)."""
    lines = []
    for key, count in sorted(recorded.items()):
        now = found.get(key, 0)
        if now < count:
            reason = (why or {}).get(key.path)
            lines.append(f"{key.path}: {key.code} in {key.scope or '<module>'}: {key.source} "
                         f"(recorded {count}, found {now}{': ' + reason if reason else ''})")
    return lines


def covers(scope: str, path: str) -> bool:
    """Is the baseline path ``path`` under ``scope`` (a path relative to the baseline's
    folder, as :func:`relative_path` gives it; ``.`` is the folder itself)?"""
    depth = max(scope.split("/").count(".."), path.split("/").count(".."))
    base = "/" + "/".join(f"_{level}" for level in range(depth))  # room for the ".."s
    top = posixpath.normpath(posixpath.join(base, scope))
    inside = posixpath.normpath(posixpath.join(base, path))
    return inside == top or inside.startswith(top.rstrip("/") + "/")
