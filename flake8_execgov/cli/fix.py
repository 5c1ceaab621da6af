"""``execgov fix``: files or stdin in, fixed files or stdout out; never a lost buffer.

A finding the baseline accepts is not fixed (unless ``--include-baselined``): the baseline
records code the team chose to leave as it is for now, and a pre-commit fix hook must not
rewrite it behind their back. The run says how many it left alone.

stdin (``-``, format-on-save) exit codes: 0 the buffer printed on stdout is the result
(fixed or already clean); 1 it could not be fixed (it does not parse, ...): the input is
printed unchanged and stderr says why; 2 a usage or configuration error: the input is
printed unchanged too. With ``--diff`` or ``--check``, 1 means "would change".

Files are analysed in the project flake8 places them in (:mod:`project`), so that a fix
changes what ``execgov check`` reports and nothing else; so is stdin with
``--stdin-filename``. Without a name, stdin has no place in the project: it is fixed on its
own, and the run says so once on stderr, as the plugin does.

``--diff`` prints the diff of the file's bytes, not of its text: its lines are in the file's
own encoding (a latin-1 file's diff is latin-1), so that ``git apply`` and ``patch`` find
the lines they patch whatever the terminal's encoding.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import sys
from pathlib import Path
from typing import Optional, TextIO

from ..baseline import Baseline, BaselineError
from ..config.options import ConfigError
from ..fix.fixer import MAX_FIX_CHARS, fix_text
from ..model.records import Finding
from ..source.files import Decoded, SourceError, open_regular, write_file
from ..settings import Settings, UsageError

# Not even read: more bytes than the most characters the fixer takes could be written in
# (UTF-8 takes 4 bytes for a character, an escape codec 10).
MAX_FIX_BYTES = 10 * MAX_FIX_CHARS


def run_fix(args: argparse.Namespace, out: TextIO) -> int:
    if args.paths == ["-"]:
        return _fix_stdin(args, out)
    settings = Settings(args, args.stdin_filename)
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be combined with paths")
    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or directory: {path}")
    baseline = None if args.include_baselined else settings.plugin.baseline
    changed = failed = 0
    fixed_files: list[tuple[str, bytes]] = []  # written at the end (see below)
    left: list[Finding] = []
    for filename in settings.files(args.paths):
        notes: list[str] = []
        try:
            data = _read(filename)
            decoded = Decoded.from_bytes(data)
            fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                             reported_in=lambda text: settings.reported(filename, text),
                             notes=notes, baseline=baseline, filename=filename, left=left,
                             project=settings.project_for(filename))
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
            _write_bytes(out, _diff(data, new_data, filename))
        elif args.check:
            out.write(f"{filename}: would fix\n")
        else:
            fixed_files.append((filename, new_data))
            continue
        changed += 1
    for filename, new_data in fixed_files:  # once every file was judged against the
        try:  # project as it was (a file written now is one the run's snapshot leaves out)
            write_file(Path(filename), new_data)  # through symlinks, keeping metadata
        except OSError as exc:
            sys.stderr.write(f"{filename}: skipped: cannot write: {exc}\n")
            failed += 1
            continue
        out.write(f"{filename}: fixed\n")
        changed += 1
    _left_alone(left, args)
    return 1 if changed or failed else 0


def _fix_stdin(args: argparse.Namespace, out: TextIO) -> int:
    """Format-on-save: whatever goes wrong, the editor gets its buffer back unchanged."""
    data = sys.stdin.buffer.read()
    name = args.stdin_filename
    notes: list[str] = []
    left: list[Finding] = []
    try:
        settings = Settings(args, name)
        baseline: Optional[Baseline] = None if args.include_baselined \
            else settings.plugin.baseline
    except (UsageError, ConfigError, BaselineError) as exc:
        return _echo(args, data, f"execgov: error: {exc}", 2)
    project = settings.project_for(name)
    if project is None:  # as the plugin says it for flake8's stdin
        sys.stderr.write(f"execgov fix: {name} has no place in a project (give "
                         "--stdin-filename); its imports are not followed\n")
    try:
        decoded = Decoded.from_bytes(data)
        fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                         reported_in=lambda text: settings.reported(name, text), notes=notes,
                         baseline=baseline, filename=name, left=left, project=project,
                         isolate=True)  # a crash of libcst must not take the buffer
        new_data = decoded.splice(data, fixed)
    except Exception as exc:  # noqa: BLE001 - any failure: echo the input, say why
        reason = exc if isinstance(exc, SourceError) else f"internal error: {exc!r}"
        return _echo(args, data, f"{name}: skipped: {reason}", 1)
    finally:
        sys.stderr.writelines(f"{name}:{note}\n" for note in notes)
    _left_alone(left, args)
    if args.diff:
        _write_bytes(out, _diff(data, new_data, name))
    elif not args.check:
        _write_bytes(out, new_data)
        return 0  # the buffer printed is the result, changed or not
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


def _echo(args: argparse.Namespace, data: bytes, why: str, code: int) -> int:
    """The input back unchanged (not for ``--diff``/``--check``), and why on stderr."""
    sys.stderr.write(why + "\n")
    if not args.diff and not args.check:
        sys.stdout.buffer.write(data)  # format-on-save must never lose the buffer
    return code


def _left_alone(left: list[Finding], args: argparse.Namespace) -> None:
    """One line on stderr: fixable findings the baseline accepts, left as they are."""
    if left:
        count = len(left)
        sys.stderr.write(f"{count} baselined finding{'s' if count != 1 else ''} left "
                         f"unfixed (execgov fix --include-baselined fixes "
                         f"{'them' if count != 1 else 'it'})\n")


def _write_bytes(out: TextIO, data: bytes) -> None:
    """Bytes on ``out``'s binary stream, after what was written to it as text."""
    out.flush()
    out.buffer.write(data)


def _diff(old: bytes, new: bytes, filename: str) -> bytes:
    r"""A unified diff of the file's bytes that ``git apply`` and ``patch -p1`` take:
    ``a/``/``b/`` and the path as given, without ``./`` (``a/./x.py`` is refused), ``/``
    separators, the path's bytes as the file system has them; a last line without a line
    ending is marked as diff marks it. Lines end at ``\n`` bytes, as those tools read
    them (a ``\r`` stays in its line)."""
    if os.path.isabs(filename) and not os.path.relpath(filename).startswith(".."):
        filename = os.path.relpath(filename)  # inside the current folder: as git names it
    path = os.fsencode(Path(os.path.normpath(filename)).as_posix())
    return b"".join(
        line if line.endswith(b"\n") else line + b"\n\\ No newline at end of file\n"
        for line in difflib.diff_bytes(difflib.unified_diff, io.BytesIO(old).readlines(),
                                       io.BytesIO(new).readlines(), b"a/" + path,
                                       b"b/" + path))
