"""flake8's configuration, read through flake8's own option machinery, for the commands.

``execgov fix`` and ``execgov baseline`` decide like flake8 does: the same files, the same
options, the same selection and ``per-file-ignores``, the same ``# noqa``.
"""

from __future__ import annotations

import argparse
import ast
import os
from typing import Any, Optional, Sequence

from .config.options import Config, ConfigError
from .model.records import Finding, Reported
from .plugin import settings_from_options
from .run import UNPLACED
from .project.index import Project
from .source.lines import source_lines


class UsageError(Exception):
    """Exit 2 with this one line."""


class Settings:
    """flake8's parsed options, and the plugin's settings built from them explicitly.

    The options are read as flake8 reads them (``flake8.options.parse_args``: config
    discovery, ``--config``, ``--isolated``, plugin options, aggregation), but without
    calling the plugins' ``parse_options`` hooks: the settings are built here and passed
    on, and a configuration error is raised to the command, which names itself.
    ``plugin.project`` is the project flake8 would place the files in (the same root and
    cache options): the commands analyse in it, as the checker does, so that a file's
    findings do not depend on which command reads it.
    """

    def __init__(self, args: argparse.Namespace, stdin_name: str = "stdin",
                 apply_baseline: bool = True) -> None:
        from flake8.style_guide import StyleGuideManager

        argv = ["--stdin-display-name", stdin_name]
        if args.config:
            argv += ["--config", args.config]
        if args.isolated:
            argv.append("--isolated")
        if getattr(args, "no_cache", False):  # as ``execgov check --no-cache``
            argv.append("--execgov-cache=false")
        self.argv = argv  # flake8's command line, as this command runs it
        try:
            manager, self.options = _parse_flake8_options(argv)
        except (ConfigError, SystemExit):
            raise
        except Exception as exc:  # flake8's own config errors (missing file, bad code)
            raise UsageError(str(exc).splitlines()[0]) from None
        self.plugin = settings_from_options(manager, self.options, apply_baseline, argv)
        self.config: Config = self.plugin.config
        self.guides = StyleGuideManager(self.options, formatter=None)

    def project_for(self, filename: str) -> Optional[Project]:
        """The project ``filename`` is analysed in; none for stdin without a name, which
        has no place in it (the checker analyses that on its own too)."""
        return None if filename in UNPLACED else self.plugin.project

    def selected(self, filename: str) -> Reported:
        """Is this finding selected in ``filename``? (selection and per-file-ignores)"""
        from flake8.style_guide import Decision

        guide = self.guides.style_guide_for(filename)
        return lambda found: guide.should_report_error(found.code) is Decision.Selected

    @classmethod
    def in_directory(cls, directory: str, apply_baseline: bool = True) -> "Settings":
        """The settings of flake8 run in ``directory``: the configuration it discovers
        from there (as the language server does for each document's folder)."""
        before = os.getcwd()
        os.chdir(directory)
        try:
            return cls(argparse.Namespace(config=None, isolated=False),
                       apply_baseline=apply_baseline)
        finally:
            os.chdir(before)

    def reported(self, filename: str, text: str,
                 tree: Optional[ast.Module] = None) -> Reported:
        """Would flake8 report this finding in ``filename``? (selection, per-file-ignores,
        ``# noqa``, and a file-level ``# flake8: noqa`` as flake8's ``should_ignore_file``)
        Given the module's ``tree``, only the statements holding findings are tokenized
        for their ``# noqa`` (the gate's processor), not the whole text."""
        from flake8.processor import FileProcessor
        from flake8.style_guide import Decision
        from flake8.violation import Violation

        from .gate.files import GateProcessor

        guide = self.guides.style_guide_for(filename)
        processor: list[FileProcessor] = []
        ignored: list[bool] = []

        def decide(found: Finding) -> bool:
            if guide.should_report_error(found.code) is not Decision.Selected:
                return False
            if not processor:
                lines = source_lines(text)
                if tree is None:
                    processor.append(FileProcessor(filename, self.options, lines=lines))
                else:
                    gate = GateProcessor(filename, self.options, lines=lines)
                    gate.tree = tree
                    processor.append(gate)
                ignored.append(processor[0].should_ignore_file())  # "# flake8: noqa"
            if ignored[0]:
                return False
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


def _parse_flake8_options(argv: Sequence[str]) -> tuple[Any, argparse.Namespace]:
    """flake8's ``parse_args`` up to the options (see :class:`Settings`)."""
    import flake8
    from flake8.main import options
    from flake8.options import aggregator, manager
    from flake8.plugins import finder

    prelim = options.stage1_arg_parser()
    args0, rest = prelim.parse_known_args(argv)
    from .config.pyproject import load_config

    cfg, cfg_dir = load_config(args0.config, args0.append_config or [],
                               isolated=args0.isolated)
    plugin_opts = finder.parse_plugin_options(
        cfg, cfg_dir, enable_extensions=args0.enable_extensions,
        require_plugins=args0.require_plugins)
    plugins = finder.load_plugins(finder.find_plugins(cfg, plugin_opts), plugin_opts)
    option_manager = manager.OptionManager(
        version=flake8.__version__, plugin_versions=plugins.versions_str(),
        parents=[prelim], formatter_names=list(plugins.reporters))
    options.register_default_options(option_manager)
    option_manager.register_plugins(plugins)
    return option_manager, aggregator.aggregate_options(option_manager, cfg, cfg_dir, rest)
