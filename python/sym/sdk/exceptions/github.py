"""Exceptions raised by the GitHub integration."""

from .sym_exception import SymException


class GitHubError(SymException):
    """An error from GitHub."""

    def __init__(self, name: str, message: str, error_type: str = "GitHub"):
        super().__init__(error_type, name, message)
