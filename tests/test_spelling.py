"""No spelling evades the rules: Python NFKC-normalises identifiers (``ｐlugin`` *is*
``plugin`` to the interpreter and to ``ast``), so the prefilter decides on the normalised
text, through flake8, ``execgov check`` and the fixer alike."""

from __future__ import annotations


import pytest

from conftest import Execgov, Flake8Dir, linear_enough
from flake8_execgov.config.prefilter import Prefilter

# Each line spelled with compatibility characters: fullwidth and mathematical letters.
EVASIONS = [
    ("\uff50lugin.run(p)\n", [(1, 1, "GOV001")]),  # ｐlugin.run
    ("\U0001d42e\U0001d429date_execution_metrics(n, 'SUCCESS')\n", [(1, 29, "GOV004")]),
    ("@router.\uff47et('/jobs')\ndef jobs():\n    return []\n", [(2, 1, "GOV201")]),
    ("x = LifecycleState.SUCCESS  # \u00e9\n", [(1, 5, "GOV005")]),  # non-ASCII, no change
]


@pytest.mark.parametrize("source, expected", EVASIONS, ids=["plugin", "metrics", "route", "accent"])
def test_compatibility_spellings_are_found(flake8_dir: Flake8Dir, execgov_cli: Execgov,
                                           source: str, expected: list[tuple[int, int, str]]
                                           ) -> None:
    assert flake8_dir.lint(source).findings == expected
    execgov_cli.path = flake8_dir.path
    gate = execgov_cli("check", "example.py")
    assert gate.exit_code == 1
    assert [tuple(int(p) if p.isdigit() else p for p in line.split(":")[1:3])
            + (line.split(": ")[1].split()[0],) for line in gate.out.decode().splitlines()
            ] == expected


def test_a_normalised_file_is_walked_whole(flake8_dir: Flake8Dir) -> None:
    """Offsets of the normalised text are not the file's: the per-definition prefilter
    stands down, and a definition naming a plugin only in compatibility letters counts."""
    source = ("def unrelated():\n    return 1\n\n\n"
              "def leak(p):\n    return \uff50lugin.run(p)  # \u00e9\n")
    assert flake8_dir.lint(source).findings == [(6, 12, "GOV001")]


def test_the_fix_follows_a_compatibility_spelling(flake8_dir: Flake8Dir,
                                                  execgov_cli: Execgov) -> None:
    flake8_dir.write("a.py", "\U0001d42e\U0001d429date_execution_metrics(n, 'SUCCESS')\n")
    execgov_cli.path = flake8_dir.path
    assert execgov_cli("fix", "a.py").exit_code == 1
    assert (flake8_dir.path / "a.py").read_text(encoding="utf-8") == \
        "\U0001d42e\U0001d429date_execution_metrics(n, 'INITIALIZED')\n"


@pytest.mark.untraced  # times the code, not the tracer
def test_building_the_prefilter_is_linear_in_names() -> None:
    """Every word was compared with every shorter one: 40,000 configured names took 19 s.
    Now each word's substrings are looked up: eight times the names cost about eight
    times the time (a sort: a little more), where comparing every pair cost 64 (against
    runaway only)."""
    def build(count: int) -> None:
        pre = Prefilter([f"name_{i:05d}_plugin_like" for i in range(count)] + ["plugin"])
        assert pre.literals == ("plugin",)

    small, large = linear_enough(build, 1_250)
    assert large < 24 * small + 0.05, (small, large)
    distinct = Prefilter([f"n{i:05d}" for i in range(10_000)])
    assert len(distinct.literals) == 10_000
