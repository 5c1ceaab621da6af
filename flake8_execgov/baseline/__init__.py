"""The baseline: findings a code base already had when it adopted the rules.

Two jobs, two modules: which finding an entry is and which found instances the recorded
ones account for (:mod:`.fingerprint`), and the file that records them (:mod:`.document`).
:class:`Baseline` joins them for a run: ``execgov baseline`` writes it, ``execgov-baseline``
applies it in flake8 and ``execgov check`` alike.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..model.records import Finding
from .document import BaselineError, dump_document, read_document
from .fingerprint import Fingerprint, context_of, fingerprints, matched, relative_path

__all__ = ["Baseline", "BaselineError"]


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
        """Read and validate a baseline (:func:`.document.read_document`)."""
        return cls(path, *read_document(path))

    def dumps(self) -> str:
        return dump_document(self.counts, self.contexts)

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
