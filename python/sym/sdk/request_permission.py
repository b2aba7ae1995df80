"""Who may see and act on a request (returned by `get_permissions`)."""

from enum import Enum
from typing import List, Union
from uuid import UUID

from . import _model as _m


class PermissionLevel(str, Enum):
    ADMIN = "admin"
    MEMBER = "member"
    ALL_USERS = "all_users"


_USER_IDS_HINT = "use sym.sdk.user.user_ids() to turn a list of users into a list of user IDs"


def _permission(v):
    # As sym-sdk's `validate_list_of_uuids` (a pre-validator): only a real
    # list counts as a list of IDs; a set, tuple or generator is rejected
    # like any other value that is not a PermissionLevel.
    if not v:
        _m.fail("must not be empty")
    if isinstance(v, list):
        out = []
        for item in v:
            try:
                out.append(_m.v_uuid(item if isinstance(item, _m._uuid.UUID) else str(item)))
            except _m._Invalid:
                _m.fail("a list must contain user IDs (UUIDs); " + _USER_IDS_HINT)
        return out
    try:
        return PermissionLevel(v)
    except (ValueError, TypeError):
        if isinstance(v, str):
            _m.fail("%r is not a PermissionLevel (admin, member or all_users) or a list of user IDs" % (v,))
        _m.fail("Invalid input. Must be a PermissionLevel or a list of user IDs (List[UUID]), not a %s; %s" % (type(v).__name__, _USER_IDS_HINT))


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
