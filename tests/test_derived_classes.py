"""Classes deriving, through other modules, from a plugin type (``project.words``): the
files summarised to find them are those whose text names a base that can match, at a
word's edge where the pattern has no wildcard (``*Plugin`` is not in ``PluginRegistry``),
and every class found is found; the answer keeps those another file names (the file
declaring one passes the prefilter by itself), and a text no project file holds that names
one of the others is checked against all of them."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from conftest import Flake8Dir, calls_of

from flake8_execgov.config.options import build_config
from flake8_execgov.project.cache import SummaryCache
from flake8_execgov.project import summaries
from flake8_execgov.project.index import Project
from flake8_execgov.project.seal import KEY_BYTES, Seal
from flake8_execgov.project.summary import Summary
from flake8_execgov.project import words
from flake8_execgov.project.words import (_word, all_derived_names, derived_names,
                                          unnamed_derived)

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
    # only deep.py names a class of another file (OcrTool); Deeper and Scanner are named
    # where they are declared only
    assert derived_names(project) == {"OcrTool"}
    assert {"Deeper", "Scanner"} <= unnamed_derived(project)
    # registry.py's base (PluginRegistry) names no plugin type: not read for this question
    assert set(summarised) == {"plugins", "impl", "deep", "ocr2"}
    assert all_derived_names(project) == {"OcrTool", "Deeper", "Scanner"}


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
    assert derived_names(project, fan_out) == {"OcrTool"}
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
    assert derived_names(Project(tmp_path, config, None), fan_out) == {"OcrTool"}
    assert rounds == [["class OcrTool"], ["class Scanner"], ["class Deeper"]]


@pytest.mark.parametrize("index_at", [1, 10_000])
def test_a_file_whose_classes_no_other_file_names_is_not_summarised(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index_at: int) -> None:
    """Forty modules each declare a plugin class only they name (a monorepo's runners
    and plugins); one other file names ``Tool3``, one names ``Tool5`` as Python reads it
    (NFKC: a full-width letter). With many files to ask about, the others are not
    summarised; asked without the identifier index (one search per name, ``index_at``
    high) the answer is the same."""
    monkeypatch.setattr(words, "_INDEX_AT", index_at)
    (tmp_path / "plugins.py").write_text("class BasePlugin:\n    pass\n", encoding="utf-8")
    for i in range(40):
        (tmp_path / f"r{i}.py").write_text(
            f"from plugins import BasePlugin\n\n\nclass Tool{i}(BasePlugin):\n    pass\n",
            encoding="utf-8")
    (tmp_path / "user.py").write_text("from r3 import Tool3\n", encoding="utf-8")
    (tmp_path / "wide.py").write_text("import r5\nr5.\uff34ool5()\n", encoding="utf-8")
    config = build_config({"execgov-plugin-types": "*Plugin"})
    project = Project(tmp_path, config, None)
    summarised = calls_of(monkeypatch, Project, "summary")
    assert derived_names(project) == {"Tool3", "Tool5"}
    if index_at == 1:
        assert set(summarised) == {"plugins", "r3", "r5"}
    assert unnamed_derived(project) == {f"Tool{i}" for i in range(40)} - {"Tool3", "Tool5"}
    assert all_derived_names(project) == {f"Tool{i}" for i in range(40)}


SUMMARIZER = {
    "setup.cfg": "[flake8]\nexecgov-plugin-types = *Plugin\n",
    "plugins.py": "class BasePlugin:\n    def run(self, payload):\n        return payload\n",
    "tools/__init__.py": "",
    "tools/summarize.py": "from plugins import BasePlugin\n\n\nclass Summarizer(BasePlugin):\n"
                          "    pass\n",
    "jobs.py": "x = 1\n",
}
BUFFER = ("from tools.summarize import Summarizer\n\n\n"
          "def go(payload):\n    return Summarizer().run(payload)\n")


def test_a_buffer_naming_a_class_only_its_own_file_names(flake8_dir: Flake8Dir) -> None:
    """``Summarizer`` derives from a plugin type in another module and no project file but
    its own names it, so it is not in the project's answer; an editor's buffer of
    ``jobs.py`` (standard input) that starts using it gets the finding all the same, and so
    does the file once saved (then a project file names it)."""
    for name, text in SUMMARIZER.items():
        flake8_dir.write(name, text)
    finding = "jobs.py:5:12: GOV001 Summarizer().run() bypasses ToolRunner"
    piped = flake8_dir.run_fresh("--select=GOV", "--stdin-display-name=jobs.py", "-",
                                 stdin=BUFFER)
    assert piped.out.startswith(finding) and len(piped.lines) == 1, piped
    flake8_dir.write("jobs.py", BUFFER)
    saved = flake8_dir.run("jobs.py")
    assert saved.out.startswith(f"./{finding}") or saved.out.startswith(finding), saved
