"""Module summaries on disk, keyed by content, shared by every process that lints.

An entry's name is a hash of the module's bytes, the configuration's fingerprint and the
plugin's version; the entry repeats its key and is read back only when the key matches and
its shape is a summary's, so a corrupt, truncated or foreign file is rebuilt, never
trusted. Writes go to a temporary file in the same folder, then ``os.replace``: readers see
a whole entry or none, whatever other ``-j`` workers, editors and pre-commit hooks do at
the same time. A cache that cannot be written (read-only checkout) costs speed only.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional

from .. import __version__
from ..config.options import Config
from .pack import Pack
from .summary import Summary

FORMAT = 2
_FIELDS = {"imports": list, "classes": dict, "alias": dict, "consts": dict, "annotated": dict,
           "lists": dict, "routers": dict, "includes": list, "receivers": list, "functions": dict}


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


class SummaryCache:
    """One folder of entries (``<key>.json``), with a ``.gitignore`` that ignores it all."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._ready = False
        self.writable = True
        self._packs: dict[str, Pack] = {}

    def pack(self, salt: str) -> Pack:
        """The document of entries by module path for these settings (:mod:`.pack`)."""
        if salt not in self._packs:
            name = hashlib.blake2b(salt.encode("utf-8", "surrogatepass"), digest_size=8)
            self._packs[salt] = Pack(self.directory / f"by-path-{name.hexdigest()}.json",
                                     salt, self.ready)
        return self._packs[salt]

    def flush(self) -> None:
        """Write what the packs learnt so far (they also write when the process ends)."""
        for pack in self._packs.values():
            pack.flush()

    def get(self, key: str, valid: Callable[[Any], bool] = lambda entry: False) -> Optional[Summary]:
        """The entry stored under ``key``, when it is whole and has the shape ``valid``
        accepts (by default a module summary's)."""
        try:
            with open(self.directory / f"{key}.json", "rb") as handle:
                entry = json.loads(handle.read())
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            return None
        summary = entry.get("summary")
        return summary if _well_formed(summary) or valid(summary) else None

    def put(self, key: str, summary: Summary) -> None:
        if not self.ready():
            return
        text = json.dumps({"key": key, "summary": summary}, separators=(",", ":"))
        self._write(self.directory / f"{key}.json", text)

    def ready(self) -> bool:
        """Is the folder there (made with its ``.gitignore`` on first use) and writable?"""
        if not self.writable:
            return False
        if not self._ready:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                ignore = self.directory / ".gitignore"
                if not ignore.exists():
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


def _well_formed(summary: Any) -> bool:
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


def runs_shape(entry: Any) -> bool:
    """The shape of a module's own runs (:mod:`.facts`): ``{"runs": {function: text}}``."""
    return isinstance(entry, dict) and len(entry) == 1 and isinstance(entry.get("runs"), dict) \
        and all(isinstance(k, str) and isinstance(v, str) for k, v in entry["runs"].items())


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
