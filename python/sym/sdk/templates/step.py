"""Step outputs."""

from typing import Optional

from .. import _sim
from .approval import ApprovalTemplateStep


def get_step_output(step: Optional[ApprovalTemplateStep] = None) -> dict:
    """The output of `step` (default: the current step) in this run."""
    return _sim.step_output(step)
