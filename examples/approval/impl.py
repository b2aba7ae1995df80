from sym.sdk.annotations import hook, reducer
from sym.sdk.integrations import slack
from sym.sdk.notifications import Notification
from sym.sdk.request_permission import PermissionLevel, RequestPermission
from sym.sdk.templates import ApprovalTemplate


@reducer
def get_permissions(event):
    """Anyone in the org may approve; only admins may approve their own request."""
    return RequestPermission(
        webapp_view=PermissionLevel.MEMBER,
        approve_deny=PermissionLevel.MEMBER,
        allow_self_approval=False,
    )


@reducer
def get_request_notifications(event):
    """Requests go to the #sym-requests channel."""
    return [Notification(destinations=[slack.channel("#sym-requests")])]


@hook
def on_request(event):
    """Auto-approve the users listed in the flow's auto_approve var."""
    allowed = [e.strip() for e in event.flow.vars.get("auto_approve", "").split(",") if e.strip()]
    if event.user.email in allowed:
        return ApprovalTemplate.approve()
