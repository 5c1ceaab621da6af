"""Rule documentation (one source, tested examples, fresh rendering) and the execgov CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import execgov, ROOT, Flake8Dir
from flake8_execgov.rules.docs import RULES, render_readme, rules_page
from flake8_execgov.rules.base import Rule


def test_every_code_is_documented() -> None:
    codes = [r.code for r in RULES]
    assert codes == sorted(set(codes)) and all(re.fullmatch(r"GOV\d{3}", c) for c in codes)


EXAMPLES = [(rule, kind, index, source) for rule in RULES
            for kind, sources in (("invalid", (rule.example, *rule.invalid)),
                                  ("valid", (rule.fixed, *rule.valid)))
            for index, source in enumerate(sources)]


@pytest.mark.parametrize("rule, kind, index, source", EXAMPLES,
                         ids=[f"{r.code}-{kind}-{i}" for r, kind, i, _ in EXAMPLES])
def test_rule_examples(flake8_dir: Flake8Dir, rule: Rule, kind: str, index: int,
                       source: str) -> None:
    """Fixit-style, from the rule units: every invalid example yields exactly the rule's
    code, every valid one none of it (the documented fixed example: nothing at all)."""
    codes = {code for _, _, code in flake8_dir.lint(source).findings}
    if kind == "invalid":
        assert codes == {rule.code}
    elif index == 0:
        assert codes == set()
    else:
        assert rule.code not in codes


def test_rendered_docs_are_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render_readme(readme) == readme, "run: python -m flake8_execgov.rules.docs --write"
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_page()


def test_rules_and_explain(tmp_path: Path) -> None:
    text = execgov("rules", cwd=tmp_path)
    assert text.returncode == 0 and text.stdout.decode().count("GOV") == len(RULES)
    data = json.loads(execgov("rules", "--format", "json", cwd=tmp_path).stdout)
    assert [r["code"] for r in data] == [r.code for r in RULES]
    page = execgov("explain", "gov004", cwd=tmp_path).stdout.decode()
    for heading in ("What it does", "Why is this bad", "Example", "Use instead", "Options",
                    "Fix safety"):
        assert f"### {heading}" in page
    one = json.loads(execgov("explain", "GOV002", "--format", "json", cwd=tmp_path).stdout)
    assert one["fix"] == "unsafe" and "execgov-metrics-functions" in one["options"]
    bad = execgov("explain", "GOV999", cwd=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.decode() == "execgov: error: unknown rule 'GOV999'; see 'execgov rules'\n"


def test_usage_error_exits_2(tmp_path: Path) -> None:
    for args in (["nonsense"], ["fix", "--bogus"], []):
        result = execgov(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert len(result.stderr.decode().splitlines()) == 1, result.stderr
    missing = execgov("fix", "nope.py", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.decode() == "execgov: error: no such file or directory: nope.py\n"


def test_check_config(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-runner-classes = A, B*\n")
    result = execgov("check-config", cwd=tmp_path)
    assert result.returncode == 0
    assert "execgov-runner-classes = A, B*\n" in result.stdout.decode()
    assert "execgov-run-methods = run\n" in result.stdout.decode()
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-runner-clases = A\n")
    bad = execgov("check-config", cwd=tmp_path)
    assert bad.returncode == 2
    assert "unknown option 'execgov-runner-clases'" in bad.stderr.decode()
    assert len(bad.stderr.decode().splitlines()) == 1
    (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-metrics-state-position = -1\n")
    assert execgov("check-config", cwd=tmp_path).returncode == 2


def test_fix_config_options(tmp_path: Path) -> None:
    (tmp_path / "custom.cfg").write_text(
        "[flake8]\nexecgov-state-replacements = SUCCESS:RUNNING\n")
    (tmp_path / "a.py").write_text("update_execution_metrics(n, 'SUCCESS')\n")
    assert execgov("fix", "--config", "custom.cfg", "a.py", cwd=tmp_path).returncode == 1
    assert (tmp_path / "a.py").read_text() == "update_execution_metrics(n, 'RUNNING')\n"
    missing = execgov("fix", "--config", "missing.cfg", "a.py", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.decode() == \
        "execgov: error: The specified config file does not exist: missing.cfg\n"
    mixed = execgov("fix", "-", "a.py", cwd=tmp_path)
    assert mixed.returncode == 2
    assert mixed.stderr.decode() == "execgov: error: '-' (stdin) cannot be combined with paths\n"
    diff = execgov("fix", "--diff", "-", cwd=tmp_path, stdin=b"update_execution_metrics(n, 'ERROR')\n")
    assert diff.returncode == 1 and b"+update_execution_metrics(n, 'FAILED')" in diff.stdout
    check = execgov("fix", "--check", "-", cwd=tmp_path, stdin=b"x = 1\n")
    assert (check.returncode, check.stdout) == (0, b"")
