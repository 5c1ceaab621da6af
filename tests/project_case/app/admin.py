from fastapi import APIRouter

from . import deps as d
from .deps import AUTH, MaybeUser

admin = APIRouter(dependencies=AUTH)
other = APIRouter()


@admin.get("/a")
def a():
    return {}


@other.get("/b")
def b(user: d.CurrentUser):
    return {}


@other.get("/c")
def c(user: MaybeUser):  # expect: GOV201:1
    return {}
