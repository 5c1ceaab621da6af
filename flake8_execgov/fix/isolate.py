"""Run a fix where a crash of native code cannot take the caller with it.

libcst parses with native code: a stack overflow there is a segmentation fault, not an
exception. The depth guard (:func:`fixer.libcst_depth`) keeps the inputs known to do that
away from it; for format-on-save, where the caller's buffer is at stake, the libcst work
also runs in a forked child, and a child that dies is a refusal like any other.
"""

from __future__ import annotations

import os
import pickle
import signal
from typing import Callable, TypeVar

from ..source.files import SourceError

T = TypeVar("T")


def isolated(work: Callable[[], T]) -> T:
    """``work()``, run in a forked child where the platform can fork (else here)."""
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: the depth guard only
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child (measured by no coverage tool)
        try:
            os.close(reader)
            try:
                outcome: tuple[str, object] = ("ok", work())
            except SourceError as exc:
                outcome = ("refused", str(exc))
            except BaseException as exc:  # noqa: BLE001 - reported by the parent
                outcome = ("error", repr(exc))
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(outcome))
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        raise SourceError(f"not fixed: the fixer crashed ({_how(status)}); fix it by hand")
    kind, value = pickle.loads(data)
    if kind == "refused":
        raise SourceError(str(value))
    if kind == "error":
        raise SourceError(f"internal error: {value}")
    return value  # type: ignore[no-any-return]


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return signal.Signals(number).name
        except ValueError:  # pragma: no cover - a signal Python has no name for
            return f"signal {number}"
    return f"exit status {os.WEXITSTATUS(status)}"  # pragma: no cover - os._exit(0) above
