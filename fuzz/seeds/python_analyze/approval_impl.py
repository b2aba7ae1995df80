"""Logic of the approval-only flow "approval".

Requests go to the channel in the flow's `request_channel` var; members of
your Sym org approve or deny them. Requesters listed in the `auto_approve` var
(comma-separated emails) are approved at once.
"""

from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import slack
from sym.sdk.notifications import Notification
from sym.sdk.request_permission import PermissionLevel, RequestPermission
from sym.sdk.templates import ApprovalTemplate


@reducer
def get_permissions(event):
    """Members may approve or deny, but never their own request."""
    return RequestPermission(
        webapp_view=PermissionLevel.ADMIN,
        approve_deny=PermissionLevel.MEMBER,
        allow_self_approval=False,
    )


@reducer
def get_request_notifications(event):
    """Post each request to the flow's request channel."""
    channel = event.flow.vars.get("request_channel") or "#sym-requests"
    return [Notification(destinations=[slack.channel(channel)])]


@hook
def on_request(event):
    """Approve requesters listed in the `auto_approve` var without waiting."""
    listed = event.flow.vars.get("auto_approve", "")
    allowed = {email.strip().lower() for email in listed.split(",") if email.strip()}
    email = (event.user.email or "").lower()
    if email and email in allowed:
        return ApprovalTemplate.approve(reason="listed in auto_approve")
    return None


@hook
def after_deny(event):
    """Tell the requester who denied the request."""
    requester = event.get_actor("request")
    if requester is not None:
        slack.send_message(requester, f"Your request was denied by {event.user.username}.")
