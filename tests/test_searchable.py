"""The prefilter's text as the parser reads it: normalising only the pieces that are not
ASCII gives the text normalised whole (the fast path equals the slow one)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from flake8_execgov.config.prefilter import searchable

# Characters whose normal form depends on their neighbours or differs from themselves:
# combining marks (they compose with the starter before them, and are reordered), Hangul
# jamo (composed into syllables), compatibility characters (fullwidth, ligatures, the
# no-break space, the ellipsis), and the line breaks the fast path splits at.
_TRICKY = "e\u0301\u0327\u0344\u1100\u1161\u11a8\uff50\ufb01\u00a0\u2026\u1e9b\u00c5\u212b" \
          "\n\r\t lugin"


@pytest.mark.untraced
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_TRICKY, max_size=40))
def test_short_texts_normalised_in_pieces_are_normalised_whole(text: str) -> None:
    assert searchable(text) == unicodedata.normalize("NFKC", text)


@given(st.text(max_size=60))
def test_any_text_normalised_as_the_parser_reads_it(text: str) -> None:
    assert searchable(text) == unicodedata.normalize("NFKC", text)


# long ASCII runs (with and without line feeds) between tricky pieces: the pieces fall
# at and across the edges of the chunks the fast path tests for ASCII
_LONG = st.lists(st.one_of(
    st.text(alphabet=_TRICKY, max_size=12),
    st.integers(1, 1500).map(lambda n: "a" * n),
    st.integers(1, 1500).map(lambda n: ("ab\n" * n)[:n])), max_size=12).map("".join)


@pytest.mark.untraced
@settings(max_examples=100, deadline=None)
@given(_LONG)
def test_long_texts_normalised_in_pieces_are_normalised_whole(text: str) -> None:
    assert searchable(text) == unicodedata.normalize("NFKC", text)


def test_combining_mark_after_a_line_feed_stays_on_its_line() -> None:
    text = "x = 1\n\u0301e\ncaf\u00e9 = \uff50lugin\n"
    assert searchable(text) == unicodedata.normalize("NFKC", text)
    assert "plugin" in searchable(text)


def test_a_text_normalising_leaves_as_it_is_is_returned_itself() -> None:
    """Callers test ``seen is text`` before comparing: an unchanged text is not copied."""
    text = "# caf\u00e9\nx = 1\n"
    assert searchable(text) is text
    ascii_text = "x = 1\n"
    assert searchable(ascii_text) is ascii_text
