"""Every finding's message template, in one registry view (the rule units own the text)."""

from __future__ import annotations

from .rules import RULES

MESSAGES: dict[str, str] = {rule.code: rule.message for rule in RULES}
