"""symflow's local stand-in for Sym's Python SDK (`sym.sdk`), version 0.61.0.

Integration functions record their calls and return mocked values or
documented defaults; see the symflow README, section `symflow test`.
"""

import sym

if getattr(sym, "initialized", True):
    from . import integrations  # noqa: F401
    from .annotations import hook, prefetch, reducer
    from .errors import SymIntegrationError, SymSDKError
    from .event import Channel, Event, EventMeta, Payload
    from .field_option import FieldOption
    from .flow import Flow, Run
    from .integrations import aws_lambda, github, google, okta, onelogin, pagerduty, slack
    from .models import *  # noqa: F401,F403
    from .request_destination import RequestDestination, RequestDestinationFallback
    from .request_permission import PermissionLevel, RequestPermission
    from .resource import SRN, SymResource
    from .request_destination import SlackChannelID, SlackChannelName, SlackUser, SlackUserGroup
    from .target import AccessTarget
    from .templates import ApprovalTemplate, Template
    from .user import User, UserIdentity, UserRole

__all__ = [
    "AccessTarget",
    "ApprovalTemplate",
    "Channel",
    "Event",
    "EventMeta",
    "FieldOption",
    "Flow",
    "RequestPermission",
    "Payload",
    "RequestDestination",
    "RequestDestinationFallback",
    "PermissionLevel",
    "Run",
    "SRN",
    "SlackChannelID",
    "SlackChannelName",
    "SlackUser",
    "SlackUserGroup",
    "SymIntegrationError",
    "SymResource",
    "SymSDKError",
    "Template",
    "User",
    "UserIdentity",
    "UserRole",
    "aws_lambda",
    "github",
    "google",
    "hook",
    "okta",
    "onelogin",
    "pagerduty",
    "prefetch",
    "reducer",
    "slack",
]
