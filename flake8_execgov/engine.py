"""One file, one configuration: its findings. Every front end calls this.

The flake8 plugin, the gate (``execgov check``), the fixer, the baseline command and the
language server differ in how they read files and show results, never in what a file's
findings are: they all come from :func:`analyse`, with the configuration (and the
baseline) passed in, never read from a class or a global.
"""

from __future__ import annotations

import ast
from typing import Callable, Collection, Iterable, Optional, Sequence

from .baseline import Baseline
from .config.options import Config
from .model.imported import NO_FACTS, ProjectFacts
from .model.records import Finding
from .config.prefilter import Prefilter, searchable
from .project.facts import facts_of_tree, reach_of, reaching_names
from .project.files import identifiers
from .project.hooks import project_registries
from .project.words import (all_derived_names, derived_names, imports_from_project,
                            unnamed_derived)
from .project.unseen import deferred_stems, exported
from .project.index import Project
from .rules import analyze, prefilter_for
from .source.lines import LineIndex, source_lines


def analyse(tree: ast.AST, lines: Sequence[str], config: Config, *,
            baseline: Optional[Baseline] = None, filename: str = "",
            prefiltered: bool = True, project: Optional[Project] = None,
            facts: Optional[ProjectFacts] = None,
            prefilter: Optional[Prefilter] = None) -> list[Finding]:
    """The findings of one module, sorted; those the ``baseline`` accepts for ``filename``
    left out. With ``prefiltered`` (the default), a module whose text names nothing the
    rules know is ruled out at once, and so is each module-level definition that names
    nothing (see :class:`config.prefilter.Prefilter`). With the ``project`` it belongs to
    (``filename`` places it there), the names it imports from other modules of the project
    are resolved there (:mod:`project`); without, it is analysed on its own. ``facts``:
    what the project says of its imports, when the caller has asked already;
    ``prefilter``: the run's (built here when not given: a caller without a run pays for
    it each time)."""
    if prefiltered and prefilter is None:
        prefilter = prefilter_of(config, project)
    found = _findings(tree, lines, config, prefilter if prefiltered else None, project,
                      filename, facts)
    if baseline is not None and found:
        found = baseline.new_findings(tree, lines, found, filename)
    return found


def prefilter_of(config: Config, project: Optional[Project] = None,
                 given: Optional[Prefilter] = None) -> Optional[Prefilter]:
    """The one way a run's prefilter is found: the one ``given`` (built by whoever started
    the run), else the project's when it was opened for this configuration, else one built
    for ``config`` (it costs about as much as walking a small module: a caller without a
    run pays for it each time). None: every file can hold a finding."""
    if given is not None:
        return given
    if project is not None and project.config is config and project.prefilter is not None:
        return project.prefilter
    return prefilter_for(config)


def worth_parsing(text: str, config: Config, project: Optional[Project] = None,
                  prefilter: Optional[Prefilter] = None, path: str = "") -> bool:
    """Can a module with this text hold a finding? Its words, or (in a project) the name of
    a class that derives, in another module, from something the rules know. ``path``: the
    file's absolute path, when it is one (a project file the reach's names screened with
    these bytes already is not searched again)."""
    prefilter = prefilter_of(config, project, prefilter)
    if prefilter is None:
        return True
    seen = searchable(text)
    reach = reach_of(project, prefilter) \
        if project is not None and path and prefilter is project.prefilter else None
    screened = reach.screened(path, text) \
        if reach is not None and reach.prefilter is prefilter else None  # its answers
    if screened if screened is not None else prefilter.found_in(seen):
        return True
    return _names_derived(seen, project, held=screened is not None)


def _names_derived(seen: str, project: Optional[Project], held: bool = False) -> bool:
    """Does the text name a class deriving, elsewhere in the project, from something the
    rules know, or a function of the project that executes a plugin (calling it does)?
    Named as a whole word: the text's identifiers, split once, against each set (a search
    of the text per name was most of a cold gate on a whole Python installation, where
    thousands of functions reach a run), and split only when a set has a name (on most
    projects each is empty: the split was a tenth of a cold gate on the standard library).
    ``held``: the text is a project file's (its bytes), so it is none of the modules the
    reach's names left out, and names no stem of theirs as an import would."""
    if project is None:
        return False
    split: list[frozenset[bytes]] = []  # the text's names, split on first need

    def named(answer: Collection[bytes]) -> bool:
        if not answer:
            return False
        if not split:
            split.append(identifiers(seen.encode("utf-8", "surrogatepass")))
        return not split[0].isdisjoint(answer)

    if named(_encoded(project, "derived", lambda: derived_names(project))):
        return True
    if named(_encoded(project, "derived:unnamed", lambda: unnamed_derived(project))) and named(
            _encoded(project, "derived:all", lambda: all_derived_names(project))):
        return True  # a text no project file holds: a class only its declaring file named
    if named(_encoded(project, "registries", lambda: {  # plugins fill them
            name for _, name in project_registries(project)})):
        return True
    if not imports_from_project(seen, project):
        return False
    prefilter = prefilter_of(project.config, project)
    if named(_encoded(project, "reaching", lambda: reaching_names(project, prefilter))):
        return True
    stems = project.answer("encoded:deferred", lambda: deferred_stems(reaching_names(
        project, prefilter, "deferred")))
    if held:
        return False
    data = seen.encode("utf-8", "surrogatepass")  # encoded only for a text that may ask
    stems_held = [stem for stem in stems if stem in data]  # a superset of the words named
    return bool(stems_held) and named(stems_held) and _names_deferred(
        split[0], [module for stem in stems_held if stem in split[0] for module in stems[stem]],
        project, prefilter)


def _names_deferred(words: frozenset[bytes], modules: list[str], project: Project,
                    prefilter: Optional[Prefilter]) -> bool:
    """The text names the stem of these modules, which the reach's names left out
    (:mod:`project.unseen`). Does it name, as an import of one would, a name resolving to
    one of its functions? No file of the project other than that module itself does; a
    buffer being edited may. Then the names with no module left out decide."""
    if any(not words.isdisjoint(name.encode("utf-8", "surrogatepass")
                                for name in exported(project.summary(module)))
           for module in modules):
        return not words.isdisjoint(_encoded(project, "reaching:whole", lambda: (
            reaching_names(project, prefilter, "whole"))))
    return False


def _encoded(project: Project, question: str,
             names: Callable[[], Iterable[str]]) -> frozenset[bytes]:
    """The project's answer ``names`` as identifiers are compared (bytes), made once per
    project and question (until a refresh, as the answer itself)."""
    return project.answer(f"encoded:{question}", lambda: frozenset(
        name.encode("utf-8", "surrogatepass") for name in names()))


def _facts(tree: ast.AST, project: Optional[Project], filename: str,
           given: Optional[ProjectFacts], lines: Sequence[str], text: str) -> ProjectFacts:
    if given is not None:
        return given
    if project is None or not filename:
        return NO_FACTS
    return facts_of_tree(project, filename, tree, prefilter_of(project.config, project),
                         (lines, text))


def _findings(tree: ast.AST, lines: Sequence[str], config: Config,
              prefilter: Optional[Prefilter], project: Optional[Project] = None,
              filename: str = "", facts: Optional[ProjectFacts] = None) -> list[Finding]:
    if prefilter is None:
        return analyze(tree, config, facts=_facts(tree, project, filename, facts, lines,
                                                  "".join(lines)))
    text = "".join(lines)
    seen = searchable(text)  # identifiers as the parser reads them (NFKC)
    if not prefilter.found_in(seen) and not _names_derived(seen, project):
        return []
    # The per-definition prefilter reads the text by line number: it stands down where the
    # lines are not Python's (flake8 splits stdin at "\n" only, so a lone "\r" differs)
    # and where normalising changed the text (its offsets no longer match the lines).
    aligned = (seen is text or seen == text) and ("\r" not in text or source_lines(text) == list(lines))
    return analyze(tree, config, LineIndex(lines, text) if aligned else None,
                   facts=_facts(tree, project, filename, facts, lines, text), prefilter=prefilter)
