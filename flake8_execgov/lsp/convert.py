"""Results in the protocol's types: diagnostics, ranges, code actions, workspace edits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from lsprotocol import types as lsp

from .analysis import Linted, Offer, finding_key, message
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


def resolvable(capabilities: lsp.ClientCapabilities) -> bool:
    """Does the client resolve a code action's edit when it is chosen
    (``codeAction/resolve``)? Then the fixer runs only for the action taken."""
    document = capabilities.text_document
    code_action = document.code_action if document is not None else None
    support = code_action.resolve_support if code_action is not None else None
    return support is not None and "edit" in support.properties


def versioned_edits(capabilities: lsp.ClientCapabilities) -> bool:
    """Does the client take versioned document edits (``documentChanges``)?"""
    workspace = capabilities.workspace
    return workspace is not None and workspace.workspace_edit is not None \
        and bool(workspace.workspace_edit.document_changes)


@dataclass(frozen=True)
class Target:
    """The document the actions edit (at ``version``), the rules' page, and whether the
    client takes versioned edits (it then refuses an edit of a buffer that changed)."""

    uri: str
    version: Optional[int]
    rules_url: str
    versioned: bool

    def workspace_edit(self, document: Document, edit: Edit) -> lsp.WorkspaceEdit:
        text_edit = lsp.TextEdit(to_range(document, edit.start, edit.end), edit.text)
        if self.versioned:
            return lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
                lsp.OptionalVersionedTextDocumentIdentifier(self.uri, self.version),
                [text_edit])])
        return lsp.WorkspaceEdit(changes={self.uri: [text_edit]})

    def data(self, kind: str, finding: Optional[list[object]] = None) -> dict[str, object]:
        """What ``codeAction/resolve`` needs to compute the edit later."""
        data: dict[str, object] = {"uri": self.uri, "version": self.version, "kind": kind}
        if finding is not None:
            data["finding"] = finding
        return data


def quick_fix(linted: Linted, index: int, offer: Offer, edit: Optional[Edit],
              target: Target) -> lsp.CodeAction:
    """Finding ``index``'s ``offer``: its edit now, or (None) when resolved."""
    return lsp.CodeAction(
        offer.title, kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic(linted, index, target.rules_url)],
        is_preferred=offer.kind == "fix",
        edit=target.workspace_edit(linted.document, edit) if edit is not None else None,
        data=target.data(offer.kind, finding_key(linted.findings[index])))


def fix_all(linted: Linted, edit: Optional[Edit], target: Target) -> lsp.CodeAction:
    """"Fix all": its edit now, or (None) when resolved."""
    return lsp.CodeAction(
        "execgov: fix all (safe fixes)", kind=FIX_ALL,
        edit=target.workspace_edit(linted.document, edit) if edit is not None else None,
        data=target.data(FIX_ALL))
