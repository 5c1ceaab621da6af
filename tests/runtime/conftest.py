"""Runtime fixtures: a wired runtime with a few well-behaved and misbehaving plugins."""

from __future__ import annotations

import threading
from typing import Any, Mapping

import pytest

from reference_runtime import BasePlugin, EchoPlugin, Runtime, WordCountPlugin


class RecordingPlugin(BasePlugin):
    """Records the thread each run happened on."""

    def __init__(self) -> None:
        self.threads: list[int] = []
        self._lock = threading.Lock()

    def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        with self._lock:
            self.threads.append(threading.get_ident())
        return {"n": payload.get("n")}


class BadOutputPlugin(BasePlugin):
    def run(self, payload: Mapping[str, Any]) -> Any:
        return ["not", "a", "mapping"]


class BlockingPlugin(BasePlugin):
    """Blocks until released: proves the event loop stays free while a plugin runs."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        self.started.set()
        if not self.release.wait(timeout=10):
            raise TimeoutError("never released")
        return {"released": True}


@pytest.fixture
def runtime() -> Runtime:
    rt = Runtime()
    rt.registry.register("echo", EchoPlugin())
    rt.registry.register("wordcount", WordCountPlugin())
    rt.registry.register("recording", RecordingPlugin())
    rt.registry.register("bad-output", BadOutputPlugin())
    rt.registry.register("blocking", BlockingPlugin())
    return rt
