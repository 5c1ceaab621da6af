"""A project's summaries: those made or read this run, by module name, and those kept
between runs: one document of the cache per configuration, Python and root (:mod:`.pack`),
an entry per module path naming the bytes it was made from (:func:`.cache.cache_key`), so
an entry is used only for exactly those bytes."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Optional

from .cache import PYTHON, SUMMARY, SummaryCache, cache_key
from .summary import Summary, summary_of

# ``map`` or a process pool's: the summaries of several modules' texts, in their order
FanOut = Callable[[Callable[[bytes], Summary], list[bytes]], Iterable[Summary]]
BATCH = 256  # modules' bytes handed out at once: a run's peak memory holds no more


class Summaries:
    """The summaries of one project for one run (nothing is kept without a cache)."""

    def __init__(self, cache: Optional[SummaryCache], salt: str, root: Path) -> None:
        self.known: dict[str, Summary] = {}  # by module name, this run
        self._cache = cache
        self._salt = salt
        self._document = f"{salt}:summaries:{PYTHON}:{root}"

    def kept(self, path: Optional[Path], key: str) -> Optional[Summary]:
        """The summary kept for the file at ``path`` when its bytes' key is ``key``."""
        if self._cache is None or path is None:
            return None
        entry = self._cache.pack(self._document, SUMMARY).get(str(path))
        found: Optional[Summary] = entry["summary"] if entry is not None \
            and entry["key"] == key else None
        return found

    def keep(self, path: Optional[Path], key: str, summary: Summary) -> None:
        if self._cache is not None and path is not None:
            entry = {"key": key, "summary": summary}
            self._cache.pack(self._document, SUMMARY).put(str(path), entry)

    def make(self, texts: Iterable[tuple[str, Optional[Path], bytes]], fan_out: FanOut) -> None:
        """The summaries of these modules (name, path, bytes), those neither known nor kept
        made by ``fan_out`` (a process pool's ``map``: a question that must summarise
        hundreds of modules before the workers fork shares them out), then known as if
        asked one by one: a summary is the one its bytes give, wherever it is made."""
        todo: list[tuple[str, Optional[Path], str, bytes]] = []
        queued: set[str] = set()  # the modules of this call handed out (or about to be)
        for module, path, data in texts:
            if module in self.known or module in queued:
                continue
            queued.add(module)
            key = cache_key(data, self._salt)
            found = self.kept(path, key)
            if found is not None:
                self.known[module] = found
            else:
                todo.append((module, path, key, data))
            if len(todo) == BATCH:
                self._made(todo, fan_out)
                todo = []
        if todo:
            self._made(todo, fan_out)

    def _made(self, todo: list[tuple[str, Optional[Path], str, bytes]], fan_out: FanOut) -> None:
        for (module, path, key, _), summary in zip(todo, fan_out(summary_of, [
                data for *_, data in todo])):
            self.keep(path, key, summary)
            self.known[module] = summary
