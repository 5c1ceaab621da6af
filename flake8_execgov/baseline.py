"""The baseline: findings a code base already had when it adopted the rules.

A baselined finding is matched by a *fingerprint*, never by its line number, so that edits
above it, moving its function within the file or reformatting do not bring it back: the
code, the file's path relative to the baseline's folder, the qualified name of the
enclosing scope (``ToolRunner.run``) and the offending expression's source as ``ast``
normalises it (``plugin.run(x)``, whatever its spacing or line breaks). Each entry has a
count: a second identical violation in the same scope is new.

Which of several instances of one fingerprint is the new one: each recorded instance also
keeps its *context*, short digests of its line and of the nearest non-blank lines before
and after it (indentation ignored). Found instances are matched to recorded ones first by
the whole context, then by the line with the line before, then by the line with the line
after, then by the line alone, each time in file order; what is left is matched in file
order. So a line added above, below or between the old ones is the one reported, unless it
is indistinguishable from an old one (the same text next to it: then the later one is
reported). Entries written before contexts existed match in file order.

The file is JSON, sorted, one entry per fingerprint (small, reviewable diffs); ``execgov
baseline`` writes it, ``execgov-baseline`` applies it in flake8 and ``execgov check`` alike.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import posixpath
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Optional, Sequence

from .source.statements import SCOPES, end, inner_statements, pos
from .model.records import Finding
from .source.files import encodable, read_source, write_file

FORMAT = "flake8-execgov baseline 1"
_SOURCE_LIMIT = 120


@dataclass(frozen=True, order=True)
class Fingerprint:
    path: str
    code: str
    scope: str
    source: str


class BaselineError(ValueError):
    """The baseline file is missing, unreadable or not a baseline: one line for the user."""


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


class Baseline:
    """Recorded fingerprints with their counts, and the folder their paths are relative to."""

    def __init__(self, path: Path, counts: Counter[Fingerprint],
                 contexts: Optional[Mapping[Fingerprint, Sequence[str]]] = None) -> None:
        self.path = path
        self.root = path.resolve().parent
        self.counts = counts
        # the recorded instances' contexts, in file order (see :func:`context_of`)
        self.contexts: dict[Fingerprint, list[str]] = {
            key: list(found) for key, found in (contexts or {}).items()}
        self._by_path: dict[str, Counter[Fingerprint]] = {}
        for key, count in counts.items():
            self._by_path.setdefault(key.path, Counter())[key] = count

    def identity_for(self, filename: str) -> str:
        """What it records for ``filename``: the findings it hides there change with it."""
        recorded = sorted(self._by_path.get(relative_path(filename, self.root), Counter()).items())
        return repr((recorded, [self.contexts.get(key, []) for key, _ in recorded]))

    @classmethod
    def load(cls, path: Path) -> "Baseline":
        """Read and validate a baseline: anything that is not one (wrong types, counts
        that are no positive integers, strings that cannot be written back as UTF-8, JSON
        nested too deeply for the parser, a FIFO) is one :class:`BaselineError`."""
        try:
            data = json.loads(read_source(str(path)).decode("utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"{path}: no such file (write one with 'execgov baseline')") \
                from None
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"{path}: cannot read it ({exc})") from None
        except json.JSONDecodeError as exc:
            raise BaselineError(f"{path}: not JSON (line {exc.lineno}: {exc.msg})") from None
        except (RecursionError, MemoryError):
            raise BaselineError(f"{path}: not JSON (nested too deeply)") from None
        except ValueError as exc:  # an integer of more digits than Python converts
            raise BaselineError(f"{path}: not JSON ({str(exc).splitlines()[0]})") from None
        entries = _entries(data)
        if entries is None:
            raise BaselineError(f"{path}: not a flake8-execgov baseline "
                                f"(expected {{\"format\": \"{FORMAT}\", \"findings\": [...]}})")
        return cls(path, *entries)

    def dumps(self) -> str:
        entries = []
        for key, count in sorted(self.counts.items()):
            if count > 0:
                entry: dict[str, object] = {"path": key.path, "code": key.code,
                                            "scope": key.scope, "source": key.source,
                                            "count": count}
                contexts = self.contexts.get(key, [])[:count]
                if contexts:
                    entry["instances"] = contexts
                entries.append(entry)
        return json.dumps({"format": FORMAT, "findings": entries}, indent=2,
                          ensure_ascii=False) + "\n"

    def new_findings(self, tree: ast.AST, lines: Sequence[str], findings: Sequence[Finding],
                     filename: str) -> list[Finding]:
        """The findings the baseline does not account for, in order: per fingerprint, the
        recorded instances are matched by context (see :func:`matched`)."""
        if not findings:
            return []
        path = relative_path(filename, self.root)
        recorded = self._by_path.get(path)
        if recorded is None:
            return list(findings)
        groups: dict[Fingerprint, list[int]] = {}
        for index, key in enumerate(fingerprints(tree, findings, path)):
            groups.setdefault(key, []).append(index)
        accepted: set[int] = set()
        for key, indices in groups.items():
            count = recorded.get(key, 0)
            if count:
                found = [context_of(lines, findings[i].line) for i in indices]
                accepted.update(indices[i] for i in
                                matched(self.contexts.get(key, ()), count, found))
        return [finding for index, finding in enumerate(findings) if index not in accepted]


def _entries(data: object) -> Optional[tuple[Counter[Fingerprint],
                                             dict[Fingerprint, list[str]]]]:
    """The recorded counts and contexts, or None when ``data`` is not a baseline document
    (a field of another type, a count that is no positive integer, a string that cannot
    be written back as UTF-8)."""
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("findings"), list):
        return None
    counts: Counter[Fingerprint] = Counter()
    contexts: dict[Fingerprint, list[str]] = {}
    for entry in data["findings"]:
        if not isinstance(entry, dict):
            return None
        fields = [entry.get(name) for name in ("path", "code", "scope", "source")]
        count = entry.get("count")
        if not all(isinstance(value, str) and encodable(value) for value in fields) \
                or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return None
        key = Fingerprint(*fields)  # type: ignore[arg-type]
        try:
            instances = _instances(entry, count)
        except ValueError:
            return None
        counts[key] += count
        contexts.setdefault(key, []).extend(instances)
    return counts, contexts


def write_baseline(path: Path, text: str) -> None:
    """Write the baseline file: through a symlink to its target (as ``execgov fix``
    writes), atomically; anything but a regular file or a new file in an existing folder
    (a FIFO, a device, a folder, a path under a file) is one :class:`BaselineError`."""
    try:
        write_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write it ({exc.strerror or exc})") from None


def _instances(entry: Mapping[str, object], count: int) -> list[str]:
    """An entry's optional ``instances`` (contexts); absent in baselines written before."""
    value = entry.get("instances", [])
    if not isinstance(value, list) or len(value) > count or \
            not all(isinstance(item, str) and encodable(item) for item in value):
        raise ValueError
    return list(value)


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


def written_path(value: Optional[str]) -> Path:
    return Path(value) if value else Path(".execgov-baseline.json")
