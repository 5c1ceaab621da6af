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

from ..settings import Settings
from ..engine import analyse, worth_parsing
from ..fix.fixer import fix_text, fixable, replacement
from ..model.records import Finding, Reported
from ..source.files import SourceError
from .noqa import NoqaProcessor, noqa_edit
from .text import Document, Edit, Point, text_edit


class Offer(NamedTuple):
    """A quick fix of a finding before its edit: its title and its kind ("fix": the safe
    fix, "unsafe": the unsafe one, "noqa": the ``# noqa`` comment)."""

    title: str
    kind: str


@dataclass
class Linted:
    """A buffer's text, its tree and the findings flake8 would report, with their ranges."""

    document: Document
    filename: str
    settings: Settings
    tree: Optional[ast.Module]
    findings: list[Finding]
    ranges: list[tuple[Point, Point]]
    _edits: dict[tuple[int, str], Optional[Edit]] = field(default_factory=dict)
    _fix_all: Optional[tuple[Optional[Edit]]] = None

    def at(self, start: Point, stop: Point) -> list[int]:
        """The findings whose range meets ``start``..``stop`` (ends included)."""
        return [i for i, (low, high) in enumerate(self.ranges) if low <= stop and start <= high]

    def index_of(self, key: object) -> Optional[int]:
        """The finding a code action names by ``[line, col, code]`` (:func:`finding_key`)."""
        return next((i for i, found in enumerate(self.findings) if key == finding_key(found)),
                    None)

    def offers(self, index: int) -> list[Offer]:
        """The quick fixes of finding ``index``: its fix, safe or else unsafe, as the
        fixer's plan decides (without running the fixer), and its ``# noqa``."""
        found = self.findings[index]
        offers = []
        assert self.tree is not None  # a finding comes from a tree
        for kind, unsafe in (("fix", False), ("unsafe", True)):
            if fixable(self.tree, self.document.lines, [found], self.settings.config, unsafe):
                title = f"{found.code}: {describe(found, self.settings)}"
                offers.append(Offer(title + (" (unsafe fix)" if unsafe else ""), kind))
                break
        if self.edit(index, "noqa") is not None:
            offers.append(Offer(f"Disable {found.code} for this line", "noqa"))
        return offers

    def edit(self, index: int, kind: str) -> Optional[Edit]:
        """The edit of an offer (None: it changes nothing); computed once per text. A fix
        is ``fix_text`` (``execgov fix``) limited to the one finding."""
        if (index, kind) not in self._edits:
            found = self.findings[index]
            self._edits[index, kind] = self._disable(found) if kind == "noqa" \
                else self._fix(found, kind == "unsafe")
        return self._edits[index, kind]

    def fix_all(self) -> Optional[Edit]:
        """``execgov fix`` on the buffer (safe fixes), as one edit; None: nothing to fix."""
        if self._fix_all is None:
            self._fix_all = (self._fixed(),)
        return self._fix_all[0]

    def _fix(self, found: Finding, unsafe: bool) -> Optional[Edit]:
        decide = self.settings.reported(self.filename, self.document.text, self.tree)
        return self._fixed(lambda f: f == found and decide(f), unsafe)

    def _fixed(self, reported: Optional[Reported] = None, unsafe: bool = False
               ) -> Optional[Edit]:
        """What ``execgov fix`` writes (``reported``: of these findings only)."""
        text = self.document.text
        try:
            fixed = fix_text(text, self.settings.config, unsafe=unsafe,
                             reported=reported or self.settings.reported(self.filename, text),
                             baseline=self.settings.plugin.baseline, filename=self.filename,
                             project=self.settings.plugin.project)  # as lint() found them
        except SourceError:
            return None
        return text_edit(self.document, fixed)

    def _disable(self, found: Finding) -> Optional[Edit]:
        if self.settings.options.disable_noqa:
            return None
        processor = NoqaProcessor(self.filename, self.settings.options,
                                  lines=list(self.document.lines))
        processor.tree = self.tree
        return noqa_edit(self.document, processor.run_of(found.line), found.code)


def finding_key(found: Finding) -> list[object]:
    """How a code action names its finding until it is resolved: ``[line, col, code]``."""
    return [found.line, found.col, found.code]


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
    project = settings.plugin.project
    if project is not None and project.changed():  # a file changed outside the editor
        project.refresh()  # (a save refreshes too): read afresh, not left out
    if not worth_parsing(text, settings.config, settings.plugin.project):
        # names nothing the rules know: no finding (the engine's first test), no parse
        return Linted(document, filename, settings, None, [], [])
    tree = ast.parse(text)
    if not settings.files([filename]):  # excluded: flake8 would not check it
        return Linted(document, filename, settings, tree, [], [])
    found = analyse(tree, document.lines, settings.config, baseline=settings.plugin.baseline,
                    filename=filename, project=settings.plugin.project)
    decide = settings.reported(filename, text, tree)
    kept = [f for f in found if decide(f)]
    return Linted(document, filename, settings, tree, kept,
                  [document.node_range(f.node, f.line, f.col) for f in kept])


def message(found: Finding) -> str:
    """The finding's message without its leading code (the diagnostic carries that)."""
    prefix = f"{found.code} "
    return found.message[len(prefix):] if found.message.startswith(prefix) else found.message
