"""Does another module of the project import this function? A module-level function that
executes is judged where it is used when another module imports it (the use there is the
ungoverned path's entry), and at its own execution otherwise (:mod:`.facts`,
``ProjectFacts.exported``). One search of the identifier index per function, the
candidates' names resolved in their own summaries."""

from __future__ import annotations

from .files import word_starts
from .index import Project
from .records import Def


def imported_elsewhere(project: Project, definition: Def) -> bool:
    """Does another module of the project import this function (``from m import f``,
    ``import m`` ... ``m.f``, through re-exports too)? Its uses there are judged there.
    The files whose text names it are found with one search; their names are resolved
    in their own summaries. An import counts as a use (an ``__init__`` re-export too);
    a file flake8 excludes does not count. Memoised for the project."""
    return project.answer(f"imported:{definition.module}:{definition.name}",
                          lambda: _imported(project, definition))


def _imported(project: Project, definition: Def) -> bool:
    module, name = definition
    for path, data in project.naming(name.encode()):
        importer = project.module_of(path)
        if importer is None or importer == module or project.unlinted(path):
            continue  # a use in a file nobody lints is judged nowhere
        for start in word_starts(data, name.encode()):
            if project.resolve(importer, _dotted_before(data, start) + name) == definition:
                return True
    return False


def _dotted_before(data: bytes, at: int) -> str:
    """``helpers.`` when the name at ``at`` is written ``helpers.execute`` (a dotted
    chain, spaces around the dots allowed), else "": read backwards, linear in the chain."""
    chain = b""
    while True:
        dot = at
        while dot > 0 and data[dot - 1:dot] in b" \t":
            dot -= 1
        if dot == 0 or data[dot - 1:dot] != b".":
            return chain.decode("utf-8", "replace")
        start = dot - 1
        while start > 0 and data[start - 1:start] in b" \t":
            start -= 1
        word_end = start
        while start > 0 and (data[start - 1:start].isalnum() or data[start - 1:start] == b"_"
                             or data[start - 1] >= 0x80):
            start -= 1
        if start == word_end:
            return chain.decode("utf-8", "replace")
        chain = data[start:word_end] + b"." + chain
        at = start
