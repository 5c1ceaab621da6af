"""Source files as the commands read and write them: decoded as Python does, only regular
files read, and a fix written back changing only the bytes of what it changed (encoding,
BOM and every other byte kept), atomically where that keeps the file's owner, group, mode
and hard links, in place where it would not."""

from __future__ import annotations

import codecs
import difflib
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Optional

from .lines import source_lines


class SourceError(Exception):
    """The file cannot be decoded or parsed; it is reported and skipped."""


@dataclass
class Decoded:
    """A file's text and what it takes to write it back byte-for-byte alike."""

    text: str
    encoding: str
    bom: bool

    @classmethod
    def from_bytes(cls, data: bytes) -> "Decoded":
        try:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
            bom = data.startswith(codecs.BOM_UTF8)
            text = data[len(codecs.BOM_UTF8):].decode("utf-8") if bom else data.decode(encoding)
        except (SyntaxError, LookupError, UnicodeDecodeError) as exc:
            raise SourceError(f"cannot decode: {exc}") from None
        return cls(text, "utf-8" if bom else encoding, bom)

    def encode(self, text: str) -> bytes:
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            raise SourceError(f"the fix cannot be written in {self.encoding}: {exc}") from None
        return (codecs.BOM_UTF8 + data) if self.bom else data

    def splice(self, data: bytes, fixed: str) -> bytes:
        """``data`` (the bytes this text was decoded from) with the bytes of each changed
        span replaced by its new text, and every other byte as it was: a codec that does
        not round-trip (``unicode_escape``, ``utf-7``, cp932's duplicates) never touches
        the rest of the file. Refused when a span's bounds fall inside an escape or shift
        sequence, or the result would not decode to ``fixed``."""
        head = len(codecs.BOM_UTF8) if self.bom else 0
        body = data[head:]
        edits = text_edits(self.text, fixed)
        wanted = sorted({at for start, stop, _ in edits for at in (start, stop)})
        offsets = _byte_offsets(body, self.encoding, self.text, wanted)
        parts, last = [data[:head]], 0
        for start, stop, new in edits:
            begin, end = offsets.get(start), offsets.get(stop)
            if begin is None or end is None:
                raise SourceError(self._unsafe_codec())
            parts += [body[last:begin], self.encode(new)[head:]]
            last = end
        parts.append(body[last:])
        result = b"".join(parts)
        try:
            same = Decoded.from_bytes(result).text == fixed
        except SourceError:
            same = False
        if not same:
            raise SourceError(self._unsafe_codec())
        return result

    def _unsafe_codec(self) -> str:
        return (f"not fixed: its encoding ({self.encoding}) cannot be rewritten byte for byte "
                "around the fix; fix it by hand")


def text_edits(old: str, new: str) -> list[tuple[int, int, str]]:
    """``(start, end, replacement)`` character spans of ``old``, ascending and disjoint,
    that make it ``new``: changed lines, narrowed to the changed characters."""
    old_lines, new_lines = source_lines(old), source_lines(new)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                edits.append(_narrowed(old_lines[i1 + k], new_lines[j1 + k], starts[i1 + k]))
        else:
            edits.append((starts[i1], starts[i2], "".join(new_lines[j1:j2])))
    return edits


def _narrowed(old: str, new: str, at: int) -> tuple[int, int, str]:
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return at + prefix, at + len(old) - suffix, new[prefix:len(new) - suffix]


def _byte_offsets(body: bytes, encoding: str, text: str,
                  wanted: list[int]) -> dict[int, Optional[int]]:
    """Where each character offset of ``text`` starts in ``body`` (None: inside a
    multi-byte escape or shift sequence, or not a character boundary of the codec)."""
    if codecs.lookup(encoding).name == "utf-8":
        found: dict[int, Optional[int]] = {}
        chars = size = 0
        for at in wanted:
            size += len(text[chars:at].encode("utf-8", "surrogatepass"))
            found[at], chars = size, at
        return found
    decoder = codecs.getincrementaldecoder(encoding)()
    fresh = decoder.getstate()
    found, chars, done, pending = {}, 0, 0, list(reversed(wanted))
    for chunk in io.BytesIO(body):  # a line at a time; byte by byte where a target is
        saved, count = decoder.getstate(), len(decoder.decode(chunk))
        if pending and chars + count >= pending[-1]:
            decoder.setstate(saved)
            for index in range(len(chunk)):
                chars += len(decoder.decode(chunk[index:index + 1]))
                while pending and chars >= pending[-1]:
                    exact = chars == pending[-1] and decoder.getstate() == fresh
                    found[pending.pop()] = done + index + 1 if exact else None
        else:
            chars += count
        done += len(chunk)
    for at in pending:
        found[at] = done if at == chars or (at == 0 and not body) else None
    if wanted and wanted[0] == 0:
        found[0] = 0
    return found


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading when it is a regular file (through symlinks); a FIFO,
    device, socket or folder is an ``OSError`` naming what it is, never read (a FIFO would
    block, ``/dev/zero`` would never end). Opened without blocking, checked on the open
    file, so that a file swapped in between cannot be one either."""
    fd, _ = _regular_fd(path)
    try:
        return os.fdopen(fd, "rb")
    except BaseException:  # pragma: no cover - fdopen of a fresh descriptor
        os.close(fd)
        raise


def _regular_fd(path: str, blocking: bool = True) -> tuple[int, os.stat_result]:
    """The open file, and what ``fstat`` says of it; made blocking again for a file object
    (``blocking``): a regular file reads the same either way, so a read of its bytes alone
    saves the two calls."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(f"not a regular file ({_kind(status.st_mode)})")
        if blocking and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return fd, status
    except BaseException:
        os.close(fd)
        raise


def read_source(path: str) -> bytes:
    """The bytes of a regular file (see :func:`open_regular`): read with ``os.read`` into
    one buffer, no file object (the project model reads every file of a project often)."""
    return read_source_stat(path)[0]


def read_source_stat(path: str) -> tuple[bytes, os.stat_result]:
    """:func:`read_source`, with what the file system said of the open file. One read
    when it gives the size ``fstat`` said (asking one byte more tells the file did not
    grow): a run reads a big project's files several times (:mod:`project.snapshot`)."""
    fd, status = _regular_fd(path, blocking=False)
    try:
        data = os.read(fd, max(status.st_size, 0) + 1)
        if len(data) == status.st_size:
            return data, status
        chunks = [data]
        while chunks[-1]:  # the file grew since fstat, or was larger than said
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks), status
    finally:
        os.close(fd)


def encodable(text: str) -> bool:
    """Can ``text`` be written as UTF-8 (a lone surrogate like ``"\\ud800"`` cannot)?"""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a file"  # pragma: no cover - every other kind is named above


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, through symlinks, never leaving a half-written file.

    A new file (in an existing folder) or a file only this user owns is replaced
    atomically (a temporary file beside it, its mode and owner as the file's, renamed
    over). A rename would split hard links and, where this user cannot give the new file
    the old one's owner and group, change them: such a file is rewritten in place, from a
    complete copy, and restored if the write fails. Anything but a regular file (a FIFO,
    a device, a folder) is refused."""
    target = Path(os.path.realpath(path))
    try:
        info: Optional[os.stat_result] = os.stat(target)
    except FileNotFoundError:
        info = None
        if not target.parent.is_dir():
            what = "not a folder" if target.parent.exists() else "no such folder"
            raise OSError(f"{what}: {str(target.parent)!r}") from None
    except NotADirectoryError:
        raise OSError(f"not a folder: {str(target.parent)!r}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OSError(f"not a regular file ({_kind(info.st_mode)})")
    if info is not None and info.st_nlink > 1:
        _write_in_place(target, data)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if info is not None and not _same_owner(handle.fileno(), info):
                os.unlink(tmp)
                _write_in_place(target, data)
                return
        os.chmod(tmp, info.st_mode & 0o7777 if info is not None else _new_file_mode())
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _same_owner(fd: int, info: os.stat_result) -> bool:
    """Give the temporary file the original's owner and group, if this user may."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return True
    if not hasattr(os, "fchown"):  # pragma: no cover - Windows: no owners to keep
        return True
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        return False
    return True


def _write_in_place(target: Path, data: bytes) -> None:
    """Rewrite the file's own inode (its links, owner and mode stay); on failure put the
    old content back."""
    with open(target, "r+b") as handle:
        old = handle.read()
        try:
            handle.seek(0)
            handle.write(data)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.seek(0)
            handle.write(old)
            handle.truncate()
            raise


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


write_atomic = write_file  # the name the commands knew
