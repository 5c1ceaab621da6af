from typing import Annotated

from fastapi import Depends

from .security import require_auth as authenticated


class User:
    name = "u"


def optional_user():
    return None


CurrentUser = Annotated[User, Depends(authenticated)]
MaybeUser = Annotated[User, Depends(optional_user)]
AUTH = [Depends(authenticated)]
