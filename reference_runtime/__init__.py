"""A small runtime that obeys every execution-governance contract (standard library only).

It is both a working example and flake8-execgov's main fixture: ``flake8 --select=GOV``
finds nothing here, and breaking one contract in a copy yields exactly its code.
"""

from .analysis import AnalysisExecutionService
from .errors import (ConflictError, ExecutionError, InvalidRequestError, JobNotFoundError,
                     JobStateConflictError, NotFoundError, OutputValidationError,
                     PayloadValidationError, PluginNotFoundError)
from .jobs import Job, JobExecutionService, JobStatus
from .lifecycle import LifecycleState
from .plugins import BasePlugin, EchoPlugin, WordCountPlugin
from .registry import PluginMetrics, PluginRegistry
from .runner import ToolRunner
from .services import PluginExecutionService
from .validation import ErrorEnvelope, build_error_envelope, validate_input_payload, validate_plugin_output


class Runtime:
    """The services wired together, sharing one registry and one jobs service."""

    def __init__(self, registry: "PluginRegistry | None" = None) -> None:
        self.registry = registry if registry is not None else PluginRegistry()
        self.runner = ToolRunner(self.registry)
        self.plugins = PluginExecutionService(self.runner)
        self.jobs = JobExecutionService(self.plugins)
        self.analysis = AnalysisExecutionService(self.jobs)


__all__ = [
    "AnalysisExecutionService", "BasePlugin", "ConflictError", "EchoPlugin", "ErrorEnvelope",
    "ExecutionError", "InvalidRequestError", "Job", "JobExecutionService", "JobNotFoundError",
    "JobStateConflictError", "JobStatus", "LifecycleState", "NotFoundError",
    "OutputValidationError", "PayloadValidationError", "PluginExecutionService",
    "PluginMetrics", "PluginNotFoundError", "PluginRegistry", "Runtime", "ToolRunner",
    "WordCountPlugin", "build_error_envelope", "validate_input_payload",
    "validate_plugin_output",
]
