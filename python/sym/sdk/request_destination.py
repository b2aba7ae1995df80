"""Where request messages go (Slack channels, users, groups)."""

from typing import List, Optional

from . import _model as _m


class RequestDestination(_m.Model):
    """A place a request can be sent to."""

    _own_fields = {
        "allow_self": _m.F(_m.v_bool, False),
        "timeout": _m.F(_m.optional(_m.v_int), None),
    }

    allow_self: bool
    timeout: Optional[int]

    @classmethod
    def parse_obj(cls, obj):
        return _m.call_checked(cls.__name__, _real_type(cls), obj)


class SlackRequestDestination(RequestDestination):
    """A Slack destination."""


def _nonempty(prefixes=None, what="value"):
    def check(v):
        v = _m.v_str(v).strip()
        if not v:
            _m.fail("%s must not be empty" % what)
        if prefixes and v[0] not in prefixes:
            _m.fail("%s must start with one of %s" % (what, ", ".join(prefixes)))
        return v

    return check


class SlackChannelID(SlackRequestDestination):
    _own_fields = {"channel_id": _m.F(lambda v: SlackChannelID.validate_channel_id_format(v))}
    channel_id: str

    @classmethod
    def validate_channel_id_format(cls, value):
        return _nonempty("CDG", "a Slack channel ID")(value)

    def __str__(self):
        return "SlackChannelID '%s'" % self.channel_id


class SlackChannelName(SlackRequestDestination):
    _own_fields = {"channel_name": _m.F(lambda v: SlackChannelName.validate_channel_name_format(v))}
    channel_name: str

    @classmethod
    def validate_channel_name_format(cls, value):
        return _nonempty(None, "a Slack channel name")(value)

    def __str__(self):
        return "SlackChannelName '%s'" % self.channel_name


class SlackUser(SlackRequestDestination):
    _own_fields = {"user_id": _m.F(lambda v: SlackUser.validate_user_id_format(v))}
    user_id: str

    @classmethod
    def validate_user_id_format(cls, value):
        return _nonempty("UW", "a Slack user ID")(value)

    def mention(self) -> str:
        return "<@%s>" % self.user_id

    def __str__(self):
        return "SlackUser '%s'" % self.user_id


class SlackUserGroup(SlackRequestDestination):
    _own_fields = {"users": _m.F(_m.list_of(lambda v: _real_type(SlackUser)(v), 1, 7))}
    users: List[SlackUser]

    def __str__(self):
        return "SlackUserGroup '%s'" % ",".join(u.user_id for u in self.users)


def _real_type(cls=None):
    """The validator of a field holding a RequestDestination, as sym-sdk's
    `RequestDestination._convert_to_real_type_`: an instance of `cls` is kept,
    a dict becomes the concrete class its keys name (`channel_name` ->
    SlackChannelName, `channel_id` -> SlackChannelID, `user_id` -> SlackUser,
    `users` -> SlackUserGroup; a legacy `{lookup_type, allow_self, ...}` the
    base class), and anything else is rejected."""

    def check(v):
        base = cls or RequestDestination
        if isinstance(v, base):
            return v
        if not isinstance(v, dict):
            _m.fail("Failed to parse RequestDestination data: expected a RequestDestination or a dict, got %s" % type(v).__name__)
        for key, target in (
            ("channel_name", SlackChannelName),
            ("channel_id", SlackChannelID),
            ("user_id", SlackUser),
            ("users", SlackUserGroup),
        ):
            if key in v:
                break
        else:
            if {"lookup_type", "allow_self"} < set(v.keys()):
                target = base
            else:
                _m.fail("Failed to parse RequestDestination data: Unknown type of RequestDestination.")
        try:
            return target(**v)
        except (_m.ValidationError, TypeError) as e:
            _m.fail("Failed to parse RequestDestination data: %s" % e)

    return check


class RequestDestinationFallback(_m.Model):
    """Destinations tried in order (for `get_approvers`)."""

    _own_fields = {
        "destinations": _m.F(_m.list_of(_real_type())),
        "continue_on_delivery_failure": _m.F(_m.v_bool, True),
        "continue_on_timeout": _m.F(_m.v_bool, False),
    }

    destinations: List[RequestDestination]
    continue_on_delivery_failure: bool
    continue_on_timeout: bool


class RequestForwardContext(_m.Model):
    """Passed to request_forward hooks: where the request was and goes next."""

    _own_fields = {
        "all_request_destinations": _m.F(_m.list_of(_real_type())),
        "current_destination_index": _m.F(_m.v_int),
        "next_destination_index": _m.F(_m.optional(_m.v_int)),
    }

    all_request_destinations: List[RequestDestination]
    current_destination_index: int
    next_destination_index: Optional[int]
