"""GOV201 (route without auth) and GOV202 (route answering 500)."""
from http import HTTPStatus
from typing import Annotated
from unittest import mock

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Security, status
from fastapi.responses import JSONResponse, PlainTextResponse
from app.auth import require_auth, require_auth as auth_alias

app = FastAPI()
router = APIRouter()
secure = APIRouter(dependencies=[Depends(require_auth)])
included = APIRouter()
CurrentUser = Annotated[dict, Depends(require_auth)]
AUTH = [Depends(require_auth)]
OTHER = [Depends(get_db)]
shared = APIRouter(dependencies=AUTH)


@router.get("/open")
def open_route():  # expect: GOV201:1
    return {}


@router.post("/items", status_code=201)
async def create(item: dict):  # expect: GOV201:1
    return item


@router.get("/a")
def param_default(user=Depends(require_auth)):
    return user


@router.get("/b")
def security(user=Security(require_auth, scopes=["x"])):
    return user


@router.get("/c")
def annotated(user: Annotated[dict, Depends(require_auth)]):
    return user


@router.get("/d")
def alias_type(user: CurrentUser):
    return user


@router.get("/e", dependencies=[Depends(require_auth)])
def decorator_dependency():
    return {}


@router.get("/f")
def called_dependency(user=Depends(auth_alias())):
    return user


@secure.get("/g")
def router_level():
    return {}


@included.delete("/h")
def include_level():
    return {}


@router.get("/i")
def other_dependency(db=Depends(get_db)):  # expect: GOV201:1
    return db


@router.get("/j", dependencies=AUTH)
def shared_list():
    return {}


@router.get("/k", dependencies=OTHER)
def other_list():  # expect: GOV201:1
    return {}


@shared.get("/l")
def shared_router():
    return {}


@router.get("/health")
def health():
    return {"ok": True}


@router.get("/metrics/")
def metrics():
    return {}


@app.websocket("/ws")
async def ws(socket):  # expect: GOV201:1
    pass


@mock.patch("app.module.thing")
def test_patched(thing):
    return thing


@router.get("/errors", dependencies=[Depends(require_auth)])
def errors(flag: int):
    if flag == 1:
        raise HTTPException(status_code=500, detail="x")  # expect: GOV202:15
    if flag == 2:
        raise HTTPException(500)  # expect: GOV202:15
    if flag == 3:
        return JSONResponse({"e": 1}, status_code=status.HTTP_500_INTERNAL_SERVER_ERROR)  # expect: GOV202:16
    if flag == 4:
        return PlainTextResponse("x", status_code=HTTPStatus.INTERNAL_SERVER_ERROR)  # expect: GOV202:16

    def nested():
        raise HTTPException(status_code=HTTPStatus.INTERNAL_SERVER_ERROR.value)  # expect: GOV202:15

    if flag == 5:
        raise HTTPException(status_code=404)
    if flag == 6:
        raise HTTPException(status.HTTP_409_CONFLICT)
    return JSONResponse({"ok": 1}, status_code=200)


def not_a_route():
    raise HTTPException(status_code=500)


app.include_router(included, prefix="/x", dependencies=[Depends(require_auth)])


@late.get("/late-router")
def late_router():
    return {}


@router.get("/late-list", dependencies=LATE_AUTH)
def late_list():
    return {}


LATE_AUTH = [Depends(require_auth)]
late = APIRouter(dependencies=LATE_AUTH)
