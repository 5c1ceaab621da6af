"""One snapshot of the project's files for a run: their bytes, searched and looked up.

Every answer about a file and the file's own findings come from the same bytes: the first
read of a file marks it (its length, and the inode and modification time the open file
has), and every later read must match the mark, else the file changed during the run and
is, from then on, a file the run cannot read (as one that vanished: None, left out of
every search). The mark is what the file system says, as the project's state is
(:func:`.files.files_state`; a checksum of the bytes was a tenth of a cold run on the
standard library), but not the change time, which a ``chmod`` or a new hard link moves
too: there a mismatch would cost findings, not speed. A same-size edit within the file
system's clock tick keeps the mark (the run is as blind to it as the state is); an edit
made while a run reads the project is newer than that state, so the next run takes none
of this run's entries as they are.

The bytes are not kept: a whole-project question reads the files again from the page cache
(about 4 microseconds a file here: 0.04 s for a 10,000-module monorepo, a hundredth of a
parse of it). Kept, they were the largest part of a run's memory, which then grew with the
project and not with the file being linted (38 of a 10,000-module monorepo's 137 MiB).
Compressing them was not the answer: it cost a sixth of a parse of the project on every
cold run (docs/performance.md, "The project's texts compressed, and why not").
"""

from __future__ import annotations

import re
from array import array
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence

from ..config.prefilter import searchable
from ..source.files import read_source_stat
from .files import identifiers, word_starts


class Snapshot:
    """The files ``paths`` of one run, each the same bytes whenever it is read, with an
    index of the identifiers each holds, built when first asked."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self._paths = paths
        self._marks: list[Optional[int]] = [None] * len(paths)  # of the first read
        self._gone: set[int] = set()  # cannot be read, or changed since the first read
        self._unread = len(paths)  # how many files were never read
        self.changed = False  # did a file change after its first read (a long-lived
        # process then reads the project afresh: :meth:`.index.Project.changed`)
        self._wide: Optional[list[int]] = None  # the files that are not ASCII, once all read
        self._ascii = bytearray(len(paths))  # 1: the first read was ASCII
        self._by_path: Optional[dict[str, int]] = None
        # the files that are not ASCII, by position, with their text as the parser reads
        # names (NFKC), made once when first asked (:meth:`as_read`): few files, and
        # normalising is what costs
        self._seen: Optional[dict[int, str]] = None
        # identifier -> the positions of the files holding it (:meth:`naming`), two bytes
        # each where they fit (a list of ints took twice the memory)
        self._naming: Optional[dict[bytes, array[int]]] = None
        self._code = "H" if len(paths) <= 1 << 16 else "I"  # any list of paths may come

    def _bytes(self, position: int) -> Optional[bytes]:
        """The bytes of the file at ``position``, as its first read gave them (None: it
        cannot be read, or no longer holds them)."""
        if position in self._gone:
            return None
        mark = self._marks[position]
        try:
            data, status = read_source_stat(str(self._paths[position]))  # regular files only
        except OSError:
            self._leave_out(position, mark)
            return None
        read = hash((len(data), status.st_ino, status.st_mtime_ns))
        if mark is None:
            self._marks[position] = read
            self._unread -= 1
            self._ascii[position] = data.isascii()
        elif mark != read:
            self._leave_out(position, mark)
            self.changed = True
            return None
        return data

    def _leave_out(self, position: int, mark: Optional[int]) -> None:
        self._gone.add(position)
        if mark is None:
            self._unread -= 1

    def _files(self) -> Iterator[tuple[int, Path, bytes]]:
        """Every file that can be read, in the project's order."""
        for position, path in enumerate(self._paths):
            data = self._bytes(position)
            if data is not None:
                yield position, path, data

    def search(self, pattern: re.Pattern[bytes],
               words: tuple[bytes, ...] = ()) -> Iterator[tuple[Path, bytes]]:
        """The files whose bytes ``pattern`` finds, in the project's order. ``words``:
        identifiers one of which every ASCII text the pattern finds holds (its ``\b`` is
        the identifiers' edge there; next to a byte that is not ASCII it is not, so those
        texts are always searched); once the index is built, only the files holding one are
        read (not the whole project again)."""
        if words and self.indexed():
            assert self._wide is not None
            positions = sorted({*self._named(words), *self._wide})
            found: Iterable[tuple[Path, bytes]] = self._at(positions)
        else:
            found = ((path, data) for _, path, data in self._files())
        for path, data in found:
            if pattern.search(data):
                yield path, data

    def as_read(self) -> Iterator[tuple[Path, bytes, str]]:
        """Every file, with its bytes and its text as the parser reads names
        (:func:`~flake8_execgov.config.prefilter.searchable`), normalised once a snapshot
        (in the same pass, when it is the first to read every file)."""
        if self._seen is not None or not self._unread:
            seen = self._others()
            for position, path, data in self._files():
                yield path, data, seen[position] if position in seen else data.decode("ascii")
            return
        made: dict[int, str] = {}
        for position, path, data in self._files():
            if data.isascii():
                yield path, data, data.decode("ascii")
            else:
                made[position] = searchable(data.decode("utf-8", "replace"))
                yield path, data, made[position]
        if self._seen is None:  # every file was read: these are all that are not ASCII
            self._seen = made

    def named_as_read(self, word: bytes, index: bool) -> Iterator[tuple[Path, bytes]]:
        """The files whose names, as the parser reads them, include the ASCII name
        ``word``, each with its text as the parser reads its names (UTF-8): the ASCII ones
        from the identifier index (``index``) or by a search of each, the others by their
        normalised text (encoded only where it holds the word). Found as they are asked
        for: "does another file name this class?" stops at the first (each is a read,
        and a class every module imports is named by thousands)."""
        for path, data in self._at(self._named((word,))) if index else (
                (path, data) for _, path, data in self._files()):
            if data.isascii() and word in data and next(word_starts(data, word), None) is not None:
                yield path, data
        text = word.decode("ascii")
        for position, seen in self._others().items():
            if text in seen and position not in self._gone:
                encoded = seen.encode("utf-8", "surrogatepass")
                if word in identifiers(encoded):
                    yield self._paths[position], encoded

    def _others(self) -> dict[int, str]:
        """Once every file was read (by any search), only those that are not ASCII are
        read again for this: not the whole project a second time."""
        if self._seen is None:
            found = ((position, self._bytes(position)) for position, ascii in
                     enumerate(self._ascii) if not ascii) if not self._unread else (
                (position, data) for position, _, data in self._files())
            self._seen = {position: searchable(data.decode("utf-8", "replace"))
                          for position, data in found if data is not None and not data.isascii()}
        return self._seen

    def read(self, path: str) -> Optional[bytes]:
        """The bytes of the file at ``path`` (as listed), None when it is not here or is
        left out."""
        position = self._position(path)
        return None if position is None else self._bytes(position)

    def holds(self, path: str) -> bool:
        """Is ``path`` one of the files (:meth:`read` answers for it, None included)?"""
        return self._position(path) is not None

    def _position(self, path: str) -> Optional[int]:
        if self._by_path is None:
            self._by_path = {str(p): position for position, p in enumerate(self._paths)}
        return self._by_path.get(path)

    def indexed(self) -> bool:
        """Is the identifier index built (a lookup costs nothing more)?"""
        return self._naming is not None

    def naming(self, *names: bytes) -> list[tuple[Path, bytes]]:
        """The files whose text has one of the identifiers ``names``, in the project's
        order, with their bytes (:meth:`named`: without)."""
        return list(self._at(self._named(names)))

    def _at(self, positions: Iterable[int]) -> Iterator[tuple[Path, bytes]]:
        for position in positions:
            data = self._bytes(position)
            if data is not None:
                yield self._paths[position], data

    def named(self, *names: bytes) -> list[Path]:
        """The files whose text has one of the identifiers ``names``, in the project's
        order, from one index of every file's identifiers (:meth:`.index.Project.naming`);
        none is read again."""
        return [self._paths[position] for position in self._named(names)
                if position not in self._gone]

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
            self._wide = [position for position, ascii in enumerate(self._ascii) if not ascii]
        if len(names) == 1:
            return self._naming.get(names[0], ())
        return sorted({position for name in names for position in self._naming.get(name, ())})
