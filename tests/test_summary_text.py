"""A summary's walk of a module-level function skips the statements whose lines write no
name it asks about (:mod:`flake8_execgov.project.written`): the same summary as the walk of
every node, on the texts where a line or a name could be misread."""

from __future__ import annotations

import ast

import pytest

from flake8_execgov.project.summary import summarize
from flake8_execgov.project.written import lines_of

SOURCE = '''import helpers
from lib import run as go


def outer(fn, *, cb=None, data=None):
    x = 1

    @helpers.register
    def inner():
        return 2
    (fn)(x)
    (
        cb  # a comment between the name and its call
        (1)
    )
    value = data
    if x:
        for i in range(3):
            pass
    else:
        return go(x)
    y = [
        helpers.make,
    ]
    try:
        pass
    finally:
        z = fn \\
            (2)
    return helpers.other()


def quiet(fn):
    fn = 1
    return fn


def caller():
    outer(print)
'''


def test_the_walk_skips_nothing_it_is_asked_about() -> None:
    data = SOURCE.encode()
    summary = summarize(ast.parse(data), data)
    assert summary["functions"] == {
        "outer": ["go", "helpers", "helpers.make", "helpers.other", "helpers.register"],
        "quiet": [], "caller": ["outer"]}
    assert summary["param_calls"] == {"outer": ["0:fn", ":cb"]}
    assert summary["returns"] == {"outer": ["go", "helpers.other"], "quiet": [], "caller": []}
    assert summary == summarize(ast.parse(data))


@pytest.mark.parametrize("text", [
    SOURCE.replace("\n", "\r\n"),  # the parser's lines (source.lines.line_starts)
    SOURCE.replace("\n", "\r"),  # a lone "\r" breaks a line too
    SOURCE.replace("# a comment", "# é"),  # not ASCII: walked whole
    SOURCE.replace("helpers.make", "ｈelpers.make"),  # a name the parser normalises
])
def test_every_text_gets_the_summary_of_the_whole_walk(text: str) -> None:
    data = text.encode()
    assert summarize(ast.parse(data), data) == summarize(ast.parse(data))


def test_only_texts_whose_lines_are_the_parsers_are_read() -> None:
    assert lines_of(SOURCE.encode(), ()) is not None
    assert lines_of(SOURCE.replace("\n", "\r").encode(), ()) is not None
    assert lines_of("# é\n".encode(), ()) is None
    assert lines_of(None, ()) is None
