"""The project's Python files, found once per process by walking its root."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from typing import Iterator, Optional

from .modules import MARKERS

_SKIPPED_DIRS = frozenset(("__pycache__", "node_modules", "site-packages", "build", "dist",
                           "venv", "env"))
# A root that is no project (flake8 run from a home folder): its walk stops here, and the
# project-wide answers (routers included elsewhere, derived classes) are what it saw.
MAX_FILES = 20_000


def python_files(root: Path, cache: Optional[Path]) -> tuple[list[Path], list[Path]]:
    """The ``.py`` files below ``root``, in a stable order, leaving out hidden folders,
    virtual environments, build output and the cache folder ``cache``; symlinked folders
    are not followed (nor resolved: a planted loop is just a link). And the source roots
    seen on the way (:mod:`.modules`): folders named ``src`` or holding a distribution's
    marker file."""
    skipped = os.path.abspath(cache) if cache is not None else None
    found: list[Path] = []
    roots: list[Path] = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIPPED_DIRS
                         and os.path.join(top, d) != skipped)
        if os.path.basename(top) == "src" or any(m in names for m in MARKERS):
            roots.append(Path(top))
        folder = Path(top)  # its children share its parts: a path each, not its parts too
        found += [folder / n for n in sorted(names) if n.endswith(".py")]
        if len(found) > MAX_FILES:
            break
    return found[:MAX_FILES], roots


# A file changed this recently may change again within the file system's clock tick and
# keep its size and timestamps ("racy git"): a project with such a file has no state.
RACY_NS = 2_000_000_000


def files_state(files: list[Path], roots: list[Path], extra: str) -> Optional[str]:
    """What the file system says of the project's files, as one digest: each file's path,
    size, inode, modification and change times, the source roots, and ``extra`` (what
    else decides what a module's imports are: the files flake8 excludes). Two runs that see
    the same digest see the same files, without reading them (as Ruff's and mypy's caches
    trust a file's size and times); None when a file was written in the last two seconds
    or cannot be stat-ed: then nothing is taken on trust from it."""
    digest = hashlib.blake2b(extra.encode("utf-8", "surrogatepass"), digest_size=16)
    recent = time.time_ns() - RACY_NS
    for root in roots:
        digest.update(b"\1" + os.fsencode(root))
    for path in files:
        try:
            stat = os.stat(path)
        except OSError:
            return None
        if stat.st_mtime_ns >= recent:
            return None
        digest.update(b"\0%s\0%d:%d:%d:%d" % (
            os.fsencode(path), stat.st_size, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns))
    return digest.hexdigest()


ANY = re.compile(rb"")  # every file of the project (Project.texts)
_IDENTIFIER = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")  # UTF-8 names too
# every byte that is no part of a name (nor of a number) becomes a space
SPACED = bytes(c if chr(c).isalnum() and c < 0x80 or c == 0x5F or c >= 0x80 else 0x20
               for c in range(256))


def identifiers(data: bytes) -> frozenset[bytes]:
    """The names in ``data`` (a superset: numbers, words in strings and comments too).
    Split at every byte that cannot be in a name: two passes of C over the text, a third
    of the time a regular expression takes; a run starting with a digit (``0x1f``) is
    searched for the names in it."""
    words = set(data.translate(SPACED).split())
    words.update(name for word in [w for w in words if w[:1].isdigit() and not w.isdigit()]
                 for name in _IDENTIFIER.findall(word))  # a number alone holds no name
    return frozenset(words)


WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def word_starts(data: bytes, word: bytes, low: int = 0,
                high: Optional[int] = None) -> Iterator[int]:
    """Where ``word`` stands in ``data`` (in ``data[low:high]``) as a whole word: what
    ``\\bword\\b`` matches (ASCII word bytes), found without compiling a pattern per word (a
    module asks about every helper it has: a compiled pattern each was 2 % of a cold run)."""
    high = len(data) if high is None else high
    size, at = len(word), data.find(word, low, high)
    while at >= 0 and size:
        end = at + size
        if _boundary(data, at) and _boundary(data, end):
            yield at
            at = data.find(word, end, high)
        else:
            at = data.find(word, at + 1, high)


def _boundary(data: bytes, at: int) -> bool:
    """Is there a word boundary before ``data[at]`` (``\\b``, ASCII)?"""
    before = at > 0 and data[at - 1] in WORD_BYTES
    after = at < len(data) and data[at] in WORD_BYTES
    return before != after
