"""Secrets and secret sources."""

from abc import ABC, abstractmethod
from typing import Any, Dict

from .resource import SymResource


class SecretSource(ABC, SymResource):
    @property
    @abstractmethod
    def type(self) -> str:
        """e.g. `aws_secrets_manager`."""

    @property
    @abstractmethod
    def settings(self) -> Dict[str, Any]:
        """The source's settings."""


class Secret(ABC, SymResource):
    @property
    @abstractmethod
    def id(self) -> str:
        """The secret's ID."""

    @property
    @abstractmethod
    def path(self) -> str:
        """Where it is stored."""

    @property
    @abstractmethod
    def source(self) -> SecretSource:
        """The secret source."""

    @property
    @abstractmethod
    def settings(self) -> Dict[str, Any]:
        """The secret's settings."""

    @abstractmethod
    def retrieve_value(self) -> str:
        """Read the secret's value."""
