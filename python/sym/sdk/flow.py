"""Flows, environments and runs."""

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, Dict, Optional

from .resource import SymResource
from .user import User

if TYPE_CHECKING:
    from .event import Channel
    from .strategies import Integration
    from .strategy import Strategy


class Environment(SymResource, ABC):
    @property
    @abstractmethod
    def integrations(self) -> Dict[str, "Integration"]:
        """Integrations keyed by name (e.g. `slack`)."""


class Flow(SymResource, ABC):
    @property
    @abstractmethod
    def fields(self) -> Dict[str, Any]:
        """Prompt-field definitions by name."""

    @property
    @abstractmethod
    def vars(self) -> Dict[str, str]:
        """The flow's vars (always strings)."""

    @property
    @abstractmethod
    def environment(self) -> Environment:
        """The flow's environment."""

    @property
    @abstractmethod
    def strategy(self) -> Optional["Strategy"]:
        """The access strategy, None for approval-only flows."""


class Run(SymResource, ABC):
    @property
    @abstractmethod
    def actors(self) -> Dict[str, User]:
        """Who fired each step so far."""

    @property
    @abstractmethod
    def contexts(self) -> Dict[str, Dict[str, Any]]:
        """The context of each step so far."""

    @property
    @abstractmethod
    def source_channel(self) -> "Channel":
        """Where the run's first event came from."""
