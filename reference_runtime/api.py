"""Optional HTTP layer (``pip install flake8-execgov[api]``): the execution services as a
FastAPI router.

Contracts, each checked by flake8-execgov:

- every endpoint requires authentication: ``Depends(require_auth)``, a bearer-token check
  answering 401 on a missing or wrong token (GOV201);
- errors map from the runtime's typed errors to 400 (validation), 404 (unknown job or
  plugin) and 409 (state conflict) -- never 500 (GOV202).

The core runtime stays standard-library only: nothing else imports this module.
"""

from __future__ import annotations

import hmac
import os
from typing import Any, Optional

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from . import Runtime
from .errors import ExecutionError, JobStateConflictError, PluginNotFoundError
from .jobs import FINISHED, Job, JobStatus
from .plugins import EchoPlugin, WordCountPlugin
from .validation import ErrorEnvelope

TOKEN_ENV = "EXECGOV_API_TOKEN"

_bearer = HTTPBearer(auto_error=False)


class AnalysisRequest(BaseModel):
    """A request to analyze ``payload`` with the plugin ``tool_name`` (required)."""

    tool_name: str = Field(min_length=1)
    payload: dict[str, Any] = Field(default_factory=dict)


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def require_auth(request: Request,
                 credentials: Optional[HTTPAuthorizationCredentials] = Depends(_bearer)) -> str:
    """The bearer token must equal the configured one (compared in constant time)."""
    expected: Optional[str] = request.app.state.api_token
    given = credentials.credentials if credentials is not None else None
    if not expected or given is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status_code=status.HTTP_401_UNAUTHORIZED,
                            detail="missing or invalid bearer token",
                            headers={"WWW-Authenticate": "Bearer"})
    return "api-client"


def _envelope(error: Optional[ErrorEnvelope]) -> Optional[dict[str, Any]]:
    return error.to_dict() if error is not None else None


def _job(job: Job) -> dict[str, Any]:
    return {"id": job.id, "tool_name": job.plugin_name, "status": job.status.value,
            "created_at": job.created_at, "started_at": job.started_at,
            "finished_at": job.finished_at}


def _known_tool(runtime: Runtime, tool_name: str) -> str:
    if tool_name not in runtime.registry.names():
        raise PluginNotFoundError(f"no plugin named {tool_name!r}")
    return tool_name


router = APIRouter()


@router.post("/analyses", dependencies=[Depends(require_auth)])
async def analyze(body: AnalysisRequest, request: Request) -> dict[str, Any]:
    """Run an analysis and answer with its result or its error envelope."""
    runtime = _runtime(request)
    result, error = await runtime.analysis.analyze(_known_tool(runtime, body.tool_name),
                                                   body.payload)
    return {"result": result, "error": _envelope(error)}


@router.post("/analyses/submit", status_code=status.HTTP_202_ACCEPTED,
             dependencies=[Depends(require_auth)])
async def submit_analysis(body: AnalysisRequest, request: Request) -> dict[str, Any]:
    """Start an analysis in the background; answer with its job id at once."""
    runtime = _runtime(request)
    job_id = await runtime.analysis.submit_analysis(_known_tool(runtime, body.tool_name),
                                                    body.payload)
    return {"job_id": job_id}


@router.get("/jobs", dependencies=[Depends(require_auth)])
async def list_jobs(request: Request, job_status: Optional[JobStatus] = Query(None, alias="status"),
                    ) -> list[dict[str, Any]]:
    return [_job(job) for job in _runtime(request).jobs.list_jobs(job_status)]


@router.get("/jobs/{job_id}", dependencies=[Depends(require_auth)])
async def get_job(job_id: str, request: Request) -> dict[str, Any]:
    return _job(_runtime(request).jobs.get_job(job_id))


@router.get("/jobs/{job_id}/result", dependencies=[Depends(require_auth)])
async def job_result(job_id: str, request: Request) -> dict[str, Any]:
    """A finished job's result or error envelope; 409 while it is still pending or running."""
    job = _runtime(request).jobs.get_job(job_id)
    if job.status not in FINISHED:
        raise JobStateConflictError(f"job {job_id} is {job.status.value}; it has no result yet")
    return {"id": job.id, "status": job.status.value, "result": job.result,
            "error": _envelope(job.error)}


@router.post("/jobs/{job_id}/cancel", dependencies=[Depends(require_auth)])
async def cancel_job(job_id: str, request: Request) -> dict[str, Any]:
    return _job(_runtime(request).jobs.cancel_job(job_id))


async def _typed_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ExecutionError)
    return JSONResponse({"error": {"type": type(exc).__name__, "message": str(exc)}},
                        status_code=exc.http_status)


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"error": {"type": "InvalidRequestError", "message": "invalid request",
                                   "details": exc.errors()}},
                        status_code=status.HTTP_400_BAD_REQUEST)


def create_app(runtime: Optional[Runtime] = None, api_token: Optional[str] = None) -> FastAPI:
    """The app: the router, the error mapping, and the token (default: ``$EXECGOV_API_TOKEN``;
    without one every request is refused with 401). Without a runtime, a new one with the
    demo plugins ``echo`` and ``wordcount``."""
    app = FastAPI(title="reference_runtime")
    if runtime is None:  # served as is: the two demo plugins
        runtime = Runtime()
        runtime.registry.register("echo", EchoPlugin())
        runtime.registry.register("wordcount", WordCountPlugin())
    app.state.runtime = runtime
    app.state.api_token = api_token if api_token is not None else os.environ.get(TOKEN_ENV)
    app.add_exception_handler(ExecutionError, _typed_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.include_router(router)
    return app
