"""Results in the protocol's types: diagnostics, ranges, code actions, workspace edits."""

from __future__ import annotations

from typing import Optional, Union

from lsprotocol import types as lsp

from .analysis import Fix, Linted, message
from .text import Document, Edit, Point

FIX_ALL = "source.fixAll.execgov"
SOURCE = "execgov"


def to_range(document: Document, start: Point, stop: Point) -> lsp.Range:
    return lsp.Range(lsp.Position(*document.to_client(start)),
                     lsp.Position(*document.to_client(stop)))


def diagnostic(linted: Linted, index: int, rules_url: str) -> lsp.Diagnostic:
    """Finding ``index`` as a diagnostic: its expression's range, its code linked to the
    rule's page (``rules_url#gov004``), its message without the code."""
    found = linted.findings[index]
    return lsp.Diagnostic(
        range=to_range(linted.document, *linted.ranges[index]),
        message=message(found),
        severity=lsp.DiagnosticSeverity.Warning,
        code=found.code,
        code_description=lsp.CodeDescription(href=f"{rules_url}#{found.code.lower()}"),
        source=SOURCE)


def versioned_edits(capabilities: lsp.ClientCapabilities) -> bool:
    """Does the client take versioned document edits (``documentChanges``)?"""
    workspace = capabilities.workspace
    return workspace is not None and workspace.workspace_edit is not None \
        and bool(workspace.workspace_edit.document_changes)


def workspace_edit(document: Document, uri: str, version: Optional[int], edit: Edit,
                   versioned: bool) -> lsp.WorkspaceEdit:
    """One text edit of one document: versioned when the client takes document changes
    (it then refuses the edit of a buffer that changed since), else plain."""
    text_edit = lsp.TextEdit(to_range(document, edit.start, edit.end), edit.text)
    if versioned:
        return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            lsp.OptionalVersionedTextDocumentIdentifier(uri, version), [text_edit])])
    return lsp.WorkspaceEdit(changes={uri: [text_edit]})


def code_action(linted: Linted, uri: str, version: Optional[int], fix: Union[Fix, Edit],
                index: Optional[int], rules_url: str, versioned: bool) -> lsp.CodeAction:
    """A quick fix of finding ``index`` (``fix``: a :class:`Fix`), or "fix all" (an Edit)."""
    document = linted.document
    if isinstance(fix, Edit):
        return lsp.CodeAction("execgov: fix all (safe fixes)", kind=FIX_ALL,
                              edit=workspace_edit(document, uri, version, fix, versioned))
    assert index is not None
    return lsp.CodeAction(
        fix.title, kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(linted, index, rules_url)],
        is_preferred=fix.kind == "fix",
        edit=workspace_edit(document, uri, version, fix.edit, versioned))
