"""The machine's key: what makes a cache entry this machine's, whoever can write the folder.

A cache folder lives where a repository can put files (``.execgov_cache/`` in the checkout,
or any folder ``execgov-cache-dir`` names, and the configuration is the repository's too).
An entry's name and content are computed from what an attacker has (the file's text, the
configuration, the tool's version), so a content key alone proves nothing: a pull request
that commits crafted entries would make the CI gate pass with the violation still there.
So every entry carries a MAC made with a key that only this machine's user can read: 32
random bytes in the user's cache directory (``$XDG_CACHE_HOME/flake8-execgov/key``, else
``~/.cache/flake8-execgov/key``; on Windows ``%LOCALAPPDATA%``), made on first use, mode
0600, never in a checkout. An entry copied from another machine, committed, or edited by
hand fails its MAC and is computed again, as on a cold run. A key that cannot be made or
trusted (read-only home, a key file that is a link, group- or world-readable, or another
user's) means no cache at all: a cold run, never a different finding.

Files here are read as a cache must read what others could have put there: regular files
only, symbolic links not followed, never blocking (a FIFO), never more than a size limit
(``/dev/zero`` behind a link is refused, a huge file is not read).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path
from typing import Optional

KEY_BYTES = 32
MAC_BYTES = 16
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # Windows has no symlinks to fear here
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def user_cache_home() -> Path:
    """Where this user's caches live (as pip and pre-commit find it)."""
    if os.name == "nt":  # pragma: no cover - Windows
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(base) / "flake8-execgov"


def read_private(path: Path, limit: int) -> Optional[bytes]:
    """The bytes of ``path`` when it is a regular file (not a link to one) of at most
    ``limit`` bytes; None otherwise, or when it cannot be read. Opened without following
    a link and without blocking, checked on the open descriptor."""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        data = os.read(fd, info.st_size + 1)  # not ``limit``: a buffer that big, every time
        return data if len(data) == info.st_size else None  # no more, nor less, than said
    except OSError:
        return None
    finally:
        os.close(fd)


def open_private_for_writing(path: Path) -> Optional[int]:
    """A descriptor of ``path`` (made if missing) for a lock, or None when it is a link, a
    FIFO, a device or a folder: a lock must never block on open or follow a planted link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _BINARY, 0o600)
    except OSError:
        return None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:  # pragma: no cover - fstat of a fresh descriptor
        pass
    os.close(fd)
    return None


def folder_problem(directory: Path) -> Optional[str]:
    """Why ``directory`` cannot hold a cache (None: it can, or it is not there yet and will
    be made): a link (also a loop), a file, a device, or a folder that cannot be listed."""
    try:
        info = os.lstat(directory)
    except (FileNotFoundError, NotADirectoryError):
        return None  # made on first write, or never (a write that fails costs speed only)
    except OSError as exc:
        return f"{directory} cannot be read ({exc.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{directory} is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return f"{directory} is not a folder"
    if not os.access(directory, os.R_OK | os.X_OK):
        return f"{directory} cannot be read"
    return None


class Seal:
    """A keyed MAC over an entry's text and the scope it belongs to (its kind, its name,
    the settings of its document), so that an entry moved to another name or document
    does not open either."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, scope: str, text: bytes) -> str:
        digest = hashlib.blake2b(text, key=self._key, digest_size=MAC_BYTES,
                                 person=b"execgov-cache")
        digest.update(b"\0" + scope.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def opens(self, scope: str, text: bytes, mac: str) -> bool:
        return hmac.compare_digest(self.sign(scope, text), mac)


def load_seal(home: Optional[Path] = None) -> tuple[Optional[Seal], str]:
    """This user's key (made on first use), or None and why it cannot be used."""
    home = user_cache_home() if home is None else home
    path = home / "key"
    problem = folder_problem(home)
    if problem is not None:
        return None, problem
    if not os.path.lexists(path):
        _make_key(home, path)
    try:
        info = os.lstat(path)
    except OSError:
        return None, f"no key could be made in {home}"
    if not stat.S_ISREG(info.st_mode) or info.st_size != KEY_BYTES:
        return None, f"{path} is not a key this tool made"
    if hasattr(os, "geteuid") and (info.st_uid != os.geteuid() or info.st_mode & 0o077):
        return None, f"{path} is readable by others or not yours"
    key = read_private(path, KEY_BYTES)
    if key is None or len(key) != KEY_BYTES:
        return None, f"{path} cannot be read"
    return Seal(key), ""


def _make_key(home: Path, path: Path) -> None:
    """A new key, written whole under a temporary name and linked into place: two first
    runs at once end with one key (the loser's entries only fail to open: speed, never a
    finding)."""
    try:
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = home / f".key-{os.getpid()}-{os.urandom(4).hex()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY,
                     0o600)
        try:
            os.write(fd, os.urandom(KEY_BYTES))
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        except OSError:  # pragma: no cover - a file system without hard links
            os.replace(temporary, path)
            return
        os.unlink(temporary)
    except OSError:
        return
