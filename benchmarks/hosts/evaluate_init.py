"""The configuration ``execgov init`` writes, unedited, scored like the hand-written ones.

For every host labelled in this folder (``<host>.json``; hosts added later are picked up),
this script fetches the host as ``evaluate.py`` does, runs ``execgov init`` on the unpacked
project, lints the host with exactly what it printed (``flake8 --config <that file>
--select=GOV``, as ``evaluate.py`` lints with ``<host>.cfg``), and scores both
configurations with ``evaluate.py``'s own scoring, side by side:

    python benchmarks/hosts/evaluate_init.py                 # the table
    python benchmarks/hosts/evaluate_init.py --json          # the same, for machines
    python benchmarks/hosts/evaluate_init.py --host coverage --show-config

``evaluate.py`` is imported, not changed: fetching, linting and scoring are its. Besides
its columns, ``at-governed`` counts findings at an execution the hand-written
configuration governs (``governed`` in the labels): they are unlabelled for the scoring,
and say where ``init`` chose no runner (or another one) than the hand-written path.
Exit status 0 whatever the figures; 2 when something did not run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import evaluate  # noqa: E402  (this folder's script, imported as a module)


def init_config(root: Path, python: str) -> str:
    """What ``execgov init`` prints for the host (its exit status must be 0)."""
    proc = subprocess.run([python, "-m", "flake8_execgov.cli", "init", "."], cwd=root,
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise evaluate.EvaluationError(f"execgov init exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout


def at_governed(meta: dict[str, Any], reported: list[str]) -> int:
    """Findings at a governed execution; ``governed`` keys are ``path:line`` or, in the
    newer label files, ``path:line:code`` (the findings' own key)."""
    governed = set(meta.get("governed", {}))
    count = 0
    for line in reported:
        path, row, _col, code, _text = line.split(":", 4)
        count += f"{path}:{row}" in governed or f"{path}:{row}:{code}" in governed
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=evaluate.Path.home() / ".cache" / "execgov-hosts")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--host", action="append")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show-config", action="store_true", help="print what init proposed")
    parser.add_argument("--show-unlabelled", action="store_true")
    args = parser.parse_args(argv)
    hosts = sorted(p.stem for p in HERE.glob("*.json"))
    rows: list[dict[str, Any]] = []
    totals = {"init": evaluate.Score("overall", ""), "hand": evaluate.Score("overall", "")}
    failed = False
    for host in args.host or hosts:
        meta = json.loads((HERE / f"{host}.json").read_text(encoding="utf-8"))
        try:
            root = evaluate.fetch(meta, args.cache.expanduser(), args.python)
            proposed = init_config(root, args.python)
            with tempfile.TemporaryDirectory() as tmp:
                written = Path(tmp) / "execgov-init.cfg"
                written.write_text(proposed, encoding="utf-8")
                init_reported = evaluate.lint(root, meta, written, args.python, args.jobs)
            hand_reported = evaluate.lint(root, meta, HERE / f"{host}.cfg", args.python, args.jobs)
        except evaluate.EvaluationError as exc:
            print(f"{host}: {exc}", file=sys.stderr)
            failed = True
            continue
        if args.show_config:
            print(f"== {host}: execgov init\n{proposed}")
        init, hand = evaluate.score(host, meta, init_reported), evaluate.score(host, meta, hand_reported)
        totals["init"].add(init)
        totals["hand"].add(hand)
        rows.append({"host": host, "version": meta["version"], "init": init.as_dict(),
                     "hand": hand.as_dict(), "init_at_governed": at_governed(meta, init_reported),
                     "hand_at_governed": at_governed(meta, hand_reported)})
        if args.show_unlabelled:
            for line in init.unlabelled:
                print(f"{host}: unlabelled: {line}")
    overall = {"init": totals["init"].as_dict(), "hand": totals["hand"].as_dict()}
    if args.json:
        print(json.dumps({"hosts": rows, "overall": overall}, indent=2))
    else:
        print(table(rows, overall))
    return 2 if failed else 0


def table(rows: list[dict[str, Any]], overall: dict[str, Any]) -> str:
    head = ("host", "config", "findings", "true", "noise", "unlabelled", "at-governed",
            "found", "missed", "precision", "recall")
    out = [head]
    for row in [*rows, {"host": "overall", "version": "", **overall}]:
        for which in ("init", "hand"):
            s = row[which]
            out.append((row["host"] if which == "init" else "", which, str(s["findings"]),
                        str(s["true"]), str(s["noise"]), str(len(s["unlabelled"])),
                        str(row.get(f"{which}_at_governed", "")), str(s["found"]),
                        str(len(s["missed"])), evaluate.fmt(s["precision"]),
                        evaluate.fmt(s["recall"])))
    widths = [max(len(r[i]) for r in out) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in out)


if __name__ == "__main__":
    sys.exit(main())
