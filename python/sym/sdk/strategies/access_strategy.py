"""The base class of custom access strategies."""

from abc import ABC, abstractmethod
from typing import Optional

from ..event import Event
from ..exceptions.identity import IdentityNotFound
from ..user import User
from ..utils import persist_user_identity
from .integration import Integration


class AccessStrategy(ABC):
    def __init__(self, integration: Integration):
        self.integration = integration

    def get_requester_identity(self, event: Event) -> str:
        requester = event.get_actor("request")
        found = requester.identity(self.integration.type, self.integration.external_id)
        if found is not None:
            return found.user_id
        remote = self.fetch_remote_identity(requester)
        if remote is None:
            raise IdentityNotFound(requester.email, self.integration.external_id)
        persist_user_identity(
            email=requester.email,
            service=self.integration.type,
            service_id=self.integration.external_id,
            user_id=remote,
        )
        return remote

    @abstractmethod
    def fetch_remote_identity(self, user: User) -> Optional[str]:
        """Find the user's ID in the integration."""

    @abstractmethod
    def escalate(self, target_id: str, event: Event) -> Optional[dict]:
        """Grant access."""

    @abstractmethod
    def deescalate(self, target_id: str, event: Event) -> Optional[dict]:
        """Remove access."""
