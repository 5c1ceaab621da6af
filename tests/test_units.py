"""Unit tests beside the end-to-end ones: option validation, prefilter, fixer edge cases."""

from __future__ import annotations

import ast
import codecs
import sys

import pytest
from hypothesis import given, strategies as st

from flake8_execgov.fix.fixer import _left_out, fix_text
from flake8_execgov.model.records import Finding
from flake8_execgov.source.files import Decoded, SourceError
from flake8_execgov.config.options import DEFAULT_CONFIG, ConfigError, build_config
from flake8_execgov.config.names import NameMatcher
from flake8_execgov.config.prefilter import Prefilter
from flake8_execgov.rules import prefilter_for
from flake8_execgov.source.lines import char_col


@pytest.mark.parametrize("values, message", [
    ({"execgov-lifecycle-states": "LOADED, 2BAD"},
     "execgov-lifecycle-states: '2BAD' is not a Python identifier"),
    ({"execgov-tool-name-args": "tool-name"},
     "execgov-tool-name-args: 'tool-name' is not a Python identifier"),
    ({"execgov-public-routes": "health"}, "execgov-public-routes: 'health' is not a route path"),
    ({"execgov-forbidden-statuses": "50x"}, "execgov-forbidden-statuses: '50x' is not an HTTP status"),
    ({"execgov-forbidden-statuses": "99"}, "execgov-forbidden-statuses: '99' is not an HTTP status"),
    ({"execgov-state-replacements": "SUCCESS"}, "execgov-state-replacements: 'SUCCESS' is not a FROM:TO"),
    ({"execgov-state-replacements": "SUCCESS:"}, "is not a FROM:TO pair"),
    ({"execgov-runner-classes": "Tool Runner()"}, "execgov-runner-classes: 'Runner()' is not a name"),
    ({"execgov-metrics-state-keyword": "1st"}, "execgov-metrics-state-keyword: '1st' is not a Python"),
    ({"execgov-metrics-state-position": "x"},
     "execgov-metrics-state-position: 'x' is not an argument position"),
    ({"execgov-nope": "x"}, "unknown option 'execgov-nope'"),
    ({"runner_classe": "x"},
     "unknown option 'execgov-runner-classe' (did you mean 'execgov-runner-classes'?)"),
])
def test_invalid_values(values: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_config(values)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_values_replace_defaults_and_accept_lists() -> None:
    config = build_config({"runner_classes": ["A", "B*"], "execgov-lifecycle-states": "X,Y",
                           "execgov-state-replacements": "OK:X", "metrics-state-position": 0})
    assert config.runner_classes("Bee") and not config.runner_classes("ToolRunner")
    assert config.lifecycle_states == frozenset({"X", "Y"}) and config.states_text == "X, Y"
    assert config.metrics_state_position == 0
    assert dict(config.state_replacements) == {"OK": "X"}


def test_name_matcher() -> None:
    matcher = NameMatcher(["plugin", "*_plugin", "[ab]x?"])
    assert [matcher(n) for n in ("plugin", "ocr_plugin", "_plugin", "Plugin", "axz", None)] == \
        [True, True, True, False, True, False]
    assert matcher.first == "plugin" and NameMatcher(["*x"]).first == "*x"
    assert NameMatcher([]).first == "" and not NameMatcher([])("x")
    assert matcher.literals == ("plugin", "_plugin", "x")


def test_prefilter_literals_and_wildcards() -> None:
    assert prefilter_for(build_config({"plugin-names": "*"})) is None
    pre = Prefilter(["plugin", "_plugins", "get_plugin", "Plugin", "tool_name"])
    assert pre.literals == ("Plugin", "plugin", "tool_name")  # shortest first, deterministic
    default = prefilter_for(DEFAULT_CONFIG)
    assert default is not None and not default.search("import os\nos.path.join('a')\n")
    assert default.search("x = 1\n@app.post('/a')\ndef f(): pass\n")  # web's pattern
    assert not default.search("x = a @ b\n")
    assert default.search("\uff50lugin.run(p)\n")  # what the parser reads: NFKC


def test_char_col() -> None:
    assert char_col(["é = plugin\n"], 1, 5) == 4
    assert char_col(["abc\n"], 1, 2) == 2
    assert char_col([], 3, 7) == 7


def test_decoding_errors() -> None:
    with pytest.raises(SourceError, match="cannot decode"):
        Decoded.from_bytes(b"x = '\xff\xfe'\n")
    with pytest.raises(SourceError, match="cannot decode"):
        Decoded.from_bytes(b"# -*- coding: nope -*-\nx = 1\n")
    decoded = Decoded.from_bytes(codecs.BOM_UTF8 + b"x = 1\n")
    assert (decoded.text, decoded.bom) == ("x = 1\n", True)
    latin = Decoded.from_bytes("# coding: latin-1\nx = 'é'\n".encode("latin-1"))
    with pytest.raises(SourceError, match="cannot be written in iso-8859-1"):
        latin.encode("x = '€'\n")


@pytest.mark.parametrize("source", [
    "update_execution_metrics(n, 'SUC\\x43ESS')\n",      # escaped: not a plain literal
    "update_execution_metrics(n, 'UNKNOWN')\n",          # no replacement configured
    "x = LifecycleState('SUCCESS', 1)\n",                # not E("NAME")
    "x = LifecycleState[NAME]\n",                        # not a constant
    "class LifecycleState:\n    SUCCESS = 1\n",          # a definition: never fixed
    "def f(plugin):\n    plugin.run(1)\n",                # GOV001: no fix exists
    "class ToolRunner:\n    def r(self, plugin):\n        try:\n            plugin.run(1)\n"
    "        except Exception:\n            pass\n",      # no metrics call to move
    "class ToolRunner:\n    def r(self, plugin):\n        try:\n            plugin.run(1)\n"
    "            update_execution_metrics(1, 'RUNNING')\n            x = 1\n"
    "        except Exception:\n            pass\n",      # the call is not the last statement
])
def test_fixer_leaves_what_it_cannot_fix(source: str) -> None:
    assert fix_text(source, DEFAULT_CONFIG, unsafe=True) == source


def test_fixer_unsafe_keeps_handler_with_only_the_copy() -> None:
    source = ("class ToolRunner:\n    def r(self, plugin):\n        try:\n            plugin.run(1)\n"
              "            update_execution_metrics(1, 'RUNNING')\n"
              "        except Exception:\n            update_execution_metrics(1, 'RUNNING')\n")
    assert fix_text(source, DEFAULT_CONFIG, unsafe=True) == (
        "class ToolRunner:\n    def r(self, plugin):\n        try:\n            plugin.run(1)\n"
        "        except Exception:\n            pass\n"
        "        finally:\n            update_execution_metrics(1, 'RUNNING')\n")


def test_fixer_reports_unparsable_source() -> None:
    with pytest.raises(SourceError, match="cannot parse"):
        fix_text("def f(:\n", DEFAULT_CONFIG)


@pytest.mark.parametrize("pattern, literal", [
    ("plugin", "plugin"), ("*_plugin", "_plugin"), ("[ab]x?", "x"), ("get_[!x]lugin", "lugin"),
    ("a[]b]cd", "cd"), ("unclosed[ab", "unclosed[ab"), ("*", ""), ("x*yy?zzz", "zzz"),
])
def test_pattern_literals_are_real_substrings(pattern: str, literal: str) -> None:
    assert NameMatcher([pattern]).literals == (literal,)


@pytest.mark.parametrize("pattern, name", [
    ("[ab]x?", "axz"), ("get_[!x]lugin", "get_plugin"), ("a[]b]cd", "a]cd"),
    ("unclosed[ab", "unclosed[ab"), ("x*yy?zzz", "x__yy_zzz"),
])
def test_prefilter_keeps_glob_matches(pattern: str, name: str) -> None:
    matcher = NameMatcher([pattern])
    assert matcher(name)
    assert all(literal in name for literal in matcher.literals)


def test_unsafe_fix_moves_an_aliased_metrics_call() -> None:
    source = ("from app.registry import update_execution_metrics as record\n\n\n"
              "class ToolRunner:\n    def r(self, plugin):\n        try:\n            plugin.run(1)\n"
              "            record(1, 'RUNNING')\n        except Exception:\n            pass\n")
    assert fix_text(source, DEFAULT_CONFIG, unsafe=True).endswith(
        "        try:\n            plugin.run(1)\n        except Exception:\n            pass\n"
        "        finally:\n            record(1, 'RUNNING')\n")


def test_unsafe_fix_moves_a_metrics_method_call() -> None:
    source = ("class ToolRunner:\n    async def r(self, plugin):\n        try:\n"
              "            await plugin.run(1)\n"
              "            await self.registry.update_execution_metrics(1, 'RUNNING')\n"
              "        except Exception:\n            pass\n")
    assert fix_text(source, DEFAULT_CONFIG, unsafe=True) == (
        "class ToolRunner:\n    async def r(self, plugin):\n        try:\n"
        "            await plugin.run(1)\n        except Exception:\n            pass\n"
        "        finally:\n            await self.registry.update_execution_metrics(1, 'RUNNING')\n")
    not_metrics = source.replace("self.registry.update_execution_metrics", "self.registry.log")
    assert fix_text(not_metrics, DEFAULT_CONFIG, unsafe=True) == not_metrics


def test_a_hook_on_an_unwalked_leaf_is_refused() -> None:
    """The walk skips expression contexts and operators: a rule hooking one would never
    run, so building the model with such a hook fails loudly instead."""
    import ast

    from flake8_execgov.model.semantic import Dispatch

    with pytest.raises(ValueError, match="no hook can ask for Eq, Load"):
        Dispatch({ast.Load: [lambda model, node: None], ast.Eq: [], ast.Name: []})


def test_line_index_words_and_lines() -> None:
    from flake8_execgov.source.lines import LineIndex

    index = LineIndex(["run = 1\n", "rerun(run_x, run)\n"])
    found = [(index.line_of(at), index.is_word_at(at, "run")) for at in index.offsets("run")]
    assert found == [(1, True), (2, False), (2, False), (2, True)]


def test_left_out_matches_findings_by_position_not_value() -> None:
    """What the baseline leaves out is matched by the objects themselves: ``Finding``
    compares by value, so an equal finding kept elsewhere does not hide this one."""
    first, equal, other = (Finding(1, 0, "GOV004", "m"), Finding(1, 0, "GOV004", "m"),
                           Finding(2, 0, "GOV004", "m"))
    assert first == equal and first is not equal
    every = [first, equal, other]
    assert _left_out(every, [first, other]) == [equal]
    assert _left_out(every, [equal])[0] is first and _left_out(every, [equal])[1] is other
    assert _left_out(every, every) == [] and _left_out(every, []) == every


@pytest.mark.skipif(sys.version_info < (3, 10), reason="match needs Python 3.10")
def test_imports_in_functions_are_found_in_every_block_but_nested_scopes() -> None:
    """A function's imports, in its ``try``/``else``/``finally``/handler blocks and its
    ``match`` cases (source.statements.blocks), not in a function nested in it."""
    from flake8_execgov.project.imports import live_imports

    source = ("def f(x):\n    match x:\n        case 1:\n            from app.h import run\n"
              "    try:\n        import a\n    except E:\n        from b import c\n"
              "    else:\n        import d\n    finally:\n        import e\n"
              "    def g():\n        import nested\n")
    imports, _ = live_imports(ast.parse(source), source.splitlines(keepends=True))
    assert sorted(i.local for i in imports) == ["a", "c", "d", "e", "run"]


_BYTES = st.binary(max_size=30).map(lambda b: bytes(b"ab_1 .\t\n(\xc3\xa9"[c % 11] for c in b))


@given(data=_BYTES, word=_BYTES.filter(bool))
def test_word_starts_is_what_a_word_bounded_pattern_matches(data: bytes, word: bytes) -> None:
    """The project's search for a helper's uses finds a name as ``\\bname\\b`` would, without
    compiling a pattern per name."""
    import re

    from flake8_execgov.project.files import word_starts

    want = [m.start() for m in re.finditer(rb"\b" + re.escape(word) + rb"\b", data)]
    assert list(word_starts(data, word)) == want


@given(text=st.text(alphabet="ab\n\r x", max_size=40),
       word=st.text(alphabet="ab x", min_size=1, max_size=3))
def test_lines_with_a_word_or_a_match_are_every_line_holding_one(text: str, word: str) -> None:
    """The per-definition prefilter's hot lines: each line holding the word (or where a
    pattern can match), once, in order, as a search per occurrence would find them."""
    import re

    from flake8_execgov.source.lines import LineIndex, source_lines

    index = LineIndex(source_lines(text), text)
    occurrences = [at for at in range(len(text)) if text.startswith(word, at)]
    assert list(index.lines_with(word)) == sorted({index.line_of(at) for at in occurrences})
    pattern = re.compile(re.escape(word) + "+")
    assert list(index.lines_matching(pattern)) == sorted(
        {index.line_of(at) for at in occurrences})


@given(text=st.text(alphabet="ab\n\r\x0c\x1c x", max_size=40))
def test_a_line_of_bytes_is_a_line_of_text(text: str) -> None:
    """One definition of a line: the byte offsets :func:`line_starts` gives are where
    :func:`source_lines`' lines start (``\\n``, ``\\r\\n``, ``\\r``; not a form feed)."""
    from itertools import accumulate

    from flake8_execgov.source.lines import line_starts, source_lines

    lines = source_lines(text)
    assert line_starts(text.encode()) == list(accumulate(map(len, lines), initial=0))
