"""PagerDuty."""

from enum import Enum
from typing import Any, Dict, List, Optional

from .. import _sim
from ..exceptions.pagerduty import PagerDutyError  # noqa: F401
from ..user import User


class PagerDutyStatus(str, Enum):
    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class PagerDutyUrgency(str, Enum):
    LOW = "low"
    HIGH = "high"


def is_on_call(
    user: User,
    *,
    escalation_policy_name: Optional[str] = None,
    escalation_policy_id: Optional[str] = None,
    schedule_name: Optional[str] = None,
    schedule_id: Optional[str] = None,
) -> bool:
    return _sim.call("pagerduty.is_on_call", locals(), kind="bool")


def users_on_call(
    *,
    escalation_policy_name: Optional[str] = None,
    escalation_policy_id: Optional[str] = None,
    schedule_name: Optional[str] = None,
    schedule_id: Optional[str] = None,
) -> List[User]:
    return _sim.call("pagerduty.users_on_call", locals(), kind="users")


def users_for_schedule(*, schedule_name: Optional[str] = None, schedule_id: Optional[str] = None) -> List[User]:
    return _sim.call("pagerduty.users_for_schedule", locals(), kind="users")


def get_incidents(
    *,
    assignees: Optional[List[User]] = None,
    service_ids: Optional[List[str]] = None,
    statuses: Optional[List[PagerDutyStatus]] = None,
    urgencies: Optional[List[PagerDutyUrgency]] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
) -> List[Dict[str, Any]]:
    return _sim.call("pagerduty.get_incidents", locals(), kind="list")


def has_incident(
    *,
    assignees: Optional[List[User]] = None,
    service_ids: Optional[List[str]] = None,
    statuses: Optional[List[PagerDutyStatus]] = None,
    urgencies: Optional[List[PagerDutyUrgency]] = None,
    since: Optional[str] = None,
    until: Optional[str] = None,
) -> bool:
    return _sim.call("pagerduty.has_incident", locals(), kind="bool")
