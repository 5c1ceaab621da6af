"""Entries by module path in one file of the cache, read once per process and written back
once, at its end.

An entry per file of the cache (:class:`.cache.SummaryCache`) costs a file creation and a
rename per module: on a cold run over a thousand modules that was half a parse of them.
What every linted module gets (its findings, :mod:`results`) is kept here instead, as
Ruff keeps its cache: one JSON document per configuration, an entry per module path (so it
never holds more entries than the project has modules), each entry naming the content it
belongs to. A process reads the document on its first question, collects what it learns,
and merges it into the document when it ends (``-j`` workers too: they end through
:mod:`multiprocessing`'s finalizers), under a lock where the platform has one, through a
temporary file and ``os.replace``: readers see a whole document or the one before. Entries
of modules that no longer exist, and entries this machine did not write (their MAC does not
open: :func:`.cache.trusted`), are dropped when it is written. A broken document, or one
written for other settings, is ignored and replaced; a lost write (no lock, a killed
process) costs speed, never a finding. The document and its lock are opened as
:mod:`.seal` opens what others could have planted: no link followed, no FIFO waited on,
nothing read past :data:`DOCUMENT_LIMIT`.
"""

from __future__ import annotations

import json
import os
import tempfile
from multiprocessing import util
from pathlib import Path
from typing import Any, Callable, Optional

from .seal import open_private_for_writing, read_private

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no lock, a lost merge costs speed only
    fcntl = None  # type: ignore[assignment]


DOCUMENT_LIMIT = 512 << 20  # bytes: about a kilobyte a module, for the largest monorepos


class Pack:
    """One document of sealed entries by path (``<name>.json`` in the cache's folder)."""

    def __init__(self, path: Path, salt: str, ready: Callable[[], bool],
                 opens: Callable[[str, Any], Optional[Any]],
                 seals: Callable[[str, Any], Any]) -> None:
        self.path = path
        self.ready = ready  # makes the folder (and its .gitignore); False: not writable
        self.salt = salt  # written into the document, checked when it is read
        self.opens = opens  # a stored entry for a path -> the entry, or None (untrusted)
        self.seals = seals  # an entry for a path -> as it is stored (what ``opens`` opens)
        self._entries: Optional[dict[str, Any]] = None
        self._new: dict[str, Any] = {}
        self._owner = 0  # the process whose finalizer writes ``_new``

    def get(self, path: str) -> Any:
        """The entry for the module at ``path`` (absolute), None when there is none or this
        machine did not write it."""
        if self._entries is None:
            self._entries = self._read()
        found = self._new.get(path)
        return self.opens(path, found if found is not None else self._entries.get(path))

    def put(self, path: str, entry: Any) -> None:
        """Keep ``entry`` for ``path``, sealed as this document's entries are; written when
        the process ends (or the run's owner flushes)."""
        if self._owner != os.getpid():  # the first put of this process (a -j worker too)
            self._owner = os.getpid()
            self._new = {}
            util.Finalize(self, self.flush, exitpriority=10)
        self._new[path] = self.seals(path, entry)
        if self._entries is not None:  # replaced (:meth:`get` asks ``_new`` first): a run
            self._entries.pop(path, None)  # confirming every entry holds one copy of each

    def _read(self) -> dict[str, Any]:
        data = read_private(self.path, DOCUMENT_LIMIT)
        if data is None:
            return {}
        try:
            document = json.loads(data)
        except (ValueError, RecursionError, MemoryError):
            return {}
        if not isinstance(document, dict) or document.get("salt") != self.salt \
                or not isinstance(document.get("entries"), dict):
            return {}
        entries: dict[str, Any] = document["entries"]
        return entries

    def flush(self) -> None:
        """Merge this process's new entries into the document on disk."""
        if not self._new or self._owner != os.getpid():
            return
        new, self._new = self._new, {}
        if not self.ready():
            self._entries = {**(self._entries or {}), **new}  # a long-lived process reads them
            return
        # what this process read goes before the document is read again below (a run that
        # confirmed every entry held both, and as many new ones, at its end); a later
        # question reads the document as written (or, when it was not, with the new ones)
        self._entries = None
        lock = open_private_for_writing(self.path.with_suffix(".lock"))
        if lock is None:  # a planted link or FIFO: this run's findings are not kept
            self._entries = {**self._read(), **new}
            return
        try:
            if fcntl is not None:
                fcntl.flock(lock, fcntl.LOCK_EX)
            # what other processes wrote and still holds (an entry this one replaces is
            # not opened: a run that confirmed every entry would check each seal twice)
            entries = {p: e for p, e in self._read().items()
                       if p not in new and os.path.exists(p) and self.opens(p, e) is not None}
            entries.update(new)
            self._write(entries)
            self._entries = entries  # what every process wrote, as this one read it
        except Exception:  # noqa: BLE001 - a read-only checkout, a full disk: the next run
            self._entries = {**self._read(), **new}  # walks again (at exit, an exception
            # would print a traceback)
        finally:
            os.close(lock)

    def _write(self, entries: dict[str, Any]) -> None:
        """The document, written an entry at a time: made whole first, its text (and that
        text encoded) was the largest allocation of a big project's run, at its very end."""
        handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write('{"salt":%s,"entries":{' % json.dumps(self.salt))
                separator = ""
                for path, entry in entries.items():
                    out.write(f"{separator}{json.dumps(path)}:"
                              f"{json.dumps(entry, separators=(',', ':'))}")
                    separator = ","
                out.write("}}")
            os.replace(temporary, self.path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise
