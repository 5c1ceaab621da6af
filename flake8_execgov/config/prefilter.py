"""The prefilter: text any file with a possible finding must contain.

flake8 runs every plugin on every file, whatever ``--select`` says, and most files have
nothing to do with plugins. Each rule family says what a file must contain for it to find
anything (:class:`Needs`: a configured name, a word, a pattern such as a route decorator);
the prefilter is the union of the registered families' needs, so a file (and each
module-level definition) that contains none of it is never walked.

It decides on what Python sees: identifiers are NFKC-normalised by the parser
(``ｐlugin`` *is* ``plugin``), so text that is not ASCII is normalised before it is
searched. ASCII text, nearly every file, is searched as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Optional, Pattern, Sequence

from ..source.lines import LineIndex
from .names import NameMatcher


@dataclass(frozen=True)
class Needs:
    """What one rule family needs in a file's text to find anything there."""

    names: Sequence[NameMatcher] = ()  # an identifier one of these matches
    words: Sequence[str] = ()  # or one of these words
    patterns: Sequence[Pattern[str]] = ()  # or a match of one of these


_CHUNK = 512  # characters tested at once for ASCII (one slice and one C scan each)


def searchable(text: str) -> str:
    """The text as the parser reads identifiers: NFKC-normalised (ASCII is unchanged, and
    so is a text that normalising leaves as it is: the same object, which callers test).

    Only the lines around the characters that are not ASCII are normalised: a line feed
    is a starter that composes with nothing and that no character's normal form reaches
    across, so the text normalised in pieces cut at line feeds is the text normalised
    whole (a property test holds them equal), at the cost of those pieces alone.
    Normalising whole files was a tenth of a cold gate's instructions on the standard
    library, where a file with one accented name in a comment was normalised from its
    first line to its last. The pieces are found a chunk at a time (``str.isascii`` of a
    slice): a regular expression for the characters cost more than the normalising."""
    if text.isascii():
        return text
    parts: list[str] = []
    done = at = 0  # text[:done] is in parts; done is 0 or the position of a line feed
    size = len(text)
    while at < size:
        end = min(at + _CHUNK, size)
        if text[at:end].isascii():
            at = end
            continue
        start = max(done, text.rfind("\n", done, at) + 1)
        stop = text.find("\n", end)
        stop = size if stop < 0 else stop
        parts += (text[done:start], unicodedata.normalize("NFKC", text[start:stop]))
        done = at = stop
    parts.append(text[done:])
    found = "".join(parts)
    return text if found == text else found


class Prefilter:
    """The words and patterns of every family's :class:`Needs`; a file containing none
    of them cannot hold a finding."""

    def __init__(self, words: Iterable[str], patterns: Sequence[Pattern[str]] = (),
                 runs: Optional["Prefilter"] = None) -> None:
        self.literals = without_superstrings(words)
        self.patterns = tuple(patterns)
        # what a module must contain to execute a plugin itself: the execution rules' own
        # needs (None: not known, any module this prefilter passes may)
        self.runs = runs

    def search(self, text: str) -> bool:
        """Does ``text`` (normalised first, see :func:`searchable`) need a walk?"""
        return self.found_in(searchable(text))

    def found_in(self, text: str) -> bool:
        """:meth:`search` on text that is already :func:`searchable`."""
        return any(literal in text for literal in self.literals) or \
            any(pattern.search(text) is not None for pattern in self.patterns)

    def lines_naming(self, source: LineIndex, words: Iterable[str] = ()) -> list[int]:
        """The (1-based, sorted) numbers of the lines where :meth:`search` would succeed,
        or one of ``words`` occurs: each literal found with ``str.find`` over the whole
        text, so a file costs a few scans, not a search per definition. ``source`` must
        be searchable as it is (the caller checks that normalising changes nothing)."""
        found = {line for word in (*self.literals, *words) for line in source.lines_with(word)}
        for pattern in self.patterns:
            found.update(source.lines_matching(pattern))
        return sorted(found)


def prefilter(needs: Iterable[Needs], runs: Optional[Needs] = None) -> Optional[Prefilter]:
    """The prefilter for these needs; None (walk every file) when a name pattern has no
    literal part (``*``): any identifier could match it. ``runs``: the needs of the rules
    that find executions, kept as the prefilter's :attr:`Prefilter.runs`."""
    words: list[str] = []
    patterns: list[Pattern[str]] = []
    for need in needs:
        for matcher in need.names:
            if any(not literal for literal in matcher.literals):
                return None
            words += matcher.literals
        words += need.words
        patterns += need.patterns
    return Prefilter(words, patterns, prefilter([runs]) if runs is not None else None)


def without_superstrings(words: Iterable[str]) -> tuple[str, ...]:
    """The words, minus those containing a shorter one ("plugin" covers "get_plugin"),
    shortest first. Each word's substrings are looked up in a set: linear in the number
    of words (a name's length is bounded in practice), not a comparison of every pair."""
    kept: set[str] = set()
    sizes: list[int] = []  # the lengths of the kept words, ascending
    ordered: list[str] = []
    for word in sorted(set(words), key=lambda text: (len(text), text)):
        if not any(word[i:i + size] in kept for size in sizes
                   for i in range(len(word) - size + 1)):
            kept.add(word)
            ordered.append(word)
            if not sizes or sizes[-1] != len(word):
                sizes.append(len(word))
    return tuple(ordered)


def route_decorator(methods: Iterable[str]) -> Pattern[str]:
    """A line with ``@<router>.<method>(``: unanchored, so it matches a superset of route
    decorators (more walks, never a miss)."""
    names = "|".join(sorted(methods))
    return re.compile(rf"@[^\n]*\.[ \t]*(?:{names})[ \t]*\(")
