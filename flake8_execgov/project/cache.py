"""The cache: its keys, the kinds of entry it keeps, the one test an entry passes before it
is used, and its writing.

Four kinds of entry (:data:`SUMMARY`, :data:`RUNS`, :data:`FOUND`, :data:`ANSWER`), each
with the shape it must have. An entry is stored as ``[mac, text]``: the text of its JSON and a MAC of that
text under this machine's key (:mod:`.seal`) and the entry's *scope* (its kind and name, and
for an entry of a document, the document's settings and the module's path). :func:`trusted` is
the only way anything leaves the cache: the MAC, then the JSON, then the kind's shape; any
failure is a miss, and the entry is computed and written again. So a committed, copied or
edited cache folder is ignored entry by entry: only what this machine wrote is read.

A module's runs and the project-wide answers are one file per entry (``<key>.json``), named by
a hash of the module's bytes, the configuration's fingerprint and the plugin's version and
source (a project-wide answer: of the question and the project's state instead of bytes);
kept findings and summaries are one document each per configuration, an entry per module
path naming the bytes it was made from (:mod:`.pack`): a file per summary cost a cold run
over a thousand modules as much as parsing the modules it summarised again. Writes go to a temporary file in
the same folder, then ``os.replace``: readers see a whole entry or none. A cache that cannot
be written (read-only checkout) costs speed only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from .. import __version__
from ..config.options import Config
from .pack import Pack
from .seal import Seal, read_private

FORMAT = 6
# the file name of each kind's documents (``<name>-<hash of kind and settings>.json``)
_DOCUMENTS = {"found": "by-path", "summary": "summaries-by-path"}
ENTRY_LIMIT = 8 << 20  # bytes: a summary or a module's runs is a few hundred
_FIELDS = {"imports": list, "classes": dict, "alias": dict, "consts": dict, "annotated": dict,
           "lists": dict, "routers": dict, "includes": list, "receivers": list, "functions": dict}


@dataclass(frozen=True)
class EntryKind:
    """What the cache keeps: a name (part of every MAC, so that an entry of one kind never
    opens as another) and the shape an entry of the kind must have, down to the types."""

    name: str
    shape: Callable[[Any], bool]


# the Python whose parser read the modules: a file one version cannot parse (an empty
# summary, no findings) may parse with another
PYTHON = f"{sys.implementation.name}-{sys.version_info[0]}.{sys.version_info[1]}"


def cache_key(data: bytes, salt: str) -> str:
    """The entry name of a module with these bytes, under this salt (configuration and
    version)."""
    digest = hashlib.blake2b(data, digest_size=16)
    digest.update(salt.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


# Options that say where and how, not what: they never change a finding, so they are left
# out of the configuration's fingerprint.
LOCATION_OPTIONS = frozenset(("baseline", "project-root", "cache-dir", "cache"))


def fingerprint(config: Config) -> str:
    """The settings that can change a finding, as text."""
    return repr(sorted((key, value) for key, value in config.raw.items()
                       if key not in LOCATION_OPTIONS))


def salt_for(config: Config) -> str:
    return f"{FORMAT}:{__version__}:{code_fingerprint()}:{fingerprint(config)}"


@functools.lru_cache(maxsize=None)
def code_fingerprint() -> str:
    """A hash of the plugin's own source: the version alone would let a checkout between
    two releases (pre-commit pinned to a commit, a development install) read summaries
    and findings that older rules wrote. Read once per process (about 75 small files)."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.blake2b(digest_size=8)
    try:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    except OSError:  # pragma: no cover - an unreadable install: the version must do
        return "?"
    return digest.hexdigest()


def trusted(seal: Seal, kind: EntryKind, scope: str, stored: Any) -> Optional[Any]:
    """The entry ``stored`` holds, when this machine wrote it for ``scope`` and it has the
    kind's shape; None otherwise. The one place that decides whether a cached entry may
    be used. (Every scope holds the plugin's source hash, :func:`salt_for`: an entry that
    opens was written by this very code, so the shape test is a guard against our own
    mistakes, kept cheap for the entry read most, :data:`FOUND`.)"""
    if not (isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], str)
            and isinstance(stored[1], str)):
        return None
    text = stored[1].encode("utf-8", "surrogatepass")
    if not seal.opens(f"{kind.name}\0{scope}", text, stored[0]):
        return None
    try:
        entry = json.loads(text)
    except (ValueError, RecursionError):  # pragma: no cover - this machine wrote JSON
        return None
    return entry if kind.shape(entry) else None


def sealed(seal: Seal, kind: EntryKind, scope: str, entry: Any) -> list[str]:
    """``entry`` as it is stored: ``[mac, text]``."""
    text = json.dumps(entry, separators=(",", ":"))
    return [seal.sign(f"{kind.name}\0{scope}", text.encode("utf-8", "surrogatepass")), text]


class SummaryCache:
    """One folder of entries (``<key>.json``), with a ``.gitignore`` that ignores it all, and
    the key that seals what this machine writes there."""

    def __init__(self, directory: Path, seal: Seal) -> None:
        self.directory = directory
        self.seal = seal
        self._ready = False
        self.writable = True
        self._packs: dict[tuple[EntryKind, str], Pack] = {}

    def pack(self, salt: str, kind: Optional[EntryKind] = None) -> Pack:
        """The document of entries of ``kind`` by module path for these settings
        (:mod:`.pack`): a module's kept findings (:data:`FOUND`, the default) or its summary
        (:data:`SUMMARY`)."""
        kind = kind or FOUND
        if (kind, salt) not in self._packs:
            name = hashlib.blake2b(f"{kind.name}\0{salt}".encode("utf-8", "surrogatepass"),
                                   digest_size=8)
            self._packs[kind, salt] = Pack(
                self.directory / f"{_DOCUMENTS[kind.name]}-{name.hexdigest()}.json", salt,
                self.ready, functools.partial(self._open, kind, salt),
                functools.partial(self._seal, kind, salt))
        return self._packs[kind, salt]

    def _open(self, kind: EntryKind, salt: str, path: str, stored: Any) -> Optional[Any]:
        return trusted(self.seal, kind, f"{salt}\0{path}", stored)

    def _seal(self, kind: EntryKind, salt: str, path: str, entry: Any) -> list[str]:
        return sealed(self.seal, kind, f"{salt}\0{path}", entry)

    def flush(self) -> None:
        """Write what the packs learnt so far (they also write when the process ends)."""
        for pack in self._packs.values():
            pack.flush()

    def get(self, kind: EntryKind, key: str) -> Optional[Any]:
        """The entry of ``kind`` stored under ``key``, when this machine wrote it whole."""
        data = read_private(self.directory / f"{key}.json", ENTRY_LIMIT)
        if data is None:
            return None
        try:
            stored = json.loads(data)
        except (ValueError, RecursionError):
            return None
        return trusted(self.seal, kind, key, stored)

    def put(self, kind: EntryKind, key: str, entry: Any) -> None:
        if not self.ready():
            return
        self._write(self.directory / f"{key}.json",
                    json.dumps(sealed(self.seal, kind, key, entry), separators=(",", ":")))

    def ready(self) -> bool:
        """Is the folder there (made with its ``.gitignore`` on first use) and writable?"""
        if not self.writable:
            return False
        if not self._ready:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                ignore = self.directory / ".gitignore"
                if not os.path.lexists(ignore):
                    self._write(ignore, "# written by flake8-execgov: a cache, never commit it\n*\n")
            except OSError:
                self.writable = False
                return False
            self._ready = True
        return self.writable

    def _write(self, path: Path, text: str) -> None:
        try:
            handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(text)
                os.replace(temporary, path)
            except BaseException:
                with _quiet():
                    os.unlink(temporary)
                raise
        except OSError:
            self.writable = False


class _quiet:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> bool:
        return exc[0] is not None and issubclass(exc[0], OSError)


def _summary_shape(summary: Any) -> bool:
    """The shape :func:`.summary.summarize` writes, down to the strings."""
    if not isinstance(summary, dict) or not all(
            isinstance(summary.get(name), kind) for name, kind in _FIELDS.items()):
        return False
    texts = (summary["consts"], summary["alias"])
    lists = (summary["classes"], summary["annotated"], summary["lists"], summary["routers"],
             summary["functions"])
    return all(isinstance(v, str) for table in texts for v in table.values()) \
        and all(_strings(v) for table in lists for v in table.values()) \
        and _strings(summary["receivers"]) \
        and all(isinstance(i, list) and len(i) == 4 and _strings(i[:3]) and type(i[3]) is int
                for i in summary["imports"]) \
        and all(isinstance(i, list) and len(i) == 3 and _strings(i[:2]) and _strings(i[2])
                for i in summary["includes"])


def _kept_summary_shape(entry: Any) -> bool:
    """A module's summary as its document keeps it: the key of the bytes it was made from."""
    return isinstance(entry, dict) and entry.keys() == {"key", "summary"} \
        and isinstance(entry["key"], str) and _summary_shape(entry["summary"])


def _runs_shape(entry: Any) -> bool:
    """The shape of a module's own runs (:mod:`.facts`): ``{"runs": {function: text}}``."""
    return isinstance(entry, dict) and len(entry) == 1 and isinstance(entry.get("runs"), dict) \
        and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["runs"].items())


def _found_shape(entry: Any) -> bool:
    """A module's kept findings (:mod:`run`): its fields and their types."""
    return isinstance(entry, dict) and entry.keys() == _FOUND_FIELDS.keys() and all(
        isinstance(entry[name], kind) for name, kind in _FOUND_FIELDS.items())


_FOUND_FIELDS = {"key": str, "state": str, "imports": list, "receivers": list, "facts": str,
                 "asked": dict, "found": list}


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _answer_shape(entry: Any) -> bool:
    """A project-wide answer (:meth:`.index.Project.lasting`): names, or (module, name)
    pairs, as lists of strings."""
    return isinstance(entry, list) and all(
        isinstance(item, str) or (_strings(item) and len(item) == 2) for item in entry)


SUMMARY = EntryKind("summary", _kept_summary_shape)
ANSWER = EntryKind("answer", _answer_shape)
RUNS = EntryKind("runs", _runs_shape)
FOUND = EntryKind("found", _found_shape)
