"""Request notifications (returned by `get_request_notifications`)."""

from typing import List, Optional, Union

from . import _model as m
from .request_destination import RequestDestination, SlackRequestDestination
from .user import User


def _destination(v):
    if isinstance(v, User):
        return v
    return m.model_of(RequestDestination)(v)


class Notification(m.Model):
    """Where to send a request, and how long to wait before the next one."""

    _own_fields = {
        "destinations": m.F(m.list_of(_destination, 1)),
        "timeout": m.F(m.optional(m.v_int), None),
    }

    destinations: List[Union[RequestDestination, User]]
    timeout: Optional[int]

    @classmethod
    def _check(cls, values):
        slack = [d for d in values["destinations"] if isinstance(d, SlackRequestDestination)]
        if len(slack) > 1:
            m.fail("a Notification may have at most one Slack destination")
        return values
