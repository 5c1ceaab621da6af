"""One snapshot of the project's files for a run: their bytes, searched and looked up.

Every answer about a file and the file's own findings come from the same bytes, read once
(a file edited during the run cannot give two answers). The bytes are kept compressed:
held as read they were the largest part of a run's memory on a big project (12 MB of
48 MB traced at 3,000 modules, 40 MB at 10,000), growing with the project while
flake8's own peak stays flat because it holds one file at a time. Python source
compresses about fivefold at zlib's fastest level, and a run searches every text only a
handful of times (the identifier index once, the derived-class and hook questions a few
times), so a search pays a decompression of each file, which costs a small fraction of
the parse the run makes of them (docs/performance.md, "The project's texts compressed").
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Iterable, Iterator, Optional

from ..source.files import read_source
from .files import identifiers


class Snapshot:
    """The bytes of ``paths``, each read on first use of the snapshot (a file that cannot
    be read is left out), with an index of the identifiers each holds."""

    def __init__(self, paths: Iterable[Path]) -> None:
        self._packed: list[tuple[Path, bytes]] = []
        for path in paths:
            try:
                data = read_source(str(path))  # regular files only
            except OSError:
                continue
            self._packed.append((path, zlib.compress(data, 1)))
        self._by_path: Optional[dict[str, int]] = None
        # identifier -> the positions of the files holding it (:meth:`naming`)
        self._naming: Optional[dict[bytes, list[int]]] = None

    def __len__(self) -> int:
        return len(self._packed)

    def search(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[Path, bytes]]:
        """The files whose bytes ``pattern`` finds, in the project's order."""
        for path, packed in self._packed:
            data = zlib.decompress(packed)
            if pattern.search(data):
                yield path, data

    def read(self, path: str) -> Optional[bytes]:
        """The bytes of the file at ``path`` (as listed), None when it is not here."""
        if self._by_path is None:
            self._by_path = {str(p): position for position, (p, _) in enumerate(self._packed)}
        position = self._by_path.get(path)
        return None if position is None else zlib.decompress(self._packed[position][1])

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
            for position, (_, packed) in enumerate(self._packed):
                for word in identifiers(zlib.decompress(packed)):
                    self._naming.setdefault(word, []).append(position)
        index = self._naming
        if len(names) == 1:
            found: list[int] = index.get(names[0], [])
        else:
            found = sorted({position for name in names for position in index.get(name, ())})
        return [(self._packed[p][0], zlib.decompress(self._packed[p][1])) for p in found]
