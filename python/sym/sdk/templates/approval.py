"""The approval template: its steps and the actions hooks can return."""

from abc import ABC, abstractmethod
from enum import Enum
from typing import Optional

from .. import _sim
from ..resource import SRN
from .template import Template


class ApprovalTemplateStep(str, Enum):
    PROMPT = "prompt"
    REQUEST = "request"
    REQUEST_FORWARD = "request_forward"
    REQUEST_EXPIRE = "request_expire"
    APPROVE = "approve"
    DENY = "deny"
    ESCALATE = "escalate"
    DEESCALATE = "deescalate"


def _action(step, target_srn, duration, kwargs):
    data = dict(kwargs)
    if target_srn is not None:
        data["target_srn"] = target_srn
    if duration is not None:
        data["duration"] = duration
    return _sim.TemplateAction(step, data)


class ApprovalTemplate(Template, ABC):
    @classmethod
    @abstractmethod
    def prompt(cls, **kwargs):
        """Fire a prompt."""
        return _sim.TemplateAction("prompt", dict(kwargs))

    @classmethod
    @abstractmethod
    def request(cls, *, target_srn: Optional[SRN] = None, duration: Optional[int] = None, **kwargs):
        """Fire a request."""
        return _action("request", target_srn, duration, kwargs)

    @classmethod
    @abstractmethod
    def approve(cls, *, target_srn: Optional[SRN] = None, duration: Optional[int] = None, **kwargs):
        """Approve the outstanding request."""
        return _action("approve", target_srn, duration, kwargs)

    @classmethod
    @abstractmethod
    def deny(cls, *, target_srn: Optional[SRN] = None, duration: Optional[int] = None, **kwargs):
        """Deny the outstanding request."""
        return _action("deny", target_srn, duration, kwargs)

    @classmethod
    @abstractmethod
    def escalate(cls, *, target_srn: Optional[SRN] = None, duration: Optional[int] = None, **kwargs):
        """Grant access."""
        return _action("escalate", target_srn, duration, kwargs)

    @classmethod
    @abstractmethod
    def deescalate(cls, *, target_srn: Optional[SRN] = None, **kwargs):
        """Remove access."""
        return _action("deescalate", target_srn, None, kwargs)
