"""Where request messages go (Slack channels, users, groups)."""

from typing import List, Optional

from . import _model as m


class RequestDestination(m.Model):
    """A place a request can be sent to."""

    _own_fields = {
        "allow_self": m.F(m.v_bool, False),
        "timeout": m.F(m.optional(m.v_int), None),
    }

    allow_self: bool
    timeout: Optional[int]

    @classmethod
    def parse_obj(cls, obj):
        if isinstance(obj, RequestDestination):
            return obj
        if isinstance(obj, dict) and cls is RequestDestination:
            for key, target in (
                ("channel_name", SlackChannelName),
                ("channel_id", SlackChannelID),
                ("user_id", SlackUser),
                ("users", SlackUserGroup),
            ):
                if key in obj:
                    return target(**obj)
        return super().parse_obj(obj)


class SlackRequestDestination(RequestDestination):
    """A Slack destination."""


def _nonempty(prefixes=None, what="value"):
    def check(v):
        v = m.v_str(v).strip()
        if not v:
            m.fail("%s must not be empty" % what)
        if prefixes and v[0] not in prefixes:
            m.fail("%s must start with one of %s" % (what, ", ".join(prefixes)))
        return v

    return check


class SlackChannelID(SlackRequestDestination):
    _own_fields = {"channel_id": m.F(_nonempty("CDG", "a Slack channel ID"))}
    channel_id: str

    def __str__(self):
        return "SlackChannelID '%s'" % self.channel_id


class SlackChannelName(SlackRequestDestination):
    _own_fields = {"channel_name": m.F(_nonempty(None, "a Slack channel name"))}
    channel_name: str

    def __str__(self):
        return "SlackChannelName '%s'" % self.channel_name


class SlackUser(SlackRequestDestination):
    _own_fields = {"user_id": m.F(_nonempty("UW", "a Slack user ID"))}
    user_id: str

    def mention(self) -> str:
        return "<@%s>" % self.user_id

    def __str__(self):
        return "SlackUser '%s'" % self.user_id


class SlackUserGroup(SlackRequestDestination):
    _own_fields = {"users": m.F(m.list_of(m.model_of(SlackUser), 1, 7))}
    users: List[SlackUser]

    def __str__(self):
        return "SlackUserGroup '%s'" % ",".join(u.user_id for u in self.users)


class RequestDestinationFallback(m.Model):
    """Destinations tried in order (for `get_approvers`)."""

    _own_fields = {
        "destinations": m.F(m.list_of(m.model_of(RequestDestination))),
        "continue_on_delivery_failure": m.F(m.v_bool, True),
        "continue_on_timeout": m.F(m.v_bool, False),
    }

    destinations: List[RequestDestination]
    continue_on_delivery_failure: bool
    continue_on_timeout: bool


class RequestForwardContext(m.Model):
    """Passed to request_forward hooks: where the request was and goes next."""

    _own_fields = {
        "all_request_destinations": m.F(m.list_of(m.model_of(RequestDestination))),
        "current_destination_index": m.F(m.v_int),
        "next_destination_index": m.F(m.optional(m.v_int)),
    }

    all_request_destinations: List[RequestDestination]
    current_destination_index: int
    next_destination_index: Optional[int]
