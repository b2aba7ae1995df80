"""Events: what a handler receives."""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any, Dict, Optional

from .flow import Flow, Run
from .resource import SRN, SymResource
from .templates import Template
from .user import User


class Payload(SymResource):
    """What the event carries: the fields and the acting user."""

    @property
    @abstractmethod
    def timestamp(self) -> datetime:
        """When the event happened."""

    @property
    @abstractmethod
    def fields(self) -> Dict[str, Any]:
        """Prompt-field values."""

    @property
    @abstractmethod
    def srn(self) -> SRN:
        """The event's SRN."""

    @property
    @abstractmethod
    def user(self) -> User:
        """The user who fired the event."""


class Channel(SymResource):
    """Where an event came from."""

    @property
    @abstractmethod
    def identifier(self) -> Optional[str]:
        """e.g. `#general`; None for Slack shortcuts."""

    @property
    @abstractmethod
    def type(self) -> str:
        """e.g. `slack` or `sym`."""


class EventMeta(SymResource, ABC):
    """Metadata about an event."""


class Event(SymResource, ABC):
    """An event of a run, passed to every hook and reducer."""

    @property
    @abstractmethod
    def name(self) -> str:
        """The template step, e.g. `request`."""

    @property
    @abstractmethod
    def payload(self) -> Payload:
        """The payload."""

    @property
    @abstractmethod
    def meta(self) -> EventMeta:
        """Metadata."""

    @property
    @abstractmethod
    def template(self) -> Template:
        """The flow's template."""

    @property
    @abstractmethod
    def flow(self) -> Flow:
        """The flow."""

    @property
    @abstractmethod
    def run(self) -> Run:
        """The run this event belongs to."""

    @property
    @abstractmethod
    def channel(self) -> Channel:
        """Where the event came from."""

    @property
    def user(self) -> User:
        return self.payload.user

    @abstractmethod
    def get_actor(self, event_name: str) -> Optional[User]:
        """The user who fired `event_name` in this run, if it happened."""

    @abstractmethod
    def get_context(self, event_name: str) -> Optional[Dict[str, Any]]:
        """The context of `event_name` in this run, if it happened."""
