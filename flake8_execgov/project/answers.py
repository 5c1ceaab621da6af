"""Project-wide answers kept between runs: what a question about the whole project (every
file's text read, some summarised) answered, kept in the cache for the project's state
(:meth:`.index.Project.state`). A run that finds no file of the project changed reads one
entry instead of every file; any change the file system shows is another state, and the
answer is computed again. Only answers that are names, or (module, name) pairs, are kept:
they are what the prefilter and the facts ask for."""

from __future__ import annotations

from typing import Any, Callable

from .cache import ANSWER, cache_key
from .index import Project


def lasting(project: Project, question: str,
            compute: Callable[[], frozenset[Any]]) -> frozenset[Any]:
    """The project's answer to ``question``: computed once per run (:meth:`Project.answer`),
    and read from the cache when the project's state is the one it was computed for."""
    return project.answer(question, lambda: _kept(project, question, compute))


def _kept(project: Project, question: str,
          compute: Callable[[], frozenset[Any]]) -> frozenset[Any]:
    state, cache = project.state(), project.cache
    if state is None or cache is None:
        return compute()
    key = cache_key(f"{question}\0{state}".encode("utf-8", "surrogatepass"), project.salt)
    entry = cache.get(ANSWER, key)
    if entry is not None:
        return frozenset(tuple(item) if isinstance(item, list) else item for item in entry)
    found = compute()
    cache.put(ANSWER, key, sorted(list(item) if isinstance(item, tuple) else item
                                  for item in found))
    return found
