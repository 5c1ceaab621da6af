"""The language server (``execgov lsp``): findings as you type, fixes as code actions.

The protocol side (:mod:`.server`, :mod:`.convert`) needs the ``lsp`` extra (pygls,
lsprotocol: ``pip install flake8-execgov[lsp]``); what it serves (:mod:`.analysis`,
:mod:`.text`, :mod:`.noqa`, :mod:`.configs`) needs only the plugin.
"""
