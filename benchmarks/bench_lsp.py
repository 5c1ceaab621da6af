"""The language server's latency: time from ``didChange`` to ``publishDiagnostics``.

    python benchmarks/bench_lsp.py [--edits 100] [--pause 150] [--debounce 100]

``execgov lsp`` runs as an editor runs it (a subprocess over stdio, pygls's client on
this side). Two buffers from the generated plugin-server corpus (``benchmarks/corpus.py``,
generated into a temporary folder): a 2,000-line module (corpus modules joined) and one
corpus module as it is. Each edit flips one state literal (``"FAILED"`` <-> ``"SUCCESS"``,
a different one each time, so the findings change) and sends the whole text, as the
server asks. Measured from sending the change to receiving its diagnostics, on the
client's clock.

- typing: a pause (``--pause`` ms) after each result before the next edit, a typist's
  pace; the server lints such a change at once.
- bursts: five changes back to back (faster than the server lints), timed from the last;
  the server waits ``--debounce`` after its last lint, so a burst is linted once.

The last column is ``ast.parse`` of the same buffer in this process at the same time (the
median of as many parses), the floor any linter of the buffer pays: on a shared machine it
says how busy the CPU was.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate  # noqa: E402

STATES = ('"FAILED"', '"SUCCESS"')


class Bench:
    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.arrived: dict[tuple[str, int], float] = {}
        self.counts: dict[tuple[str, int], int] = {}

    async def wait(self, uri: str, version: int) -> float:
        while (uri, version) not in self.arrived:
            await asyncio.sleep(0.0005)
        return self.arrived[(uri, version)]


def edits(text: str, count: int) -> list[str]:
    """``count`` successive texts, each flipping one state literal of the one before."""
    texts, current = [], text
    for i in range(count):
        spots = [i for i in range(len(current)) if current.startswith(STATES, i)]
        at = spots[(i * 7) % len(spots)]
        old = STATES[0] if current.startswith(STATES[0], at) else STATES[1]
        new = STATES[1] if old == STATES[0] else STATES[0]
        current = current[:at] + new + current[at + len(old):]
        texts.append(current)
    return texts


async def measure(bench: Bench, path: Path, count: int, pause: float) -> dict[str, list[float]]:
    client, uri = bench.client, path.as_uri()
    text = path.read_text(encoding="utf-8")
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        lsp.TextDocumentItem(uri, "python", 1, text)))
    await bench.wait(uri, 1)
    version, typing, bursts = 1, [], []
    texts = edits(text, count + count // 5 * 5)

    def change(new: str, version: int) -> tuple[int, float]:
        """Send the whole new text as the next version; (that version, when it was sent)."""
        start = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version + 1, uri),
            [lsp.TextDocumentContentChangeWholeDocument(new)]))
        return version + 1, start

    for new in texts[:count]:
        await asyncio.sleep(pause)
        version, start = change(new, version)
        typing.append(await bench.wait(uri, version) - start)
    rest = texts[count:]
    for first in range(0, len(rest) - 4, 5):
        await asyncio.sleep(pause)
        for new in rest[first:first + 5]:
            version, start = change(new, version)
        bursts.append(await bench.wait(uri, version) - start)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(
        lsp.TextDocumentIdentifier(uri)))
    return {"typing": typing, "bursts": bursts}


def parse_time(text: str) -> float:
    start = time.perf_counter()
    ast.parse(text)
    return time.perf_counter() - start


def module_of(corpus: Path, lines: int) -> Path:
    """Corpus modules (runners and services first) joined into one of ``lines`` lines."""
    sources = sorted(corpus.rglob("*.py"), key=lambda p: (p.parent.name not in (
        "runners", "services"), str(p)))
    joined: list[str] = []
    for source in sources:
        if len(joined) >= lines:
            break
        joined.extend(source.read_text(encoding="utf-8").splitlines(keepends=True))
    target = corpus / "big_module.py"
    target.write_text("".join(joined[:lines]), encoding="utf-8")
    return target


async def run(args: argparse.Namespace, corpus: Path) -> None:
    client = LanguageClient("bench", "1")
    bench = Bench(client)

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            bench.arrived[(params.uri, params.version)] = time.perf_counter()

    await client.start_io(sys.executable, "-m", "flake8_execgov.cli", "lsp",
                          "--debounce", str(args.debounce))
    await client.initialize_async(lsp.InitializeParams(
        lsp.ClientCapabilities(), root_uri=corpus.as_uri()))
    client.initialized(lsp.InitializedParams())
    big = module_of(corpus, 2000)
    small = sorted((corpus / "pkg00").rglob("runner_*.py"))[0]
    print(f"{'buffer':<34}{'mode':<8}{'edits':>6}{'median (ms)':>13}{'worst (ms)':>12}"
          f"{'parse (ms)':>12}")
    for name, path in ((f"2,000-line module ({big.name})", big),
                       (f"corpus module ({small.name})", small)):
        results = await measure(bench, path, args.edits, args.pause / 1000)
        parse = statistics.median(parse_time(path.read_text(encoding="utf-8"))
                                  for _ in range(args.edits))
        for mode, times in results.items():
            print(f"{name:<34}{mode:<8}{len(times):>6}"
                  f"{statistics.median(times) * 1000:>13.1f}{max(times) * 1000:>12.1f}"
                  f"{parse * 1000:>12.1f}")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--pause", type=float, default=150, help="ms between typed edits")
    parser.add_argument("--debounce", type=int, default=100, help="the server's, in ms")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp))
        asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    main()
