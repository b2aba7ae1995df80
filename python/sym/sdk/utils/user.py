"""User helpers backed by the Sym runtime."""

from .. import _sim
from ..user import UserIdentity


def persist_user_identity(*, email: str, service: str, service_id: str, user_id: str) -> UserIdentity:
    """Save a user's identity in a service (creating the Sym user if needed)."""
    return _sim.call("persist_user_identity", locals(), kind="identity")
