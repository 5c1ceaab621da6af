"""Which settings a document gets: flake8's, as if flake8 ran where its configuration is.

flake8 looks for its configuration (``setup.cfg``, ``tox.ini``, ``.flake8`` with a
``[flake8]`` section) from the directory it runs in upwards; a ``pyproject.toml`` with
a ``[tool.flake8]`` table on the way, or in the same folder, wins (as with
Flake8-pyproject). The server does the same from
each document's folder, with flake8's own search, and builds the settings as flake8 run in
the directory of the file it found (where per-file-ignores and the baseline are relative
to). A folder with no configuration above it gets the workspace folder holding it (where
an editor would run flake8), else itself. Settings are built once per such directory and
rebuilt when one of its configuration files (or the baseline) changes, checked when a
document is opened or saved; a configuration that fails is kept as its one-line error.
"""

from __future__ import annotations

import contextlib
import io
import os
from typing import Optional, Sequence, Union

from ..settings import Settings

# The files whose change means new settings (pyproject.toml: its [tool.flake8] table).
CONFIG_FILES = ("setup.cfg", "tox.ini", ".flake8", "pyproject.toml")
Stamp = tuple[tuple[str, int, int], ...]
Built = Union[Settings, str]


class Configs:
    """The settings of each configuration directory, built on first use."""

    def __init__(self, roots: Sequence[str] = ()) -> None:
        self.roots = [os.path.abspath(root) for root in roots]
        self._directory: dict[str, str] = {}
        self._built: dict[str, tuple[Stamp, Built]] = {}

    def lookup(self, path: Optional[str], refresh: bool = False) -> tuple[str, Built]:
        """The configuration directory of the document at ``path`` (None: not a file)
        and its settings, or the message saying why they cannot be built. ``refresh``:
        look for the configuration again and rebuild if its files changed."""
        folder = _existing(os.path.dirname(os.path.abspath(path)) if path else self.default)
        if refresh or folder not in self._directory:
            self._directory[folder] = self.directory_of(folder)
        directory = self._directory[folder]
        entry = self._built.get(directory)
        if entry is not None and not refresh:
            return directory, entry[1]
        stamp = _stamp(directory, entry[1] if entry is not None else None)
        if entry is None or entry[0] != stamp:
            entry = (stamp, build(directory))
            self._built[directory] = entry
        return directory, entry[1]

    def refresh_projects(self) -> None:
        """Every workspace's project forgets what it read (see :meth:`Project.refresh`):
        a saved module can change what other modules' imports are. What each run learnt
        is written to the cache first: a server the editor kills keeps it."""
        for _, built in self._built.values():
            if isinstance(built, Settings) and built.plugin.project is not None:
                built.plugin.the_run.close()  # what it learnt so far, kept (not at exit only)
                built.plugin.project.refresh()

    @property
    def default(self) -> str:
        return self.roots[0] if self.roots else os.getcwd()

    def directory_of(self, folder: str) -> str:
        """Where flake8 run in ``folder`` finds its configuration (see the module)."""
        from flake8.options.config import _find_config_file

        found: Optional[str] = _find_config_file(folder)
        here = os.path.dirname(os.path.abspath(found)) if found is not None else None
        toml = _pyproject_above(folder, stop=here)
        if toml is not None or here is not None:
            return toml or here  # type: ignore[return-value]
        holders = [root for root in self.roots
                   if folder == root or folder.startswith(root.rstrip(os.sep) + os.sep)]
        return max(holders, key=len) if holders else folder


def build(directory: str) -> Built:
    """The settings of flake8 run in ``directory``, or one line saying why not."""
    errors = io.StringIO()
    try:
        with contextlib.redirect_stdout(errors), contextlib.redirect_stderr(errors):
            return Settings.in_directory(directory)
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - any failure is the user's config
        said = [line for line in errors.getvalue().splitlines() if line.strip()]
        reason = str(exc).splitlines()[0] if str(exc).strip() and not isinstance(
            exc, SystemExit) else (said[-1] if said else type(exc).__name__)
        return f"the flake8 configuration in {directory} is invalid: {reason}"


def _pyproject_above(folder: str, stop: Optional[str]) -> Optional[str]:
    """The nearest folder from ``folder`` up to ``stop`` (included) whose ``pyproject.toml``
    has a ``[tool.flake8]`` table: flake8 run there reads it (:mod:`config.pyproject`),
    instead of a file in the same folder. A broken one counts: its settings are its error."""
    from ..config.options import ConfigError
    from ..config.pyproject import table_in

    while True:
        try:
            if table_in(folder) is not None:
                return folder
        except ConfigError:
            return folder
        parent = os.path.dirname(folder)
        if folder == stop or parent == folder:
            return None
        folder = parent


def _existing(folder: str) -> str:
    """``folder``, or its nearest existing parent (an unsaved file in a new folder)."""
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)
    return folder


def _stamp(directory: str, built: Optional[Built]) -> Stamp:
    """The identity of the files the settings were built from."""
    paths = [os.path.join(directory, name) for name in CONFIG_FILES]
    if isinstance(built, Settings) and built.config.baseline is not None:
        paths.append(os.path.abspath(built.config.baseline))
    found = []
    for path in paths:
        try:
            status = os.stat(path)
        except OSError:
            continue
        found.append((path, status.st_mtime_ns, status.st_size))
    return tuple(found)
