"""One snapshot of the project's files for a run: their bytes, searched and looked up.

Every answer about a file and the file's own findings come from the same bytes, read once
(a file edited during the run cannot give two answers). The bytes are kept as read. Kept
zlib-compressed (its fastest level), a 3,000-module monorepo's cold gate peaked 10 MiB
lower and a 10,000-module one 34 MiB lower, but compressing a project costs about a sixth
of a parse of it, paid by every cold run whatever it lints: on the standard library,
where the project is far larger than the files linted (as when pre-commit hands over the
files a commit changed), it took the cold gate from 0.68x to 1.07x a parse of the linted
files. A run's memory that stays flat as the project grows needs the answers kept on disk
and read on demand, not the texts packed (docs/performance.md, "The project's texts
compressed, and why not").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..source.files import read_source
from .files import identifiers


class Snapshot:
    """The bytes of ``paths``, all read when it is made (a file that cannot be read is
    left out), with an index of the identifiers each holds, built when first asked."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._texts: list[tuple[Path, bytes]] = []
        for path in paths:
            try:
                data = read_source(str(path))  # regular files only
            except OSError:
                continue
            self._texts.append((path, data))
        self._by_path: Optional[dict[str, int]] = None
        # identifier -> the positions of the files holding it (:meth:`naming`)
        self._naming: Optional[dict[bytes, list[int]]] = None

    def search(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[Path, bytes]]:
        """The files whose bytes ``pattern`` finds, in the project's order."""
        for path, data in self._texts:
            if pattern.search(data):
                yield path, data

    def read(self, path: str) -> Optional[bytes]:
        """The bytes of the file at ``path`` (as listed), None when it is not here."""
        if self._by_path is None:
            self._by_path = {str(p): position for position, (p, _) in enumerate(self._texts)}
        position = self._by_path.get(path)
        return None if position is None else self._texts[position][1]

    def indexed(self) -> bool:
        """Is the identifier index built (a lookup costs nothing more)?"""
        return self._naming is not None

    def naming(self, *names: bytes) -> list[tuple[Path, bytes]]:
        """The files whose text has one of the identifiers ``names``, in the project's
        order, from one index of every file's identifiers (:meth:`.index.Project.naming`).
        The index holds a file's position, not a (path, text) pair per identifier: on a
        monorepo of 10,000 modules that pair was a run's largest allocation."""
        if self._naming is None:
            self._naming = {}
            for position, (_, data) in enumerate(self._texts):
                for word in identifiers(data):
                    self._naming.setdefault(word, []).append(position)
        index = self._naming
        if len(names) == 1:
            found: list[int] = index.get(names[0], [])
        else:
            found = sorted({position for name in names for position in index.get(name, ())})
        return [self._texts[p] for p in found]
