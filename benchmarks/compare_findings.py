"""Print every finding of a tree of files, for comparing two versions of the plugin.

    python benchmarks/compare_findings.py tests/cases reference_runtime examples > before.txt
    (change the code)
    python benchmarks/compare_findings.py tests/cases reference_runtime examples > after.txt
    cmp before.txt after.txt

With ``--stdlib`` the running interpreter's standard library is added. Every file is
walked (no prefilter) with the default configuration and with the widest one (every
pattern ``*``-like), and each finding is printed with its fix, so that a refactoring that
must keep findings byte-identical can be checked exactly; a file where the prefilters
(whole file, each module-level definition) change the findings is printed as
``PREFILTER-MISMATCH``.
"""

from __future__ import annotations

import argparse
import ast
import sys
import sysconfig
from pathlib import Path

from flake8_execgov.config.options import DEFAULT_CONFIG, build_config
from flake8_execgov.engine import analyse
from flake8_execgov.fix.plan import replacement
from flake8_execgov.source.lines import char_col, source_lines

WIDE = build_config({"execgov-plugin-names": "*", "execgov-runner-functions": "*run*",
                     "execgov-runner-classes": "*Runner", "execgov-lifecycle-enums": "*",
                     "execgov-plugin-collections": "*s", "execgov-metrics-functions": "*metric*"})


def files(roots: list[Path]) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        found += [root] if root.is_file() else sorted(root.rglob("*.py"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--stdlib", action="store_true", help="add the standard library")
    args = parser.parse_args()
    roots = list(args.paths)
    if args.stdlib:
        roots.append(Path(sysconfig.get_paths()["stdlib"]))
    out = sys.stdout
    for path in files(roots):
        try:
            text = path.read_bytes().decode("utf-8")
            tree = ast.parse(text)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError, MemoryError):
            continue
        lines = source_lines(text)
        for name, config in (("default", DEFAULT_CONFIG), ("wide", WIDE)):
            found = analyse(tree, lines, config, prefiltered=False)
            for f in found:
                fix = replacement(f, config)  # what a state fix would write, and if unsafe why
                out.write(f"{name} {path}:{f.line}:{char_col(lines, f.line, f.col) + 1}: "
                          f"{f.message} fix={fix} unsafe={f.unsafe if fix else None}\n")
            if analyse(tree, lines, config) != found:  # the prefilters never lose one
                out.write(f"PREFILTER-MISMATCH {name} {path}\n")


if __name__ == "__main__":
    main()
