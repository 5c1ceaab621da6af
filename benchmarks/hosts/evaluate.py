"""Recall and precision of flake8-execgov on real plugin hosts nobody configured it for.

The rules were written for one plugin server, whose names the defaults describe. This
script measures what an adopter gets elsewhere: for each host labelled in this folder it
downloads the host's sdist at a pinned version (into a cache outside the repository; no
third-party code is ever committed), writes the adopter configuration kept here as
``<host>.cfg`` next to the unpacked source, runs ``flake8 --select=GOV`` on the host's
package with that configuration only, and scores the findings against ``<host>.json``.

    python benchmarks/hosts/evaluate.py                     # every host: a table
    python benchmarks/hosts/evaluate.py --json              # the same, for machines
    python benchmarks/hosts/evaluate.py --host coverage --python /tmp/hosts-venv/bin/python

Scoring (``docs/evaluation.md`` explains the labels):

- an *expected* finding is a key ``path:line:code`` labelled ``true`` under ``findings``
  or listed under ``misses`` (an execution the plugin should report and did not when the
  labels were written);
- found = expected keys reported, missed = expected keys not reported. So a miss that a
  better plugin reports raises recall without relabelling, and a true finding that a
  regression loses lowers it;
- precision = true / (true + noise) over the labelled findings; a finding with no label
  is *unlabelled*: printed for a human to label, counted apart, never guessed.

Exit status 0 whatever the figures; 2 when a download, an unpacking or flake8 failed.
Standard library only: flake8 runs in a subprocess of ``--python``, the interpreter the
plugin is installed in.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CONFIG_NAME = "execgov-eval.cfg"  # written into the unpacked host, so relative paths in it work
FORMAT = "%(path)s:%(row)d:%(col)d:%(code)s:%(text)s"


class EvaluationError(Exception):
    """Something did not run (download, unpacking, flake8): no figures for that host."""


@dataclass
class Score:
    """One host's figures; `missed` and `unlabelled` are kept whole so they can be printed."""

    host: str
    version: str
    findings: int = 0
    true: int = 0
    noise: int = 0
    found: int = 0
    through_entry: int = 0  # executions found through the finding where their path enters
    unlabelled: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    missed_by_cause: Counter[str] = field(default_factory=Counter)
    noise_by_cause: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float | None:
        labelled = self.true + self.noise
        return self.true / labelled if labelled else None

    @property
    def recall(self) -> float | None:
        expected = self.found + len(self.missed)
        return self.found / expected if expected else None

    def add(self, other: Score) -> None:
        """Sum another host into this one (for the overall row)."""
        self.findings += other.findings
        self.true += other.true
        self.noise += other.noise
        self.found += other.found
        self.through_entry += other.through_entry
        self.unlabelled += [f"{other.host}: {line}" for line in other.unlabelled]
        self.missed += [f"{other.host}: {key}" for key in other.missed]
        self.missed_by_cause.update(other.missed_by_cause)
        self.noise_by_cause.update(other.noise_by_cause)

    def as_dict(self) -> dict[str, Any]:
        return {"host": self.host, "version": self.version, "findings": self.findings,
                "true": self.true, "noise": self.noise, "unlabelled": self.unlabelled,
                "found": self.found, "through_entry": self.through_entry, "missed": self.missed,
                "precision": self.precision, "recall": self.recall,
                "missed_by_cause": dict(sorted(self.missed_by_cause.items())),
                "noise_by_cause": dict(sorted(self.noise_by_cause.items()))}


def run(cmd: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output; the caller judges the exit status."""
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)


def fetch(meta: dict[str, Any], cache: Path, python: str) -> Path:
    """Return the unpacked sdist of the host, downloading and checking it on first use.

    The sdist, not a wheel: one file for every platform (coverage's wheels are per
    platform), so the line numbers in the labels hold everywhere. The sha256 pinned in the
    labels makes a re-released file an error instead of silently shifted labels.
    ``--ignore-requires-python``: the file is only read, never installed.
    """
    name, version = meta["package"], meta["version"]
    root = cache / f"{name}-{version}"
    if (root / meta["lint"]).is_dir():
        return root
    downloads = cache / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = find_archive(downloads, name, version)
    if archive is None:
        proc = run([python, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:",
                    "--ignore-requires-python", f"{name}=={version}", "--dest", str(downloads)])
        archive = find_archive(downloads, name, version)
        if proc.returncode != 0 or archive is None:
            raise EvaluationError(f"pip download {name}=={version} failed:\n{proc.stderr.strip()}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    if digest != meta["sha256"]:
        raise EvaluationError(f"{archive.name}: sha256 {digest}, labels pinned {meta['sha256']}")
    unpack(archive, root)
    if not (root / meta["lint"]).is_dir():
        raise EvaluationError(f"{archive.name} has no {meta['lint']}/")
    return root


def find_archive(folder: Path, name: str, version: str) -> Path | None:
    """The sdist pip left in `folder` (sdist names may spell `-` as `_`)."""
    stems = {f"{name}-{version}", f"{name.replace('-', '_')}-{version}"}
    for path in sorted(folder.iterdir()):
        for suffix in (".tar.gz", ".zip"):
            if path.name.endswith(suffix) and path.name[: -len(suffix)] in stems:
                return path
    return None


def unpack(archive: Path, root: Path) -> None:
    """Unpack the archive's single top folder as `root`, refusing paths that leave it."""
    staging = root.with_name(root.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                check_member(staging, info.filename)
            zf.extractall(staging)
    else:
        with tarfile.open(archive) as tf:
            members = [m for m in tf.getmembers() if m.isfile() or m.isdir()]
            for member in members:
                check_member(staging, member.name)
            if hasattr(tarfile, "data_filter"):  # Python >= 3.12 and the security backports
                tf.extractall(staging, members=members, filter="data")
            else:  # members checked above; links and devices dropped
                tf.extractall(staging, members=members)
    tops = list(staging.iterdir())
    if len(tops) != 1 or not tops[0].is_dir():
        raise EvaluationError(f"{archive.name}: expected one top-level folder")
    shutil.rmtree(root, ignore_errors=True)
    tops[0].rename(root)
    staging.rmdir()


def check_member(dest: Path, name: str) -> None:
    target = (dest / name).resolve()
    if dest.resolve() not in target.parents and target != dest.resolve():
        raise EvaluationError(f"archive member {name!r} would leave {dest}")


def lint(root: Path, meta: dict[str, Any], config: Path, python: str, jobs: int) -> list[str]:
    """Run flake8 on the host with the adopter configuration; return `path:line:col:code:text`.

    ``--config`` alone, not ``--isolated``: flake8's ``--isolated`` ignores ``--config``
    too, while ``--config`` already stops discovery of the host's own setup.cfg/tox.ini.
    The configuration is copied into the host's root so that ``per-file-ignores`` patterns
    with a ``/`` resolve against the host, as they would in a real adoption.
    """
    written = root / CONFIG_NAME
    shutil.copyfile(config, written)
    proc = run([python, "-m", "flake8", "--config", str(written), "--select=GOV",
                f"--jobs={jobs}", f"--format={FORMAT}", meta["lint"]], cwd=root)
    if proc.returncode not in (0, 1):
        raise EvaluationError(f"flake8 exited {proc.returncode} on {meta['package']}:\n"
                              f"{proc.stderr.strip()}")
    return [line.replace("\\", "/") for line in proc.stdout.splitlines() if line.strip()]


def score(host: str, meta: dict[str, Any], reported: list[str]) -> Score:
    """Match reported findings to the labels by `path:line:code`."""
    result = Score(host, meta["version"])
    labels: dict[str, dict[str, str]] = meta["findings"]
    misses: dict[str, dict[str, str]] = meta["misses"]
    expected = {key for key, label in labels.items() if label["label"] == "true"} | set(misses)
    seen: set[str] = set()
    for line in reported:
        path, row, _col, code, _text = line.split(":", 4)
        key = f"{path}:{row}:{code}"
        result.findings += 1
        if key in expected:
            result.true += 1
            seen.add(key)
        elif key in labels:  # labelled, not true: noise
            result.noise += 1
            result.noise_by_cause[labels[key].get("cause", "?")] += 1
        else:
            result.unlabelled.append(line)
    # An execution inside a helper that other modules import is reported where the
    # ungoverned path enters (the use of the helper): its label names that ``entry``.
    entries = {key: label.get("entry") for key, label in {**misses, **labels}.items()}
    reached = {key for key in expected - seen if entries.get(key) in seen}
    result.through_entry = len(reached)
    seen |= reached
    result.found = len(seen)
    for key in sorted(expected - seen):
        result.missed.append(key)
        result.missed_by_cause[misses.get(key, {}).get("cause", "lost-true-finding")] += 1
    return result


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(scores: list[Score], overall: Score) -> str:
    """The figures as a plain-text table, then what a human must look at."""
    head = ("host", "version", "findings", "true", "noise", "unlabelled", "found", "missed",
            "precision", "recall")
    rows = [head] + [(s.host, s.version, str(s.findings), str(s.true), str(s.noise),
                      str(len(s.unlabelled)), str(s.found), str(len(s.missed)),
                      fmt(s.precision), fmt(s.recall)) for s in [*scores, overall]]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(len(lines) - 1, "  ".join("-" * w for w in widths))
    for title, counts in (("missed by cause", overall.missed_by_cause),
                          ("noise by cause", overall.noise_by_cause)):
        if counts:
            lines += ["", f"{title}:"] + [f"  {n:3d}  {cause}" for cause, n in counts.most_common()]
    if overall.through_entry:
        lines += ["", f"found through the finding where their path enters: {overall.through_entry}"]
    if overall.unlabelled:
        lines += ["", "unlabelled findings (label them in <host>.json):"]
        lines += [f"  {line}" for line in overall.unlabelled]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    default_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "execgov-hosts"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=default_cache,
                        help=f"where sdists are downloaded and unpacked (default {default_cache})")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with flake8 and flake8-execgov installed (default: this one)")
    parser.add_argument("--host", action="append", help="only this host (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="flake8 --jobs (default 1: keep runs light)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--configs", type=Path, default=HERE,
                        help="folder of the <host>.cfg files (default: this one, the first-pass "
                        "configurations; second-pass/ holds the upper bounds)")
    args = parser.parse_args(argv)

    hosts = sorted(p.stem for p in HERE.glob("*.json"))
    for name in args.host or []:
        if name not in hosts:
            parser.error(f"unknown host {name!r} (labelled: {', '.join(hosts)})")
    scores: list[Score] = []
    failed = False
    for host in args.host or hosts:
        meta = json.loads((HERE / f"{host}.json").read_text(encoding="utf-8"))
        try:
            root = fetch(meta, args.cache.expanduser(), args.python)
            config = args.configs / f"{host}.cfg"
            if not config.is_file():
                config = HERE / f"{host}.cfg"  # no second pass for this host: its first
            reported = lint(root, meta, config, args.python, args.jobs)
        except EvaluationError as exc:
            print(f"{host}: {exc}", file=sys.stderr)
            failed = True
            continue
        scores.append(score(host, meta, reported))
    overall = Score("overall", "")
    for item in scores:
        overall.add(item)
    if args.json:
        print(json.dumps({"hosts": [s.as_dict() for s in scores], "overall": overall.as_dict()},
                         indent=2))
    else:
        print(table(scores, overall))
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
