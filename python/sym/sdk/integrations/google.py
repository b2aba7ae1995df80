"""Google Workspace."""

from typing import List, Optional

from .. import _sim
from ..exceptions.google import GoogleError  # noqa: F401
from ..user import User


def is_user_in_group(user: User, *, group_email: str) -> bool:
    return _sim.call("google.is_user_in_group", locals(), kind="bool")


def list_groups(domain: Optional[str] = None) -> List[dict]:
    return _sim.call("google.list_groups", locals(), kind="list")


def users_in_group(group_email: str, *, include_indirect_members: bool = True) -> List[User]:
    return _sim.call("google.users_in_group", locals(), kind="users")
