"""OneLogin."""

from typing import List, Optional

from .. import _sim
from ..user import User


def list_roles(name_filter: Optional[str] = None) -> List[dict]:
    return _sim.call("onelogin.list_roles", locals(), kind="list")


def get_user_info(user: User) -> dict:
    return _sim.call("onelogin.get_user_info", locals(), kind="dict")


def users_in_role(role_id: int) -> List[User]:
    return _sim.call("onelogin.users_in_role", locals(), kind="users")


def is_user_in_role(user: User, *, role_id: int) -> bool:
    return _sim.call("onelogin.is_user_in_role", locals(), kind="bool")
