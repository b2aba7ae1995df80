"""Slack: request destinations and messages."""

from typing import List, Optional, Sequence, Union

from .. import _sim
from ..exceptions.slack import SlackError  # noqa: F401
from ..request_destination import (
    RequestDestination,
    RequestDestinationFallback,
    SlackChannelID,
    SlackChannelName,
    SlackUser,
    SlackUserGroup,
)
from ..user import User


def user(identifier: Union[str, User], allow_self: bool = False, timeout: Optional[int] = None) -> SlackUser:
    """A Slack user as a destination (Slack ID, email, `@Display Name` or a User)."""
    return SlackUser(user_id=_sim.slack_user_id(identifier), allow_self=allow_self, timeout=timeout)


def mention(identifier: Union[str, User]) -> str:
    """Slack markup that mentions a user."""
    return "<@%s>" % _sim.slack_user_id(identifier)


def channel(name: str, allow_self: bool = False, timeout: Optional[int] = None) -> Union[SlackChannelID, SlackChannelName]:
    """A Slack channel by `#name` or ID."""
    if _sim.looks_like_channel_id(name):
        return SlackChannelID(channel_id=name, allow_self=allow_self, timeout=timeout)
    return SlackChannelName(channel_name=name, allow_self=allow_self, timeout=timeout)


def group(users: Sequence[Union[str, User]], allow_self: bool = False, timeout: Optional[int] = None) -> SlackUserGroup:
    """A group DM with 1 to 7 users."""
    members = [SlackUser(user_id=_sim.slack_user_id(u)) for u in users]
    return SlackUserGroup(users=members, allow_self=allow_self, timeout=timeout)


def fallback(
    *destinations: RequestDestination,
    continue_on_delivery_failure: Optional[bool] = True,
    continue_on_timeout: Optional[bool] = False,
) -> RequestDestinationFallback:
    """Destinations tried in order."""
    return RequestDestinationFallback(
        destinations=list(destinations),
        continue_on_delivery_failure=continue_on_delivery_failure,
        continue_on_timeout=continue_on_timeout,
    )


def send_message(destination: Union[User, RequestDestination], message: str) -> None:
    """Send `message` to a user or a destination."""
    _sim.send_message(destination, message)


def send_thread_message(message: str) -> None:
    """Reply in the request's Slack thread."""
    _sim.send_thread_message(message)


def get_user_info(user: User) -> dict:
    return _sim.call("slack.get_user_info", locals(), kind="dict")


def list_users(active_only: bool = True) -> list:
    return _sim.call("slack.list_users", locals(), kind="list")


def is_user_in_group(user: User, *, group_id: str) -> bool:
    return _sim.call("slack.is_user_in_group", locals(), kind="bool")


def users_in_channel(channel: Union[SlackChannelID, SlackChannelName, str]) -> List[User]:
    if isinstance(channel, str) and not channel.startswith("#"):
        raise SlackError("INVALID_CHANNEL", "channel names must start with #")
    return _sim.call("slack.users_in_channel", locals(), kind="users")
