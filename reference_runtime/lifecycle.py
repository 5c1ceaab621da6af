"""Plugin lifecycle states: the only states execution metrics may record."""

from __future__ import annotations

import enum


class LifecycleState(str, enum.Enum):
    """Where a plugin is in its life.

    Contract: these five members are the whole vocabulary. There is no ``SUCCESS`` or
    ``ERROR``: a successful execution leaves the plugin ``INITIALIZED`` (ready for the
    next call), a failed one ``FAILED``. Job outcomes (``SUCCESS``/``FAILED``) are a
    different vocabulary, :class:`reference_runtime.jobs.JobStatus`.
    """

    LOADED = "LOADED"
    INITIALIZED = "INITIALIZED"
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    UNAVAILABLE = "UNAVAILABLE"

    @classmethod
    def parse(cls, state: object) -> "LifecycleState":
        """Accept a member or its exact name; reject anything else with a clear error."""
        if isinstance(state, cls):
            return state
        if isinstance(state, str) and state in cls.__members__:
            return cls[state]
        valid = ", ".join(cls.__members__)
        raise ValueError(f"invalid lifecycle state {state!r}; expected one of {valid}")
