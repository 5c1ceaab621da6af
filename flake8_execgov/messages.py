"""Every finding's message, in one table. Each message starts with its code (flake8's format)."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "GOV001": "GOV001 {access} bypasses {runner}; execute plugins through {runner}.run()",
    "GOV002": "GOV002 {access} runs outside a try/finally; run it in the body of a try "
              "whose finally calls {metrics}()",
    "GOV003": "GOV003 the finally around {access} {problem}; call {metrics}() "
              "unconditionally in the finally",
    "GOV004": "GOV004 state {state!r} reaching {metrics}() is not a lifecycle state; "
              "use one of {states}",
    "GOV005": "GOV005 {member} is not a lifecycle state; use one of {states}",
    "GOV006": "GOV006 tool name falls back to hard-coded {value!r}; require an explicit tool name",
    "GOV007": "GOV007 getattr() with a dynamic name on a plugin can reach {run}(); "
              "use a constant attribute name or execute through {runner}()",
    "GOV101": "GOV101 {access} runs without input validation; call {validator}() before it",
    "GOV102": "GOV102 {access} output is not validated; call {validator}() on it in the try body",
    "GOV103": "GOV103 {access} failure is not wrapped in an error envelope; catch Exception "
              "and call {builder}()",
    "GOV201": "GOV201 route {route} has no auth dependency; add Depends({auth})",
    "GOV202": "GOV202 route answers HTTP {status}; map errors to 400/404/409, never {status}",
}

GOV003_PROBLEMS = {
    "missing": "is missing the metrics call",
    "conditional": "makes the metrics call conditional",
}


def message(code: str, **fields: object) -> str:
    """Render the message of ``code``."""
    return MESSAGES[code].format(**fields)
