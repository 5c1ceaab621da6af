"""What a plugin is, and two small ones the runtime ships for demos and tests."""

from __future__ import annotations

import abc
from typing import Any, Mapping


class BasePlugin(abc.ABC):
    """A third-party plugin. Contract: ``run`` is only ever called by ``ToolRunner``."""

    name: str = "plugin"

    @abc.abstractmethod
    def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        """Execute on a validated payload; return a mapping with string keys."""


class EchoPlugin(BasePlugin):
    """Returns its payload: the smallest conforming plugin."""

    name = "echo"

    def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        return {"echo": dict(payload)}


class WordCountPlugin(BasePlugin):
    """Counts the words of ``payload["text"]``; fails on a missing text, like real plugins do."""

    name = "wordcount"

    def run(self, payload: Mapping[str, Any]) -> Mapping[str, Any]:
        text = payload["text"]
        if not isinstance(text, str):
            raise TypeError("text must be a string")
        return {"words": len(text.split())}
