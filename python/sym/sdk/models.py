"""Re-exports of the SDK's models."""

from .event import Channel, Event, EventMeta, Payload  # noqa: F401
from .field_option import FieldOption  # noqa: F401
from .flow import Environment, Flow, Run  # noqa: F401
from .request_destination import (  # noqa: F401
    RequestDestination,
    RequestDestinationFallback,
    SlackChannelID,
    SlackChannelName,
    SlackUser,
    SlackUserGroup,
)
from .resource import SRN, SymResource  # noqa: F401
from .target import AccessTarget  # noqa: F401
from .user import User, UserIdentity, UserRole  # noqa: F401
