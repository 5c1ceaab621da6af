"""``execgov check --changed-since REF``: check only the files changed since a git revision
and the files whose findings depend on them (:mod:`project.dependents`), for pre-commit
and pull-request CI on a big repository.

*Changed* is the working tree against ``REF``, as ``git diff REF`` sees it (commits since
``REF``, staged and unstaged edits, deletions), plus the untracked files git does not
ignore: what the full run would read differs from ``REF`` exactly in those files. The
texts at ``REF`` of the changed and deleted Python files are read too (``git cat-file
--batch``, one process): an import that was dropped changes the imported module's findings.
A change the dependency graph cannot follow (a configuration file, a distribution's marker,
a package's ``__init__.py`` added or deleted, the baseline) makes it a full run, said on
stderr. Git is a process, run with the repository's own settings; a folder that is no git
repository, a missing git or a revision git does not know is one line, exit 2.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import NamedTuple, Optional

from ..project.dependents import Dependents, needs_full_run
from ..project.index import Project


class ChangedSinceError(Exception):
    """``--changed-since`` cannot be answered here: the gate's one line, exit 2."""


class Changes(NamedTuple):
    changed: list[Path]  # exist now, differ from REF (added, modified, untracked)
    added: list[Path]  # not in REF
    gone: list[Path]  # in REF, deleted now
    before: dict[Path, bytes]  # the text at REF of each changed or deleted Python file


def _git(args: list[str], cwd: str, stdin: Optional[bytes] = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                              check=False)
    except OSError as exc:
        raise ChangedSinceError(f"--changed-since needs git: {exc}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedSinceError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def changes(ref: str, cwd: str) -> Changes:
    """What differs between ``REF`` and the working tree of the repository at ``cwd``."""
    try:  # the top as the working directory spells it (git's own is a resolved path)
        up = _git(["rev-parse", "--show-cdup"], cwd).decode("utf-8", "replace").strip()
        top = os.path.normpath(os.path.join(os.path.abspath(cwd), up))
    except ChangedSinceError as exc:
        raise ChangedSinceError(f"--changed-since needs a git repository: {exc}") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    except ChangedSinceError:
        raise ChangedSinceError(f"--changed-since: {ref!r} is no revision git knows "
                                "here") from None
    fields = _git(["diff", "--name-status", "--no-renames", "-z", ref, "--"], top).split(b"\0")
    status = {os.fsdecode(path): kind.decode()[:1]
              for kind, path in zip(fields[::2], fields[1::2]) if path}
    for path in _git(["ls-files", "-z", "--others", "--exclude-standard"], top).split(b"\0"):
        if path:
            status[os.fsdecode(path)] = "A"
    where = {name: Path(top, name) for name in status}
    gone = [where[name] for name, kind in status.items() if kind == "D"]
    added = [where[name] for name, kind in status.items() if kind == "A"]
    changed = [where[name] for name, kind in status.items() if kind != "D"]
    olds = [name for name, kind in status.items() if kind != "A" and name.endswith(".py")]
    return Changes(changed, added, gone, _texts_at(ref, olds, top))


def _texts_at(ref: str, names: list[str], top: str) -> dict[Path, bytes]:
    """The texts of ``names`` at ``ref`` (``git cat-file --batch``: one process)."""
    if not names:
        return {}
    query = "".join(f"{ref}:{name}\n" for name in names).encode()
    out = _git(["cat-file", "--batch"], top, query)
    found: dict[Path, bytes] = {}
    at = 0
    for name in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 3 and header[1] == b"blob":
            size = int(header[2])
            found[Path(top, name)] = out[at:at + size]
            at += size + 1
    return found


def selection(ref: str, project: Optional[Project], baseline: Optional[str],
              cwd: str) -> tuple[Optional[set[str]], str]:
    """The absolute paths to check (None: every file, the reason said in the message) and
    the line for stderr."""
    found = changes(ref, cwd)
    total = len(found.changed) + len(found.gone)
    count = f"{total} file{'s' if total != 1 else ''} changed since {ref}"
    reason = needs_full_run(found.changed, found.added, found.gone)
    if reason is None and baseline and any(
            os.path.abspath(baseline) == str(path) for path in [*found.changed, *found.gone]):
        reason = Path(baseline)
    if reason is not None:
        return None, (f"execgov check: {count}; {os.path.relpath(reason, cwd)} changed, "
                      "so every file is checked\n")
    python = [path for path in found.changed if path.suffix == ".py"]
    chosen = set(found.changed)
    if project is not None:
        chosen |= Dependents(project).affected(
            python, [path for path in found.gone if path.suffix == ".py"], found.before)
    return {os.path.abspath(path) for path in chosen}, f"execgov check: {count}; "
