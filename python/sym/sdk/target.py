"""Access targets."""

from abc import ABC, abstractmethod
from typing import Optional

from .resource import SymResource


class AccessTarget(SymResource, ABC):
    @property
    @abstractmethod
    def label(self) -> Optional[str]:
        """Display name."""

    @property
    @abstractmethod
    def type(self) -> str:
        """e.g. `okta_group`."""

    @property
    @abstractmethod
    def settings(self) -> dict:
        """The target's settings."""
