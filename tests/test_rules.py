"""Every rule through flake8 itself: each fixture states its findings in comments."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import pytest

from conftest import CASE_FILES, Flake8Dir

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(r"#.*expect: ((?:GOV\d{3}:\d+ ?)+)")
# A fixture that needs a setting says so in a comment line: ``# flake8 args: --opt=value``.
ARGS = re.compile(r"^# flake8 args: (.*)$", re.M)


def expected_findings(path: Path) -> list[tuple[int, int, str]]:
    """``(line, col, code)`` from ``# expect: CODE:col ...`` comments (tokenized, not grepped)."""
    found = []
    with path.open(encoding="utf-8") as handle:
        for tok in tokenize.generate_tokens(handle.readline):
            if tok.type == tokenize.COMMENT:
                match = EXPECT.search(tok.string)
                if match:
                    for item in match.group(1).split():
                        code, col = item.split(":")
                        found.append((tok.start[0], int(col), code))
    return sorted(found)


@pytest.mark.parametrize("case", [p.name for p in CASE_FILES])
def test_case_file(flake8_dir: Flake8Dir, case: str) -> None:
    source = (CASES / case).read_text(encoding="utf-8")
    target = flake8_dir.path / case
    target.write_text(source, encoding="utf-8")
    args = [arg for line in ARGS.findall(source) for arg in line.split()]
    result = flake8_dir.run(case, *args)
    assert result.err == ""
    assert sorted(result.findings) == expected_findings(CASES / case)


def test_expectations_are_parsed() -> None:
    """The fixture comments really carry expectations (a test that cannot silently pass)."""
    total = sum(len(expected_findings(p)) for p in CASE_FILES)
    assert total >= 90
