"""Users and their identities."""

from abc import ABC, abstractmethod
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Dict, List, Optional, Set
from uuid import UUID

from .request_permission import PermissionLevel
from .resource import SymBaseResource

if TYPE_CHECKING:
    from .templates import ApprovalTemplateStep

try:
    from typing import Literal
except ImportError:  # Python < 3.8
    Literal = None


class UserIdentity(ABC, SymBaseResource):
    """A user's account in another service (e.g. Slack)."""

    @property
    @abstractmethod
    def service(self) -> str:
        """The service type, e.g. `slack`."""

    @property
    @abstractmethod
    def service_id(self) -> str:
        """The service instance, e.g. a Slack workspace ID."""

    @property
    @abstractmethod
    def user_id(self) -> str:
        """The user's ID in that service."""

    def __str__(self):
        return "Identity(%s: %s)" % (self.service, self.user_id)


class UserRole(str, Enum):
    ADMIN = "admin"
    MEMBER = "member"
    GUEST = "guest"

    def permission_levels(self) -> Set[PermissionLevel]:
        if self is UserRole.ADMIN:
            return {PermissionLevel.ADMIN, PermissionLevel.MEMBER, PermissionLevel.ALL_USERS}
        if self is UserRole.MEMBER:
            return {PermissionLevel.MEMBER, PermissionLevel.ALL_USERS}
        return {PermissionLevel.ALL_USERS}


class User(ABC, SymBaseResource):
    """A Sym user."""

    @property
    @abstractmethod
    def id(self) -> UUID:
        """The user's Sym ID."""

    @property
    @abstractmethod
    def email(self) -> Optional[str]:
        """The email address (None for bots)."""

    @property
    @abstractmethod
    def username(self) -> str:
        """The email for normal users, the bot name for bots."""

    @property
    @abstractmethod
    def type(self) -> str:
        """`normal` or `bot`."""

    @property
    @abstractmethod
    def first_name(self) -> Optional[str]:
        """First name."""

    @property
    @abstractmethod
    def last_name(self) -> Optional[str]:
        """Last name."""

    @property
    @abstractmethod
    def identities(self) -> Dict[str, List[UserIdentity]]:
        """Identities grouped by service type."""

    @property
    @abstractmethod
    def role(self) -> UserRole:
        """The user's role in the organization."""

    @abstractmethod
    def identity(self, service_type: str, service_id: Optional[str] = None) -> Optional[UserIdentity]:
        """The user's identity in one service, if any."""

    @abstractmethod
    def get_event_count(
        self,
        event_name: "ApprovalTemplateStep",
        since: Optional[datetime] = None,
        until: Optional[datetime] = None,
        filter_on: 'Literal["flow", "target"]' = "flow",
        include_errored: bool = False,
    ) -> int:
        """How many events of this kind happened on runs this user requested."""

    def __eq__(self, other):
        return isinstance(other, User) and self.username == other.username

    def __hash__(self):
        return hash((User, self.username))

    def __repr__(self):
        return "User(%s)" % self.username


def user_ids(user_list: List[User]) -> List[UUID]:
    """The Sym IDs of a list of users."""
    return [u.id for u in user_list]
