"""Integrations as seen by flow code."""

from abc import ABC, abstractmethod
from typing import Any, Dict

from ..resource import SymResource


class Integration(ABC, SymResource):
    @property
    @abstractmethod
    def type(self) -> str:
        """e.g. `slack`."""

    @property
    @abstractmethod
    def external_id(self) -> str:
        """e.g. a Slack workspace ID or an Okta domain."""

    @property
    @abstractmethod
    def settings(self) -> Dict[str, Any]:
        """The integration's settings (never None)."""
