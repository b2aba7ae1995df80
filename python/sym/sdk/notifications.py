"""Request notifications (returned by `get_request_notifications`)."""

from typing import List, Optional, Union

from . import _model as _m
from .request_destination import RequestDestination, SlackRequestDestination, _real_type
from .user import User


def _destination(v):
    # Union[RequestDestination, User]: a dict becomes its concrete Slack
    # destination (`{"channel_name": "#x"}` -> SlackChannelName), as in sym-sdk.
    if isinstance(v, User):
        return v
    return _real_type()(v)


class Notification(_m.Model):
    """Where to send a request, and how long to wait before the next one."""

    _own_fields = {
        "destinations": _m.F(_m.list_of(_destination, 1)),
        "timeout": _m.F(_m.optional(_m.v_int), None),
    }

    destinations: List[Union[RequestDestination, User]]
    timeout: Optional[int]

    @classmethod
    def ensure_only_one_slack_destination(cls, value):
        slack = [d for d in value if isinstance(d, SlackRequestDestination)]
        if len(slack) > 1:
            raise ValueError("a Notification may have at most one Slack destination")
        return value

    @classmethod
    def _check(cls, values):
        values["destinations"] = cls.ensure_only_one_slack_destination(values["destinations"])
        return values
