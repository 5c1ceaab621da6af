"""The ``execgov`` command: ``fix``, ``rules``, ``explain``, ``check-config``, ``init``, ``map``.

Exit codes: 0 clean, 1 findings or changes, 2 usage or configuration error.
Configuration is flake8's own (same files, same options, same selection), read through
flake8's option machinery so that the fixer and the linter never disagree.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import NoReturn, Optional, Sequence, TextIO

from .. import __version__
from ..baseline import BaselineError
from ..config.options import OPTIONS, ConfigError
from ..rules.docs import RULES, RULES_BY_CODE, explain
from ..settings import Settings, UsageError


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["check"]:  # flake8's own command line: handed over whole
            from ..gate.app import check

            return check(argv[1:])
        args = _parser().parse_args(argv)
        result: int = args.handler(args, sys.stdout)
        sys.stdout.flush()
        return result
    except (UsageError, ConfigError, BaselineError) as exc:
        sys.stderr.write(f"execgov: error: {exc}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (``execgov rules | head``): stop quietly, and keep Python
        # from failing again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (and exit 2), like every other execgov error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


DESCRIPTION = "flake8-execgov's command line: fix findings, document the rules, check the \
configuration. It reads the same [flake8] configuration as flake8."
EPILOG = "exit status: 0 clean, 1 findings or changes, 2 usage or configuration error"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="execgov", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"execgov {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                metavar="COMMAND")

    sub.add_parser(
        "check", add_help=False,
        help="the governance rules alone, fast: what flake8 --select=GOV reports "
             "(takes flake8's options; --format=github|sarif|json)")
    fix = sub.add_parser(
        "fix", help="apply fixes (safe ones unless --unsafe-fixes)",
        description="Apply the fixes of what flake8 would report, keeping comments, layout, "
                    "encoding and line endings. Files with nothing to fix are not rewritten; "
                    "findings the baseline accepts are not fixed.",
        epilog="exit status: 0 nothing to change, 1 changed (or would, with --check/--diff) "
               "or files skipped, 2 usage or configuration error. With - (stdin): 0 the "
               "printed buffer is the result, 1 not fixed (the input is printed unchanged, "
               "stderr says why), 2 usage or configuration error (the input is printed "
               "unchanged)")
    fix.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                     help="files or directories (default: .); - reads stdin, writes stdout")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix.add_argument("--check", action="store_true", help="exit 1 if anything would change")
    fix.add_argument("--unsafe-fixes", action="store_true",
                     help="also apply unsafe fixes; say why a finding is not fixed")
    fix.add_argument("--include-baselined", action="store_true",
                     help="also fix the findings the baseline accepts (left alone by default)")
    fix.add_argument("--stdin-filename", default="stdin", metavar="NAME",
                     help="the path of the file read from stdin, for per-file-ignores")
    _config_arguments(fix, cache=True)
    fix.set_defaults(handler=_fix)

    base = sub.add_parser(
        "baseline", help="record today's findings so that only new ones fail", epilog=EPILOG,
        description="Write the baseline file: every finding the configuration reports now, "
                    "by fingerprint (path, code, enclosing scope, normalised source) and count. "
                    "--check lists entries no longer found (exit 1); --update drops them.")
    base.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                      help="files or directories (default: .)")
    base.add_argument("--file", metavar="FILE",
                      help="the baseline file (default: execgov-baseline from the "
                           "configuration, else .execgov-baseline.json)")
    mode = base.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="exit 1 when recorded findings are no longer found (stale)")
    mode.add_argument("--update", action="store_true",
                      help="drop stale entries; never adds one")
    _config_arguments(base, cache=True)
    base.set_defaults(handler=_baseline)

    rules = sub.add_parser("rules", help="list the rules", description="List the rules.")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(handler=_rules)

    exp = sub.add_parser("explain", help="document one rule",
                         description="What a rule finds, why, an example and its fix.")
    exp.add_argument("code", metavar="CODE", help="a rule code, e.g. GOV004")
    exp.add_argument("--format", choices=("text", "json"), default="text")
    exp.set_defaults(handler=_explain)

    check = sub.add_parser(
        "check-config", help="validate the configuration, show the settings", epilog=EPILOG,
        description="Report unknown execgov-* keys and invalid values (naming the file and "
                    "the option); print the files read and the effective settings.")
    _config_arguments(check)
    check.set_defaults(handler=_check_config)

    init = sub.add_parser(
        "init", help="read the project, propose its [flake8] configuration", epilog=EPILOG,
        description="Read the project statically (its code is never imported) and print a "
                    "[flake8] section with every execgov-* option it can infer, each value "
                    "followed by its evidence; then the execution map's summary.")
    init.add_argument("path", nargs="?", default=".", metavar="PATH",
                      help="the project's folder (default: .)")
    init.add_argument("--write", action="store_true",
                      help="add the proposal to the project's flake8 configuration file, "
                           "never overwriting an option it sets (differences are printed)")
    init.set_defaults(handler=_init)

    emap = sub.add_parser(
        "map", help="the execution map: plugin types, execution sites, what governs them",
        epilog=EPILOG,
        description="Every place the project executes plugin code, under the configuration "
                    "execgov init proposes, and whether a runner governs it.")
    emap.add_argument("path", nargs="?", default=".", metavar="PATH",
                      help="the project's folder (default: .)")
    emap.add_argument("--format", choices=("text", "mermaid"), default="text")
    emap.add_argument("--html", metavar="FILE", help="also write the map as one HTML page")
    emap.set_defaults(handler=_map)

    lsp = sub.add_parser(
        "lsp", help="the language server, over stdio (needs flake8-execgov[lsp])",
        description="Serve diagnostics, fixes, noqa and rule pages to an editor over stdio "
                    "(see docs/lsp.md). Each file gets the flake8 configuration found from its "
                    "folder.")
    lsp.add_argument("--rules-url", default="docs/rules.md", metavar="URL",
                     help="the rules page linked from each code, with #gov004 appended "
                          "(default: docs/rules.md)")
    lsp.add_argument("--debounce", type=int, default=100, metavar="MS",
                     help="after a lint, wait this long for more edits (default: 100)")
    lsp.set_defaults(handler=_lsp)
    return parser


def _config_arguments(parser: argparse.ArgumentParser, cache: bool = False) -> None:
    """flake8's configuration options; with ``cache``, also the project cache's switch
    (a command that analyses files does so in the project, as ``execgov check`` does)."""
    parser.add_argument("--config", metavar="FILE",
                        help="the flake8 config file to use instead of discovering one")
    parser.add_argument("--isolated", action="store_true", help="ignore config files")
    if cache:
        parser.add_argument("--no-cache", action="store_true",
                            help="do not read or write the project's summary cache "
                                 "(as execgov-cache = false)")


# -- configuration: flake8's own --------------------------------------------------------


# -- rules / explain / check-config -------------------------------------------------------


def _rules(args: argparse.Namespace, out: TextIO) -> int:
    if args.format == "json":
        json.dump([{"code": r.code, "title": r.title, "message": r.message, "where": r.where,
                    "fix": r.fix} for r in RULES], out, indent=2)
        out.write("\n")
    else:
        for rule in RULES:
            out.write(f"{rule.code}  {rule.title:<55} fix: {rule.fix}\n")
    return 0


def _explain(args: argparse.Namespace, out: TextIO) -> int:
    code = args.code.upper()
    rule = RULES_BY_CODE.get(code)
    if rule is None:
        raise UsageError(f"unknown rule {args.code!r}; see 'execgov rules'")
    if args.format == "json":
        json.dump({"code": rule.code, "title": rule.title, "message": rule.message,
                   "where": rule.where, "what": rule.what, "why": rule.why,
                   "example": rule.example, "fixed": rule.fixed,
                   "options": [f"execgov-{o}" for o in rule.options],
                   "fix": rule.fix, "fix_note": rule.fix_note}, out, indent=2)
        out.write("\n")
    else:
        out.write(explain(code))
    return 0


def _check_config(args: argparse.Namespace, out: TextIO) -> int:
    """The files read (a comment line, so that the output stays a valid ``[flake8]``
    body), then each option's effective value (``extend-`` twins merged in)."""
    from ..config.sources import described

    settings = Settings(args)
    out.write(f"# configuration read: {described(settings.argv)}\n")
    raw = settings.config.raw
    for spec in OPTIONS:
        value = raw[spec.name]
        shown = ", ".join(value) if isinstance(value, tuple) else str(value)
        out.write(f"{spec.key} = {shown}\n")
    return 0


def _baseline(args: argparse.Namespace, out: TextIO) -> int:
    from .baseline import run_baseline

    return run_baseline(args, out)


def _lsp(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from ..lsp import server
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in ("pygls", "lsprotocol"):
            raise
        raise UsageError("the language server needs pygls: "
                         "pip install flake8-execgov[lsp]") from None
    return server.serve(args)


def _init(args: argparse.Namespace, out: TextIO) -> int:
    from .init import run_init

    return run_init(args, out)


def _map(args: argparse.Namespace, out: TextIO) -> int:
    from .init import run_map

    return run_map(args, out)


def _fix(args: argparse.Namespace, out: TextIO) -> int:
    from .fix import run_fix  # libcst: imported by the fixer only

    return run_fix(args, out)
