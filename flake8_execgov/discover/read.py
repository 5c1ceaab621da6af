"""Reading a host for ``execgov init`` and ``execgov map``: its modules, each parsed at most
once, and only those that can say something.

The files are the project model's own (:func:`project.files.python_files`: hidden folders,
virtual environments and build output left out). Every module's text is read; a module is
parsed (and walked, :mod:`.scan`) when its text can hold plugin machinery (its words, see
:data:`_MACHINERY`, or a class named so), when it declares a class deriving from a class
such a module declares, or when it names what the first reading found (a plugin type, a
signal, a hook, the enum a runner uses): the way
``execgov check``'s prefilter spares the modules that cannot matter, so that ``init``
costs about what a cold check costs. The classes of the other modules are read from their
text (``class Name(Bases):``), enough to count subclasses. A module that does not parse is
skipped with one line naming it; a long read reports progress on stderr after two seconds.
"""

from __future__ import annotations

import ast
import os
import re
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, TextIO

from ..project.files import python_files
from ..source.files import Decoded, SourceError, read_source
from ..source.lines import source_lines
from .records import ClassFact, ModuleFacts
from .scan import scan

PROGRESS_AFTER = 2.0  # seconds: the first progress line, then one a second
_TEST_PARTS = frozenset(("tests", "test", "testing", "examples", "example", "docs"))
_MACHINERY = re.compile(
    r"[Pp]lugin|[Hh]ook|HookspecMarker|abstractmethod|entry_points|entrypoints|import_module|"
    r"Depends\(|Security\(|[Rr]unner|\bsignal\(|\bSignal\(|@\w*register|"
    r"@\w+\.(?:get|post|put|patch|delete|api_route|websocket)\(")
# A class named as plugin machinery (its module is parsed: it may be a plugin type).
_MACHINE_CLASS = re.compile(r"Plugin|Hook|Interface|Extension|Addon|Backend|Provider|Protocol|ABC")
# A module placed as plugin machinery (``plugins/base.py``, ``hooks.py``).
_MACHINE_PLACE = re.compile(r"plugin|hook|interface|extension|addon|backend|provider", re.I)
_CLASS = re.compile(r"^[ \t]*class[ \t]+(\w+)[ \t]*(?:\(([^)]*)\))?[ \t]*:", re.M)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A module-level import of a testing library: the module is test support wherever it lives
# (base classes of tests shipped inside a package drive plugins on purpose).
_TESTING = re.compile(r"^(?:import|from)[ \t]+(?:unittest|mock|pytest)\b", re.M)


class NotAProject(Exception):
    """The path is no folder of Python modules: one line for the user."""


@dataclass
class Module:
    path: str  # relative to the root, with ``/``
    text: str
    test: bool
    tree: Optional[ast.Module] = None
    support: bool = False  # test support by what it imports, not by its path
    lines: list[str] = field(default_factory=list)
    facts: Optional[ModuleFacts] = None
    failed: bool = False


@dataclass
class Host:
    root: Path
    modules: list[Module] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    source_roots: tuple[Path, ...] = ()  # as the project model finds them (``src``, ...)

    def parse(self, module: Module) -> Optional[ast.Module]:
        """The module's tree (parsed on first use, walked for its facts), or None when it
        does not parse (then skipped, with one line)."""
        if module.tree is None and not module.failed:
            try:
                with warnings.catch_warnings():  # invalid escapes and the like: not ours
                    warnings.simplefilter("ignore")
                    module.tree = ast.parse(module.text, filename=module.path)
            except SyntaxError as exc:
                self.skipped.append(f"{module.path}:{exc.lineno or 0}: skipped, not valid "
                                    f"Python ({exc.msg})")
                module.failed = True
                return None
            except (ValueError, RecursionError, MemoryError) as exc:
                self.skipped.append(f"{module.path}: skipped ({type(exc).__name__})")
                module.failed = True
                return None
            module.lines = source_lines(module.text)
            module.facts = scan(module.tree, module.path, module.test)
        return module.tree

    def facts(self) -> list[ModuleFacts]:
        """What is known of every module: its walk, or its classes read from the text."""
        return [m.facts if m.facts is not None else _classes_only(m) for m in self.modules]

    def parse_naming(self, names: Iterable[str]) -> None:
        """Parse the modules whose text names one of ``names`` (a second reading):
        identifiers, or ``*_suffix`` patterns."""
        exact = sorted({n for n in names if n.isidentifier()})
        suffixes = sorted({n[1:] for n in names if n.startswith("*_") and n[1:].isidentifier()})
        parts = [r"\b(?:" + "|".join(map(re.escape, exact)) + r")\b"] if exact else []
        parts += [r"(?:" + "|".join(map(re.escape, suffixes)) + r")\b"] if suffixes else []
        if not parts:
            return
        pattern = re.compile("|".join(parts))
        for module in self.modules:
            if module.tree is None and not module.failed and pattern.search(module.text):
                self.parse(module)

    def parse_defining(self, classes: Iterable[str]) -> None:
        """Parse the modules that declare one of ``classes`` (``class Name(...)``)."""
        wanted = set(classes)
        for module in self.modules:
            if module.tree is None and not module.failed and wanted.intersection(
                    name for name, _ in _CLASS.findall(module.text)):
                self.parse(module)


def is_test(path: str) -> bool:
    """A test or example module: it drives plugins on purpose (``per-file-ignores``)."""
    parts = path.split("/")
    name = parts[-1]
    return bool(_TEST_PARTS.intersection(parts[:-1])) or name.startswith("test_") \
        or name.endswith("_test.py") or name == "conftest.py"


def is_test_support(text: str) -> bool:
    """A module that imports a testing library at module level (``unittest``, ``mock``,
    ``pytest``) is test support, whatever its name: the helpers and base classes of tests
    that a package ships (``dns_test_common.py``) drive plugins on purpose, as tests do.
    Only module-level imports count: a host that imports ``unittest`` inside a function
    (a self-test command) is not test code."""
    return _TESTING.search(text) is not None


def read_host(root: str, progress: Optional[TextIO] = None) -> Host:
    """Every module of the project at ``root``, read; those that can hold plugin machinery
    parsed (see the module)."""
    folder = Path(root)
    if not folder.is_dir():
        raise NotAProject(f"{root}: not a directory (give the folder of a project)")
    files, roots = python_files(folder.resolve(), None)
    if not files:
        raise NotAProject(f"{root}: no Python modules here, not a project")
    host = Host(folder.resolve(), source_roots=tuple(roots))
    started = last = time.monotonic()
    for index, path in enumerate(files):
        now = time.monotonic()
        if progress is not None and now - started >= PROGRESS_AFTER and now - last >= 1.0:
            progress.write(f"execgov: {index} of {len(files)} modules read\n")
            progress.flush()
            last = now
        rel = Path(os.path.relpath(path, host.root)).as_posix()
        try:
            text = Decoded.from_bytes(read_source(str(path))).text
        except (OSError, SourceError) as exc:
            host.skipped.append(f"{rel}: skipped, unreadable ({exc})")
            continue
        support = not is_test(rel) and is_test_support(text)
        host.modules.append(Module(rel, text, is_test(rel) or support, support=support))
    first = [m for m in host.modules if not m.test and _machinery(m)]
    for module in first:
        host.parse(module)
    declared = {c.name for m in first if m.facts is not None for c in m.facts.classes}
    for module in host.modules:  # classes deriving from what the first reading declared
        if module.tree is None and not module.test and any(
                declared.intersection(_WORD.findall(bases))
                for _, bases in _CLASS.findall(module.text)):
            host.parse(module)
    return host


def _machinery(module: Module) -> bool:
    """Can the module hold plugin machinery: its place, its words, its classes' names?"""
    return bool(_MACHINE_PLACE.search("/".join(module.path.rsplit("/", 2)[-2:]))
                or _MACHINERY.search(module.text)
                or any(_MACHINE_CLASS.search(name + bases)
                       for name, bases in _CLASS.findall(module.text)))


def _classes_only(module: Module) -> ModuleFacts:
    facts = ModuleFacts(module.path, module.test)
    for match in _CLASS.finditer(module.text):
        line = module.text.count("\n", 0, match.start()) + 1
        bases = [b.strip() for b in (match.group(2) or "").split(",") if b.strip() and "=" not in b]
        facts.classes.append(ClassFact(match.group(1), f"{module.path}:{line}", bases))
    return facts
