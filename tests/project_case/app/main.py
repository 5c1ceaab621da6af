from fastapi import Depends, FastAPI

from app.admin import admin, other
from app.routes import router

from .security import require_auth


def create_app():
    app = FastAPI()
    app.include_router(router, dependencies=[Depends(require_auth)])
    app.include_router(admin)
    app.include_router(other)
    return app


@FastAPI().get("/here")
def here():  # expect: GOV201:1
    return {}
