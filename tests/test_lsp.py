"""``execgov lsp`` end to end: pytest-lsp starts the real server over stdio and talks to
it as VS Code does (its recorded capabilities: UTF-16 positions, versioned edits). The
fixes it offers are applied as a client applies them and compared with ``execgov fix``
on the same text. One server for the module (each test has its own project folder)."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path
from typing import Any, Optional

import pytest

if sys.version_info < (3, 10):
    pytest.skip("pytest-lsp (the language server's tests) needs Python 3.10 or newer",
                allow_module_level=True)
pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types as lsp  # noqa: E402
from pygls.protocol import default_converter  # noqa: E402
import pytest_lsp  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities  # noqa: E402
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features  # noqa: E402

from conftest import Execgov  # noqa: E402
from flake8_execgov.rules.docs import explain  # noqa: E402

RULES_URL = "https://example.invalid/docs/rules.md"
pytestmark = pytest.mark.asyncio(loop_scope="module")

SERVICE = '''\
"""A service with findings."""
from app.registry import update_execution_metrics


class ToolRunner:
    def run(self, name, payload):
        plugin = self.plugins[name]
        try:
            result = validate_plugin_output(plugin.run(validate_input_payload(payload)))
            update_execution_metrics(name, "RUNNING", 1, False)
        except Exception as exc:
            return build_error_envelope(exc)
        return result


def helper(plugins, name):
    label = "\U0001F600"; return plugins[name].run(label)


def record(name):
    update_execution_metrics(name, "SUCCESS", 1, False)
'''


def make_client() -> LanguageClient:
    """pytest-lsp's client, keeping every diagnostics notification with its version."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def published(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES,
                                   lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: published})
    return client


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lsp")


SERVER = [sys.executable, "-m", "flake8_execgov.cli", "lsp", "--rules-url", RULES_URL,
          "--debounce", "30"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER, client_factory=make_client),
                    scope="module")
async def client(lsp_client: LanguageClient, projects: Path) -> Any:
    await lsp_client.initialize_session(lsp.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[lsp.WorkspaceFolder(projects.as_uri(), "projects")]))
    yield
    await lsp_client.shutdown_session()


def project(projects: Path, name: str, config: str = "[flake8]\nextend-select = GOV\n",
            **files: str) -> Path:
    folder = projects / name
    folder.mkdir()
    (folder / "setup.cfg").write_text(config, encoding="utf-8")
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder


async def published(client: LanguageClient, uri: str, version: int,
                    seen: int = 0) -> list[lsp.Diagnostic]:
    """The diagnostics published for ``uri`` at ``version`` (waits for them)."""
    for _ in range(3000):
        for params in client.published[seen:]:  # type: ignore[attr-defined]
            if params.uri == uri and params.version == version:
                return list(params.diagnostics)
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for {uri} version {version}")


async def open_document(client: LanguageClient, path: Path, text: str) -> list[lsp.Diagnostic]:
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(path.as_uri(), "python", 1, text)))
    return await published(client, path.as_uri(), 1)


async def change(client: LanguageClient, path: Path, version: int, text: str) -> None:
    client.text_document_did_change(lsp.DidChangeTextDocumentParams(
        lsp.VersionedTextDocumentIdentifier(version, path.as_uri()),
        [lsp.TextDocumentContentChangeWholeDocument(text)]))


def summary(diagnostics: list[lsp.Diagnostic]) -> list[tuple[Any, ...]]:
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line,
             d.range.end.character) for d in diagnostics]


def apply(text: str, edit: Optional[lsp.WorkspaceEdit]) -> str:
    """What a client does with a workspace edit of one document (UTF-16 positions)."""
    assert edit is not None and edit.document_changes is not None
    (change,) = edit.document_changes
    assert isinstance(change, lsp.TextDocumentEdit)
    import io

    lines = io.StringIO(text, newline="").readlines()

    def offset(position: lsp.Position) -> int:
        line = lines[position.line] if position.line < len(lines) else ""
        units = chars = 0
        while units < position.character:
            units += 2 if ord(line[chars]) > 0xFFFF else 1
            chars += 1
        return sum(map(len, lines[:position.line])) + chars

    for item in sorted(change.edits, key=lambda e: offset(e.range.start), reverse=True):
        assert isinstance(item, lsp.TextEdit)
        text = text[:offset(item.range.start)] + item.new_text + text[offset(item.range.end):]
    return text


async def actions(client: LanguageClient, path: Path, line: int, character: int,
                  only: Optional[list[str]] = None) -> list[lsp.CodeAction]:
    point = lsp.Position(line, character)
    found = await client.text_document_code_action_async(lsp.CodeActionParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.Range(point, point),
        lsp.CodeActionContext([], only=only)))
    return [a for a in found or [] if isinstance(a, lsp.CodeAction)]


async def resolve(client: LanguageClient, action: lsp.CodeAction) -> lsp.CodeAction:
    return await client.code_action_resolve_async(action)


def execgov_fix(folder: Path, path: Path, text: str, *args: str,
                monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    result = Execgov(folder, monkeypatch, capsys)(
        "fix", *args, "-", "--stdin-filename", str(path), stdin=text.encode())
    return result.out.decode()


async def test_diagnostics_follow_the_buffer(client: LanguageClient, projects: Path) -> None:
    folder = project(projects, "follow")
    path = folder / "svc.py"
    diagnostics = await open_document(client, path, SERVICE)
    assert summary(diagnostics) == [
        ("GOV002", 8, 44, 8, 54),  # plugin.run
        ("GOV001", 16, 25, 16, 42),  # after an emoji: two UTF-16 units
        ("GOV004", 20, 35, 20, 44),  # "SUCCESS"
    ]
    first = diagnostics[2]
    assert first.source == "execgov"
    assert first.severity == lsp.DiagnosticSeverity.Warning
    assert first.code_description == lsp.CodeDescription(f"{RULES_URL}#gov004")
    assert first.message.startswith("state 'SUCCESS' reaching update_execution_metrics()")

    seen = len(client.published)  # type: ignore[attr-defined]
    await change(client, path, 2, SERVICE.replace('"SUCCESS"', '"FAILED"'))
    diagnostics = await published(client, path.as_uri(), 2, seen)
    assert [d.code for d in diagnostics] == ["GOV002", "GOV001"]

    # a buffer that does not parse keeps what the last one that did reported
    await change(client, path, 3, SERVICE + "def broken(:\n")
    await asyncio.sleep(0.2)  # past the debounce: version 3 is linted, and fails to parse
    hover = await client.text_document_hover_async(lsp.HoverParams(
        lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(20, 40)))
    assert hover is None  # the server is alive; no finding of a text that does not parse
    await change(client, path, 4, SERVICE)
    diagnostics = await published(client, path.as_uri(), 4, seen)
    assert [d.code for d in diagnostics] == ["GOV002", "GOV001", "GOV004"]
    assert not [p for p in client.published[seen:]  # type: ignore[attr-defined]
                if p.uri == path.as_uri() and p.version == 3]

    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        lsp.TextDocumentIdentifier(path.as_uri())))
    for _ in range(500):
        if not client.diagnostics[path.as_uri()]:
            break
        await asyncio.sleep(0.01)
    assert list(client.diagnostics[path.as_uri()]) == []


async def test_quick_fixes_write_what_execgov_fix_writes(
        client: LanguageClient, projects: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = project(projects, "fixes")
    path = folder / "svc.py"
    await open_document(client, path, SERVICE)

    found = await actions(client, path, 20, 38)
    assert [(a.title, a.kind, a.is_preferred, a.edit is None) for a in found] == [
        ("GOV004: replace SUCCESS with INITIALIZED", "quickfix", True, True),
        ("Disable GOV004 for this line", "quickfix", False, False),  # no fixer: no wait
        ("execgov: fix all (safe fixes)", "source.fixAll.execgov", None, True),
    ]  # the client resolves the fixes' edits (codeAction/resolve) when one is chosen
    safe = apply(SERVICE, (await resolve(client, found[0])).edit)
    assert safe == execgov_fix(folder, path, SERVICE, monkeypatch=monkeypatch, capsys=capsys)
    assert apply(SERVICE, (await resolve(client, found[2])).edit) == safe

    (unsafe, disable) = await actions(client, path, 8, 50, only=["quickfix"])
    assert unsafe.title == "GOV002: move the metrics call into the finally (unsafe fix)"
    assert not unsafe.is_preferred
    await change(client, path, 2, safe)
    assert (await resolve(client, unsafe)).edit is None  # listed for a buffer since changed
    (unsafe, disable) = await actions(client, path, 8, 50)
    assert apply(safe, (await resolve(client, unsafe)).edit) == execgov_fix(
        folder, path, SERVICE, "--unsafe-fixes", monkeypatch=monkeypatch, capsys=capsys)

    assert await actions(client, path, 0, 0, only=["source.fixAll"]) == []  # nothing safe left


async def test_fix_all_is_execgov_fix(client: LanguageClient, projects: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    text = SERVICE + textwrap.dedent('''
        def more(name):
            update_execution_metrics(name, "ERROR", 1, False)
            update_execution_metrics(name, "SUCCESS", 1, False)  # noqa: GOV004
        ''')
    folder = project(projects, "fixall")
    path = folder / "svc.py"
    await open_document(client, path, text)
    (fix_all,) = await actions(client, path, 0, 0, only=["source"])
    assert fix_all.kind == "source.fixAll.execgov"
    fixed = apply(text, fix_all.edit)
    assert fixed == execgov_fix(folder, path, text, monkeypatch=monkeypatch, capsys=capsys)
    assert fixed.count('"SUCCESS"') == 1 and '"ERROR"' not in fixed


async def test_a_fix_that_needs_the_project_is_the_one_execgov_fix_writes(
        client: LanguageClient, projects: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A renamed lifecycle enum of another module: the quick fix and "fix all" are
    computed in the project the diagnostics come from, as ``execgov fix`` does."""
    folder = project(projects, "renamed", **{"enums.py": "from enum import Enum\n\n\n"
                                             "class LifecycleState(Enum):\n    RUNNING = 1\n\n\n"
                                             "PluginState = LifecycleState\n"})
    text = ("from enums import PluginState\n\n\ndef report(name):\n"
            "    update_execution_metrics(name, PluginState.SUCCESS)\n")
    path = folder / "status.py"
    assert summary(await open_document(client, path, text)) == [("GOV005", 4, 35, 4, 54)]
    (fix, _disable, fix_all) = await actions(client, path, 4, 40)
    assert fix.title == "GOV005: replace SUCCESS with INITIALIZED"
    fixed = execgov_fix(folder, path, text, monkeypatch=monkeypatch, capsys=capsys)
    assert fixed == text.replace("SUCCESS", "INITIALIZED")
    assert apply(text, (await resolve(client, fix)).edit) == fixed
    assert apply(text, (await resolve(client, fix_all)).edit) == fixed


async def test_noqa_goes_where_flake8_reads_it(client: LanguageClient, projects: Path) -> None:
    text = textwrap.dedent('''\
        from app.registry import update_execution_metrics


        def record(name, ok):
            update_execution_metrics(name, "SUCCESS" if ok else """
                FAILED""", 1, False)
            update_execution_metrics(name, "ERROR", 1, False)  # noqa: E501 (long)
        ''')
    folder = project(projects, "noqa")
    path = folder / "svc.py"
    diagnostics = await open_document(client, path, text)
    assert summary(diagnostics) == [
        ("GOV004", 4, 35, 4, 44), ("GOV004", 4, 56, 5, 17), ("GOV004", 6, 35, 6, 42)]

    (fix, disable) = await actions(client, path, 4, 36, only=["quickfix"])
    assert disable.title == "Disable GOV004 for this line"
    text = apply(text, disable.edit)  # after the string that ends on the next line
    assert text.splitlines()[5] == '        FAILED""", 1, False)  # noqa: GOV004'
    (fix, disable) = await actions(client, path, 6, 36, only=["quickfix"])
    text = apply(text, disable.edit)  # the first (only) noqa flake8 reads, extended
    assert text.splitlines()[6].endswith("# noqa: E501, GOV004 (long)")

    seen = len(client.published)  # type: ignore[attr-defined]
    await change(client, path, 2, text)
    assert await published(client, path.as_uri(), 2, seen) == []


async def test_hover_shows_the_rule_page(client: LanguageClient, projects: Path) -> None:
    text = SERVICE.replace("return result", "return result  # noqa: GOV101, GOV003")
    folder = project(projects, "hover")
    path = folder / "svc.py"
    await open_document(client, path, text)

    async def hover(line: int, character: int) -> Optional[lsp.Hover]:
        return await client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(path.as_uri()), lsp.Position(line, character)))

    found = await hover(20, 40)
    assert found is not None and isinstance(found.contents, lsp.MarkupContent)
    assert found.contents.value == explain("GOV004")
    assert found.range == lsp.Range(lsp.Position(20, 35), lsp.Position(20, 44))
    found = await hover(12, 40)
    assert found is not None and isinstance(found.contents, lsp.MarkupContent)
    assert found.contents.value == explain("GOV003")
    assert found.range == lsp.Range(lsp.Position(12, 39), lsp.Position(12, 45))
    assert await hover(0, 0) is None


async def test_configuration_per_folder(client: LanguageClient, projects: Path) -> None:
    """Each file gets the configuration found from its folder: selection,
    per-file-ignores, a broken configuration (one message, no crash)."""
    ignoring = project(projects, "ignoring", "[flake8]\nper-file-ignores = ./svc.py: GOV004\n")
    diagnostics = await open_document(client, ignoring / "svc.py", SERVICE)
    assert [d.code for d in diagnostics] == ["GOV002", "GOV001"]
    nested = ignoring / "pkg" / "svc.py"
    nested.parent.mkdir()
    assert [d.code for d in await open_document(client, nested, SERVICE)] == [
        "GOV002", "GOV001", "GOV004"]

    broken = project(projects, "broken", "[flake8]\nexecgov-forbidden-statuses = 999\n")
    assert await open_document(client, broken / "a.py", SERVICE) == []
    assert await open_document(client, broken / "b.py", SERVICE) == []
    errors = [m for m in client.messages if m.type == lsp.MessageType.Error]
    assert [m.message for m in errors] == [
        f"execgov: the flake8 configuration in {broken} is invalid: setup.cfg: "
        "execgov-forbidden-statuses: '999' is not an HTTP status code (100-599)"]
    (broken / "setup.cfg").write_text("[flake8]\nextend-ignore = GOV001\n", encoding="utf-8")
    seen = len(client.published)  # type: ignore[attr-defined]
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(
        lsp.TextDocumentIdentifier((broken / "a.py").as_uri())))
    diagnostics = await published(client, (broken / "a.py").as_uri(), 1, seen)
    assert [d.code for d in diagnostics] == ["GOV002", "GOV004"]


def _position(line: int, character: int) -> lsp.Position:
    """A position as a client may send it, also one the protocol's types refuse (the
    client's own validation is passed by, as a buggy or hostile client would)."""
    point = lsp.Position(0, 0)
    object.__setattr__(point, "line", line)
    object.__setattr__(point, "character", character)
    return point


async def test_every_request_is_answered(client: LanguageClient, projects: Path) -> None:
    """A position below 0 or past 2**31 - 1 (``uinteger``) in any request: that request
    gets its JSON-RPC error response (invalid params) at once, nothing is shown to the
    user, and the server goes on answering (issue 30)."""
    from pygls.exceptions import JsonRpcInvalidParams

    folder = project(projects, "refused")
    path = folder / "svc.py"
    document = lsp.TextDocumentIdentifier(path.as_uri())
    await open_document(client, path, SERVICE)
    shown = len(client.messages)
    for line, character, field, value in ((-1, 0, "line", -1), (0, -1, "character", -1),
                                          (2**31, 0, "line", 2**31),
                                          (0, 2**31, "character", 2**31)):
        point = _position(line, character)
        why = (f"Invalid Params: Position.{field} should be in range [0:2147483647], but was "
               f"{value}.")
        with pytest.raises(JsonRpcInvalidParams) as hover:
            await asyncio.wait_for(client.text_document_hover_async(
                lsp.HoverParams(document, point)), 30)
        assert (hover.value.code, hover.value.message) == (-32602, why)
        with pytest.raises(JsonRpcInvalidParams) as action:
            await asyncio.wait_for(client.text_document_code_action_async(lsp.CodeActionParams(
                document, lsp.Range(lsp.Position(0, 0), point), lsp.CodeActionContext([]))), 30)
        assert (action.value.code, action.value.message) == (-32602, why)
    assert client.messages[shown:] == []
    found = await asyncio.wait_for(client.text_document_hover_async(
        lsp.HoverParams(document, lsp.Position(20, 40))), 30)
    assert found is not None and found.range == lsp.Range(lsp.Position(20, 35),
                                                          lsp.Position(20, 44))
