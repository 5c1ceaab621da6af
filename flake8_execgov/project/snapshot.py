"""One snapshot of the project's files for a run: their bytes, searched and looked up.

Every answer about a file and the file's own findings come from the same bytes: the first
read of a file marks it (its length and CRC-32), and every later read must match the mark,
else the file changed during the run and is, from then on, a file the run cannot read (as
one that vanished: None, left out of every search). An edit made while a run reads the
project is also newer than the state the run keeps its entries under
(:func:`.files.files_state`), so the next run takes none of them as they are.

The bytes are not kept: a whole-project question reads the files again from the page cache
(about 4 microseconds a file here: 0.04 s for a 10,000-module monorepo, a hundredth of a
parse of it). Kept, they were the largest part of a run's memory, which then grew with the
project and not with the file being linted (38 of a 10,000-module monorepo's 137 MiB).
Compressing them was not the answer: it cost a sixth of a parse of the project on every
cold run (docs/performance.md, "The project's texts compressed, and why not").
"""

from __future__ import annotations

import re
import zlib
from array import array
from pathlib import Path
from typing import Iterator, Optional, Sequence

from ..config.prefilter import searchable
from ..source.files import read_source
from .files import identifiers, word_starts

_UNREAD = -1  # a file's mark before its first read
_GONE = -2  # a file that cannot be read, or changed since its first read


class Snapshot:
    """The files ``paths`` of one run, each the same bytes whenever it is read, with an
    index of the identifiers each holds, built when first asked."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = paths
        self._marks = [_UNREAD] * len(paths)  # length << 32 | CRC-32 of the first read
        self._by_path: Optional[dict[str, int]] = None
        # the files that are not ASCII, by position, with their text as the parser reads
        # names (NFKC), made once when first asked (:meth:`as_read`): few files, and
        # normalising is what costs
        self._seen: Optional[dict[int, str]] = None
        # identifier -> the positions of the files holding it (:meth:`naming`), two bytes
        # each where they fit (a list of ints took twice the memory)
        self._naming: Optional[dict[bytes, array[int]]] = None
        self._code = "H" if len(paths) <= 1 << 16 else "I"

    def _bytes(self, position: int) -> Optional[bytes]:
        """The bytes of the file at ``position``, as its first read gave them (None: it
        cannot be read, or no longer holds them)."""
        mark = self._marks[position]
        if mark == _GONE:
            return None
        try:
            data = read_source(str(self._paths[position]))  # regular files only
        except OSError:
            self._marks[position] = _GONE
            return None
        read = len(data) << 32 | zlib.crc32(data)
        if mark == _UNREAD:
            self._marks[position] = read
        elif mark != read:
            self._marks[position] = _GONE
            return None
        return data

    def _files(self) -> Iterator[tuple[int, Path, bytes]]:
        """Every file that can be read, in the project's order."""
        for position, path in enumerate(self._paths):
            data = self._bytes(position)
            if data is not None:
                yield position, path, data

    def search(self, pattern: re.Pattern[bytes]) -> Iterator[tuple[Path, bytes]]:
        """The files whose bytes ``pattern`` finds, in the project's order."""
        for _, path, data in self._files():
            if pattern.search(data):
                yield path, data

    def as_read(self) -> Iterator[tuple[Path, bytes, str]]:
        """Every file, with its bytes and its text as the parser reads names
        (:func:`~flake8_execgov.config.prefilter.searchable`), normalised once a snapshot."""
        seen = self._others()
        for position, path, data in self._files():
            yield path, data, seen[position] if position in seen else data.decode("ascii")

    def named_as_read(self, word: bytes, index: bool) -> list[tuple[Path, bytes]]:
        """The files whose names, as the parser reads them, include the ASCII name
        ``word``, each with its text as the parser reads its names (UTF-8): the ASCII ones
        from the identifier index (``index``) or by a search of each, the others by their
        normalised text (encoded only where it holds the word)."""
        found = [(path, data) for path, data in (self.naming(word) if index else (
                     (path, data) for _, path, data in self._files()))
                 if data.isascii() and word in data
                 and next(word_starts(data, word), None) is not None]
        text = word.decode("ascii")
        for position, seen in self._others().items():
            if text in seen and self._marks[position] != _GONE:
                encoded = seen.encode("utf-8", "surrogatepass")
                if word in identifiers(encoded):
                    found.append((self._paths[position], encoded))
        return found

    def _others(self) -> dict[int, str]:
        if self._seen is None:
            self._seen = {position: searchable(data.decode("utf-8", "replace"))
                          for position, _, data in self._files() if not data.isascii()}
        return self._seen

    def read(self, path: str) -> Optional[bytes]:
        """The bytes of the file at ``path`` (as listed), None when it is not here."""
        if self._by_path is None:
            self._by_path = {str(p): position for position, p in enumerate(self._paths)}
        position = self._by_path.get(path)
        return None if position is None else self._bytes(position)

    def indexed(self) -> bool:
        """Is the identifier index built (a lookup costs nothing more)?"""
        return self._naming is not None

    def naming(self, *names: bytes) -> list[tuple[Path, bytes]]:
        """The files whose text has one of the identifiers ``names``, in the project's
        order, with their bytes (:meth:`named`: without)."""
        found = ((position, self._bytes(position)) for position in self._named(names))
        return [(self._paths[position], data) for position, data in found if data is not None]

    def named(self, *names: bytes) -> list[Path]:
        """The files whose text has one of the identifiers ``names``, in the project's
        order, from one index of every file's identifiers (:meth:`.index.Project.naming`);
        none is read again."""
        return [self._paths[position] for position in self._named(names)
                if self._marks[position] != _GONE]

    def _named(self, names: tuple[bytes, ...]) -> Sequence[int]:
        """The index holds a file's position, not a (path, text) pair per identifier: on a
        monorepo of 10,000 modules that pair was a run's largest allocation."""
        if self._naming is None:
            index: dict[bytes, array[int]] = {}
            for position, _, data in self._files():
                for word in identifiers(data):
                    held = index.get(word)
                    if held is None:
                        index[word] = array(self._code, (position,))
                    else:
                        held.append(position)
            self._naming = index
        if len(names) == 1:
            return self._naming.get(names[0], ())
        return sorted({position for name in names for position in self._naming.get(name, ())})
