"""Corners of the rules: walrus and cyclic state names, decorator shapes, status spellings."""
from http import HTTPStatus

from fastapi import APIRouter, Depends, HTTPException
from unittest import mock

router = APIRouter()
TARGET = "pkg.module.attr"


def states(name, other):
    update_execution_metrics(name, (s := "SUCCESS"), 1, False)  # expect: GOV004:42
    a = b
    b = a
    update_execution_metrics(name, a, 1, False)
    update_execution_metrics(name, *other)
    update_execution_metrics(name, state=s)
    return s


@router.get()
def no_path():
    return {}


@mock.patch(TARGET)
def patched(thing):
    return thing


@router.get(path="/kw")
def keyword_path():  # expect: GOV201:1
    return {}


@router.get(path="/dep")
def keyword_dependency(user=Depends(dependency=require_auth)):
    raise HTTPException(status_code=compute_status())


@router.get("/statuses", dependencies=[Depends(require_auth)])
def statuses():
    raise HTTPException(status_code=HTTPStatus.NOT_A_STATUS)


@router.get(ROUTE_PATH)
def dynamic_path():  # expect: GOV201:1
    return {}


make_app().include_router(build_router(), dependencies=[Depends(require_auth)])
