"""The HTTP layer through FastAPI's test client: auth, error mapping, submit/poll/result."""

from __future__ import annotations

import time
from typing import Any

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from reference_runtime import Runtime  # noqa: E402
from reference_runtime.api import create_app  # noqa: E402

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

ENDPOINTS = [
    ("post", "/analyses", {"tool_name": "echo"}),
    ("post", "/analyses/submit", {"tool_name": "echo"}),
    ("get", "/jobs", None),
    ("get", "/jobs/job-1", None),
    ("get", "/jobs/job-1/result", None),
    ("post", "/jobs/job-1/cancel", None),
]


@pytest.fixture
def client(runtime: Runtime) -> Any:
    with TestClient(create_app(runtime, api_token=TOKEN)) as test_client:
        yield test_client


@pytest.mark.parametrize("method, path, body", ENDPOINTS)
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Basic czNjcmV0"}])
def test_every_endpoint_requires_auth(client: Any, method: str, path: str, body: Any,
                                      headers: dict[str, str]) -> None:
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_no_configured_token_refuses_everything(runtime: Runtime, monkeypatch: Any) -> None:
    monkeypatch.delenv("EXECGOV_API_TOKEN", raising=False)
    with TestClient(create_app(runtime)) as anonymous:
        assert anonymous.get("/jobs", headers=AUTH).status_code == 401
    monkeypatch.setenv("EXECGOV_API_TOKEN", TOKEN)
    with TestClient(create_app(runtime)) as configured:
        assert configured.get("/jobs", headers=AUTH).status_code == 200


def test_default_app_serves_the_demo_plugins() -> None:
    with TestClient(create_app(api_token=TOKEN)) as served:
        response = served.post("/analyses", headers=AUTH,
                               json={"tool_name": "wordcount", "payload": {"text": "a b c"}})
        assert response.json() == {"result": {"words": 3}, "error": None}


def test_synchronous_analysis(client: Any) -> None:
    ok = client.post("/analyses", json={"tool_name": "wordcount", "payload": {"text": "a b"}},
                     headers=AUTH)
    assert ok.status_code == 200 and ok.json() == {"result": {"words": 2}, "error": None}
    failed = client.post("/analyses", json={"tool_name": "wordcount", "payload": {}}, headers=AUTH)
    assert failed.status_code == 200
    assert failed.json()["result"] is None and failed.json()["error"]["type"] == "KeyError"
    assert set(failed.json()["error"]) == {"type", "message", "details", "plugin", "timestamp"}


@pytest.mark.parametrize("body, status_code, error_type", [
    ({"tool_name": "nope"}, 404, "PluginNotFoundError"),
    ({"payload": {}}, 400, "InvalidRequestError"),
    ({"tool_name": ""}, 400, "InvalidRequestError"),
    ({"tool_name": "echo", "payload": [1]}, 400, "InvalidRequestError"),
])
def test_error_mapping(client: Any, body: Any, status_code: int, error_type: str) -> None:
    for path in ("/analyses", "/analyses/submit"):
        response = client.post(path, json=body, headers=AUTH)
        assert response.status_code == status_code
        assert response.json()["error"]["type"] == error_type


def test_unknown_job_is_404(client: Any) -> None:
    for method, path in [("get", "/jobs/job-404"), ("get", "/jobs/job-404/result"),
                         ("post", "/jobs/job-404/cancel")]:
        response = client.request(method, path, headers=AUTH)
        assert response.status_code == 404 and response.json()["error"]["type"] == "JobNotFoundError"


def test_submit_poll_result(client: Any, runtime: Runtime) -> None:
    blocking = runtime.registry.get_plugin("blocking")
    submitted = client.post("/analyses/submit", json={"tool_name": "blocking"}, headers=AUTH)
    assert submitted.status_code == 202
    job_id = submitted.json()["job_id"]
    assert blocking.started.wait(5)  # type: ignore[attr-defined]
    running = client.get(f"/jobs/{job_id}", headers=AUTH).json()
    assert running["status"] == "RUNNING"
    early = client.get(f"/jobs/{job_id}/result", headers=AUTH)
    assert early.status_code == 409 and early.json()["error"]["type"] == "JobStateConflictError"
    assert client.post(f"/jobs/{job_id}/cancel", headers=AUTH).status_code == 409
    blocking.release.set()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 10
    while client.get(f"/jobs/{job_id}", headers=AUTH).json()["status"] != "SUCCESS":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    result = client.get(f"/jobs/{job_id}/result", headers=AUTH)
    assert result.status_code == 200
    assert result.json() == {"id": job_id, "status": "SUCCESS", "result": {"released": True},
                             "error": None}


def test_list_filter_and_cancel(client: Any, runtime: Runtime) -> None:
    pending = runtime.jobs.create_job("echo", {})
    client.post("/analyses", json={"tool_name": "echo"}, headers=AUTH)
    listed = client.get("/jobs", headers=AUTH).json()
    assert [j["status"] for j in listed] == ["PENDING", "SUCCESS"]
    only = client.get("/jobs", params={"status": "PENDING"}, headers=AUTH).json()
    assert [j["id"] for j in only] == [pending.id]
    assert client.get("/jobs", params={"status": "BOGUS"}, headers=AUTH).status_code == 400
    cancelled = client.post(f"/jobs/{pending.id}/cancel", headers=AUTH)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "CANCELLED"
    again = client.post(f"/jobs/{pending.id}/cancel", headers=AUTH)
    assert again.status_code == 409
    cancelled_result = client.get(f"/jobs/{pending.id}/result", headers=AUTH)
    assert cancelled_result.status_code == 200 and cancelled_result.json()["status"] == "CANCELLED"
