"""Typed errors, each mapped to the HTTP status an API answers with -- never 500.

=====================  ======  ==========================================
error                  status  meaning
=====================  ======  ==========================================
InvalidRequestError    400     the caller sent something invalid
NotFoundError          404     an unknown plugin or job
ConflictError          409     the request conflicts with the current state
=====================  ======  ==========================================

A plugin's own failure is not raised to callers at all: the runner returns it as a
structured error envelope (see :mod:`reference_runtime.validation`).
"""

from __future__ import annotations

from typing import ClassVar


class ExecutionError(Exception):
    """Base of every error the runtime raises to its callers."""

    http_status: ClassVar[int] = 400


class InvalidRequestError(ExecutionError, ValueError):
    """400: the request is invalid (e.g. a payload that fails input validation)."""

    http_status = 400


class PayloadValidationError(InvalidRequestError):
    """400: the payload given for a plugin is not a valid input."""


class OutputValidationError(ExecutionError, ValueError):
    """A plugin returned an invalid result; it reaches callers only inside an envelope."""


class NotFoundError(ExecutionError, LookupError):
    """404: the named resource does not exist."""

    http_status = 404


class PluginNotFoundError(NotFoundError):
    """404: no plugin is registered under that name."""


class JobNotFoundError(NotFoundError):
    """404: no job has that id."""


class ConflictError(ExecutionError):
    """409: the operation conflicts with the resource's current state."""

    http_status = 409


class JobStateConflictError(ConflictError):
    """409: e.g. cancelling a job that already finished, or running one twice."""
