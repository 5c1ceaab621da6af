"""Source files as the commands read and write them: decoded as Python does, written back
byte for byte alike (encoding, BOM), replaced atomically."""

from __future__ import annotations

import codecs
import io
import os
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path


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


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over (keeping the mode of
    an existing file; a new one gets the umask's)."""
    if path.exists():
        mode = path.stat().st_mode & 0o7777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
