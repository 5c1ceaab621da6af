"""The baseline: findings a code base already had when it adopted the rules.

A baselined finding is matched by a *fingerprint*, never by its line number, so that edits
above it, moving its function within the file or reformatting do not bring it back: the
code, the file's path relative to the baseline's folder, the qualified name of the
enclosing scope (``ToolRunner.run``) and the offending expression's source as ``ast``
normalises it (``plugin.run(x)``, whatever its spacing or line breaks). Each entry has a
count: a second identical violation in the same scope is new.

The file is JSON, sorted, one entry per fingerprint, so that its diffs are small and
reviewable; ``execgov baseline`` writes it, the ``execgov-baseline`` option applies it in
flake8 and ``execgov check`` alike.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional, Sequence

from .model.nodes import SCOPES, end, inner_statements, pos
from .model.records import Finding
from .source.files import read_source, write_file

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


class Baseline:
    """Recorded fingerprints with their counts, and the folder their paths are relative to."""

    def __init__(self, path: Path, counts: Counter[Fingerprint]) -> None:
        self.path = path
        self.root = path.resolve().parent
        self.counts = counts
        self._by_path: dict[str, Counter[Fingerprint]] = {}
        for key, count in counts.items():
            self._by_path.setdefault(key.path, Counter())[key] = count

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
        except (ValueError, RecursionError, MemoryError) as exc:  # digits, depth
            raise BaselineError(f"{path}: not JSON ({_why(exc)})") from None
        counts = _entries(data)
        if counts is None:
            raise BaselineError(f"{path}: not a flake8-execgov baseline "
                                f"(expected {{\"format\": \"{FORMAT}\", \"findings\": [...]}})")
        return cls(path, counts)

    def dumps(self) -> str:
        entries = [{"path": key.path, "code": key.code, "scope": key.scope,
                    "source": key.source, "count": count}
                   for key, count in sorted(self.counts.items()) if count > 0]
        return json.dumps({"format": FORMAT, "findings": entries}, indent=2,
                          ensure_ascii=False) + "\n"

    def new_findings(self, tree: ast.AST, findings: Sequence[Finding],
                     filename: str) -> list[Finding]:
        """The findings the baseline does not account for, in order: per fingerprint, the
        first ``count`` occurrences are baselined."""
        if not findings:
            return []
        path = relative_path(filename, self.root)
        if path not in self._by_path:
            return list(findings)
        left = Counter(self._by_path[path])
        kept = []
        for finding, key in zip(findings, fingerprints(tree, findings, path)):
            if left[key] > 0:
                left[key] -= 1
            else:
                kept.append(finding)
        return kept


def _entries(data: object) -> Optional[Counter[Fingerprint]]:
    """The recorded counts, or None when ``data`` is not a baseline document."""
    if not isinstance(data, dict) or data.get("format") != FORMAT \
            or not isinstance(data.get("findings"), list):
        return None
    counts: Counter[Fingerprint] = Counter()
    for entry in data["findings"]:
        if not isinstance(entry, dict):
            return None
        fields = [entry.get(name) for name in ("path", "code", "scope", "source")]
        count = entry.get("count")
        if not all(isinstance(value, str) and _encodable(value) for value in fields) \
                or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return None
        counts[Fingerprint(*fields)] += count  # type: ignore[arg-type]
    return counts


def _encodable(text: str) -> bool:
    """Can it be written back (a lone surrogate escape like ``"\\ud800"`` cannot)?"""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _why(exc: BaseException) -> str:
    if isinstance(exc, (RecursionError, MemoryError)):
        return "nested too deeply"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def write_baseline(path: Path, text: str) -> None:
    """Write the baseline file: through a symlink to its target (as ``execgov fix``
    writes), atomically; anything but a regular file or a new file in an existing folder
    (a FIFO, a device, a folder, a path under a file) is one :class:`BaselineError`."""
    try:
        write_file(path, text.encode("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write it ({exc.strerror or exc})") from None


def stale(recorded: Counter[Fingerprint], found: Counter[Fingerprint]) -> list[str]:
    """Entries recorded more often than they are found now, one line each."""
    return [f"{key.path}: {key.code} in {key.scope or '<module>'}: {key.source} "
            f"(recorded {count}, found {found.get(key, 0)})"
            for key, count in sorted(recorded.items()) if found.get(key, 0) < count]


def written_path(value: Optional[str]) -> Path:
    return Path(value) if value else Path(".execgov-baseline.json")
