"""Input/output validation and the structured error envelope."""

from __future__ import annotations

import datetime
import traceback
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from .errors import OutputValidationError, PayloadValidationError

MAX_PAYLOAD_KEYS = 1000


def _check_mapping(value: object, what: str, error: type[Exception]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise error(f"{what} must be a mapping, not {type(value).__name__}")
    if not all(isinstance(key, str) for key in value):
        raise error(f"{what} keys must be strings")
    if len(value) > MAX_PAYLOAD_KEYS:
        raise error(f"{what} has more than {MAX_PAYLOAD_KEYS} keys")
    return dict(value)


def validate_input_payload(payload: object) -> dict[str, Any]:
    """Contract: called before a plugin runs. A mapping with string keys, copied so the
    plugin cannot mutate the caller's object. Raises :class:`PayloadValidationError` (400)."""
    return _check_mapping(payload, "payload", PayloadValidationError)


def validate_plugin_output(output: object) -> dict[str, Any]:
    """Contract: called on every plugin result before it leaves the runner. A mapping with
    string keys; anything else (``None`` included) raises :class:`OutputValidationError`."""
    return _check_mapping(output, "plugin output", OutputValidationError)


@dataclass(frozen=True)
class ErrorEnvelope:
    """The structured error a failed execution returns instead of raising.

    ``to_dict()`` is the public part; the traceback stays server-side (logs, debugging)
    and is never serialized to callers.
    """

    type: str
    message: str
    details: Mapping[str, Any]
    plugin: Optional[str]
    timestamp: str
    traceback: str = field(default="", repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "message": self.message, "details": dict(self.details),
                "plugin": self.plugin, "timestamp": self.timestamp}


def build_error_envelope(exc: BaseException, plugin_name: Optional[str] = None,
                         details: Optional[Mapping[str, Any]] = None) -> ErrorEnvelope:
    """Contract: every plugin failure the runner catches becomes one of these."""
    return ErrorEnvelope(
        type=type(exc).__name__,
        message=str(exc) or type(exc).__name__,
        details=dict(details or {}),
        plugin=plugin_name,
        timestamp=datetime.datetime.now(datetime.timezone.utc).isoformat(),
        traceback="".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    )
