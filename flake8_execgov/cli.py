"""The ``execgov`` command: ``fix``, ``rules``, ``explain``, ``check-config``.

Exit codes: 0 clean, 1 findings or changes, 2 usage or configuration error.
Configuration is flake8's own (same files, same options, same selection), read through
flake8's option machinery so that the fixer and the linter never disagree.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import NoReturn, Optional, Sequence, TextIO

from . import __version__
from .fixer import Decoded, Reported, SourceError, fix_text
from .model import Finding
from .options import OPTIONS, Config, ConfigError
from .text import source_lines
from .ruledocs import RULES, RULES_BY_CODE, explain


class UsageError(Exception):
    """Exit 2 with this one line."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv[:1] == ["check"]:  # flake8's own command line: handed over whole
            from .gate import check

            return check(argv[1:])
        args = _parser().parse_args(argv)
        result: int = args.handler(args, sys.stdout)
        sys.stdout.flush()
        return result
    except (UsageError, ConfigError) as exc:
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
        "fix", help="apply fixes (safe ones unless --unsafe-fixes)", epilog=EPILOG,
        description="Apply the fixes of what flake8 would report, keeping comments, layout, "
                    "encoding and line endings. Files with nothing to fix are not rewritten.")
    fix.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                     help="files or directories (default: .); - reads stdin, writes stdout")
    fix.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    fix.add_argument("--check", action="store_true", help="exit 1 if anything would change")
    fix.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    fix.add_argument("--stdin-filename", default="stdin", metavar="NAME",
                     help="the path of the file read from stdin, for per-file-ignores")
    _config_arguments(fix)
    fix.set_defaults(handler=_fix)

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
        description="Report unknown execgov-* keys and invalid values; print the effective "
                    "settings.")
    _config_arguments(check)
    check.set_defaults(handler=_check_config)
    return parser


def _config_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="the flake8 config file to use instead of discovering one")
    parser.add_argument("--isolated", action="store_true", help="ignore config files")


# -- configuration: flake8's own --------------------------------------------------------


class Settings:
    """flake8's parsed options plus what the fixer needs to decide like flake8 does."""

    def __init__(self, args: argparse.Namespace, stdin_name: str = "stdin") -> None:
        from flake8.options.parse_args import parse_args
        from flake8.style_guide import StyleGuideManager

        from .plugin import ExecGovChecker

        argv = ["--stdin-display-name", stdin_name]
        if args.config:
            argv += ["--config", args.config]
        if args.isolated:
            argv.append("--isolated")
        ExecGovChecker.program = "execgov: error"  # the plugin's config errors are ours here
        try:
            _, self.options = parse_args(argv)
        except SystemExit as exc:  # our plugin already printed the one-line reason
            raise _Exit(2) from exc
        except Exception as exc:  # flake8's own config errors (missing file, bad code)
            raise UsageError(str(exc).splitlines()[0]) from None
        finally:
            ExecGovChecker.program = "flake8"
        self.config: Config = ExecGovChecker.config
        self.guides = StyleGuideManager(self.options, formatter=None)

    def reported(self, filename: str, text: str) -> Reported:
        """Would flake8 report this finding in ``filename``? (selection, per-file, noqa)"""
        from flake8.processor import FileProcessor
        from flake8.style_guide import Decision
        from flake8.violation import Violation

        guide = self.guides.style_guide_for(filename)
        processor: list[FileProcessor] = []

        def decide(found: Finding) -> bool:
            if guide.should_report_error(found.code) is not Decision.Selected:
                return False
            if not processor:
                processor.append(FileProcessor(filename, self.options,
                                               lines=source_lines(text)))
            noqa_line = processor[0].noqa_line_for(found.line)
            violation = Violation(found.code, filename, found.line, found.col, found.message,
                                  noqa_line)
            return not violation.is_inline_ignored(self.options.disable_noqa)

        return decide

    def files(self, paths: Sequence[str]) -> list[str]:
        from flake8.discover_files import expand_paths

        return list(expand_paths(paths=paths, stdin_display_name=self.options.stdin_display_name,
                                 filename_patterns=self.options.filename,
                                 exclude=self.options.exclude + self.options.extend_exclude))


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


# -- fix -------------------------------------------------------------------------------------


def _fix(args: argparse.Namespace, out: TextIO) -> int:
    try:
        settings = Settings(args, args.stdin_filename)
    except _Exit as exc:
        return exc.code
    if args.paths == ["-"]:
        return _fix_stdin(args, settings, out)
    if "-" in args.paths:
        raise UsageError("'-' (stdin) cannot be combined with paths")
    for path in args.paths:
        if not os.path.exists(path):
            raise UsageError(f"no such file or directory: {path}")
    changed = failed = 0
    for filename in settings.files(args.paths):
        notes: list[str] = []
        try:
            data = Path(filename).read_bytes()
            decoded = Decoded.from_bytes(data)
            fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                             reported=settings.reported(filename, decoded.text), notes=notes)
            new_data = decoded.encode(fixed)
        except (SourceError, OSError) as exc:
            sys.stderr.write(f"{filename}: skipped: {exc}\n")
            failed += 1
            continue
        except Exception as exc:  # pragma: no cover - a bug must not stop the other files
            sys.stderr.write(f"{filename}: skipped: internal error: {exc!r}\n")
            failed += 1
            continue
        finally:
            sys.stderr.writelines(f"{filename}:{note}\n" for note in notes)
        if fixed == decoded.text:
            continue
        if args.diff:
            out.writelines(_diff(decoded.text, fixed, filename))
        elif args.check:
            out.write(f"{filename}: would fix\n")
        else:
            try:
                _write_atomic(Path(filename).resolve(), new_data)  # through symlinks
            except OSError as exc:
                sys.stderr.write(f"{filename}: skipped: cannot write: {exc}\n")
                failed += 1
                continue
            out.write(f"{filename}: fixed\n")
        changed += 1
    return 1 if changed or failed else 0


def _fix_stdin(args: argparse.Namespace, settings: Settings, out: TextIO) -> int:
    """Format-on-save: whatever goes wrong, the editor gets its buffer back unchanged."""
    data = sys.stdin.buffer.read()
    name = args.stdin_filename
    notes: list[str] = []
    try:
        decoded = Decoded.from_bytes(data)
        fixed = fix_text(decoded.text, settings.config, unsafe=args.unsafe_fixes,
                         reported=settings.reported(name, decoded.text), notes=notes)
        new_data = decoded.encode(fixed)
    except Exception as exc:  # noqa: BLE001 - any failure: echo the input, say why
        reason = exc if isinstance(exc, SourceError) else f"internal error: {exc!r}"
        sys.stderr.write(f"{name}: skipped: {reason}\n")
        if not args.diff and not args.check:
            sys.stdout.buffer.write(data)  # format-on-save must never lose the buffer
        return 1
    finally:
        sys.stderr.writelines(f"{name}:{note}\n" for note in notes)
    if args.diff:
        out.writelines(_diff(decoded.text, fixed, args.stdin_filename))
    elif not args.check:
        out.flush()
        sys.stdout.buffer.write(new_data)
    return 1 if fixed != decoded.text else 0


def _diff(old: str, new: str, filename: str) -> list[str]:
    lines = list(difflib.unified_diff(source_lines(old), source_lines(new),
                                      f"a/{filename}", f"b/{filename}"))
    return [line if line.endswith("\n") else line + "\n" for line in lines]


def _write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over (keeping the mode)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


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
    try:
        settings = Settings(args)
    except _Exit as exc:
        return exc.code
    raw = settings.config.raw
    for spec in OPTIONS:
        value = raw[spec.name]
        shown = ", ".join(value) if isinstance(value, tuple) else str(value)
        out.write(f"{spec.key} = {shown}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
