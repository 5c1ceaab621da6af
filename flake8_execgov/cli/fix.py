"""``execgov fix``: files or stdin in, fixed files or stdout out; never a lost buffer."""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import TextIO

from ..fix.fixer import MAX_FIX_CHARS, fix_text
from ..source.files import Decoded, SourceError, open_regular, write_file
from .settings import Settings, UsageError
from ..source.lines import source_lines

# Not even read: more bytes than the most characters the fixer takes could be written in
# (UTF-8 takes 4 bytes for a character, an escape codec 10).
MAX_FIX_BYTES = 10 * MAX_FIX_CHARS


def run_fix(args: argparse.Namespace, out: TextIO) -> int:
    settings = Settings(args, args.stdin_filename)
    if args.paths == ["-"]:
        return _fix_stdin(args, settings, out)
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be combined with paths")
    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or directory: {path}")
    changed = failed = 0
    for filename in settings.files(args.paths):
        notes: list[str] = []
        try:
            data = _read(filename)
            decoded = Decoded.from_bytes(data)
            fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                             reported=lambda text: settings.reported(filename, text),
                             notes=notes)
            new_data = decoded.splice(data, fixed)
        except (SourceError, OSError) as exc:
            sys.stderr.write(f"{filename}: skipped: {exc}\n")
            failed += 1
            continue
        except Exception as exc:  # pragma: no cover - a bug must not stop the other files
            sys.stderr.write(f"{filename}: skipped: internal error: {exc!r}\n")
            failed += 1
            continue
        finally:
            sys.stderr.writelines(f"{filename}:{note}\n" for note in notes)
        if fixed == decoded.text:
            continue
        if args.diff:
            out.writelines(_diff(decoded.text, fixed, filename))
        elif args.check:
            out.write(f"{filename}: would fix\n")
        else:
            try:
                write_file(Path(filename), new_data)  # through symlinks, keeping metadata
            except OSError as exc:
                sys.stderr.write(f"{filename}: skipped: cannot write: {exc}\n")
                failed += 1
                continue
            out.write(f"{filename}: fixed\n")
        changed += 1
    return 1 if changed or failed else 0


def _fix_stdin(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Format-on-save: whatever goes wrong, the editor gets its buffer back unchanged."""
    data = sys.stdin.buffer.read()
    name = args.stdin_filename
    notes: list[str] = []
    try:
        decoded = Decoded.from_bytes(data)
        fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                         reported=lambda text: settings.reported(name, text), notes=notes,
                         isolate=True)  # a crash of libcst must not take the buffer
        new_data = decoded.splice(data, fixed)
    except Exception as exc:  # noqa: BLE001 - any failure: echo the input, say why
        reason = exc if isinstance(exc, SourceError) else f"internal error: {exc!r}"
        sys.stderr.write(f"{name}: skipped: {reason}\n")
        if not args.diff and not args.check:
            sys.stdout.buffer.write(data)  # format-on-save must never lose the buffer
        return 1
    finally:
        sys.stderr.writelines(f"{name}:{note}\n" for note in notes)
    if args.diff:
        out.writelines(_diff(decoded.text, fixed, args.stdin_filename))
    elif not args.check:
        out.flush()
        sys.stdout.buffer.write(new_data)
    return 1 if fixed != decoded.text else 0


def _read(filename: str) -> bytes:
    """A regular file's bytes; one over the fixer's limit is refused before it is read
    (a character takes at least one byte in every encoding Python reads source in)."""
    with open_regular(filename) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FIX_BYTES:
            raise SourceError(f"not fixed: {size:,} bytes is over the fixer's limit of "
                              f"{MAX_FIX_CHARS:,} characters; fix it by hand")
        return handle.read()


def _diff(old: str, new: str, filename: str) -> list[str]:
    lines = list(difflib.unified_diff(source_lines(old), source_lines(new),
                                      f"a/{filename}", f"b/{filename}"))
    return [line if line.endswith("\n") else line + "\n" for line in lines]
