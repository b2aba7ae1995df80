"""Utilities."""

from .user import persist_user_identity

__all__ = ["persist_user_identity"]
