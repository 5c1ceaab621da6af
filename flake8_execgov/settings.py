"""flake8's configuration, read through flake8's own option machinery, for the commands.

``execgov fix`` and ``execgov baseline`` decide like flake8 does: the same files, the same
options, the same selection and ``per-file-ignores``, the same ``# noqa``.
"""

from __future__ import annotations

import argparse
from typing import Sequence

from .model import Finding, Reported
from .options import Config
from .text import source_lines


class UsageError(Exception):
    """Exit 2 with this one line."""


class Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class Settings:
    """flake8's parsed options plus what the fixer needs to decide like flake8 does."""

    def __init__(self, args: argparse.Namespace, stdin_name: str = "stdin",
                 apply_baseline: bool = True) -> None:
        from flake8.options.parse_args import parse_args
        from flake8.style_guide import StyleGuideManager

        from .plugin import ExecGovChecker

        argv = ["--stdin-display-name", stdin_name]
        if args.config:
            argv += ["--config", args.config]
        if args.isolated:
            argv.append("--isolated")
        ExecGovChecker.program = "execgov: error"  # the plugin's config errors are ours here
        ExecGovChecker.apply_baseline = apply_baseline
        try:
            _, self.options = parse_args(argv)
        except SystemExit as exc:  # our plugin already printed the one-line reason
            raise Exit(2) from exc
        except Exception as exc:  # flake8's own config errors (missing file, bad code)
            raise UsageError(str(exc).splitlines()[0]) from None
        finally:
            ExecGovChecker.program = "flake8"
            ExecGovChecker.apply_baseline = True
        self.config: Config = ExecGovChecker.config
        self.guides = StyleGuideManager(self.options, formatter=None)

    def selected(self, filename: str) -> Reported:
        """Is this finding selected in ``filename``? (selection and per-file-ignores)"""
        from flake8.style_guide import Decision

        guide = self.guides.style_guide_for(filename)
        return lambda found: guide.should_report_error(found.code) is Decision.Selected

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
