"""Classes deriving, through other modules, from a plugin type (``project.words``): the
files summarised to find them are those whose text names a base that can match, at a
word's edge where the pattern has no wildcard (``*Plugin`` is not in ``PluginRegistry``),
and every class found is found."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import calls_of

from flake8_execgov.config.options import build_config
from flake8_execgov.project.cache import SummaryCache
from flake8_execgov.project import summaries
from flake8_execgov.project.index import Project
from flake8_execgov.project.seal import KEY_BYTES, Seal
from flake8_execgov.project.summary import Summary
from flake8_execgov.project.words import _word, derived_names

SEAL = Seal(b"k" * KEY_BYTES)
MODULES = {
    "plugins.py": "class BasePlugin:\n    pass\n\n\nclass PluginRegistry:\n    pass\n",
    "impl.py": "from plugins import BasePlugin\n\n\nclass OcrTool(BasePlugin):\n    pass\n",
    "deep.py": "from impl import OcrTool\n\n\nclass Deeper(OcrTool):\n    pass\n",
    "registry.py": "from plugins import PluginRegistry\n\n\n"
                   "class Registry(PluginRegistry):\n    pass\n",
    "ocr2.py": "import plugins\n\n\nclass Scanner(plugins.BasePlugin):\n    pass\n",
}


@pytest.mark.parametrize("patterns", ["BasePlugin", "*Plugin", "Base*"])
def test_derived_classes_and_the_files_read_for_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patterns: str) -> None:
    for name, text in MODULES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = build_config({"execgov-plugin-types": patterns})
    project = Project(tmp_path, config, None)
    summarised = calls_of(monkeypatch, Project, "summary")
    assert derived_names(project) == {"OcrTool", "Deeper", "Scanner"}
    # registry.py's base (PluginRegistry) names no plugin type: not read for this question
    assert set(summarised) == {"plugins", "impl", "deep", "ocr2"}


def test_a_patterns_words() -> None:
    assert _word("Plugin") == rb"\bPlugin\b"
    assert _word("*Plugin") == rb"Plugin\b"
    assert _word("Plugin*") == rb"\bPlugin"
    assert _word("*Plugin*") == b"Plugin"
    assert _word("[Bb]asePlugin") == rb"asePlugin\b"
    assert _word("Foo[abcdefgh]") == rb"\bFoo"  # a character class is one character
    assert _word("*") == b""


def test_a_rounds_summaries_are_shared_out(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Each round's modules are summarised by the map given (the gate's process pool),
    and the answer is the one asking module by module finds; what was summarised is
    known afterwards, and kept (the next run reads it, not the files)."""
    for name, text in MODULES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    config = build_config({"execgov-plugin-types": "*Plugin"})
    cache = tmp_path / ".cache"
    rounds: list[list[str]] = []

    def fan_out(function: Callable[[bytes], Summary], items: list[bytes]) -> list[Summary]:
        rounds.append(sorted(item.decode().splitlines()[-2].split("(")[0] for item in items))
        return [function(item) for item in items]

    project = Project(tmp_path, config, SummaryCache(cache, SEAL))
    assert derived_names(project, fan_out) == {"OcrTool", "Deeper", "Scanner"}
    # the first round: every module declaring a class with a base ending "Plugin"
    # (plugins.py is summarised while impl.py's base is resolved); then who derives
    assert rounds == [["class OcrTool", "class Scanner"], ["class Deeper"]]
    assert all(project.summarised(m) for m in ("impl", "ocr2", "deep"))
    project.cache.flush()
    again = Project(tmp_path, config, SummaryCache(cache, SEAL))
    again.summarise([("impl", MODULES["impl.py"].encode())], fan_out)
    assert len(rounds) == 2 and again.summarised("impl")  # kept: nothing made again
    # handed out in batches: a run holds no more modules' bytes at once
    monkeypatch.setattr(summaries, "BATCH", 1)
    rounds.clear()
    assert derived_names(Project(tmp_path, config, None), fan_out) == {
        "OcrTool", "Deeper", "Scanner"}
    assert rounds == [["class OcrTool"], ["class Scanner"], ["class Deeper"]]
