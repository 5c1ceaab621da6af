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

from ..config.prefilter import searchable
from ..source.files import read_source
from .files import identifiers, word_starts


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
        # the files that are not ASCII, by position, with their text as the parser reads
        # names (NFKC), made once when first asked (:meth:`as_read`)
        self._seen: Optional[dict[int, str]] = None
        # identifier -> the positions of the files holding it (:meth:`naming`)
        self._naming: Optional[dict[bytes, list[int]]] = None

    def search(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[Path, bytes]]:
        """The files whose bytes ``pattern`` finds, in the project's order."""
        for path, data in self._texts:
            if pattern.search(data):
                yield path, data

    def as_read(self) -> Iterator[tuple[Path, bytes, str]]:
        """Every file, with its bytes and its text as the parser reads names
        (:func:`~flake8_execgov.config.prefilter.searchable`), normalised once a snapshot."""
        seen = self._others()
        for position, (path, data) in enumerate(self._texts):
            yield path, data, seen[position] if position in seen else data.decode("ascii")

    def named_as_read(self, word: bytes, index: bool) -> list[tuple[Path, bytes]]:
        """The files whose names, as the parser reads them, include the ASCII name
        ``word``, each with its text as the parser reads its names (UTF-8): the ASCII ones
        from the identifier index (``index``) or by a search of each, the others by their
        normalised text (encoded only where it holds the word)."""
        found = [(path, data) for path, data in (self.naming(word) if index else self._texts)
                 if data.isascii() and word in data
                 and next(word_starts(data, word), None) is not None]
        text = word.decode("ascii")
        for position, seen in self._others().items():
            if text in seen:
                encoded = seen.encode("utf-8", "surrogatepass")
                if word in identifiers(encoded):
                    found.append((self._texts[position][0], encoded))
        return found

    def _others(self) -> dict[int, str]:
        if self._seen is None:
            self._seen = {position: searchable(data.decode("utf-8", "replace"))
                          for position, (_, data) in enumerate(self._texts)
                          if not data.isascii()}
        return self._seen

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
