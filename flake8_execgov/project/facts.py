"""The project's answers for one linted module: :class:`ProjectFacts` about its imports.

Only names the module imports from the project (and the routers its routes hang on) are
looked at; each answer is memoised by the :class:`Project`, so a process pays for a module
of the project once, however many modules import it.
"""

from __future__ import annotations

import ast
import os
from contextlib import nullcontext
from functools import partial
from typing import Callable, Mapping, Optional, Sequence

from ..config.names import NameMatcher
from ..config.prefilter import Prefilter, searchable
from ..model.imported import NO_FACTS, ProjectFacts
from ..model.semantic import NO_RULES, SemanticModel
from ..source.lines import LineIndex, source_lines
from .cache import RUNS, cache_key
from .answers import lasting
from .importers import imported_elsewhere
from .index import Project
from .records import Def, Import, Kind
from .reach import Reach, Screens
from .unseen import Parsed
from .hooks import (declared_hooks, is_class, param_calls, project_registries,
                    returns_plugin_code)
from .web import authorizes, granted, includes
from .words import derived_names, may_run
from .imports import live_imports


_DEFINED = ("classes", "consts", "annotated", "lists", "routers", "alias", "functions")


def facts_of_tree(project: Project, filename: str, tree: ast.AST,
                  prefilter: Optional[Prefilter] = None,
                  source: Optional[tuple[Sequence[str], str]] = None) -> ProjectFacts:
    """The facts for the module at ``filename`` (as flake8 names it: relative to the
    current directory, or a ``--stdin-display-name``); none outside the project.
    ``source``: the module's lines and text, of which ``tree`` is the parse."""
    lines, text = source if source is not None else (None, None)
    return facts_of_imports(project, filename, *live_imports(tree, lines), prefilter,
                            None if text is None else (tree, text))


def facts_of_imports(project: Project, filename: str, imports: list[Import],
                     receivers: list[str], prefilter: Optional[Prefilter] = None,
                     linted: Optional[tuple[ast.AST, str]] = None) -> ProjectFacts:
    """The same facts from what :func:`live_imports` found in the module (kept with its
    findings on disk, they are asked again without parsing it). ``linted``: its parse and
    text, summarised instead of the file where the project asks about the module itself
    (its routers) and the file holds that text: no second parse."""
    module = project.module_of(os.path.abspath(filename))
    if module is None:
        return NO_FACTS
    reach = reach_of(project, prefilter)
    imports = _project_imports(project, imports)
    exported = partial(_exported, project, module)
    with project.linting(module, *linted) if linted is not None else nullcontext():
        if not imports and not (receivers and includes(project)):
            facts = ProjectFacts(exported=exported, hooks=declared_hooks(project), module=module)
        else:
            facts = module_facts(project, module, imports, receivers, reach, exported)
        if linted is not None:
            _summarise_linted(project, module, linted[1])
        return facts


def _summarise_linted(project: Project, module: str, text: str) -> None:
    """While a module is linted: its summary, from its own parse, when another file of the
    project names the module (it is likely imported, and its summary asked later: by then
    its tree is gone, and its file would be parsed again for it). A module whose own facts
    ask about it (its routers, its classes) is summarised so already; one that is only
    imported was not. Only once the project's texts are read (:meth:`Project.read`; a run
    that asked a project-wide question), never for this alone. The summary is the one the
    file's bytes give, so no answer depends on when it is made."""
    if project.summarised(module) or not project.snapshotted():
        return
    stem = module.rpartition(".")[2].encode()
    if project.indexed() and not project.named(stem):
        return  # named by no file (a lookup): its path and bytes are not asked (a stat each)
    path = project.path_of(module)
    data = project.read(str(path)) if path is not None else None
    if data is None or data != text.encode("utf-8", "surrogatepass"):
        return
    if any(other != path for other in project.named(stem)):
        project.summary_parsed(module, data)  # from the linted tree (:meth:`Project.linting`)


def reach_of(project: Project, prefilter: Optional[Prefilter]) -> Reach:
    """The project's answers about helpers that execute plugins (made once per project:
    its configuration, so its prefilter, is fixed)."""
    runs = None if prefilter is None or prefilter.runs is None else partial(_found, prefilter.runs)
    screens = Screens(partial(_found, prefilter), partial(may_run, project, prefilter), runs,
                      lambda: bool(derived_names(project)))
    return project.answer("reach", lambda: Reach(
        project, partial(_own_runs, project, prefilter), screens, prefilter))


def reaching_names(project: Project, prefilter: Optional[Prefilter],
                   kind: str = "names") -> frozenset[str]:
    """The names of the project's functions that reach an execution (:meth:`Reach.names`),
    or (``kind`` "deferred") the modules left out of them (:meth:`Reach.deferred`), one
    answer kept for the project's state: the prefilter asks it of modules whose words fail
    it. ``kind`` "whole": the names with no module left out (:meth:`Reach.whole`)."""
    reach = partial(reach_of, project, prefilter)
    if kind == "whole":
        return lasting(project, "reaching:whole", lambda: reach().whole())
    return frozenset(name for what, name in lasting(project, "reaching", lambda: frozenset(
        [*(("names", name) for name in reach().names()),
         *(("deferred", module) for module in reach().deferred())])) if what == kind)


def _found(prefilter: Optional[Prefilter], seen: str) -> bool:
    return prefilter is None or prefilter.found_in(seen)


def _exported(project: Project, module: str, name: str) -> bool:
    return imported_elsewhere(project, Def(module, name))


def _own_runs(project: Project, prefilter: Optional[Prefilter], module: str,
              parsed: Optional[Parsed] = None) -> Mapping[str, str]:
    """The first run each module-level function of ``module`` executes itself, from the
    model's walk of it, as the rules' own walk would see it (the prefilter skips the
    definitions that name nothing). What a function reaches through others is the call
    graph's answer (:mod:`.reach`), so only the imports that can make a plugin or a runner
    here are resolved: those of classes deriving from one (:func:`derived_names`)."""
    path = project.path_of(module)
    data = project.bytes_of(path) if path is not None else None
    if data is None:
        return {}
    seen = searchable(data.decode("utf-8", "replace"))
    if not _found(prefilter, seen) or not may_run(project, prefilter, seen):
        return {}  # names nothing the execution rules know: executes nothing itself
    summary, tree = project.summary_parsed(module, data)
    tree = tree or (parsed[1] if parsed is not None and parsed[0] == data else None)
    if not summary["functions"]:
        return {}
    derived = derived_names(project)
    imports = [entry for entry in _project_imports(
        project, [Import(*stored) for stored in summary["imports"]])
        if (entry.name or entry.local) in derived
        or (not entry.name and any(f".{name}".encode() in data for name in derived))]
    facts = module_facts(project, module, imports, []) if imports else \
        ProjectFacts(module=module, hooks=declared_hooks(project))
    # keyed by the module's bytes and what its imports are (mypy's interface hashes, small)
    key = cache_key(data, f"{project.salt}:runs:{facts.identity()}")
    cache = project.cache
    found = cache.get(RUNS, key) if cache is not None else None
    if found is not None:
        return dict(found["runs"])
    if tree is None:  # the summary was known: parsed here, once
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            return {}
    model = SemanticModel(tree, project.config, NO_RULES, _lines(data), prefilter, facts).run()
    runs: dict[str, str] = {}
    for access in sorted(model.accesses, key=lambda a: a.start):
        frame = access.runner
        if access.kind == "run" and frame is not None and frame.helper_candidate:
            runs.setdefault(frame.name, access.text)
    if cache is not None:
        cache.put(RUNS, key, {"runs": runs})
    return runs


def _lines(data: bytes) -> Optional[LineIndex]:
    """The module's lines for the per-definition prefilter, where its offsets are the
    parser's (UTF-8 text that normalising leaves as it is); else None: walk it all."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return LineIndex(source_lines(text), text) if searchable(text) == text else None


def _project_imports(project: Project, imports: list[Import]) -> list[Import]:
    """The imports from the project: relative ones, and those of a top-level name of it."""
    top = project.top_names()
    return [entry for entry in imports if entry.level or entry.module.split(".", 1)[0] in top]


def module_facts(project: Project, module: str, imports: list[Import], receivers: list[str],
                 reach: Optional[Reach] = None,
                 exported: Callable[[str], bool] = lambda name: False) -> ProjectFacts:
    names: list[tuple[str, Def]] = []
    for entry in imports:
        names += _bound(project, module, entry)
    plugins: set[str] = set()
    runners: set[str] = set()
    enums: set[str] = set()
    annotations: set[str] = set()
    lists: set[str] = set()
    constants: dict[str, tuple[str, str]] = {}
    reaching: dict[str, str] = {}
    classes: set[str] = set()
    registries: set[str] = set()
    callers: dict[str, tuple[str, ...]] = {}
    producers: set[str] = set()
    filled, hooks = project_registries(project), declared_hooks(project)
    for local, definition in names:
        if returns_plugin_code(project, definition, hooks):
            producers.add(local)
        called = param_calls(project, definition)
        if called:
            callers[local] = called
        if is_class(project, definition):
            classes.add(local)
        if definition in filled:
            registries.add(local)
        run = reach.of(definition) if reach is not None else None
        if run is not None:
            reaching[local] = run
        kind = _kind(project, definition)
        if kind is None:
            continue
        for flag, into in ((kind.plugin, plugins), (kind.runner, runners),
                           (kind.auth_alias, annotations), (kind.auth_list, lists)):
            if flag:
                into.add(local)
        if kind.enum == 2 or (kind.enum == 1 and local.rpartition(".")[2] != definition.name):
            enums.add(local)  # a lifecycle enum's subclass, or one renamed
        if kind.constant is not None:
            constants[local] = (kind.constant, definition.module)
    grants = {receiver for receiver in receivers
              if granted(project, project.resolve(module, receiver))}
    return ProjectFacts(frozenset(plugins), frozenset(runners), frozenset(enums),
                        frozenset(annotations), frozenset(lists), frozenset(grants), constants,
                        reaching, classes=frozenset(classes), hooks=hooks,
                        module=module, registries=frozenset(registries),
                        param_callers=callers, producers=frozenset(producers),
                        exported=exported)


def _bound(project: Project, module: str, entry: Import) -> list[tuple[str, Def]]:
    """The names one import binds (a module's own names too: ``deps.CurrentUser``) and
    where they are defined; memoised for absolute imports (the same in every module)."""
    absolute = not entry.level
    cached = project.bound.get(entry) if absolute else None
    if cached is not None:
        return cached
    local = entry.local
    found = project.resolve_import(module, entry)
    bound: list[tuple[str, Def]] = []
    if project.in_project(found):
        bound.append((local, found))
        inner = project.summary(found.module) if found.name == "" else None
        for table in _DEFINED if inner is not None else ():
            for name in inner[table]:  # type: ignore[index]
                bound.append((f"{local}.{name}", project.resolve(found.module, name)))
    if absolute:
        project.bound[entry] = bound
    return bound


def _kind(project: Project, definition: Def) -> Optional[Kind]:
    """What a definition of the project is to the rules (memoised, :class:`Kind`); None
    for what the rules do not care about."""
    if definition in project.kinds:
        return project.kinds[definition]
    where, name = definition
    cfg = project.config
    defined = project.summary(where) if name and project.in_project(definition) else None
    kind: Optional[Kind] = None
    if defined is not None:
        a_class = name in defined["classes"]
        enum_named = cfg.lifecycle_enums(name.rpartition(".")[2])
        kind = Kind(
            plugin=a_class and _derives(project, definition, cfg.plugin_types),
            runner=a_class and _derives(project, definition, cfg.runner_classes),
            enum=2 if a_class and not enum_named and _derives(
                project, definition, cfg.lifecycle_enums) else int(bool(enum_named)),
            constant=defined["consts"].get(name),
            auth_alias=name in defined["annotated"] and authorizes(
                project, where, defined["annotated"][name]),
            auth_list=name in defined["lists"] and authorizes(
                project, where, defined["lists"][name]))
        if not kind.matters():
            kind = None
    project.kinds[definition] = kind
    return kind


def _derives(project: Project, definition: Def, matcher: NameMatcher) -> bool:
    return bool(matcher) and project.derives(definition, matcher)


def no_project_note(filename: str) -> str:
    """Said once on stderr when a module cannot be placed in a project."""
    return f"flake8-execgov: {filename or 'stdin'} has no place in a project (give " \
        "--stdin-display-name); its imports are not followed"
