"""One buffer, one configuration: what flake8 would report, and what ``execgov fix`` would
write. The language server's questions, answered with the commands' own functions.

The findings are the plugin's (:func:`engine.analyse`, with the baseline) kept when flake8
would report them (:meth:`Settings.reported`: selection, per-file-ignores, ``# noqa``).
A fix is ``fix_text`` on the buffer -- the very function behind ``execgov fix`` -- limited
to one finding; "fix all" is ``fix_text`` unlimited, so it writes what ``execgov fix``
writes. Nothing here reads the file on disk.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import NamedTuple, Optional

from ..cli.settings import Settings
from ..config.prefilter import searchable
from ..engine import analyse
from ..fix.fixer import fix_text, fixable, replacement
from ..model.records import Finding
from ..rules import prefilter_for
from ..source.files import SourceError
from .noqa import NoqaProcessor, noqa_edit
from .text import Document, Edit, Point, text_edit


class Fix(NamedTuple):
    """A code action's content: its title, whether it is the preferred (safe) one, the
    edit, and its kind ("fix", "unsafe", "noqa")."""

    title: str
    kind: str
    edit: Edit


@dataclass
class Linted:
    """A buffer's text, its tree and the findings flake8 would report, with their ranges."""

    document: Document
    filename: str
    settings: Settings
    tree: Optional[ast.Module]
    findings: list[Finding]
    ranges: list[tuple[Point, Point]]
    _fixes: dict[int, list[Fix]] = field(default_factory=dict)
    _fix_all: Optional[tuple[Optional[Edit]]] = None

    def at(self, start: Point, stop: Point) -> list[int]:
        """The findings whose range meets ``start``..``stop`` (ends included)."""
        return [i for i, (low, high) in enumerate(self.ranges) if low <= stop and start <= high]

    def fixes(self, index: int) -> list[Fix]:
        """The quick fixes of finding ``index``: its fix (safe, else unsafe) and its
        ``# noqa``; computed once per buffer text."""
        if index not in self._fixes:
            found = self.findings[index]
            fixes = [fix for fix in (self._fix(found), self._disable(found)) if fix is not None]
            self._fixes[index] = fixes
        return self._fixes[index]

    def fix_all(self) -> Optional[Edit]:
        """``execgov fix`` on the buffer (safe fixes), as one edit; None: nothing to fix."""
        if self._fix_all is None:
            try:
                fixed = fix_text(self.document.text, self.settings.config,
                                 reported=self.settings.reported(self.filename,
                                                                 self.document.text),
                                 baseline=self.settings.plugin.baseline,
                                 filename=self.filename)
            except SourceError:
                fixed = self.document.text
            self._fix_all = (text_edit(self.document, fixed),)
        return self._fix_all[0]

    def _fix(self, found: Finding) -> Optional[Fix]:
        config = self.settings.config
        assert self.tree is not None  # a finding comes from a tree
        for unsafe in (False, True):
            if not fixable(self.tree, self.document.lines, [found], config, unsafe):
                continue
            decide = self.settings.reported(self.filename, self.document.text, self.tree)
            try:
                fixed = fix_text(self.document.text, config, unsafe=unsafe,
                                 reported=lambda f: f == found and decide(f),
                                 baseline=self.settings.plugin.baseline,
                                 filename=self.filename)
            except SourceError:
                return None
            edit = text_edit(self.document, fixed)
            if edit is not None:
                title = f"{found.code}: {describe(found, self.settings)}"
                return Fix(title + (" (unsafe fix)" if unsafe else ""),
                           "unsafe" if unsafe else "fix", edit)
        return None

    def _disable(self, found: Finding) -> Optional[Fix]:
        if self.settings.options.disable_noqa:
            return None
        processor = NoqaProcessor(self.filename, self.settings.options,
                                  lines=list(self.document.lines))
        processor.tree = self.tree
        edit = noqa_edit(self.document, processor.run_of(found.line), found.code)
        if edit is None:
            return None
        return Fix(f"Disable {found.code} for this line", "noqa", edit)


def describe(found: Finding, settings: Settings) -> str:
    """What a finding's fix does, for its title."""
    pair = replacement(found, settings.config)
    if pair is not None:
        return f"replace {pair[0]} with {pair[1]}"
    return "move the metrics call into the finally"


def lint(text: str, filename: str, settings: Settings, encoding: str = "utf-16") -> Linted:
    """The findings flake8 would report in this buffer. Raises ``SyntaxError`` (and
    ``ValueError``, ``RecursionError``, ``MemoryError``) when it does not parse."""
    document = Document(text, encoding)
    prefilter = prefilter_for(settings.config)
    if prefilter is not None and not prefilter.found_in(searchable(text)):
        # names nothing the rules know: no finding (the engine's first test), no parse
        return Linted(document, filename, settings, None, [], [])
    tree = ast.parse(text)
    if not settings.files([filename]):  # excluded: flake8 would not check it
        return Linted(document, filename, settings, tree, [], [])
    found = analyse(tree, document.lines, settings.config, baseline=settings.plugin.baseline,
                    filename=filename)
    decide = settings.reported(filename, text, tree)
    kept = [f for f in found if decide(f)]
    return Linted(document, filename, settings, tree, kept,
                  [document.node_range(f.node, f.line, f.col) for f in kept])


def message(found: Finding) -> str:
    """The finding's message without its leading code (the diagnostic carries that)."""
    prefix = f"{found.code} "
    return found.message[len(prefix):] if found.message.startswith(prefix) else found.message
