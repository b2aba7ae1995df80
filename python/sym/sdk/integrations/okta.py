"""Okta."""

from typing import List, Optional

from .. import _sim
from ..exceptions.okta import OktaError  # noqa: F401
from ..user import User


def is_user_in_group(user: User, *, group_id: str) -> bool:
    return _sim.call("okta.is_user_in_group", locals(), kind="bool")


def users_in_group(*, group_id: str) -> List[User]:
    return _sim.call("okta.users_in_group", locals(), kind="users")


def get_user_info(user: User) -> dict:
    return _sim.call("okta.get_user_info", locals(), kind="dict")


def list_groups(
    *,
    name_filter: Optional[str] = None,
    filter: Optional[str] = None,
    expand: Optional[List[str]] = None,
    only_native_groups: bool = True,
) -> List[dict]:
    return _sim.call("okta.list_groups", locals(), kind="list")
