"""Sym itself: users."""

from typing import List

from .. import _sim
from ..user import User


def get_or_create_user_by_email(email: str) -> User:
    return _sim.call("sym.get_or_create_user_by_email", locals(), kind="user_by_email")


def get_or_create_users_by_emails(emails: List[str], raise_on_error: bool = False) -> List[User]:
    return _sim.call("sym.get_or_create_users_by_emails", locals(), kind="users_by_emails")
