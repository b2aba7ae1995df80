"""Templates, their steps, and step outputs."""

from .approval import ApprovalTemplate, ApprovalTemplateStep
from .step import get_step_output
from .template import Template, TemplateStep

__all__ = ["ApprovalTemplate", "ApprovalTemplateStep", "Template", "TemplateStep", "get_step_output"]
