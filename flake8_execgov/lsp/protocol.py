"""The JSON-RPC side of the language server: every request gets its answer.

pygls reads a message into the protocol's types while it decodes it, before any handler
runs. Parameters that do not fit them (a position below 0 or past 2**31 - 1, which the
protocol types as ``uinteger``) raise there, and pygls then only shows "Invalid Params" to
the user: the request's id is never answered, and a client waiting for it waits forever.
The protocol requires a response to every request, so one that cannot be read gets the
JSON-RPC error response for its id, whatever its method and whichever parameter is wrong.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from pygls.exceptions import JsonRpcException
from pygls.protocol import LanguageServerProtocol

log = logging.getLogger(__name__)


class Protocol(LanguageServerProtocol):
    """pygls's protocol, with an answer for every request: one refused while it is read
    gets the error response for its id (-32602, invalid params; -32603 for anything else
    that failed) and goes no further. A notification has no id to answer: it is dropped,
    as pygls drops it."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if not (isinstance(data, dict) and "id" in data and "method" in data
                    and "error" not in data and "result" not in data):
                raise  # not a request: nothing waits for an answer
            why = "; ".join(_reasons(error.__cause__))
            answer = JsonRpcException(f"{error.message}: {why}" if why else error.message,
                                      error.code)
            log.warning("refused request %r (%s): %s", data["id"], data["method"],
                        answer.message)
            self._send_response(data["id"], error=answer.to_response_error())
            return ANSWERED

    def handle_message(self, message: Any) -> None:
        if message is not ANSWERED:
            super().handle_message(message)


ANSWERED = object()  # a request refused while it was read: its answer is sent


def _reasons(cause: Optional[BaseException]) -> list[str]:
    """The innermost errors of a failed reading (cattrs nests one group per type), such as
    "Position.line should be in range [0:2147483647], but was -1."."""
    found: list[str] = []
    pending = [cause] if cause is not None else []
    while pending:
        error = pending.pop()
        inner = getattr(error, "exceptions", None)
        if isinstance(inner, (list, tuple)) and inner:
            pending.extend(reversed(inner))
        else:
            found.append(str(error))
    return found
