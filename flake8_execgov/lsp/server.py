"""``execgov lsp``: the language server, over stdio (pygls).

Diagnostics for each open buffer as it is -- on open, on save, and on change after a
short quiet time (``--debounce``: a change right after a lint waits for it, so that
a burst of edits is linted once; a change after a pause is linted at once) -- and cleared
on close. Code actions: each finding's fix (preferred when safe, marked when unsafe), its
``# noqa``, and ``source.fixAll.execgov``; hover: a rule's page. What the findings and
fixes are is :mod:`.analysis`'s; this module speaks the protocol.

A fix runs the fixer (libcst parses the whole buffer: a second or more on a large module),
so a client that resolves code actions gets the fixes listed at once and their edits when
one is chosen (``codeAction/resolve``); editors ask for code actions at every cursor move.

The client sends the whole text on each change (full synchronisation): pygls applies
ranged changes with ``str.splitlines``, which breaks lines where the protocol does not
(form feeds and other separators), so the server would drift from the editor's buffer.

A broken configuration is one ``window/showMessage`` (per configuration and error) and
no diagnostics for its files; a buffer that does not parse keeps its last diagnostics.
No request or notification raises: an internal error is logged to the client.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import sys
from typing import Any, Optional
from urllib.parse import urlparse

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from .. import __version__
from ..rules.docs import explain
from .analysis import Linted, lint
from .configs import Configs
from .convert import (FIX_ALL, Target, diagnostic, fix_all, quick_fix, resolvable, to_range,
                      versioned_edits)
from .noqa import code_at
from .text import Document

DEFAULT_RULES_URL = "docs/rules.md"
DEFAULT_DEBOUNCE = 0.1
PARSE_ERRORS = (SyntaxError, ValueError, RecursionError, MemoryError)
log = logging.getLogger(__name__)


class ExecgovServer:
    """The server's state: open buffers' last results, pending lints, settings."""

    def __init__(self, rules_url: str = DEFAULT_RULES_URL,
                 debounce: float = DEFAULT_DEBOUNCE) -> None:
        self.rules_url = rules_url
        self.debounce = debounce
        self.configs = Configs()
        self.linted: dict[str, Linted] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.finished: dict[str, float] = {}
        self.shown: set[tuple[str, str]] = set()
        self.ls = LanguageServer("execgov", __version__,
                                 text_document_sync_kind=lsp.TextDocumentSyncKind.Full)
        features: list[tuple[str, Any, Any]] = [
            (lsp.INITIALIZE, self.initialize, None),
            (lsp.TEXT_DOCUMENT_DID_OPEN, self.did_open, None),
            (lsp.TEXT_DOCUMENT_DID_CHANGE, self.did_change, None),
            (lsp.TEXT_DOCUMENT_DID_SAVE, self.did_save, None),
            (lsp.TEXT_DOCUMENT_DID_CLOSE, self.did_close, None),
            (lsp.SHUTDOWN, self.shutdown, None),
            (lsp.TEXT_DOCUMENT_HOVER, self.hover, None),
            (lsp.TEXT_DOCUMENT_CODE_ACTION, self.code_action, lsp.CodeActionOptions(
                code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL],
                resolve_provider=True)),
            (lsp.CODE_ACTION_RESOLVE, self.resolve, None),
        ]
        for name, handler, options in features:  # a partial: pygls marks its handlers
            self.ls.feature(name, options)(functools.partial(handler))

    # -- lifecycle and synchronisation ---------------------------------------------------

    def initialize(self, params: lsp.InitializeParams) -> None:
        roots = [folder.uri for folder in params.workspace_folders or ()]
        if not roots and params.root_uri:
            roots.append(params.root_uri)
        self.configs = Configs([path for path in map(file_path, roots) if path])

    def did_open(self, params: lsp.DidOpenTextDocumentParams) -> None:
        self.lint(params.text_document.uri, refresh=True)

    def did_change(self, params: lsp.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        loop = asyncio.get_running_loop()
        self.cancel(uri)
        recent = loop.time() - self.finished.get(uri, float("-inf")) < self.debounce
        self.timers[uri] = loop.call_later(self.debounce if recent else 0, self.lint, uri)

    def did_save(self, params: lsp.DidSaveTextDocumentParams) -> None:
        """A saved module can change what other modules' imports are (docs/project.md):
        the projects forget what they read, and every open document is linted again."""
        self.configs.refresh_projects()
        saved = params.text_document.uri
        for uri in [saved, *(uri for uri in self.linted if uri != saved)]:
            self.linted.pop(uri, None)  # same text, maybe other facts: analysed again
            self.lint(uri, refresh=True)

    def did_close(self, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        self.cancel(uri)
        self.linted.pop(uri, None)
        self.finished.pop(uri, None)
        self.publish(uri, [], None)

    def shutdown(self, params: None) -> None:
        for uri in list(self.timers):
            self.cancel(uri)

    def cancel(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()

    # -- diagnostics ----------------------------------------------------------------------

    def lint(self, uri: str, refresh: bool = False) -> Optional[Linted]:
        """Lint the open buffer ``uri`` and publish; its result (None: nothing new)."""
        self.cancel(uri)
        try:
            return self._lint(uri, refresh)
        except Exception as exc:  # noqa: BLE001 - a bug must not take the server down
            log.exception("linting %s failed", uri)
            self.ls.window_log_message(lsp.LogMessageParams(
                lsp.MessageType.Error, f"execgov: internal error on {uri}: {exc!r}"))
            return None
        finally:
            self.finished[uri] = asyncio.get_running_loop().time()

    def _lint(self, uri: str, refresh: bool) -> Optional[Linted]:
        if uri not in self.ls.workspace.text_documents:
            return None
        document = self.ls.workspace.get_text_document(uri)
        path = file_path(uri)
        directory, settings = self.configs.lookup(path, refresh)
        if isinstance(settings, str):
            if (directory, settings) not in self.shown:
                self.shown.add((directory, settings))
                self.ls.window_show_message(lsp.ShowMessageParams(
                    lsp.MessageType.Error, f"execgov: {settings}"))
            self.linted.pop(uri, None)
            self.publish(uri, [], document.version)
            return None
        text = document.source
        linted = self.linted.get(uri)
        if linted is None or linted.document.text != text or linted.settings is not settings:
            try:
                linted = lint(text, path or "stdin", settings, self.encoding)
            except PARSE_ERRORS:
                return None  # keeps the diagnostics of the last text that parsed
            self.linted[uri] = linted
        self.publish(uri, [diagnostic(linted, i, self.rules_url)
                           for i in range(len(linted.findings))], document.version)
        return linted

    def publish(self, uri: str, diagnostics: list[lsp.Diagnostic],
                version: Optional[int]) -> None:
        self.ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri, diagnostics, version))

    @property
    def encoding(self) -> str:
        kind = self.ls.workspace.position_encoding
        return str(getattr(kind, "value", kind) or "utf-16")

    def current(self, uri: str) -> Optional[Linted]:
        """The result for the buffer as it is now (linted now if it changed), or None."""
        if uri not in self.ls.workspace.text_documents:
            return None
        linted = self.linted.get(uri)
        if linted is not None and linted.document.text == \
                self.ls.workspace.get_text_document(uri).source:
            return linted
        return self.lint(uri)

    # -- code actions and hover -------------------------------------------------------------

    def code_action(self, params: lsp.CodeActionParams) -> Optional[list[lsp.CodeAction]]:
        """The quick fixes of the findings in the range (or among the diagnostics the
        client sends), and fix-all. The fixer runs when an action is resolved, if the
        client resolves actions; else now. Fix-all asked for by kind is computed now."""
        uri = params.text_document.uri
        linted = self.current(uri)
        if linted is None:
            return None
        only = params.context.only
        asked = [str(getattr(kind, "value", kind)) for kind in only or ()]

        def wanted(kind: str) -> bool:
            return only is None or any(kind == k or kind.startswith(k + ".") for k in asked)

        document, target = linted.document, self.target(uri)
        lazy = resolvable(self.ls.client_capabilities)
        start = document.from_client(params.range.start.line, params.range.start.character)
        stop = document.from_client(params.range.end.line, params.range.end.character)
        chosen = set(linted.at(start, stop)) | {
            i for i in range(len(linted.findings)) for given in params.context.diagnostics
            if given.code == linted.findings[i].code
            and given.range == to_range(document, *linted.ranges[i])}
        offers = [(index, offer) for index in sorted(chosen) for offer in linted.offers(index)]
        actions = []
        if wanted(lsp.CodeActionKind.QuickFix.value):
            for index, offer in offers:
                later = lazy and offer.kind != "noqa"  # a # noqa costs nothing: now
                edit = None if later else linted.edit(index, offer.kind)
                if later or edit is not None:
                    actions.append(quick_fix(linted, index, offer, edit, target))
        if only is not None and wanted(FIX_ALL):
            edit = linted.fix_all()
            if edit is not None:
                actions.append(fix_all(linted, edit, target))
        elif only is None and lazy and any(offer.kind == "fix" for _, offer in offers):
            actions.append(fix_all(linted, None, target))
        return actions

    def resolve(self, action: lsp.CodeAction) -> lsp.CodeAction:
        """The edit of an action listed without one, for the buffer as it was listed: a
        buffer that changed since gets none (a stale edit would break it)."""
        data = action.data if isinstance(action.data, dict) else {}
        uri = data.get("uri")
        if not isinstance(uri, str) or uri not in self.ls.workspace.text_documents:
            return action
        target, linted = self.target(uri), self.current(uri)
        if linted is None or data.get("version") != target.version:
            return action
        if data.get("kind") == FIX_ALL:
            edit = linted.fix_all()
        else:
            index = linted.index_of(data.get("finding"))
            edit = None if index is None else linted.edit(index, str(data.get("kind")))
        if edit is not None:
            action.edit = target.workspace_edit(linted.document, edit)
        return action

    def target(self, uri: str) -> Target:
        return Target(uri, self.ls.workspace.get_text_document(uri).version, self.rules_url,
                      versioned_edits(self.ls.client_capabilities))

    def hover(self, params: lsp.HoverParams) -> Optional[lsp.Hover]:
        uri = params.text_document.uri
        if uri not in self.ls.workspace.text_documents:
            return None
        linted = self.current(uri)
        document = linted.document if linted is not None else Document(
            self.ls.workspace.get_text_document(uri).source, self.encoding)
        point = document.from_client(params.position.line, params.position.character)
        named = code_at(document, point)
        if named is not None:
            code, start, stop = named
        elif linted is not None and linted.at(point, point):
            index = linted.at(point, point)[0]
            code, (start, stop) = linted.findings[index].code, linted.ranges[index]
        else:
            return None
        return lsp.Hover(lsp.MarkupContent(lsp.MarkupKind.Markdown, explain(code)),
                         to_range(document, start, stop))


def serve(args: argparse.Namespace) -> int:
    """Serve over stdio until the client says exit. The protocol owns stdout: anything
    else printed goes to stderr (the client's log)."""
    server = ExecgovServer(args.rules_url, args.debounce / 1000)
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    server.ls.start_io(sys.stdin.buffer, protocol_out)
    return 0


def file_path(uri: str) -> Optional[str]:
    """The local path of a ``file:`` URI; None for any other (an unsaved buffer)."""
    from pygls.uris import to_fs_path

    return to_fs_path(uri) if urlparse(uri).scheme == "file" else None
