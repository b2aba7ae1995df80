"""AWS IAM Identity Center (SSO)."""

from typing import List, Optional

from .. import _sim
from ..exceptions.aws import AWSSSOError  # noqa: F401
from ..user import User


def is_user_in_group(user: User, *, group_name: str) -> bool:
    return _sim.call("aws_sso.is_user_in_group", locals(), kind="bool")


def list_groups() -> List[dict]:
    return _sim.call("aws_sso.list_groups", locals(), kind="list")


def users_in_group(group_name: str) -> List[User]:
    return _sim.call("aws_sso.users_in_group", locals(), kind="users")


def list_accounts(organizational_unit_id: Optional[str] = None) -> List[dict]:
    return _sim.call("aws_sso.list_accounts", locals(), kind="list")
