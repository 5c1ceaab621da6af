"""The language server's parts in-process: positions and edits, ``# noqa``, which settings
a document gets, the analysis of a buffer, and the server's handlers (without a client).
The protocol itself is tested end to end in ``test_lsp.py``."""

from __future__ import annotations

import ast
import asyncio
import io
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, strategies as st

from conftest import Execgov
from flake8_execgov.settings import Settings
from flake8_execgov.lsp.analysis import lint, message
from flake8_execgov.lsp.configs import Configs, _existing
from flake8_execgov.lsp.noqa import NoqaProcessor, Run, code_at, noqa_edit
from flake8_execgov.lsp.text import (Document, Edit, Point, apply_edit, minimal_edit,
                                     text_edit, units)

RECORD = textwrap.dedent('''\
    from app.registry import update_execution_metrics


    def record(name):
        update_execution_metrics(name, "SUCCESS", 1, False)
    ''')


def settings_in(folder: Path, config: str = "[flake8]\n") -> Settings:
    (folder / "setup.cfg").write_text(config, encoding="utf-8")
    return Settings.in_directory(str(folder))


# -- positions and edits -------------------------------------------------------------------


def test_columns_in_each_encoding() -> None:
    text = "a = '\u00e9\U0001F600' + b\n"
    after = text.index("+")
    assert [units(text[:after], e) for e in ("utf-8", "utf-16", "utf-32")] == [13, 10, 9]
    for encoding, column in (("utf-8", 13), ("utf-16", 10), ("utf-32", 9)):
        document = Document(text, encoding)
        assert document.to_client(Point(0, after)) == (0, column)
        assert document.from_client(0, column) == Point(0, after)
    assert Document(text).from_client(0, 999) == Point(0, len(text) - 1)  # clamped
    assert Document(text, "latin-1").encoding == "utf-16"


def test_lines_are_pythons() -> None:
    document = Document("a\r\nb\rc\x0cd\ne")  # a form feed is no line break
    assert len(document.lines) == 4 and document.content(2) == "c\x0cd"
    assert document.point_at(document.text.index("d")) == Point(2, 2)
    assert document.to_client(Point(9, 0)) == (3, 1)  # past the end: the end
    assert Document("x\n").to_client(Point(5, 0)) == (1, 0)
    assert Document("").to_client(Point(0, 0)) == (0, 0)
    assert Document("").point_at(0) == Point(0, 0)
    assert Document("x\n").point_at(2) == Point(1, 0)
    assert Document("x\n").offset(Point(3, 0)) == 2
    assert Document("x").content(4) == ""


@given(st.text("ab\r\n\u00e9", max_size=12), st.text("ab\r\n\u00e9", max_size=12))
@example("a\r\nb", "a\rb").via("the change starts inside a \\r\\n")
@example("x\r\ny", "x\ny").via("the change ends inside a \\r\\n")
def test_the_smallest_edit_gives_the_new_text(old: str, new: str) -> None:
    document = Document(old)
    edit = text_edit(document, new)
    if old == new:
        assert edit is None and minimal_edit(old, new) is None
        return
    assert edit is not None and apply_edit(document, edit) == new
    start, stop, _ = minimal_edit(old, new) or (0, 0, "")
    assert not old[start - 1:start + 1] == "\r\n" or start == 0
    assert not old[stop - 1:stop + 1] == "\r\n" or stop == len(old)


def test_ranges_of_findings() -> None:
    text = "@app.get('/x')\nasync def route(x):\n    return f(x)\nz\n"
    document = Document(text)
    tree = ast.parse(text)
    route = tree.body[0]
    assert document.node_range(route, 2, 0) == (Point(1, 0), Point(1, 15))
    call = tree.body[0].body[0].value  # type: ignore[attr-defined]
    assert document.node_range(call, 3, 11) == (Point(2, 11), Point(2, 15))
    assert document.node_range(None, 3, 11) == (Point(2, 11), Point(2, 12))  # the word
    assert document.node_range(None, 4, 1) == (Point(3, 1), Point(3, 1))


# -- noqa ------------------------------------------------------------------------------------


def run_of(tmp_path: Path, text: str, line: int) -> Run:
    processor = NoqaProcessor("x.py", settings_in(tmp_path).options,
                              lines=list(Document(text).lines))
    processor.tree = ast.parse(text)
    return processor.run_of(line)


def test_the_token_run_of_a_line(tmp_path: Path) -> None:
    text = 'x = f(1,\n      """a\nb""")  # c\ny = 1 + \\\n    2\nz = 3  # d\n'
    assert run_of(tmp_path, text, 2) == Run(2, 3, {3: 7})
    assert run_of(tmp_path, text, 4) == Run(4, 5, {})
    assert run_of(tmp_path, text, 6) == Run(6, 6, {6: 7})
    assert run_of(tmp_path, "# only\n", 1) == Run(1, 1, {1: 0})
    broken = NoqaProcessor("x.py", settings_in(tmp_path).options, lines=['"""\n', "x\n"])
    broken.tree = ast.parse("x = (1,\n 2)\n")  # a tree that is not the text's
    assert broken.run_of(1) == Run(1, 1, {})


@pytest.mark.parametrize(("line", "expected"), [
    ("x = 1\n", "x = 1  # noqa: GOV004\n"),
    ("x = 1   \n", "x = 1  # noqa: GOV004\n"),
    ("x = 1  # noqa: E501\n", "x = 1  # noqa: E501, GOV004\n"),
    ("x = 1  # noqa:E501,W291 why\n", "x = 1  # noqa:E501,W291, GOV004 why\n"),
    ("x = 1  # noqa\n", None),  # a blanket noqa: nothing left to disable
    ("x = 1  # noqa: GOV004\n", None),
    ("x = '# noqa: E501'\n", None),  # flake8 reads the string: no comment can come first
])
def test_noqa_edits(line: str, expected: Any) -> None:
    document = Document(line)
    comment = line.find("  #")
    edit = noqa_edit(document, Run(1, 1, {1: comment + 2} if comment >= 0 else {}), "GOV004")
    assert (apply_edit(document, edit) if edit else None) == expected


def test_noqa_on_a_later_line_of_the_run() -> None:
    document = Document('x = f("""\n""")  # noqa: E501\n')
    edit = noqa_edit(document, Run(1, 2, {2: 6}), "GOV004")
    assert edit is not None
    assert apply_edit(document, edit) == 'x = f("""\n""")  # noqa: E501, GOV004\n'


def test_codes_in_noqa_comments() -> None:
    document = Document("x = 1  # noqa: E501, GOV004  # noqa\n")
    assert code_at(document, Point(0, 23)) == ("GOV004", Point(0, 21), Point(0, 27))
    assert code_at(document, Point(0, 16)) is None  # E501 has no page here
    assert code_at(document, Point(0, 2)) is None


# -- settings per folder ---------------------------------------------------------------------


def test_configuration_is_found_from_the_documents_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    settings_in(project, "[flake8]\nextend-ignore = GOV001\n")
    loose = tmp_path / "loose"
    loose.mkdir()
    configs = Configs([str(tmp_path)])
    directory, settings = configs.lookup(str(project / "pkg" / "x.py"))
    assert directory == str(project) and isinstance(settings, Settings)
    assert configs.lookup(str(project / "y.py"))[1] is settings  # built once
    assert configs.lookup(str(loose / "z.py"))[0] == str(tmp_path)  # the workspace folder
    assert configs.lookup(None)[0] == str(tmp_path)  # an unsaved buffer
    assert configs.lookup(str(project / "new" / "dir" / "w.py"))[0] == str(project)
    assert _existing(str(project / "a" / "b")) == str(project)
    assert Configs().directory_of(str(loose)) == str(loose)

    (project / "setup.cfg").write_text("[flake8]\nexecgov-bogus = 1\n", encoding="utf-8")
    assert configs.lookup(str(project / "y.py"))[1] is settings  # until opened or saved
    error = configs.lookup(str(project / "y.py"), refresh=True)[1]
    assert error == (f"the flake8 configuration in {project} is invalid: unknown option "
                     "'execgov-bogus' in the flake8 configuration") or \
        isinstance(error, str) and "execgov-bogus" in error


def test_a_configuration_flake8_rejects_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = many\n", encoding="utf-8")
    error = Configs().lookup(str(tmp_path / "x.py"))[1]
    assert isinstance(error, str) and error.startswith(
        f"the flake8 configuration in {tmp_path} is invalid: ")
    assert "\n" not in error


def test_the_baseline_file_is_watched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "svc.py").write_text(RECORD, encoding="utf-8")
    Execgov(tmp_path, monkeypatch, capsys)("baseline")
    (tmp_path / "setup.cfg").write_text(
        "[flake8]\nexecgov-baseline = .execgov-baseline.json\n", encoding="utf-8")
    configs = Configs()
    _, settings = configs.lookup(str(tmp_path / "svc.py"))
    assert isinstance(settings, Settings)
    assert lint(RECORD, str(tmp_path / "svc.py"), settings).findings == []  # baselined
    (tmp_path / ".execgov-baseline.json").write_text("{}", encoding="utf-8")
    assert isinstance(configs.lookup(str(tmp_path / "svc.py"), refresh=True)[1], str)


# -- the analysis of a buffer --------------------------------------------------------------


def test_what_flake8_would_report(tmp_path: Path) -> None:
    settings = settings_in(tmp_path, "[flake8]\nexclude = skipped.py\n")
    found = lint(RECORD, str(tmp_path / "svc.py"), settings)
    assert [(f.code, message(f)[:13]) for f in found.findings] == [("GOV004", "state 'SUCCES")]
    assert found.ranges == [(Point(4, 35), Point(4, 44))]
    assert lint(RECORD, str(tmp_path / "skipped.py"), settings).findings == []
    quiet = lint("x = 1\n", str(tmp_path / "svc.py"), settings)
    assert quiet.tree is None and quiet.findings == []  # names nothing: not even parsed
    with pytest.raises(SyntaxError):
        lint(RECORD + "def (:\n", str(tmp_path / "svc.py"), settings)


def test_fixes_of_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_in(tmp_path)
    found = lint(RECORD, str(tmp_path / "svc.py"), settings)
    assert [tuple(offer) for offer in found.offers(0)] == [
        ("GOV004: replace SUCCESS with INITIALIZED", "fix"),
        ("Disable GOV004 for this line", "noqa")]
    fix = found.edit(0, "fix")
    assert fix == Edit(Point(4, 36), Point(4, 43), "INITIALIZED")
    assert found.edit(0, "fix") is fix  # once per text
    assert found.fix_all() == fix
    assert found.index_of([5, 35, "GOV004"]) == 0 and found.index_of([5, 36, "GOV004"]) is None

    from flake8_execgov.fix import fixer

    monkeypatch.setattr(fixer, "MAX_FIX_CHARS", 10)  # the fixer refuses: no edit
    again = lint(RECORD, str(tmp_path / "svc.py"), settings)
    assert again.edit(0, "fix") is None and again.fix_all() is None

    plain = lint("def f(plugins):\n    plugins['a'].run()\n", str(tmp_path / "x.py"), settings)
    assert [(f.code, [x.kind for x in plain.offers(0)]) for f in plain.findings] == [
        ("GOV001", ["noqa"])]  # no fix for GOV001

    settings.options.disable_noqa = True
    assert [x.kind for x in lint(RECORD, str(tmp_path / "svc.py"), settings).offers(0)] == [
        "fix"]


# -- the server's handlers, in-process -----------------------------------------------------


def make_server(folder: Path) -> tuple[Any, list[Any]]:
    pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
    from lsprotocol import types as lsp
    from pygls.workspace import Workspace

    from flake8_execgov.lsp.server import ExecgovServer

    server = ExecgovServer("rules.md", 0.05)
    server.initialize(lsp.InitializeParams(lsp.ClientCapabilities(),
                                           root_uri=folder.as_uri()))
    assert server.configs.roots == [str(folder)]
    server.ls.protocol._workspace = Workspace(folder.as_uri(), lsp.TextDocumentSyncKind.Full)
    server.ls.protocol.client_capabilities = lsp.ClientCapabilities()
    sent: list[Any] = []
    server.ls.text_document_publish_diagnostics = sent.append
    server.ls.window_show_message = sent.append
    server.ls.window_log_message = sent.append
    return server, sent


def test_the_handlers_never_raise(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server, sent = make_server(tmp_path)
    from lsprotocol import types as lsp

    from flake8_execgov.lsp import server as module

    uri = "untitled:Untitled-1"
    settings_in(tmp_path)

    async def scenario() -> None:
        assert server.lint(uri) is None and server.current(uri) is None  # not open
        assert server.hover(lsp.HoverParams(lsp.TextDocumentIdentifier(uri),
                                            lsp.Position(0, 0))) is None
        server.ls.workspace.put_text_document(lsp.TextDocumentItem(uri, "python", 1, RECORD))
        server.did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri, "python", 1, RECORD)))
        assert [d.code for d in sent[-1].diagnostics] == ["GOV004"]  # an unsaved buffer
        server.did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(2, uri), []))
        server.shutdown(None)  # the pending lint is dropped
        assert not server.timers

        monkeypatch.setattr(module, "lint", lambda *args: 1 / 0)
        server.linted.clear()
        assert server.lint(uri) is None  # a bug: logged, not raised
        assert "ZeroDivisionError" in sent[-1].message
        monkeypatch.undo()

        (action, disable) = server.code_action(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(4, 40), lsp.Position(4, 40)),
            lsp.CodeActionContext([])))
        assert action.edit.changes[uri][0].new_text == "INITIALIZED"  # not versioned

        server.ls.workspace.get_text_document(uri)._source = "def (:\n" + RECORD
        assert server.code_action(lsp.CodeActionParams(
            lsp.TextDocumentIdentifier(uri), lsp.Range(lsp.Position(0, 0), lsp.Position(0, 0)),
            lsp.CodeActionContext([]))) is None
        assert server.hover(lsp.HoverParams(lsp.TextDocumentIdentifier(uri),
                                            lsp.Position(0, 0))) is None

    asyncio.run(scenario())


def test_the_handlers_in_process(tmp_path: Path) -> None:
    """What ``test_lsp.py`` checks over stdio, here without a client (and on Python 3.9,
    where pytest-lsp does not run)."""
    server, sent = make_server(tmp_path)
    from lsprotocol import types as lsp

    from flake8_execgov.lsp.convert import FIX_ALL

    settings_in(tmp_path)
    uri = (tmp_path / "svc.py").as_uri()
    document = lsp.TextDocumentIdentifier(uri)
    text = RECORD + "x = 1  # noqa: GOV003\n"

    def edit(version: int, new: str) -> lsp.DidChangeTextDocumentParams:
        change = lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version, uri),
            [lsp.TextDocumentContentChangeWholeDocument(new)])
        server.ls.workspace.update_text_document(change.text_document, change.content_changes[0])
        return change

    def actions(line: int, only: Any = None) -> list[Any]:
        point = lsp.Position(line, 40)
        return server.code_action(lsp.CodeActionParams(
            document, lsp.Range(point, point), lsp.CodeActionContext([], only=only))) or []

    async def scenario() -> None:
        item = lsp.TextDocumentItem(uri, "python", 1, text)
        server.ls.workspace.put_text_document(item)
        server.did_open(lsp.DidOpenTextDocumentParams(item))
        assert [(d.code, d.code_description.href) for d in sent[-1].diagnostics] == [
            ("GOV004", "rules.md#gov004")]
        assert [a.kind for a in actions(4)] == ["quickfix", "quickfix"]  # edits now
        assert [a.kind for a in actions(0, ["source.fixAll.execgov"])] == [
            "source.fixAll.execgov"]
        assert actions(0, ["quickfix"]) == []
        hover = server.hover(lsp.HoverParams(document, lsp.Position(5, 17)))
        assert hover is not None and hover.contents.value.startswith("## GOV003")
        assert server.resolve(lsp.CodeAction("not ours")).edit is None
        listed = lsp.CodeAction("all", data={"uri": uri, "version": 1, "kind": FIX_ALL})
        assert server.resolve(listed).edit.changes[uri][0].new_text == "INITIALIZED"

        server.did_change(edit(2, text.replace('"SUCCESS"', '"FAILED"')))
        await asyncio.sleep(0.3)  # the debounce (the last lint was just now)
        assert (sent[-1].version, sent[-1].diagnostics) == (2, [])
        server.did_change(edit(3, text))
        server.did_change(edit(4, text))  # the pending lint of version 3 is dropped
        await asyncio.sleep(0.3)
        assert [p.version for p in sent[-2:]] == [2, 4]
        server.did_save(lsp.DidSaveTextDocumentParams(document))
        assert (sent[-1].version, len(sent[-1].diagnostics)) == (4, 1)

        (tmp_path / "setup.cfg").write_text("[flake8]\nexecgov-x = 1\n", encoding="utf-8")
        server.did_save(lsp.DidSaveTextDocumentParams(document))
        server.did_save(lsp.DidSaveTextDocumentParams(document))
        messages = [m for m in sent if isinstance(m, lsp.ShowMessageParams)]
        assert len(messages) == 1 and "execgov-x" in messages[0].message
        assert sent[-1].diagnostics == []
        server.did_close(lsp.DidCloseTextDocumentParams(document))
        assert (sent[-1].uri, sent[-1].diagnostics) == (uri, [])

    asyncio.run(scenario())


def test_a_saved_module_changes_the_findings_of_open_modules_that_import_it(
        tmp_path: Path) -> None:
    """Cross-module facts (docs/project.md) follow a save: the projects forget what they
    read and every open document is linted again."""
    server, sent = make_server(tmp_path)
    from lsprotocol import types as lsp

    settings_in(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    helper = tmp_path / "app" / "helpers.py"
    runs = "def execute(name):\n    return get_plugin(name).run()\n"
    helper.write_text(runs, encoding="utf-8")
    tasks = tmp_path / "app" / "tasks.py"
    tasks.write_text("from app.helpers import execute\n\nexecute('ocr')\n", encoding="utf-8")

    def opened(path: Path) -> str:
        item = lsp.TextDocumentItem(path.as_uri(), "python", 1, path.read_text(encoding="utf-8"))
        server.ls.workspace.put_text_document(item)
        server.did_open(lsp.DidOpenTextDocumentParams(item))
        return path.as_uri()

    def latest(uri: str) -> list[tuple[Any, int]]:
        published = [p for p in sent if getattr(p, "uri", None) == uri]
        return [(d.code, d.range.start.line) for d in published[-1].diagnostics]

    async def scenario() -> None:
        tasks_uri = opened(tasks)
        helper_uri = opened(helper)
        assert latest(tasks_uri) == [("GOV001", 2)] and latest(helper_uri) == []
        quiet = "def execute(name):\n    return name\n"
        helper.write_text(quiet, encoding="utf-8")
        server.ls.workspace.update_text_document(
            lsp.VersionedTextDocumentIdentifier(2, helper_uri),
            lsp.TextDocumentContentChangeWholeDocument(quiet))
        assert not list(tmp_path.glob(".execgov_cache/*by-path-*.json"))  # kept in memory
        server.did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(helper_uri)))
        assert latest(tasks_uri) == []
        # what the server learnt is written when a save refreshes it, not only at its exit
        assert list(tmp_path.glob(".execgov_cache/summaries-by-path-*.json"))
        helper.write_text(runs, encoding="utf-8")
        server.did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(helper_uri)))
        assert latest(tasks_uri) == [("GOV001", 2)]

    asyncio.run(scenario())


def test_without_pygls_the_command_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from flake8_execgov import cli, lsp

    monkeypatch.delattr(lsp, "server", raising=False)
    monkeypatch.setitem(sys.modules, "pygls", None)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    monkeypatch.delitem(sys.modules, "flake8_execgov.lsp.server", raising=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    assert cli.main(["lsp"]) == 2
    assert capsys.readouterr().err == (
        "execgov: error: the language server needs pygls: pip install flake8-execgov[lsp]\n")


def test_a_request_the_protocol_refuses_is_answered(tmp_path: Path) -> None:
    """The server's protocol, fed messages as read from stdio: a request whose parameters
    do not fit the protocol's types gets the error response for its id, whatever its
    method; a valid one its result; a notification that does not fit is pygls's error,
    with no answer to send."""
    import json

    server, _ = make_server(tmp_path)
    from pygls.exceptions import JsonRpcInvalidParams

    written: list[bytes] = []

    class Writer:
        def write(self, data: bytes) -> None:
            written.append(data)

    protocol = server.ls.protocol
    protocol.set_writer(Writer())
    uri = (tmp_path / "a.py").as_uri()

    def feed(message: dict[str, Any]) -> None:
        protocol.handle_message(json.loads(json.dumps({"jsonrpc": "2.0", **message}),
                                           object_hook=protocol.structure_message))

    def answers() -> list[dict[str, Any]]:
        found = [json.loads(data.split(b"\r\n\r\n", 1)[1]) for data in written]
        written.clear()
        return found

    bad = {"line": -1, "character": 0}
    far = {"line": 0, "character": 2**31}
    whole = {"start": {"line": 0, "character": 0}, "end": far}
    requests = [
        (1, "textDocument/hover", {"textDocument": {"uri": uri}, "position": bad},
         "Position.line should be in range [0:2147483647], but was -1."),
        ("two", "textDocument/codeAction", {"textDocument": {"uri": uri}, "range": whole,
                                            "context": {"diagnostics": []}},
         "Position.character should be in range [0:2147483647], but was 2147483648."),
        (3, "codeAction/resolve", {"title": "x", "diagnostics": [
            {"range": {"start": bad, "end": bad}, "message": "m"}]},
         "Position.line should be in range [0:2147483647], but was -1.; "
         "Position.line should be in range [0:2147483647], but was -1."),
    ]

    async def scenario() -> None:
        for ident, method, params, why in requests:
            feed({"id": ident, "method": method, "params": params})
            assert answers() == [{"jsonrpc": "2.0", "id": ident, "error": {
                "code": JsonRpcInvalidParams.CODE, "message": f"Invalid Params: {why}"}}]
        feed({"id": 4, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}})
        await asyncio.sleep(0.05)
        assert answers() == [{"jsonrpc": "2.0", "id": 4, "result": None}]  # not open
        with pytest.raises(JsonRpcInvalidParams):  # pygls reports it, as before
            feed({"method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": 2},
                "contentChanges": [{"range": {"start": bad, "end": bad}, "text": ""}]}})
        assert answers() == []

    asyncio.run(scenario())


def test_execgov_lsp_serves_stdio_in_process(tmp_path: Path) -> None:
    """``execgov lsp`` as a client starts it, its stdin and stdout the protocol's (in this
    process: conftest.run_in_process): initialize, a document's diagnostics, a request
    refused with its answer, shutdown and exit; the end-to-end test with a real client and
    a real process is ``test_lsp.py``."""
    import json
    import re

    pytest.importorskip("pygls", reason="the lsp extra (pygls) is not installed")
    from conftest import run_in_process

    def message(body: dict[str, Any]) -> bytes:
        data = json.dumps({"jsonrpc": "2.0", **body}).encode()
        return b"Content-Length: %d\r\n\r\n" % len(data) + data

    settings_in(tmp_path)
    uri = (tmp_path / "a.py").as_uri()
    stdin = b"".join(message(body) for body in (
        {"id": 1, "method": "initialize",
         "params": {"capabilities": {}, "rootUri": tmp_path.as_uri()}},
        {"method": "initialized", "params": {}},
        {"method": "textDocument/didOpen", "params": {"textDocument": {
            "uri": uri, "languageId": "python", "version": 1,
            "text": "update_execution_metrics(n, 'SUCCESS')\n"}}},
        {"id": 2, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": -1, "character": 0}}},
        {"id": 3, "method": "shutdown"},
        {"method": "exit"}))
    done = run_in_process("execgov", "lsp", "--rules-url", "rules.md", "--debounce", "0",
                          cwd=tmp_path, stdin=stdin)
    assert done.returncode == 0
    bodies = re.split(rb"Content-Length: \d+\r\nContent-Type: [^\r]*\r\n\r\n", done.stdout)
    sent = [json.loads(body) for body in bodies if body]
    assert [(m.get("id"), m.get("method")) for m in sent] == [
        (1, None), (None, "textDocument/publishDiagnostics"), (2, None), (3, None)]
    assert sent[0]["result"]["serverInfo"]["name"] == "execgov"
    [diagnostic] = sent[1]["params"]["diagnostics"]
    assert (diagnostic["code"], diagnostic["range"], diagnostic["codeDescription"]) == (
        "GOV004", {"start": {"line": 0, "character": 28}, "end": {"line": 0, "character": 37}},
        {"href": "rules.md#gov004"})
    assert sent[2]["error"] == {"code": -32602, "message": "Invalid Params: Position.line "
                                "should be in range [0:2147483647], but was -1."}
    assert sent[3]["result"] is None


def test_a_project_that_saw_a_file_change_is_read_afresh(tmp_path: Path) -> None:
    """A file changed outside the editor (a checkout) is left out by the run that saw it
    change (project.snapshot); the server lints the next buffer with the project read
    afresh, not with the file left out until the next save."""
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("", encoding="utf-8")
    helpers = tmp_path / "app" / "helpers.py"
    helpers.write_text("def execute(plugin):\n    return 1\n", encoding="utf-8")
    settings = settings_in(tmp_path)
    project = settings.plugin.project
    assert project is not None and project.named(b"execute") == [helpers]
    helpers.write_text("def execute(plugin):\n    return plugin.run()\n", encoding="utf-8")
    assert project.read(str(helpers)) is None and project.changed()
    buffer = "from app.helpers import execute\n\n\ndef go(plugin):\n    return execute(plugin)\n"
    found = lint(buffer, str(tmp_path / "svc.py"), settings)
    assert not project.changed() and project.read(str(helpers)) is not None
    assert [(f.code, f.line, f.col) for f in found.findings] == [("GOV001", 5, 11)]
