"""The template base."""

from abc import ABC, abstractmethod
from enum import Enum
from typing import Optional

from .. import _sim
from ..resource import SymResource


class TemplateStep(str, Enum):
    IGNORE = "ignore"


class Template(SymResource, ABC):
    @classmethod
    @abstractmethod
    def ignore(cls, *, message: Optional[str] = None, **kwargs):
        """Drop the incoming event and tell the acting user `message`."""
        return _sim.TemplateAction("ignore", dict(kwargs, message=message))
