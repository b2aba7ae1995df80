"""Templates, their steps, and step outputs."""

from typing import Optional

from .. import _sim
from .approval import ApprovalTemplate, ApprovalTemplateStep
from .template import Template, TemplateStep


def get_step_output(step: Optional[ApprovalTemplateStep] = None) -> dict:
    """The output of `step` (default: the current step) in this run."""
    return _sim.step_output(step)


__all__ = ["ApprovalTemplate", "ApprovalTemplateStep", "Template", "TemplateStep", "get_step_output"]
