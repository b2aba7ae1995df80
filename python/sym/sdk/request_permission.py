"""Who may see and act on a request (returned by `get_permissions`)."""

from enum import Enum
from typing import List, Union
from uuid import UUID

from . import _model as _m


class PermissionLevel(str, Enum):
    ADMIN = "admin"
    MEMBER = "member"
    ALL_USERS = "all_users"


def _permission(v):
    if isinstance(v, (list, tuple, set, frozenset)):
        if len(v) == 0:
            _m.fail("must not be empty")
        out = []
        for item in v:
            try:
                out.append(_m.v_uuid(item))
            except _m._Invalid:
                _m.fail("a list must contain user IDs (UUIDs); use user_ids() to turn users into IDs")
        return out
    if v is None or v == "":
        _m.fail("must not be empty")
    try:
        return PermissionLevel(v)
    except ValueError:
        _m.fail("must be a PermissionLevel or a list of user IDs")


class RequestPermission(_m.Model):
    """Who may view the request in the web app and who may approve or deny it."""

    _own_fields = {
        "webapp_view": _m.F(lambda v: RequestPermission.validate_list_of_uuids(v)),
        "approve_deny": _m.F(lambda v: RequestPermission.validate_list_of_uuids(v)),
        "allow_self_approval": _m.F(_m.v_bool, False),
    }

    webapp_view: Union[PermissionLevel, List[UUID]]
    approve_deny: Union[PermissionLevel, List[UUID]]
    allow_self_approval: bool

    @classmethod
    def validate_list_of_uuids(cls, value):
        return _permission(value)
